import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectAnswer } from '../../core/answer/answer-question.js';
import { renderAnswerText } from '../../core/answer/render-answer-text.js';
import type { Answer, Citation } from '../../core/contracts/types.js';
import type { Engine } from '../../core/engine.js';
import { createApp } from '../../server/create-app.js';
import { renderSlack } from '../../slack/render-slack.js';
import { loadSearchIndex } from '../../store/load-index.js';
import { startDocsSite, type DocsSite } from '../../test/helpers/docs-site-server.js';
import { LOCAL_IDENTITY, localEmbeddings, localEngine, temporaryDir } from '../../test/helpers/local-engine.js';
import { testCrawlSettings } from '../../test/helpers/test-crawl-settings.js';
import { ingestDocuments } from '../ingest-documents.js';
import { DEFAULT_INGEST_LIMITS } from '../ingest-limits.js';
import { AddressRefusedError } from './address-refused-error.js';
import { crawlSource } from './crawl-source.js';
import { guardedLookup } from './guarded-lookup.js';

const QUESTION = 'Which port does the harbour crane controller listen on by default?';

let site: DocsSite;
let engine: Engine;
let answer: Answer;

/** The text directive of a link (`#:~:text=[prefix-,]start[,end][,-suffix]`), its parts decoded. */
function textDirective(link: string): { prefix?: string; start: string; end?: string } {
  const directive = link.split('#:~:text=')[1];
  const parts = directive.split(',').map(decodeURIComponent);
  const prefix = parts[0].endsWith('-') ? parts.shift()!.slice(0, -1) : undefined;
  return { prefix, start: parts[0], end: parts[1] };
}

beforeAll(async () => {
  site = await startDocsSite();
  const indexDir = join(temporaryDir(), 'index');
  const start = `${site.origin}/docs/`;
  await ingestDocuments({
    sourceDir: start,
    load: crawlSource(start, { settings: testCrawlSettings(), limits: DEFAULT_INGEST_LIMITS }),
    indexDir,
    embeddings: localEmbeddings(),
    embedder: LOCAL_IDENTITY,
    chunking: { chunkSize: 400, chunkOverlap: 80 },
  });
  engine = localEngine(await loadSearchIndex(indexDir, LOCAL_IDENTITY));
  answer = await collectAnswer(engine.answer({ question: QUESTION }));
}, 30_000);

afterAll(async () => {
  await site?.close();
});

describe('a citation of a crawled page', () => {
  it('carries the page URL and a link whose text fragment matches the quoted span', () => {
    expect(answer.answerable).toBe(true);
    const citation: Citation = answer.citations[0];
    expect(citation.quote).toContain('listens on port 7070 by default');
    expect(citation.url).toBe(`${site.origin}/docs/guide/install`);
    expect(citation.link!.startsWith(`${citation.url}#:~:text=`)).toBe(true);
    const { start, end } = textDirective(citation.link!);
    const quote = citation.quote.replace(/\s+/g, ' ');
    expect(quote.startsWith(start)).toBe(true);
    expect(end === undefined ? start === quote : quote.endsWith(end)).toBe(true);
    // The stored copy is still what the span points into (the chat page highlights it there).
    expect(answer.passages.find((passage) => passage.docId === citation.docId)?.url).toBe(citation.url);
  });

  it('shows the link on every surface: the JSON answer, the terminal and MCP text, Slack', async () => {
    const app = createApp({ engine, limits: { maxQuestionChars: 500, maxHistoryTurns: 4 } });
    const { body } = await request(app).post('/v1/answer').send({ question: QUESTION }).expect(200);
    expect(body.citations[0]).toMatchObject({ url: answer.citations[0].url, link: answer.citations[0].link });
    expect(renderAnswerText(answer)).toContain(`\n    ${answer.citations[0].link}\n`);
    const slack = JSON.stringify(renderSlack(answer).blocks);
    expect(slack).toContain(`<${answer.citations[0].link}|${answer.citations[0].title}>`);
  });

  it('lists each crawled document with its URL in GET /v1/sources', async () => {
    const source = await request(createApp({ engine, limits: { maxQuestionChars: 500, maxHistoryTurns: 4 } }))
      .get('/v1/sources')
      .expect(200);
    expect(source.body.sources.every((document: { url: string | null }) => document.url?.startsWith(site.origin))).toBe(true);
  });
});

describe('guardedLookup', () => {
  it('fails a connection to a name that resolves to a refused address', async () => {
    const error = await new Promise((resolve) => guardedLookup([])('localhost', {}, (failure) => resolve(failure)));
    expect(AddressRefusedError.isInstance(error)).toBe(true);
    const allowed = await new Promise((resolve) =>
      guardedLookup('all')('localhost', { all: true }, (failure, addresses) => resolve(failure ?? addresses)),
    );
    expect(allowed).toEqual(expect.arrayContaining([expect.objectContaining({ address: expect.any(String) })]));
  });
});
