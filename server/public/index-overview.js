// The empty state's view of the index: what is indexed (GET /v1/sources) and example questions
// made from it (document titles, and the section headings of a Markdown document).
import { fetchSource, fetchSources } from './api-client.js';
import { markdownHeadings } from './markdown-view.js';
import { isMarkdown, sourceName } from './source-place.js';

const LISTED = 8;
const EXAMPLES = 4;
/** A document read for its headings only when it is small enough to fetch without a wait. */
const HEADINGS_MAX_CHARS = 200_000;

/** Fills the empty state; returns the first page of sources (for the source panel), or [] when they cannot be listed. */
export async function showIndexOverview(ask) {
  let sources;
  let totals;
  try {
    ({ sources, totals } = await fetchSources());
  } catch {
    return [];
  }
  showSummary(sources, totals);
  showExamples(await exampleQuestions(sources), ask);
  return sources;
}

/** `sources` is the first page of the list; `totals` counts every document. */
function showSummary(sources, totals) {
  const block = document.getElementById('index-block');
  block.hidden = false;
  const { documents, characters, chunks } = totals;
  const parts = [`${documents} ${documents === 1 ? 'document' : 'documents'}`];
  if (chunks) parts.push(`${chunks.toLocaleString('en')} passages`);
  if (characters) parts.push(`${characters.toLocaleString('en')} characters`);
  document.getElementById('index-summary').textContent = documents === 0 ? 'No documents are indexed yet.' : parts.join(' · ');
  const list = document.getElementById('index-list');
  list.replaceChildren(
    ...sources.slice(0, LISTED).map((source) => {
      const item = document.createElement('li');
      const name = document.createElement('span');
      name.className = 'place-name';
      name.textContent = sourceName(source);
      item.append(name);
      const about = [
        source.path && source.title !== source.path ? source.title : '',
        source.kind ?? '',
        source.pages ? `${source.pages} pages` : '',
      ]
        .filter(Boolean)
        .join(' · ');
      if (about) {
        const detail = document.createElement('span');
        detail.className = 'place-detail';
        detail.textContent = about;
        item.append(detail);
      }
      return item;
    }),
  );
  if (documents > LISTED) {
    const more = document.createElement('li');
    more.className = 'index-more';
    more.textContent = `and ${documents - LISTED} more`;
    list.append(more);
  }
}

/** Up to four questions: about the first documents' titles, and the sections of a Markdown one. */
async function exampleQuestions(sources) {
  const questions = sources.slice(0, 2).map((source) => `What is ${readableTitle(source)} about?`);
  const markdown = sources.find((source) => isMarkdown(source) && (source.characters ?? 0) <= HEADINGS_MAX_CHARS);
  if (markdown) {
    try {
      const { text } = await fetchSource(markdown.docId);
      const title = readableTitle(markdown);
      const sections = markdownHeadings(text)
        .filter((heading) => heading.level >= 2 && heading.text.length <= 60)
        .slice(0, EXAMPLES - questions.length);
      questions.push(...sections.map((heading) => `What does ${title} say about ${heading.text}?`));
    } catch {
      // Titles alone make examples enough.
    }
  }
  return [...new Set(questions)].slice(0, EXAMPLES);
}

function readableTitle(source) {
  return (source.title || sourceName(source))
    .replace(/\.[a-z]+$/i, '')
    .replace(/[-_]+/g, ' ')
    .trim();
}

function showExamples(questions, ask) {
  document.getElementById('examples-block').hidden = questions.length === 0;
  document.getElementById('examples').replaceChildren(
    ...questions.map((question) => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'example';
      button.textContent = question;
      button.addEventListener('click', () => ask(question));
      item.append(button);
      return item;
    }),
  );
}
