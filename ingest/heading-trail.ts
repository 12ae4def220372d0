/** The headings above the current point of a document, outermost first, as a walk meets them. */
export class HeadingTrail {
  private trail: { depth: number; text: string }[] = [];

  /** A heading of this level closes every open heading at its level or deeper. */
  enter(depth: number, text: string): void {
    this.trail = [...this.trail.filter((heading) => heading.depth < depth), { depth, text }];
  }

  path(): string[] {
    return this.trail.map((heading) => heading.text);
  }
}
