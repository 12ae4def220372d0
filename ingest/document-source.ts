import type { StoredDocument } from '../core/contracts/types.js';
import type { IndexManifest } from '../store/index-files.js';

/**
 * A document read from its source, its text normalised: what the index stores (less the hash).
 * A crawled page also carries what its response said about its version, for the next crawl.
 */
export type LoadedDocument = Omit<StoredDocument, 'hash'> & { etag?: string; lastModified?: string };

/** A file or page left out, and why (a page's path is its URL). */
export interface SkippedFile {
  path: string;
  reason: string;
}

/** What a source gave: its documents, what it left out, and for a crawl what the next one starts from. */
export interface LoadResult {
  documents: LoadedDocument[];
  skipped: SkippedFile[];
  crawl?: NonNullable<IndexManifest['crawl']>;
}

/** What the previous index offers a source that can ask for changes only (a re-crawl). */
export interface PreviousDocuments {
  /** Each previous document as the manifest lists it, with a crawled page's ETag and Last-Modified. */
  documents: IndexManifest['documents'];
  crawl: IndexManifest['crawl'];
  /** A previous document whole, its text and blocks read from the index. */
  read(docId: string): Promise<StoredDocument>;
}

/** Reads a source's documents, given the previous index when it can be reused (null: read everything). */
export type LoadSource = (previous: PreviousDocuments | null) => Promise<LoadResult>;
