import { describe, expect, it } from 'vitest';
import { chooseTitle, distinguishTitles } from './choose-title.js';

describe('chooseTitle', () => {
  it('takes the first declared title that names something', () => {
    expect(chooseTitle({ declared: ['Deploying the API', 'Deployment'] }, 'docs/deploy.md', 'site')).toBe('Deploying the API');
    expect(chooseTitle({ declared: ['README', '  Harbour   tools '] }, 'docs/README.md', 'site')).toBe('Harbour tools');
    expect(chooseTitle({ declared: ['Enscript Output'] }, 'logs/tides.pdf', 'site')).toBe('tides');
  });

  it('names a README or LICENSE without a title by its folder, or by the ingested folder at the top', () => {
    expect(chooseTitle({ declared: [] }, 'express/README.md', 'docs')).toBe('express README');
    expect(chooseTitle({ declared: ['Readme'] }, 'README.md', 'harbour-docs')).toBe('harbour-docs README');
    expect(chooseTitle({ declared: [], guessed: '(The MIT License)' }, 'cors/LICENSE', 'docs')).toBe('cors LICENSE');
  });

  it('writes entities in a declared title as the characters they stand for', () => {
    expect(chooseTitle({ declared: ['Tips &amp; tricks &#128170;'] }, 'docs/tips.md', 'site')).toBe('Tips & tricks 💪');
    expect(chooseTitle({ declared: ['Q&#x26;A'] }, 'docs/qa.md', 'site')).toBe('Q&A');
  });

  it("uses plain text's first line for other files, else the file name", () => {
    expect(chooseTitle({ declared: [], guessed: 'Quarterly Harbour Report' }, 'report.txt', 'docs')).toBe('Quarterly Harbour Report');
    expect(chooseTitle({ declared: [] }, 'notes/tide-log.txt', 'docs')).toBe('tide-log');
  });
});

describe('distinguishTitles', () => {
  it('adds the folder to titles several documents share, or the path where folders do not tell them apart', () => {
    const titled = distinguishTitles([
      { title: 'API', path: 'pino/api.md' },
      { title: 'API', path: 'undici/api.md' },
      { title: 'Setup', path: 'a/setup.md' },
      { title: 'Notes', path: 'a/one.md' },
      { title: 'Notes', path: 'a/two.md' },
    ]);
    expect(titled.map((d) => d.title)).toEqual(['API (pino)', 'API (undici)', 'Setup', 'Notes (a/one.md)', 'Notes (a/two.md)']);
  });
});
