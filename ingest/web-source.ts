/** Whether an ingest source is a site to crawl (an http or https URL) rather than a folder. */
export function isWebSource(source: string): boolean {
  return /^https?:\/\//i.test(source.trim());
}
