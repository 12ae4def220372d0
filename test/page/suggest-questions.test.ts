import { describe, expect, it } from 'vitest';
import { readableTopic, suggestQuestions, topicTitle } from '../../server/public/suggest-questions.js';

describe('suggestQuestions', () => {
  it("asks about the first documents' titles, then their sections that read as topics", () => {
    const questions = suggestQuestions([
      { title: 'quickmux', path: 'quickmux/README.md', headings: ['Installation', 'Features 💪', 'Sponsors', 'License', 'Changelog'] },
      { title: 'tinyqueue', path: 'tinyqueue/README.md', headings: ['Table of contents', 'Donate ☕', 'Usage'] },
    ]);
    expect(questions).toEqual([
      'What is quickmux about?',
      'What is tinyqueue about?',
      'What does quickmux say about Installation?',
      'What does quickmux say about Features?',
    ]);
  });

  it('skips badges, entities and symbols, and headings about the project rather than its subject', () => {
    for (const heading of ['License', 'Licence', 'Backers', 'Sponsors', 'Donate', 'Contributors ✨', 'Changelog', '&#128170;', '🚀', '---'])
      expect(readableTopic(heading), heading).toBeNull();
    expect(readableTopic('🚀 Quick start:')).toBe('Quick start');
    expect(readableTopic('router.get(path, handler)')).toBe('router.get(path, handler)');
  });

  it('writes a title taken from the file name with spaces, each word cased as the text writes it', () => {
    const text = 'South Korea is racing to the front of physical AI. The physical AI stack spans robots. Korea and AI again.';
    expect(topicTitle({ title: 'south-korea-physical-ai', path: 'south-korea-physical-ai.txt', text })).toBe('South Korea physical AI');
    expect(topicTitle({ title: 'Harbour Crane Guide', path: 'docs/harbour-guide.md' })).toBe('Harbour Crane Guide');
  });
});
