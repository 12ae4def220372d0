import { describe, expect, it } from 'vitest';
import type { Answer, Citation, Passage } from '../core/contracts/types.js';
import { renderSlack } from './render-slack.js';

const place = { path: 'express/README.md', url: null, page: null, headingPath: ['Express', 'Installation'] };
const citation: Citation = {
  n: 1,
  docId: 'express/README.md',
  title: 'express README',
  chunkId: 'express/README.md#2',
  start: 10,
  end: 43,
  quote: 'Node.js 18 or higher is required.',
  verified: true,
  link: null,
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
  url: null,
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

  it('converts a Markdown answer and Markdown quotes to mrkdwn', () => {
    const { blocks } = renderSlack(
      answer({
        answer:
          'Install it with `npm i express` and read [the guide](https://expressjs.com/en/guide) [1]:\n\n```javascript\napp.listen(3000 > 2 && 1 < 2)\n```',
        citations: [{ ...citation, quote: 'See the **[Installing](https://expressjs.com/en/starter/installing.html)** guide.' }],
      }),
    );
    expect(blocks[0]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: 'Install it with `npm i express` and read <https://expressjs.com/en/guide|the guide> [1]:\n\n```\napp.listen(3000 &gt; 2 &amp;&amp; 1 &lt; 2)\n```',
      },
    });
    expect(JSON.stringify(blocks[2])).toContain('> See the *<https://expressjs.com/en/starter/installing.html|Installing>*');
    expect(renderSlack(answer({ answer: 'Read [the guide](https://expressjs.com/en/guide) [1].' })).text).toBe(
      'Read <https://expressjs.com/en/guide|the guide> [1].',
    );
  });

  it('keeps plain-text quotes as written, escaped, and names a place once (no repeated title, one passage per place)', () => {
    const plain = { ...passage, docId: 'notes.txt', path: 'notes.txt', title: 'Notes', page: null, text: 'A *star* & <b>' };
    const titled = { ...passage, docId: 'guide.md', path: 'guide.md', title: 'Guide', page: null, headingPath: ['Guide', 'Setup'] };
    const { blocks } = renderSlack(
      answer({ answerable: false, reason: 'Not here.', citations: [], passages: [plain, { ...plain, chunkId: 'notes.txt#2' }, titled] }),
    );
    const texts = blocks.map((block) => JSON.stringify(block));
    expect(texts.filter((text) => text.includes('notes.txt'))).toHaveLength(1);
    expect(texts.join()).toContain('A *star* &amp; &lt;b&gt;');
    expect(texts.join()).toContain('_Guide_ · guide.md › Setup');
  });

  it("links a crawled page's title to the quote (the URL's |<> percent-encoded, & escaped), its first heading not repeated", () => {
    const crawled = {
      ...citation,
      docId: 'docs.example.com/guide/install',
      title: 'Installing',
      path: 'docs.example.com/guide/install',
      url: 'https://docs.example.com/guide/install?v=1&a=<b>',
      link: 'https://docs.example.com/guide/install?v=1&a=<b>#:~:text=port%207070|x',
      headingPath: ['Installing', 'Start'],
    };
    const { blocks } = renderSlack(answer({ citations: [crawled] }));
    expect(blocks).toContainEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: '*[1]* _<https://docs.example.com/guide/install?v=1&amp;a=%3Cb%3E#:~:text=port%207070%7Cx|Installing>_ · docs.example.com/guide/install › Start\n> Node.js 18 or higher is required.',
      },
    });
    const refused = renderSlack(
      answer({ answerable: false, citations: [], passages: [{ ...passage, url: 'https://docs.example.com/manual' }] }),
    );
    expect(JSON.stringify(refused.blocks)).toContain('_<https://docs.example.com/manual|Manual>_ · manual.pdf › page 3');
  });
});
