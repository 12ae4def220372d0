// The source panel: a dialog showing a stored document with one cited span highlighted.
// Beside the conversation on a wide screen (non-modal: the conversation stays usable); full
// screen on a phone (modal: the page behind is inert and Tab stays inside). Focus moves into
// it on open and returns to the marker or chip that opened it on close. It shows the part of the
// document around the span (source-window.js) and adds the text before or after it when the
// reader scrolls to an edge or presses the button there.
import { renderMarkdown, renderPlainText } from './markdown-view.js';
import { isMarkdown, liveLink, placeLabel } from './source-place.js';
import { loadAfter, loadAround, loadBefore } from './source-window.js';

const PHONE = window.matchMedia('(max-width: 760px)');
const FOCUSABLE = 'a[href], button:not([disabled]), [tabindex]:not([tabindex="-1"])';
/** How close (in pixels) the reader scrolls to an edge of the shown part before more text is fetched. */
const EDGE_PX = 300;

export class SourcePanel {
  /** `describeSource(docId)` gives the GET /v1/sources entry, when known, to tell Markdown from text. */
  constructor(dialog, describeSource) {
    this.dialog = dialog;
    this.describeSource = describeSource;
    this.title = dialog.querySelector('#source-title');
    this.place = dialog.querySelector('#source-place');
    this.link = dialog.querySelector('#source-link');
    this.body = dialog.querySelector('#source-text');
    this.opener = null;
    this.request = 0;
    /** The citation shown, the part of its document loaded, and whether a part is being added. */
    this.shown = null;
    this.growing = false;
    this.content = document.createElement('div');
    this.content.className = 'md';
    this.earlier = edgeButton(() => void this.grow('before'));
    this.later = edgeButton(() => void this.grow('after'));
    this.body.addEventListener('scroll', () => this.growAtEdges(), { passive: true });
    dialog.querySelector('#close-source').addEventListener('click', () => this.close());
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
      if (event.key === 'Escape' && this.dialog.open && !this.dialog.contains(event.target)) this.close({ restoreFocus: false });
    });
  }

  /** Shows `item` (a citation or passage: docId, title, start, end, and path/headingPath/page when known). */
  async open(item, opener) {
    this.opener = opener ?? null;
    const request = ++this.request;
    this.title.textContent = item.title || item.path || item.docId;
    const place = placeLabel(item);
    // The path and breadcrumb, when they say more than the title above them.
    this.place.textContent = place === this.title.textContent ? '' : place;
    this.place.hidden = !this.place.textContent;
    // A crawled page: the live page, scrolled to the quote by its text fragment; the panel keeps the stored copy.
    const link = liveLink(item);
    this.link.hidden = !link;
    if (link) this.link.href = link;
    else this.link.removeAttribute('href');
    this.body.replaceChildren(status('Loading the source…'));
    if (this.dialog.open && this.dialog.matches(':modal') !== PHONE.matches) this.dialog.close();
    if (!this.dialog.open) {
      if (PHONE.matches) this.dialog.showModal();
      else this.dialog.show();
    }
    this.body.focus({ preventScroll: true });
    this.shown = null;
    try {
      const known = this.describeSource(item.docId) ?? {};
      const loaded = await loadAround(item.docId, item, known.characters);
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
      if (request === this.request) this.body.replaceChildren(status(`Could not load the source. ${error.message}`));
    }
  }

  /** Renders the loaded part with the citation's span highlighted; returns the <mark>s. */
  renderShown() {
    const { item, loaded, render } = this.shown;
    this.earlier.hidden = loaded.start === 0;
    this.later.hidden = loaded.end >= loaded.characters;
    this.earlier.textContent = 'Show earlier text';
    this.later.textContent = 'Show later text';
    return render(this.content, loaded.text, {
      highlight: { start: item.start - loaded.start, end: item.end - loaded.start },
      headingOffset: 2,
      frontMatter: loaded.start === 0,
    });
  }

  /** Adds the text before or after the shown part, keeping what the reader sees where it is. */
  async grow(direction) {
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
      if (request === this.request) button.textContent = `Could not load more text (${error.message}). Retry`;
      return;
    } finally {
      this.growing = false;
    }
    this.growAtEdges();
  }

  /** Grows the part when the reader has scrolled near one of its edges. */
  growAtEdges() {
    if (!this.shown || this.growing) return;
    const { scrollTop, scrollHeight, clientHeight } = this.body;
    if (!this.earlier.hidden && scrollTop < EDGE_PX) void this.grow('before');
    else if (!this.later.hidden && scrollHeight - scrollTop - clientHeight < EDGE_PX) void this.grow('after');
  }

  close({ restoreFocus = true } = {}) {
    if (!this.dialog.open) return;
    this.request++;
    this.dialog.close();
    const opener = this.opener;
    this.opener = null;
    if (!restoreFocus) return;
    if (opener?.isConnected) opener.focus();
    else document.getElementById('question')?.focus();
  }

  trapTab(event) {
    const focusable = [...this.dialog.querySelectorAll(FOCUSABLE)].filter((element) => element.getClientRects().length > 0);
    if (focusable.length === 0) return;
    const first = focusable[0];
    const last = focusable.at(-1);
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }
}

function edgeButton(onClick) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'source-more ghost small';
  button.addEventListener('click', onClick);
  return button;
}

function status(text) {
  const line = document.createElement('p');
  line.className = 'source-status';
  line.textContent = text;
  return line;
}

/** Scrolls the panel (never the page) so the span starts a third of the way down, and any code block or table sideways to it. */
function scrollToMark(container, mark) {
  if (!mark) return;
  const box = container.getBoundingClientRect();
  const target = mark.getBoundingClientRect();
  container.scrollTop += target.top - box.top - container.clientHeight / 3;
  const sideways = mark.closest('pre, .md-table-wrap');
  if (sideways) {
    const across = sideways.getBoundingClientRect();
    const offset = mark.getBoundingClientRect().left - across.left;
    if (offset < 0 || offset > sideways.clientWidth - 24) sideways.scrollLeft += offset - 24;
  }
}
