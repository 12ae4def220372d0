import type { ConversationTurn } from '../contracts/types.js';
import { contentTerms, isContentWord, questionContentTerms, stemWord, wordTokens } from '../text/tokenize.js';
import { expectedAnswerType, type AnswerType } from './answer-types.js';
import { subjectsNamed, type CorpusSubjects, type Subject } from './corpus-subjects.js';
import { dependsOnHistory } from './depends-on-history.js';
import { questionParts } from './question-parts.js';
import { questionTerms, type WeightedTerms, type WordRole } from './question-terms.js';
import type { TermStatistics } from './term-statistics.js';

/** A later part of a multi-part question, as its own weighted terms. */
export interface QuestionPart {
  /** The part's own terms. */
  own: WeightedTerms;
  /** All the question's terms, the other parts' weighted down. */
  terms: WeightedTerms;
}

/** A weighted term of the lexical query (BM25 multiplies each term's contribution by its weight). */
export interface QueryTerm {
  term: string;
  weight: number;
}

/**
 * A question as every later stage reads it, made once at the start of an answer: retrieval,
 * unit scoring, evidence and the refusal reason all take it from here, never from the raw text.
 */
export interface AnalysedQuestion {
  /** The question as asked. */
  asked: string;
  /** The question that is checked and answered: the asked one, or a follow-up with the question it continues. */
  resolved: string;
  /** Whether it leans on the conversation before it. */
  followUp: boolean;
  /** Text of the last exchange a follow-up draws its words from ('' for a question that stands alone). */
  context: string;
  /** The lexical query: the question's terms, then the context's at a lower weight. */
  query: QueryTerm[];
  /** What dense retrieval embeds. */
  denseText: string;
  /** The question's terms weighted by IDF (and, for words the sources never use, by their rarity in English). */
  terms: WeightedTerms;
  /** The context's terms the question lacks: they only break ties between units. */
  contextTerms: WeightedTerms;
  /** The terms a candidate answer is judged against: the question's, and a follow-up's context at half weight. */
  judgedTerms: WeightedTerms;
  /** The kind of fact asked for (a number, a date, money, a person), when the wording says so. */
  answerType: AnswerType | null;
  /** Each later part of a multi-part question. */
  parts: QuestionPart[];
  /** Stemmed terms of the code-like names the question gives (`stopOnComplete`, `--port`). */
  codeNames: string[];
  /** Stemmed terms of the capitalised names past the first word. */
  names: string[];
  /** Numbers as written. */
  numbers: string[];
  /** Whether it asks about a negative ("not", "never", "n't"). */
  negated: boolean;
  /** A comparison or superlative it asks about ("most", "first", "larger"), lower-cased. */
  comparison: string | undefined;
  /** The question's topic words as written, once each, whose stems are terms of it. */
  writtenWords: string[];
  /** The question's word tokens, lower-cased, in order. */
  tokens: string[];
  /** The same tokens as a set. */
  tokenSet: ReadonlySet<string>;
  /** The question's embedding, for unit similarity (null without a synchronous embedder). */
  vector: number[] | null;
  /** The subjects of the corpus it names (a package, a document): its answer must come from their documents. */
  subjects: Subject[];
  /** Names it gives (code-like, or capitalised past the first word) that no chunk of the sources holds, as written. */
  unknownNames: string[];
  /** Values it quotes (numbers, versions, addresses, file names) that no chunk of the sources holds, as written. */
  unknownValues: string[];
  /** Stems of its words that frame it (verbs, adjectives, adverbs) rather than name its subject, where known. */
  framingTerms: ReadonlySet<string>;
}

