// Example questions for the empty state, written from what the index holds: document titles and
// section headings that read as topics. A README's badges, licence, sponsors, changelog and the
// like are sections about the project, not questions a reader brings, so they are skipped.

/** Headings about the project rather than its subject. */
const NOT_TOPICS =
  /^(badges?|status|licen[cs]e|copyright|sponsors?|sponsorship|backers?|donat(e|ions?)|funding|support( (us|the project))?|changelog|change ?log|changes|history|release notes|releases|contributors?|contributing|contribute|authors?|maintainers?|team|people|credits|thanks|acknowledge?ments?|table of contents|contents|toc|security|code of conduct|related( projects)?|see also|links|faq|todo|roadmap|community|similar projects|alternatives)$/i;
/** Pictographs and the joiners and variation selectors that build them: decoration in a heading, not words. */
const PICTOGRAPHS = /[\p{Extended_Pictographic}\u200d\ufe0f]/gu;
const MAX_TOPIC_CHARS = 60;

/** A document as the suggestions see it: its title and path, and, when read, its headings and opening text. */
export interface SuggestionSource {
  title: string;
  path: string;
  /** Section headings (level 2 and deeper), in order. */
  headings?: string[];
  /** The start of its text, to write a title taken from the file name as the text writes its words. */
  text?: string;
}

/** Up to `count` questions: about the first documents' titles, then their sections. */
export function suggestQuestions(sources: SuggestionSource[], count = 4): string[] {
  const questions: string[] = [];
  const named = sources.map((source) => ({ source, title: topicTitle(source) }));
  for (const { title } of named.slice(0, 2)) if (title) questions.push(`What is ${title} about?`);
  for (const { source, title } of named) {
    for (const heading of source.headings ?? []) {
      const topic = readableTopic(heading);
      if (title && topic && !sameWords(topic, title)) questions.push(`What does ${title} say about ${topic}?`);
    }
  }
  return [...new Set(questions)].slice(0, count);
}

/** A heading as a topic ("Features 💪" → "Features"), or null when it is not one (a licence, a badge, a symbol). */
export function readableTopic(heading: string): string | null {
  const text = heading
    .replace(PICTOGRAPHS, '')
    .replace(/&#?\w+;/g, '')
    .replace(/\s+/g, ' ')
    .replace(/^[\s\p{P}\p{S}]+|[\s:.,;!-]+$/gu, '')
    .trim();
  if (!/\p{L}/u.test(text) || text.length > MAX_TOPIC_CHARS || NOT_TOPICS.test(text)) return null;
  return text;
}

/**
 * The document's title as a topic. A title the ingest took from the file name
 * ("south-korea-physical-ai") is written with spaces, each word cased as the text writes it most
 * often ("South Korea physical AI"); a file-name word like README is left out.
 */
export function topicTitle(source: SuggestionSource): string | null {
  const file =
    source.path
      .split('/')
      .pop()
      ?.replace(/\.[^.]+$/, '') ?? '';
  if (source.title !== file) return readableTopic(source.title);
  const words = file
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((word) => casedAsWritten(word, source.text ?? ''));
  return readableTopic(words.join(' '));
}

function casedAsWritten(word: string, text: string): string {
  const letters = word.replace(/[^\p{L}\p{N}]/gu, '');
  if (!letters) return word;
  const counts = new Map<string, number>();
  for (const match of text.matchAll(new RegExp(`(?<![\\p{L}\\p{N}])${letters}(?![\\p{L}\\p{N}])`, 'giu')))
    counts.set(match[0], (counts.get(match[0]) ?? 0) + 1);
  let best = word;
  let most = 0;
  for (const [form, seen] of counts) {
    if (seen > most) [best, most] = [form, seen];
  }
  return best;
}

function sameWords(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
