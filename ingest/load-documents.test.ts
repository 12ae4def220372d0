import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryDir } from '../test/helpers/local-engine.js';
import { FIXTURE_DOCS, STRUCTURED_DOCS } from '../test/paths.js';
import { loadDocuments } from './load-documents.js';
import { NoDocumentsError } from './no-documents-error.js';

describe('loadDocuments', async () => {
  const { documents, skipped } = await loadDocuments(FIXTURE_DOCS);
  const byId = Object.fromEntries(documents.map((d) => [d.docId, d]));

  it('reads text files, normalising CRLF and composing Unicode', () => {
    expect(byId['cafe.txt'].text).toBe('Café opening hours:\nMonday to Friday, 8am to 6pm.');
    expect(byId['cafe.txt'].title).toBe('cafe');
  });

  it("takes a plain text file's first line as title when it reads like one", async () => {
    const folder = temporaryDir();
    writeFileSync(join(folder, 'report.txt'), 'Quarterly Harbour Report\n\nTides rose by 4 cm.');
    writeFileSync(join(folder, 'prose.txt'), 'Tides rose by 4 cm this quarter.\nMore text.');
    const result = await loadDocuments(folder);
    expect(result.documents.map((d) => [d.docId, d.title])).toEqual([
      ['prose.txt', 'prose'],
      ['report.txt', 'Quarterly Harbour Report'],
    ]);
  });

  it('reads markdown and takes its first heading as title', () => {
    expect(byId['notes.md'].title).toBe('Field Notes on Lighthouses');
    expect(byId['notes.md'].text).toContain('The Skerryvore lighthouse stands 48 metres tall.');
  });

  it('reads HTML as readable text, without tags, scripts, styles or navigation', () => {
    const page = byId['page.html'];
    expect(page.title).toBe('Harbour & Tides');
    expect(page.text).toContain('High tide at Port Elin arrives at 06:40 on weekdays.');
    expect(page.text).not.toMatch(/<|secret|color: red|Home \| About/);
  });

  it('reads the text of PDF pages and the PDF title', () => {
    expect(byId['turbine.pdf'].title).toBe('Zephyr Turbine Sheet');
    expect(byId['turbine.pdf'].text).toContain('The Zephyr turbine produces 42 megawatts.');
  });

  it('lists unsupported, empty and unreadable files as skipped, and ignores hidden ones', () => {
    expect(skipped).toEqual([
      { path: 'broken.pdf', reason: expect.stringMatching(/^unreadable/) },
      { path: 'data.csv', reason: expect.stringMatching(/^unsupported file type/) },
      { path: 'empty.txt', reason: 'no text found' },
    ]);
    expect(documents.map((d) => d.docId)).not.toContain('.hidden/secret.txt');
  });

  it('names nested documents by their path relative to the folder', async () => {
    const folder = temporaryDir();
    mkdirSync(join(folder, 'sub'));
    writeFileSync(join(folder, 'sub', 'deep.txt'), 'Nested text.');
    const result = await loadDocuments(folder);
    expect(result.documents.map((d) => d.docId)).toEqual(['sub/deep.txt']);
  });

  it('reads a folder of structured documents with their paths, kinds, pages and titles', async () => {
    const structured = await loadDocuments(STRUCTURED_DOCS);
    expect(structured.documents.map((d) => [d.path, d.kind, d.pages, d.title])).toEqual([
      ['enscript.pdf', 'pdf', 1, 'enscript'],
      ['handbook/LICENSE', 'text', null, 'handbook LICENSE'],
      ['handbook/README.md', 'markdown', null, 'harbour'],
      ['handbook/deploy.md', 'markdown', null, 'Deploying the Harbour API'],
      ['manual.pdf', 'pdf', 3, 'Harbour Operations Manual'],
      ['page.html', 'html', null, 'Tide Tables & Moorings'],
    ]);
    expect(structured.documents.every((d) => d.docId === d.path && d.blocks.length > 0)).toBe(true);
    expect(structured.skipped).toEqual([{ path: 'handbook/logo', reason: 'binary file (not UTF-8 text)' }]);
  });

  it('lists symbolic links as skipped, not followed: to a file, to a folder, and dangling', async () => {
    const folder = temporaryDir();
    const outside = temporaryDir();
    writeFileSync(join(outside, 'secret.txt'), 'Outside the documents folder.');
    mkdirSync(join(outside, 'more'));
    writeFileSync(join(outside, 'more', 'deep.txt'), 'Also outside.');
    writeFileSync(join(folder, 'real.txt'), 'Inside the documents folder.');
    mkdirSync(join(folder, 'sub'));
    symlinkSync(join(outside, 'secret.txt'), join(folder, 'sub', 'linked.txt'));
    symlinkSync(join(outside, 'more'), join(folder, 'linked-folder'));
    symlinkSync(join(outside, 'gone.txt'), join(folder, 'dangling.txt'));
    const result = await loadDocuments(folder);
    expect(result.documents.map((d) => d.docId)).toEqual(['real.txt']);
    const reason = 'symbolic link, not followed (it may point outside the folder)';
    expect(result.skipped).toEqual([
      { path: 'dangling.txt', reason },
      { path: 'linked-folder', reason },
      { path: 'sub/linked.txt', reason },
    ]);
  });

  it('fails clearly on a folder with no supported document, or no folder', async () => {
    const folder = temporaryDir();
    writeFileSync(join(folder, 'only.csv'), 'a,b');
    await expect(loadDocuments(folder)).rejects.toThrow(NoDocumentsError);
    await expect(loadDocuments(folder)).rejects.toThrow(/No supported document.*only\.csv: unsupported/);
    await expect(loadDocuments(join(folder, 'missing'))).rejects.toThrow(/Cannot read the documents folder/);
  });
});
