/**
 * Longest heading text a heading path keeps: every block under a heading repeats its path, so an
 * uncut 1 MB heading over 100,000 blocks would write 100 GB of blocks.
 */
export const MAX_HEADING_CHARS = 300;

/** The headings above the current point of a document, outermost first, as a walk meets them. */
export class HeadingTrail {
  private trail: { depth: number; text: string }[] = [];

  /** A heading of this level closes every open heading at its level or deeper. */
  enter(depth: number, text: string): void {
    const kept = text.length > MAX_HEADING_CHARS ? `${text.slice(0, MAX_HEADING_CHARS - 1)}…` : text;
    this.trail = [...this.trail.filter((heading) => heading.depth < depth), { depth, text: kept }];
  }

  path(): string[] {
    return this.trail.map((heading) => heading.text);
  }
}