/** What analysing a question may look up. */
export interface QuestionLookup {
  /** Statistics of every term of the question and its history (fetched once, core/question/term-statistics.ts). */
  statistics: TermStatistics;
  /** The corpus's subjects (packages, documents): a follow-up naming one stands alone, and a question naming one is scoped to it. */
  subjects: CorpusSubjects;
  embedSync?: (text: string) => number[];
  /** How rare a word is in general English (0..1). */
  wordRarity?: (word: string) => number;
  /** The part each word of a text plays (name, topic, framing), to weigh words the sources never use. */
  wordRoles?: (text: string) => ReadonlyMap<string, WordRole>;
}

/** Weight of a follow-up's context terms against the question's own terms, in the lexical query. */
const CONTEXT_TERM_WEIGHT = 0.4;
/**
 * In an index of at least this many chunks, query terms found in more than this share of the
 * chunks are left out of BM25: their IDF is near zero, but their posting lists dominate search
 * time. Measured on the generated bench corpus (200 known-item queries): twice as fast at 10,000
 * and 50,000 chunks, MRR@10 lower by 0.002–0.005.
 */
const COMMON_TERM_MIN_CHUNKS = 1000;
const COMMON_TERM_SHARE = 0.5;
/** In a part of a multi-part question, the other parts' terms count this much. */
const PART_CONTEXT_WEIGHT = 0.3;
const NEGATION = /\b(not|never|no|none|nothing|neither|nor|without|cannot|unable)\b|n['’]t\b/i;
const COMPARISON =
  /\b(most|least|largest|smallest|biggest|first|last|highest|lowest|best|worst|earliest|latest|oldest|newest|longest|shortest|only|more|less|fewer|greater|larger|smaller|higher|lower)\b/i;

/** The texts whose terms analysing this question looks up: fetch their statistics in one call before analysing. */
export function questionTexts(question: string, history: ConversationTurn[] | undefined): string[] {
  const asked = [question, ...(history ?? []).filter((turn) => turn.role === 'user').map((turn) => turn.content)];
  return [...asked, historyContext(history), ...asked.map(acronymSingulars)];
}

/** The singulars of the acronym plurals a text writes ("IPs" → "IP"), which unknownNames looks up too. */
function acronymSingulars(text: string): string {
  return (text.match(/\b\p{Lu}{2,}s\b/gu) ?? []).map((word) => word.slice(0, -1)).join(' ');
}

/**
 * Analyses a question once: whether it is a follow-up (and the conversation text it draws on),
 * its weighted terms, the lexical query, the kind of fact asked for, its parts, names, numbers,
 * negation and comparison, and its embedding.
 */
export function analyseQuestion(question: string, history: ConversationTurn[] | undefined, lookup: QuestionLookup): AnalysedQuestion {
  const recent = historyContext(history);
  const resolved = resolveFollowUp(question, history ?? [], lookup, 0);
  if (resolved === null) return analyseResolved(question, question, '', lookup);
  if (resolved.fragment !== undefined) {
    // "And for an IPv6 address?": its own words are what it asks about, the earlier question
    // (with the conversation) the context they are weighed in; it is shown as both.
    const analysed = analyseResolved(question, resolved.fragment, `${resolved.previous} ${recent}`, lookup);
    return { ...analysed, resolved: resolved.text, answerType: resolved.answerType };
  }
  const analysed = analyseResolved(question, resolved.text, recent, lookup);
  if (!resolved.carriesTopic) return { ...analysed, answerType: resolved.answerType };
  // A follow-up with no topic of its own asks one thing of the earlier question's topic: the
  // kind of fact its own words ask for ("And when?"), or else the earlier question's ("And in
  // anchor-cache?"). It is judged against that topic, not the earlier answer's words, which the
  // earlier answer would match again whether or not it says when.
  return { ...analysed, answerType: resolved.answerType, parts: [], judgedTerms: analysed.terms };
}

/** A follow-up resolved with the question it continues. */
interface ResolvedFollowUp {
  /** The question to answer. */
  text: string;
  answerType: AnswerType | null;
  /** Whether it takes the earlier question's topic (it has none of its own), not only its subject. */
  carriesTopic: boolean;
  /** A follow-up that is only a phrase ("And for an IPv6 address?"): its own words, with the subject carried. */
  fragment?: string;
  /** The earlier question, resolved. */
  previous?: string;
}

/** How many earlier questions a chain of follow-ups is resolved through. */
const MAX_FOLLOW_UP_CHAIN = 3;
/** Openings that continue the conversation, left out of a follow-up's own words. */
const CONTINUATION_OPENER = /^\s*(and|also|then|so|but|what about|how about|same for)\b[\s,]*/i;

/**
 * A question that leans on the conversation (core/question/depends-on-history.ts), resolved
 * without a model, from the previous question (itself resolved, if it was a follow-up):
 * - a follow-up with no topic of its own ("And when?", "And in anchor-cache?") asks the previous
 *   question again, with the subject it names in place of the previous one ("How many retries
 *   does tidepool make?" then "And in anchor-cache?" asks how many retries anchor-cache makes);
 * - one with a topic of its own ("And what port does it use?") keeps it, and takes the subject
 *   the previous question named when it names none ("… widget").
 * Null for a question that stands alone.
 */
function resolveFollowUp(question: string, history: ConversationTurn[], lookup: QuestionLookup, depth: number): ResolvedFollowUp | null {
  const previousIndex = history.findLastIndex((turn) => turn.role === 'user');
  if (previousIndex < 0 || depth >= MAX_FOLLOW_UP_CHAIN) return null;
  const leans = dependsOnHistory(question, {
    inSources: (term) => lookup.statistics.documentFrequency(term) > 0,
    namesDocument: (term) => lookup.subjects.nameTerms.has(term),
  });
  if (!leans) return null;
  const earlier = history.slice(0, previousIndex);
  const previousAsked = history[previousIndex].content;
  const previous = resolveFollowUp(previousAsked, earlier, lookup, depth + 1) ?? {
    text: previousAsked,
    answerType: expectedAnswerType(previousAsked),
    carriesTopic: false,
  };
  const stripped = question.replace(CONTINUATION_OPENER, '').trim();
  const own = stripped.charAt(0).toUpperCase() + stripped.slice(1);
  const ownSubjects = subjectsNamed(contentTerms(own), lookup.subjects);
  const previousSubjects = subjectsNamed(contentTerms(previous.text), lookup.subjects);
  const ownTopic = questionContentTerms(own).filter((term) => !ownSubjects.some((subject) => subject.terms.includes(term)));
  const carried = ownSubjects.length === 0 ? previousSubjects.map((subject) => subject.name) : [];
  if (ownTopic.length > 0 && isFragment(stripped)) {
    // "And for an IPv6 address?" asks the previous question again of what it names, the kind of
    // fact asked for being the previous one's.
    return {
      text: `${previous.text} ${own}`,
      answerType: expectedAnswerType(own) ?? previous.answerType,
      carriesTopic: false,
      fragment: carried.length > 0 ? `${own} (${carried.join(', ')})` : own,
      previous: previous.text,
    };
  }
  if (ownTopic.length > 0) {
    return { text: carried.length > 0 ? `${own} (${carried.join(', ')})` : own, answerType: expectedAnswerType(own), carriesTopic: false };
  }
  let base = previous.text;
  for (const replaced of previousSubjects.filter((subject) => ownSubjects.length > 0 && !ownSubjects.includes(subject))) {
    base = base.replace(writtenName(replaced), writtenName(ownSubjects[0]).exec(own)?.[0] ?? ownSubjects[0].name);
  }
  // The follow-up's own words stay only when they say more than a subject ("When?" does; "In anchor-cache?" does not).
  const rest = ownSubjects.length > 0 ? '' : own;
  return { text: rest ? `${base} ${rest}` : base, answerType: expectedAnswerType(own) ?? previous.answerType, carriesTopic: true };
}

/** Words that make a question a question of its own: a question word, or a verb that asks. */
const ASKS = new Set(
  `what which who whom whose when where why how is are was were do does did can could should would will may might must has have had`.split(
    ' ',
  ),
);

/** A follow-up that is only a phrase ("for an IPv6 address like fc00::1?", "in pino?"): no question word, no verb that asks. */
function isFragment(text: string): boolean {
  return !wordTokens(text).some((word) => ASKS.has(word));
}

/** A subject's name as a text may write it: its words in order, joined by spaces, hyphens, dots or underscores. */
function writtenName(subject: Subject): RegExp {
  const words = subject.name.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return new RegExp(words.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s._-]*'), 'iu');
}

/**
 * The analysis of a question already made standalone (by a chat model), with the context a
 * follow-up's words come from; `asked` is what the user typed.
 */
export function analyseResolved(asked: string, resolved: string, context: string, lookup: QuestionLookup): AnalysedQuestion {
  const { statistics, wordRarity } = lookup;
  // The question's words are tagged once; the context's only if some word of it is unseen.
  const roles = lookup.wordRoles?.(resolved) ?? new Map<string, WordRole>();
  const unseen = wordRarity
    ? { wordRarity, wordRoles: (text: string) => (text === resolved ? roles : (lookup.wordRoles?.(text) ?? new Map<string, WordRole>())) }
    : undefined;
  // Values quoted as examples that the sources never hold are not what the question asks about:
  // they are not judged (in an article they rule it out instead, core/answer/answer-extractive.ts).
  const unknownValues = [...new Set((resolved.match(EXAMPLE_VALUE) ?? []).map((value) => value.replace(/[.,:]+$/, '')))].filter((value) =>
    contentTerms(value).some((term) => statistics.documentFrequency(term) === 0),
  );
  const valueTerms = new Set(
    unknownValues.flatMap((value) => contentTerms(value)).filter((term) => statistics.documentFrequency(term) === 0),
  );
  const withoutValues = (weighted: WeightedTerms): WeightedTerms => new Map([...weighted].filter(([term]) => !valueTerms.has(term)));
  const terms = withoutValues(questionTerms(statistics, resolved, undefined, unseen));
  const contextTerms = questionTerms(statistics, context, terms, unseen);
  const own = new Set(contentTerms(resolved));
  const words = contextWords(context, own);
  const queryTerms = contentTerms(withoutCommonTerms(statistics, resolved));
  const query: QueryTerm[] = words
    ? [...queryTerms, ...contentTerms(withoutCommonTerms(statistics, words))].map((term) => ({
        term,
        weight: own.has(term) ? 1 : CONTEXT_TERM_WEIGHT,
      }))
    : queryTerms.map((term) => ({ term, weight: 1 }));
  // A follow-up is judged with the earlier turn's terms too (at half weight): they are its topic.
  const tokens = wordTokens(resolved);
  const judgedTerms = contextTerms.size > 0 ? new Map([...terms, ...[...contextTerms].map(([t, w]) => [t, w / 2] as const)]) : terms;
  return {
    asked,
    resolved,
    followUp: context !== '',
    context,
    query,
    denseText: words ? `${resolved} ${words}` : resolved,
    terms,
    contextTerms,
    judgedTerms,
    answerType: expectedAnswerType(resolved),
    parts: partTerms(statistics, resolved, terms),
    codeNames: codeNames(resolved),
    names: [...new Set([...questionNames(resolved), ...nameLikeWords(resolved).flatMap((word) => contentTerms(word))])],
    numbers: resolved.match(/\d[\d,.]*\d|\d/g) ?? [],
    negated: NEGATION.test(resolved),
    comparison: COMPARISON.exec(resolved)?.[0].toLowerCase(),
    writtenWords: questionWords(resolved).filter((word) => judgedTerms.has(stemOf(word))),
    tokens,
    tokenSet: new Set(tokens),
    vector: lookup.embedSync ? lookup.embedSync(resolved) : null,
    subjects: subjectsNamed(contentTerms(resolved), lookup.subjects),
    framingTerms: new Set([...roles].flatMap(([word, role]) => (role === 'framing' ? contentTerms(word) : []))),
    unknownNames: unknownNames(resolved, statistics, roles, wordRarity),
    unknownValues,
  };
}

/** How many earlier turns a follow-up draws its context from. */
const CONTEXT_TURNS = 2;

/**
 * Text of the last exchange (the previous question and answer, citation markers removed),
 * whose terms make a follow-up like "which companies did he pledge to work with?" retrievable
 * without a model. Empty when there is no history.
 */
export function historyContext(history: ConversationTurn[] | undefined): string {
  if (!history || history.length === 0) return '';
  return history
    .slice(-CONTEXT_TURNS)
    .map((turn) => turn.content.replace(/\[\d+\]/g, ' '))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Each later part of a multi-part question, as its own weighted terms. */
function partTerms(statistics: TermStatistics, question: string, terms: WeightedTerms): QuestionPart[] {
  const parts = questionParts(question);
  if (parts.length < 2) return [];
  return parts.slice(1).map((part) => {
    const own = questionTerms(statistics, part);
    // A part leans on the others for its topic ("If not, where would I hook that in?").
    return { own, terms: new Map([...terms].map(([term, weight]) => [term, own.has(term) ? weight : PART_CONTEXT_WEIGHT * weight])) };
  });
}

/** The query without terms common to most chunks of a large store (when any term is left). */
function withoutCommonTerms(statistics: TermStatistics, query: string): string {
  const total = statistics.chunkCount;
  if (total < COMMON_TERM_MIN_CHUNKS) return query;
  const words = wordTokens(query).filter((word) => isContentWord(word));
  const kept = words.filter((word) => statistics.documentFrequency(stemWord(word)) / total <= COMMON_TERM_SHARE);
  return kept.length > 0 ? kept.join(' ') : query;
}

/** The context's content words whose stems the query lacks, once each. */
function contextWords(context: string, own: Set<string>): string {
  const words = new Set(wordTokens(context).filter((word) => isContentWord(word) && !own.has(stemWord(word))));
  return [...words].join(' ');
}

/**
 * Stemmed terms of the code-like names in a question (`stopOnComplete`, `.safeParse()`,
 * `max-age`, `--port`): each names one thing the answer should show.
 */
function codeNames(question: string): string[] {
  const names =
    question.match(/`[^`]+`|[\w$.-]*[a-z][A-Z][\w$.]*|[\w$]+\.[\w$.]+\(?\)?|[\w$]+\(\)|--?[a-z][\w-]+|\b[a-z]+(?:-[a-z]+)+\b/g) ?? [];
  return [...new Set(names.flatMap((name) => contentTerms(name)))];
}

/** Stemmed terms of capitalised words past the question's first word: a rough proxy for names. */
function questionNames(question: string): string[] {
  const words = question.match(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu) ?? [];
  return [
    ...new Set(
      words
        .slice(1)
        .filter((word) => /^\p{Lu}/u.test(word))
        .flatMap((word) => contentTerms(word)),
    ),
  ];
}

/** The question's topic words as written, once each, whose stems are content terms. */
function questionWords(question: string): string[] {
  const seen = new Set<string>();
  return (question.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? [])
    .map((word) => word.replace(/['’]s$/i, ''))
    .filter((word) => {
      const key = word.toLowerCase();
      if (seen.has(key) || contentTerms(word).length === 0) return false;
      seen.add(key);
      return true;
    });
}

/**
 * Words that name something rather than describe it: code-like (`kafkajs`, `max-age`, `maxAge`,
 * `v2`), or capitalised past the question's first word.
 */
/**
 * Values a question quotes as an example of what it asks about, not as its subject: numbers
 * ("120000"), versions ("v10", "1.2.3"), addresses ("192.168.1.1", "::ffff:10.0.0.1"), file
 * names and paths (".eslintrc", "src/app.ts"). The sources need not hold them to answer
 * ("ms(120000) gives '2m': how do I get '2 minutes'?"); the evidence weighs missing numbers
 * (numbers_missing).
 */
const EXAMPLE_VALUE =
  /(?<![\p{L}\p{N}])(?:v?\d[\d.,:]*(?:[a-z]{1,3}\d*)?|[\dA-Fa-f]*::?[\dA-Fa-f:.]+|\.[\p{L}][\p{L}\p{N}_-]*|[\p{L}\p{N}_.~-]*[/\\][\p{L}\p{N}_./\\*~-]+)(?![\p{L}\p{N}])/gu;

/**
 * The names a question gives that no chunk of the sources holds: name-like words (code-like, or
 * capitalised past the first word), and words that are no English word either (not among the
 * word vectors' vocabulary, as "kafkajs"), unless they frame the question. A question about a
 * subject the sources never mention cannot be answered from them. Example values it quotes
 * (EXAMPLE_VALUE) are not names.
 */
function unknownNames(
  asked: string,
  statistics: TermStatistics,
  roles: ReadonlyMap<string, WordRole>,
  wordRarity: ((word: string) => number) | undefined,
): string[] {
  const question = asked.replace(EXAMPLE_VALUE, ' ');
  const absent = (word: string) => contentTerms(word).every((term) => statistics.documentFrequency(term) === 0);
  // The plural of an acronym ("IPs", "APIs") is unseen as written where the sources write the singular.
  const unseen = (word: string) => absent(word) && !(/^\p{Lu}{2,}s$/u.test(word) && !absent(word.slice(0, -1)));
  const names = nameLikeWords(question).filter(unseen);
  if (!wordRarity) return names;
  // A word no English word list holds, one letter away from a common English word, is taken for
  // a misspelling of it ("recievers"), not a name.
  const known = (word: string) => wordRarity(word) < 1;
  const misspelt = (word: string) => !known(word) && !/\d/.test(word) && oneEditAway(word.toLowerCase()).some(known);
  const unknownWords = questionWords(question).filter(
    (word) => !names.includes(word) && roles.get(word) !== 'framing' && !known(word) && unseen(word),
  );
  return [...names, ...unknownWords].filter((word) => !misspelt(word));
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** Every spelling one deletion, swap of neighbours, substitution or insertion of a letter away. */
function oneEditAway(word: string): string[] {
  const edits: string[] = [];
  for (let i = 0; i <= word.length; i++) {
    const [head, tail] = [word.slice(0, i), word.slice(i)];
    if (tail) edits.push(head + tail.slice(1));
    if (tail.length > 1) edits.push(head + tail[1] + tail[0] + tail.slice(2));
    for (const letter of LETTERS) {
      if (tail) edits.push(head + letter + tail.slice(1));
      edits.push(head + letter + tail);
    }
  }
  return edits.filter((edit) => edit.length > 1 && edit !== word);
}

function nameLikeWords(question: string): string[] {
  const words = question.match(/[\p{L}\p{N}][\p{L}\p{N}_.'’-]*[\p{L}\p{N}]|[\p{L}\p{N}]/gu) ?? [];
  return [
    ...new Set(
      words.filter(
        (word, i) =>
          contentTerms(word).length > 0 &&
          (/[a-z][A-Z]|[\p{L}][_.-][\p{L}\p{N}]|\p{L}\p{N}|\p{N}\p{L}/u.test(word) || (i > 0 && /^\p{Lu}/u.test(word) && word !== 'I')),
      ),
    ),
  ];
}

/** The stem a written word is matched by. */
export function stemOf(word: string): string {
  return contentTerms(word)[0] ?? word.toLowerCase();
}
