// One question and its answer, drawn from the turn's state each time it changes.
import type { Answer, Citation, Passage } from '../../core/contracts/types.js';
import type { Turn } from './conversation-store.js';
import { distinctPlaces, type PlaceGroup } from './distinct-places.js';
import { part } from './dom.js';
import { renderMarkdown, renderPlainText } from './markdown-view.js';
import { isMarkdown, placeLabel, placeLink, type LiveAddress, type Place } from './source-place.js';

/**
 * What a chip, marker or passage opens in the source panel: a place, with every span cited there
 * (and, for a crawled page, its URL and the link to the quotes on it).
 */
export interface SourceTarget extends Place, LiveAddress {
  start: number;
  end: number;
  /** All spans to highlight (a chip merges the citations of one place); [start, end) when absent. */
  spans?: { start: number; end: number }[];
}

/** The page's handlers for what a reader does in a turn. */
export interface TurnActions {
  open(target: SourceTarget, opener: HTMLElement): void;
  copy(button: HTMLButtonElement): void;
  regenerate(): void;
  edit(): void;
  retry(): void;
}

/** A turn as drawn: its stored state, and whether it is streaming and the last one. */
export interface TurnState extends Turn {
  streaming: boolean;
  isLast: boolean;
}

export interface TurnView {
  element: HTMLElement;
  render(state: TurnState): void;
}

/** Makes the element of one turn, wired to the page's `actions`. */
export function createTurnView(actions: TurnActions): TurnView {
  const template = document.getElementById('turn-template') as HTMLTemplateElement;
  const element = (template.content.firstElementChild as HTMLElement).cloneNode(true) as HTMLElement;
  const find = <T extends HTMLElement = HTMLElement>(selector: string) => part<T>(element, selector);
  const questionId = `q-${Math.random().toString(36).slice(2, 10)}`;
  find('.question').id = questionId;
  element.setAttribute('aria-labelledby', questionId);
  find('.edit').addEventListener('click', () => actions.edit());
  find<HTMLButtonElement>('.copy').addEventListener('click', (event) => actions.copy(event.currentTarget as HTMLButtonElement));
  find('.regenerate').addEventListener('click', () => actions.regenerate());
  find('.retry').addEventListener('click', () => actions.retry());

  function render(state: TurnState): void {
    find('.question').textContent = state.question;
    const answer = state.answer;
    const partial = state.partial ?? { text: '', citations: [], passages: [] };
    const citations = answer ? answer.citations : partial.citations;
    const passages = answer ? answer.passages : partial.passages;
    const text = answer ? (answer.answerable ? answer.answer : '') : partial.text;

    const searching = state.streaming && !text;
    find('.status').hidden = !searching;
    find('.status').textContent = partial.passages.length > 0 ? 'Reading the passages…' : 'Searching the sources…';

    const body = find('.answer-body');
    body.hidden = !text;
    // Code is copied only from a finished answer: a block still streaming is not all there.
    if (text)
      renderMarkdown(body, text, {
        headingOffset: 2,
        decorateText: markers(citations, actions),
        copyCode: !state.streaming,
        dropBadges: true,
      });
    else body.replaceChildren();

    renderBadges(find('.badges'), answer);
    renderRefusal(find('.refusal'), answer, actions);
    find('.notice').hidden = !answer?.notice;
    find('.notice').textContent = answer?.notice ?? '';

    const problem = find('.problem');
    problem.hidden = !state.error && !state.stopped;
    problem.classList.toggle('is-error', Boolean(state.error));
    find('.problem-text').textContent = state.error ? state.error.message : state.stopped ? 'Stopped before the answer was complete.' : '';
    find('.problem-text').setAttribute('role', state.error ? 'alert' : 'status');
    find('.retry').hidden = !state.isLast || state.streaming || !(state.error || state.stopped);
    find('.retry').textContent = state.error ? 'Retry' : 'Ask again';

    renderChips(find('.sources'), citations, actions);
    renderPassages(find<HTMLDetailsElement>('.passages'), passages, actions);

    find('.copy').hidden = !text;
    // An extractive answer is the same every time it is asked of the same index: asking again would change nothing.
    find('.regenerate').hidden = !state.isLast || !answer || answer.mode === 'extractive';
    find('.actions').hidden = state.streaming || (find('.copy').hidden && find('.regenerate').hidden);
    find('.edit').hidden = state.streaming;
    // For whoever waits on the turn (the browser tests): streaming, or finished however it ended.
    element.dataset.state = state.streaming ? 'streaming' : answer || state.error || state.stopped ? 'finished' : 'waiting';
  }

  return { element, render };
}

/** Turns `[n]` in shown answer text into buttons that open citation n (unknown numbers stay text). */
function markers(citations: Citation[], actions: TurnActions): (text: string) => Node[] {
  const byNumber = new Map(citations.map((citation) => [citation.n, citation]));
  return (text) => {
    const nodes: Node[] = [];
    let last = 0;
    for (const match of text.matchAll(/\[(\d+)\]/g)) {
      const citation = byNumber.get(Number(match[1]));
      if (!citation) continue;
      nodes.push(document.createTextNode(text.slice(last, match.index)));
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'marker';
      button.textContent = String(citation.n);
      button.dataset.n = String(citation.n);
      button.setAttribute('aria-label', `Source ${citation.n}: ${placeLabel(citation)}`);
      button.title = `${placeLabel(citation)}: “${shorten(citation.quote, 160)}”`;
      button.addEventListener('click', () => actions.open(citation, button));
      nodes.push(button);
      last = match.index + match[0].length;
    }
    nodes.push(document.createTextNode(text.slice(last)));
    return nodes;
  };
}

