import { describe, expect, it } from 'vitest';
import type { Answer, Citation, Passage } from '../core/contracts/types.js';
import { renderSlack } from './render-slack.js';

const place = { path: 'express/README.md', page: null, headingPath: ['Express', 'Installation'] };
const citation: Citation = {
  n: 1,
  docId: 'express/README.md',
  title: 'express README',
  chunkId: 'express/README.md#2',
  start: 10,
  end: 43,
  quote: 'Node.js 18 or higher is required.',
  verified: true,
  ...place,
};
const passage: Passage = {
  chunkId: 'manual.pdf#3',
  docId: 'manual.pdf',
  title: 'Manual',
  start: 0,
  end: 20,
  score: 1,
  text: 'Life jackets: locker 3.',
  path: 'manual.pdf',
  page: 3,
  headingPath: [],
};

function answer(overrides: Partial<Answer>): Answer {
  return {
    id: 'ans_1',
    question: 'q',
    standaloneQuestion: 'q',
    answer: 'Node.js 18 or higher is required. [1]',
    answerable: true,
    reason: null,
    confidence: 0.9,
    candidate: null,
    citations: [citation],
    passages: [passage],
    mode: 'extractive',
    notice: null,
    droppedCitations: 0,
    timings: { retrieveMs: 1, answerMs: 1, totalMs: 2 },
    generation: null,
    ...overrides,
  };
}

describe('renderSlack', () => {
  it("shows each cited quote's title, file and headings", () => {
    const { blocks } = renderSlack(answer({}));
    expect(blocks).toContainEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: '*[1]* _express README_ · express/README.md › Express › Installation\n> Node.js 18 or higher is required.',
      },
    });
  });

  it('shows the page of a closest passage from a PDF when refusing', () => {
    const { blocks } = renderSlack(answer({ answerable: false, reason: 'No passage is about fees.', citations: [] }));
    expect(JSON.stringify(blocks)).toContain('_Manual_ · manual.pdf › page 3');
  });
});
