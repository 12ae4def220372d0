// One question and its answer, drawn from the turn's state each time it changes.
import { renderMarkdown } from './markdown-view.js';
import { liveLink, placeLabel, placeNodes } from './source-place.js';

const SNIPPET_CHARS = 240;

/**
 * Makes the element of one turn. `actions` holds the page's handlers:
 * open(item, opener), copy(turn, button), regenerate(), edit(), retry().
 */
export function createTurnView(actions) {
  const template = document.getElementById('turn-template');
  const element = template.content.firstElementChild.cloneNode(true);
  const part = (selector) => element.querySelector(selector);
  const questionId = `q-${Math.random().toString(36).slice(2, 10)}`;
  part('.question').id = questionId;
  element.setAttribute('aria-labelledby', questionId);
  part('.edit').addEventListener('click', () => actions.edit());
  part('.copy').addEventListener('click', (event) => actions.copy(event.currentTarget));
  part('.regenerate').addEventListener('click', () => actions.regenerate());
  part('.retry').addEventListener('click', () => actions.retry());

  /**
   * state: {question, answer, partial: {text, citations, passages}, error: {kind, message},
   * stopped, streaming, isLast}
   */
  function render(state) {
    part('.question').textContent = state.question;
    const answer = state.answer;
    const partial = state.partial ?? { text: '', citations: [], passages: [] };
    const citations = answer ? answer.citations : partial.citations;
    const passages = answer ? answer.passages : partial.passages;
    const text = answer ? (answer.answerable ? answer.answer : '') : partial.text;

    const searching = state.streaming && !text;
    part('.status').hidden = !searching;
    part('.status').textContent = partial.passages.length > 0 ? 'Reading the passages…' : 'Searching the sources…';

    const body = part('.answer-body');
    body.hidden = !text;
    if (text) renderMarkdown(body, text, { headingOffset: 2, decorateText: markers(citations, actions) });
    else body.replaceChildren();

    renderBadges(part('.badges'), answer);
    renderRefusal(part('.refusal'), answer, actions);
    part('.notice').hidden = !answer?.notice;
    part('.notice').textContent = answer?.notice ?? '';

    const problem = part('.problem');
    problem.hidden = !state.error && !state.stopped;
    problem.classList.toggle('is-error', Boolean(state.error));
    part('.problem-text').textContent = state.error ? state.error.message : state.stopped ? 'Stopped before the answer was complete.' : '';
    part('.problem-text').setAttribute('role', state.error ? 'alert' : 'status');
    part('.retry').hidden = !state.isLast || state.streaming || !(state.error || state.stopped);
    part('.retry').textContent = state.error ? 'Retry' : 'Ask again';

    renderChips(part('.sources'), citations, actions);
    renderPassages(part('.passages'), passages, actions);

    part('.actions').hidden = state.streaming || (!answer && !state.error && !state.stopped);
    part('.copy').hidden = !text;
    part('.regenerate').hidden = !state.isLast || !answer;
    part('.edit').hidden = state.streaming;
  }

  return { element, render };
}

/** Turns `[n]` in shown answer text into buttons that open citation n (unknown numbers stay text). */
function markers(citations, actions) {
  const byNumber = new Map(citations.map((citation) => [citation.n, citation]));
  return (text) => {
    const nodes = [];
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

function renderBadges(container, answer) {
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

function badge(text, className) {
  const span = document.createElement('span');
  span.className = `badge ${className}`;
  span.textContent = text;
  return span;
}

function renderRefusal(container, answer, actions) {
  container.hidden = !answer || answer.answerable;
  if (container.hidden) return;
  container.querySelector('.refusal-reason').textContent = answer.reason ?? 'The sources do not answer this question.';
  const candidate = container.querySelector('.candidate');
  candidate.hidden = !answer.candidate;
  if (answer.candidate) {
    renderMarkdown(candidate.querySelector('.candidate-body'), answer.candidate.answer, {
      headingOffset: 2,
      decorateText: markers(answer.candidate.citations, actions),
    });
  }
}

/** The cited sources under the answer, one chip per citation, each opening its span. */
function renderChips(container, citations, actions) {
  container.hidden = citations.length === 0;
  const list = container.querySelector('.chips');
  list.replaceChildren(
    ...citations.map((citation) => {
      const item = document.createElement('li');
      const chip = document.createElement('button');
      chip.type = 'button';
      chip.className = 'chip';
      chip.dataset.n = String(citation.n);
      chip.title = `“${shorten(citation.quote, 200)}”`;
      const hidden = document.createElement('span');
      hidden.className = 'visually-hidden';
      hidden.textContent = 'Source ';
      const number = document.createElement('span');
      number.className = 'chip-n';
      number.textContent = String(citation.n);
      chip.append(hidden, number, ...spaced(placeNodes(citation)));
      chip.addEventListener('click', () => actions.open(citation, chip));
      item.append(chip);
      const link = liveLink(citation);
      if (link) item.append(pageLink(link, citation.n));
      return item;
    }),
  );
}

/** A link beside a chip to the quote on the live page (a crawled document). */
function pageLink(href, n) {
  const link = document.createElement('a');
  link.className = 'chip-link';
  link.href = href;
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  link.textContent = '↗';
  link.title = 'Open the quote on its page';
  link.setAttribute('aria-label', `Open source ${n} on its page`);
  return link;
}

/** The closest passages, one click away (collapsed, so a turn stays short enough to read whole). */
function renderPassages(details, passages, actions) {
  details.hidden = passages.length === 0;
  details.querySelector('summary').textContent = `Closest passages (${passages.length})`;
  details.querySelector('ol').replaceChildren(
    ...passages.map((passage) => {
      const item = document.createElement('li');
      const open = document.createElement('button');
      open.type = 'button';
      open.className = 'passage-open';
      open.append(...spaced(placeNodes(passage)));
      open.addEventListener('click', () => actions.open(passage, open));
      const snippet = document.createElement('p');
      snippet.className = 'passage-snippet';
      snippet.textContent = shorten(passage.text, SNIPPET_CHARS);
      item.append(open, snippet);
      return item;
    }),
  );
}

/** Nodes with a space before each, so a screen reader (and copied text) reads words, not "1guide.md". */
function spaced(nodes) {
  return nodes.flatMap((node) => [document.createTextNode(' '), node]);
}

function shorten(text, length) {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}
