// The source panel: a dialog showing a stored document with the cited spans of one place highlighted.
// Beside the conversation on a wide screen (non-modal: the conversation stays usable); full
// screen on a phone (modal: the page behind is inert and Tab stays inside). Focus moves into
// it on open and returns to the marker or chip that opened it on close. It shows the part of the
// document around the span (source-window.js) and adds the text before or after it when the
// reader scrolls to an edge or presses the button there.
import type { SourceSummary } from './api-client.js';
import { part } from './dom.js';
import { renderMarkdown, renderPlainText, type RenderOptions } from './markdown-view.js';
import { isMarkdown, liveLink, placeLabel, sourceName } from './source-place.js';
import { loadAfter, loadAround, loadBefore, type LoadedPart } from './source-window.js';
import type { SourceTarget } from './turn-view.js';

type Render = (container: HTMLElement, source: string, options: RenderOptions) => HTMLElement[];

const PHONE = window.matchMedia('(max-width: 760px)');
const FOCUSABLE = 'a[href], button:not([disabled]), [tabindex]:not([tabindex="-1"])';
/** How close (in pixels) the reader scrolls to an edge of the shown part before more text is fetched. */
const EDGE_PX = 300;

export class SourcePanel {
  private readonly title: HTMLElement;
  private readonly place: HTMLElement;
  /** The live page of a crawled document, scrolled to the quote ("Open the page ↗"); hidden for a file. */
  private readonly link: HTMLAnchorElement;
  private readonly body: HTMLElement;
  private opener: HTMLElement | null = null;
  private request = 0;
  /** The place shown, the part of its document loaded, and how it renders. */
  private shown: { item: SourceTarget; loaded: LoadedPart; render: Render } | null = null;
  /** Whether a part is being added. */
  private growing = false;
  private readonly content: HTMLElement;
  private readonly earlier: HTMLButtonElement;
  private readonly later: HTMLButtonElement;
  /** Told when the panel opens or closes (the page makes room for it). */
  onToggle: (open: boolean) => void = () => {};