function renderBadges(container: HTMLElement, answer: Answer | null): void {
  container.replaceChildren();
  if (!answer) return;
  if (!answer.answerable) {
    container.append(badge('Not in the sources', 'badge-refusal'));
  } else if (typeof answer.confidence === 'number') {
    const percent = Math.round(answer.confidence * 100);
    const level = answer.confidence >= 0.75 ? 'high' : answer.confidence >= 0.5 ? 'medium' : 'low';
    container.append(badge(`${level[0].toUpperCase()}${level.slice(1)} confidence · ${percent}%`, `badge-${level}`));
  }
}

function badge(text: string, className: string): HTMLElement {
  const span = document.createElement('span');
  span.className = `badge ${className}`;
  span.textContent = text;
  return span;
}

function renderRefusal(container: HTMLElement, answer: Answer | null, actions: TurnActions): void {
  container.hidden = !answer || answer.answerable;
  if (!answer || answer.answerable) return;
  part(container, '.refusal-reason').textContent = answer.reason ?? 'The sources do not answer this question.';
  const candidate = part(container, '.candidate');
  candidate.hidden = !answer.candidate;
  if (answer.candidate) {
    renderMarkdown(part(candidate, '.candidate-body'), answer.candidate.answer, {
      headingOffset: 2,
      decorateText: markers(answer.candidate.citations, actions),
      copyCode: true,
      dropBadges: true,
    });
  }
}

/** The cited sources under the answer: one chip per place, opening every span cited there. */
function renderChips(container: HTMLElement, citations: Citation[], actions: TurnActions): void {
  container.hidden = citations.length === 0;
  part(container, '.chips').replaceChildren(
    ...distinctPlaces(citations).map((group) => {
      const numbers = group.items.map((citation) => citation.n);
      const item = document.createElement('li');
      const chip = document.createElement('button');
      chip.type = 'button';
      chip.className = 'chip';
      chip.dataset.n = String(numbers[0]);
      chip.dataset.numbers = numbers.join(' ');
      chip.title = `${placeLabel(group.items[0])}\n${group.items.map((citation) => `“${shorten(citation.quote, 200)}”`).join('\n')}`;
      const hidden = document.createElement('span');
      hidden.className = 'visually-hidden';
      hidden.textContent = numbers.length > 1 ? 'Sources ' : 'Source ';
      const number = document.createElement('span');
      number.className = 'chip-n';
      number.textContent = numbers.join(', ');
      chip.append(hidden, number, ...spaced(labelNodes(group)));
      const target = targetOf(group);
      chip.addEventListener('click', () => actions.open(target, chip));
      item.append(chip);
      if (target.link) item.append(pageLink(target.link, numbers));
      return item;
    }),
  );
}

/** A link beside a chip to its quotes on the live page (a crawled document). */
function pageLink(href: string, numbers: number[]): HTMLAnchorElement {
  const link = document.createElement('a');
  link.className = 'chip-link';
  link.href = href;
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  link.textContent = '↗';
  link.title = numbers.length > 1 ? 'Open the quotes on their page' : 'Open the quote on its page';
  link.setAttribute(
    'aria-label',
    `Open ${numbers.length > 1 ? 'sources' : 'source'} ${numbers.join(', ')} on ${numbers.length > 1 ? 'their' : 'its'} page`,
  );
  return link;
}

/** The closest passages, one per place (the best of those there), one click away and collapsed. */
function renderPassages(details: HTMLDetailsElement, passages: Passage[], actions: TurnActions): void {
  const groups = distinctPlaces(passages);
  details.hidden = groups.length === 0;
  part(details, 'summary').textContent = `Closest passages (${groups.length})`;
  part(details, 'ol').replaceChildren(
    ...groups.map((group) => {
      const best = group.items[0];
      const item = document.createElement('li');
      const open = document.createElement('button');
      open.type = 'button';
      open.className = 'passage-open';
      open.title = placeLabel(best);
      open.append(...spaced(labelNodes(group)));
      open.addEventListener('click', () => actions.open(best, open));
      const snippet = document.createElement('div');
      snippet.className = 'passage-snippet md';
      if (isMarkdown(best)) renderMarkdown(snippet, best.text, { headingOffset: 3, preview: true, frontMatter: best.start === 0 });
      else renderPlainText(snippet, best.text);
      item.append(open, snippet);
      return item;
    }),
  );
}

/** A place's label as elements: what tells it apart first, then its document, quieter. */
function labelNodes<T extends Place>(group: PlaceGroup<T>): HTMLElement[] {
  const tail = document.createElement('span');
  tail.className = 'place-tail';
  tail.textContent = group.tail;
  if (!group.document) return [tail];
  const name = document.createElement('span');
  name.className = 'place-document';
  name.textContent = group.document;
  return [tail, name];
}

/** The first citation of a place, with the spans of all of them and one live link naming all their quotes. */
function targetOf(group: PlaceGroup<Citation>): SourceTarget {
  return { ...group.items[0], spans: group.items.map(({ start, end }) => ({ start, end })), link: placeLink(group.items) };
}

/** Nodes with a space before each, so a screen reader (and copied text) reads words, not "1guide.md". */
function spaced(nodes: Node[]): Node[] {
  return nodes.flatMap((node) => [document.createTextNode(' '), node]);
}

function shorten(text: string, length: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}
