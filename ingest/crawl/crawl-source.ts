import { createHash } from 'node:crypto';
import { chooseTitle, distinguishTitles } from '../choose-title.js';
import type { LoadSource, LoadedDocument, PreviousDocuments, SkippedFile } from '../document-source.js';
import { FileReader } from '../file-reader.js';
import type { IngestLimits } from '../ingest-limits.js';
import { NoDocumentsError } from '../no-documents-error.js';
import { crawlSite, type CrawledPage } from './crawl-site.js';
import type { CrawlSettings } from './crawl-settings.js';
import { pageDocumentId, pageKey } from './page-key.js';

export interface CrawlSourceOptions {
  settings: CrawlSettings;
  limits: IngestLimits;
  onProgress?: (progress: { done: number; discovered: number }) => void;
}

/** Failures listed in the error of a crawl that read no page. */
const LISTED_FAILURES = 10;

/**
 * The pages of the site at `start` as an ingest's documents. Against a previous crawl it asks only
 * for changes: a page the site says is unchanged (304) keeps its stored copy, so ingest finds the
 * same content hash and embeds nothing; a page that is gone (404, 410) or now refused is dropped; a
 * page that failed for a passing reason (server error, timeout, a limit reached) keeps its
 * previous copy and is listed with the reason. Pages with the same text as another are left out.
 */
export function crawlSource(start: string, options: CrawlSourceOptions): LoadSource {
  return async (previous) => {
    const previousByKey = new Map(
      previous?.documents.flatMap((document) => (document.url ? [[pageKey(document.url), document] as const] : [])),
    );
    const versions = new Map(
      [...previousByKey].map(([key, document]) => [key, { etag: document.etag, lastModified: document.lastModified }] as const),
    );
    // Pages are parsed as files are: in a worker with bounded memory and time, one at a time.
    const reader = new FileReader(options.limits);
    let result: Awaited<ReturnType<typeof crawlSite>>;
    try {
      result = await crawlSite(start, {
        settings: options.settings,
        limits: options.limits,
        read: (extension, bytes) => reader.readBytes(extension, bytes),
        previous: previous ? { versions, discovered: previous.crawl?.discovered ?? [] } : undefined,
        onProgress: options.onProgress,
      });
    } finally {
      await reader.close();
    }
    const host = new URL(start).host;
    const candidates: LoadedDocument[] = result.pages.map((page) => pageDocument(page, host));
    const skipped: SkippedFile[] = [];
    const keep = async (url: string) => {
      const old = previousByKey.get(pageKey(url));
      return old && previous ? storedCopy(previous, old.docId, old) : null;
    };
    for (const page of result.unchanged) {
      const copy = await keep(page.url);
      if (copy) candidates.push(copy);
    }
    for (const failure of result.failed) {
      const copy = failure.transient ? await keep(failure.url) : null;
      if (copy) candidates.push(copy);
      skipped.push({ path: failure.url, reason: copy ? `${failure.reason} (kept the copy from the previous crawl)` : failure.reason });
    }
    const documents = distinctDocuments(candidates, skipped);
    if (documents.length === 0) {
      const listed = skipped.slice(0, LISTED_FAILURES).map((skip) => `${skip.path}: ${skip.reason}`);
      const more = skipped.length > LISTED_FAILURES ? `; and ${skipped.length - LISTED_FAILURES} more` : '';
      throw new NoDocumentsError(`No page of ${start} could be read${listed.length ? ` (${listed.join('; ')}${more})` : ''}`);
    }
    return { documents: distinguishTitles(documents), skipped, crawl: { discovered: result.discovered } };
  };
}

function pageDocument(page: CrawledPage, host: string): LoadedDocument {
  const docId = pageDocumentId(page.url);
  const { text, kind, blocks, pages, titles } = page.read;
  return {
    docId,
    path: docId,
    url: page.url,
    title: chooseTitle(titles, docId, host),
    text,
    kind,
    pages,
    blocks,
    ...definedVersion(page.version),
  };
}

async function storedCopy(
  previous: PreviousDocuments,
  docId: string,
  listed: PreviousDocuments['documents'][number],
): Promise<LoadedDocument> {
  const { hash, ...document } = await previous.read(docId);
  return { ...document, ...definedVersion(listed) };
}

function definedVersion(version: { etag?: string; lastModified?: string }): { etag?: string; lastModified?: string } {
  return { ...(version.etag ? { etag: version.etag } : {}), ...(version.lastModified ? { lastModified: version.lastModified } : {}) };
}

/** The documents in id order, one per id and per text: the first of several with the same text stands for them. */
function distinctDocuments(candidates: LoadedDocument[], skipped: SkippedFile[]): LoadedDocument[] {
  const byText = new Map<string, string>();
  const ids = new Set<string>();
  const documents: LoadedDocument[] = [];
  for (const document of [...candidates].sort((a, b) => (a.docId < b.docId ? -1 : a.docId > b.docId ? 1 : 0))) {
    if (ids.has(document.docId)) continue;
    const hash = createHash('sha256').update(document.text).digest('hex');
    const same = byText.get(hash);
    if (same) {
      skipped.push({ path: document.url ?? document.docId, reason: `same content as ${same}` });
      continue;
    }
    ids.add(document.docId);
    byText.set(hash, document.url ?? document.docId);
    documents.push(document);
  }
  return documents;
}