  /** `describeSource(docId)` gives the GET /v1/sources entry, when known, to tell Markdown from text. */
  constructor(
    private readonly dialog: HTMLDialogElement,
    private readonly describeSource: (docId: string) => SourceSummary | undefined,
  ) {
    this.title = part(dialog, '#source-title');
    this.place = part(dialog, '#source-place');
    this.body = part(dialog, '#source-text');
    this.link = part<HTMLAnchorElement>(dialog, '#source-link');
    this.content = document.createElement('div');
    this.content.className = 'md';
    this.earlier = edgeButton(() => void this.grow('before'));
    this.later = edgeButton(() => void this.grow('after'));
    this.body.addEventListener('scroll', () => this.growAtEdges(), { passive: true });
    part(dialog, '#close-source').addEventListener('click', () => this.close());
    // A modal dialog's Escape arrives as `cancel`; a non-modal one's as a key press.
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      this.close();
    });
    dialog.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        this.close();
      } else if (event.key === 'Tab' && this.dialog.matches(':modal')) {
        this.trapTab(event);
      }
    });
    // Escape elsewhere on the page closes the side panel too, leaving focus where the reader is.
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.dialog.open && !this.dialog.contains(event.target as Node)) this.close({ restoreFocus: false });
    });
  }

  /** Shows `item` (a citation, a place's citations, or a passage) with its spans highlighted. */
  async open(item: SourceTarget, opener: HTMLElement | null): Promise<void> {
    this.opener = opener ?? null;
    const request = ++this.request;
    this.title.textContent = item.title || sourceName(item);
    const place = placeLabel(item);
    // The path and breadcrumb, when they say more than the title above them.
    this.place.textContent = place === this.title.textContent ? '' : place;
    this.place.hidden = !this.place.textContent;
    // A crawled page: the live page, scrolled to the quotes by their text fragment; the panel keeps the stored copy.
    const link = liveLink(item);
    this.link.hidden = !link;
    if (link) this.link.href = link;
    else this.link.removeAttribute('href');
    const spans = item.spans ?? [{ start: item.start, end: item.end }];
    const around = { start: Math.min(...spans.map((span) => span.start)), end: Math.max(...spans.map((span) => span.end)) };
    this.body.replaceChildren(status('Loading the source…'));
    if (this.dialog.open && this.dialog.matches(':modal') !== PHONE.matches) this.dialog.close();
    if (!this.dialog.open) {
      if (PHONE.matches) this.dialog.showModal();
      else this.dialog.show();
      this.onToggle(true);
    }
    this.body.focus({ preventScroll: true });
    this.shown = null;
    try {
      const known: Partial<SourceSummary> = this.describeSource(item.docId) ?? {};
      const loaded = await loadAround(item.docId, around, known.characters);
      if (request !== this.request) return;
      const markdown = isMarkdown({
        ...known,
        docId: item.docId,
        kind: loaded.kind ?? known.kind,
        path: loaded.path ?? known.path ?? item.path,
      });
      this.shown = { item, loaded, render: markdown ? renderMarkdown : renderPlainText };
      this.body.replaceChildren(this.earlier, this.content, this.later);
      const marks = this.renderShown();
      this.body.setAttribute('aria-label', `${this.title.textContent}, the cited passage highlighted`);
      scrollToMark(this.body, marks[0]);
    } catch (error) {
      if (request === this.request) this.body.replaceChildren(status(`Could not load the source. ${(error as Error).message}`));
    }
  }

  /** Renders the loaded part with the citation's span highlighted; returns the <mark>s. */
  renderShown(): HTMLElement[] {
    if (!this.shown) return [];
    const { item, loaded, render } = this.shown;
    const spans = item.spans ?? [{ start: item.start, end: item.end }];
    this.earlier.hidden = loaded.start === 0;
    this.later.hidden = loaded.end >= loaded.characters;
    this.earlier.textContent = 'Show earlier text';
    this.later.textContent = 'Show later text';
    return render(this.content, loaded.text, {
      highlights: spans.map((span) => ({ start: span.start - loaded.start, end: span.end - loaded.start })),
      headingOffset: 2,
      frontMatter: loaded.start === 0,
    });
  }

  /** Adds the text before or after the shown part, keeping what the reader sees where it is. */
  async grow(direction: 'before' | 'after'): Promise<void> {
    if (!this.shown || this.growing) return;
    const { shown, request } = this;
    const button = direction === 'before' ? this.earlier : this.later;
    this.growing = true;
    try {
      const grown = direction === 'before' ? await loadBefore(shown.loaded) : await loadAfter(shown.loaded);
      if (!grown || request !== this.request) return;
      const fromBottom = this.body.scrollHeight - this.body.scrollTop;
      shown.loaded = grown;
      this.renderShown();
      if (direction === 'before') this.body.scrollTop = this.body.scrollHeight - fromBottom;
    } catch (error) {
      if (request === this.request) button.textContent = `Could not load more text (${(error as Error).message}). Retry`;
      return;
    } finally {
      this.growing = false;
    }
    this.growAtEdges();
  }

  /** Grows the part when the reader has scrolled near one of its edges. */
  growAtEdges(): void {
    if (!this.shown || this.growing) return;
    const { scrollTop, scrollHeight, clientHeight } = this.body;
    if (!this.earlier.hidden && scrollTop < EDGE_PX) void this.grow('before');
    else if (!this.later.hidden && scrollHeight - scrollTop - clientHeight < EDGE_PX) void this.grow('after');
  }

  close({ restoreFocus = true } = {}): void {
    if (!this.dialog.open) return;
    this.request++;
    this.dialog.close();
    this.onToggle(false);
    const opener = this.opener;
    this.opener = null;
    if (!restoreFocus) return;
    if (opener?.isConnected) opener.focus();
    else document.getElementById('question')?.focus();
  }

  get isOpen(): boolean {
    return this.dialog.open;
  }

  trapTab(event: KeyboardEvent): void {
    const focusable = [...this.dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((element) => element.getClientRects().length > 0);
    if (focusable.length === 0) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }
}

function edgeButton(onClick: () => void): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'source-more ghost small';
  button.addEventListener('click', onClick);
  return button;
}

function status(text: string): HTMLElement {
  const line = document.createElement('p');
  line.className = 'source-status';
  line.textContent = text;
  return line;
}

/** Scrolls the panel (never the page) so the span starts a third of the way down, and any code block or table sideways to it. */
function scrollToMark(container: HTMLElement, mark: HTMLElement | undefined): void {
  if (!mark) return;
  const box = container.getBoundingClientRect();
  const target = mark.getBoundingClientRect();
  container.scrollTop += target.top - box.top - container.clientHeight / 3;
  const sideways = mark.closest<HTMLElement>('pre, .md-table-wrap');
  if (sideways) {
    const across = sideways.getBoundingClientRect();
    const offset = mark.getBoundingClientRect().left - across.left;
    if (offset < 0 || offset > sideways.clientWidth - 24) sideways.scrollLeft += offset - 24;
  }
}
