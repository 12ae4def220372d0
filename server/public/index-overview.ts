// The empty state's view of the index: what is indexed (GET /v1/sources) and example questions
// made from it (document titles, and the section headings the ingest found).
import { fetchSource, fetchSources, type SourceSummary, type SourceTotals } from './api-client.js';
import { byId } from './dom.js';
import { sourceName } from './source-place.js';
import { suggestQuestions, type SuggestionSource } from './suggest-questions.js';

const LISTED = 8;
const EXAMPLES = 4;
/** Documents read for examples, and how much of each: their opening sections and the words of their titles. */
const READ_FOR_EXAMPLES = 3;
const OPENING_CHARS = 16_000;

/** Fills the empty state; returns the first page of sources (for the source panel), or [] when they cannot be listed. */
export async function showIndexOverview(ask: (question: string) => void): Promise<SourceSummary[]> {
  let sources: SourceSummary[];
  let totals: SourceTotals;
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
function showSummary(sources: SourceSummary[], totals: SourceTotals): void {
  const block = byId('index-block');
  block.hidden = false;
  const { documents, characters, chunks } = totals;
  const parts = [`${documents} ${documents === 1 ? 'document' : 'documents'}`];
  if (chunks) parts.push(`${chunks.toLocaleString('en')} passages`);
  if (characters) parts.push(`${characters.toLocaleString('en')} characters`);
  byId('index-summary').textContent = documents === 0 ? 'No documents are indexed yet.' : parts.join(' · ');
  const list = byId('index-list');
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

/** Example questions from the first documents' titles and section headings (the ingest's, from GET /v1/sources/:docId). */
async function exampleQuestions(sources: SourceSummary[]): Promise<string[]> {
  const read = await Promise.all(
    sources.slice(0, READ_FOR_EXAMPLES).map(async (source): Promise<SuggestionSource> => {
      try {
        const range = await fetchSource(source.docId, { start: 0, end: OPENING_CHARS });
        const headings = (range.blocks ?? [])
          .filter((block) => block.kind === 'heading' && (block.depth ?? 1) >= 2)
          .map((block) => block.headingPath.at(-1) ?? '');
        return { title: source.title, path: source.path, headings, text: range.text };
      } catch {
        // Its title alone still makes an example.
        return { title: source.title, path: source.path };
      }
    }),
  );
  return suggestQuestions(read, EXAMPLES);
}

function showExamples(questions: string[], ask: (question: string) => void): void {
  byId('examples-block').hidden = questions.length === 0;
  byId('examples').replaceChildren(
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
