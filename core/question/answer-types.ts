import { wordTokens } from '../text/tokenize.js';

/** The kind of fact a question asks for, when its wording says so. */
export type AnswerType = 'number' | 'date' | 'money' | 'person' | 'default';

const NUMBER_WORDS =
  /\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|trillion|dozen|dozens|half|double|twice|triple|quadruple|single|first|second|third)\b/i;
const MONTHS =
  'january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec';
const DATE = new RegExp(
  `\\b((1[5-9]|20)\\d\\d(s)?|(${MONTHS})\\.?\\s+\\d{1,2}|\\d{1,2}\\s+(${MONTHS})|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow|(last|next|this|coming|past) (week|month|year|decade|quarter|spring|summer|autumn|fall|winter)|q[1-4]|\\d{4}-\\d{2}-\\d{2}|\\d{1,2}/\\d{1,2}/\\d{2,4}|(early|mid|late|end of)[ -]\\d{4}|(in|by|until|since|from) (${MONTHS}))\\b`,
  'i',
);
/**
 * Clock times, times of day and recurrences. Clauses that place an event in time ("during the
 * summit") are left out on purpose: they also turn up in sentences that do not answer "when",
 * and a wrong answer costs more than an honest refusal.
 */
const TIME =
  /\b(\d{1,2}(:\d{2})?\s?(am|pm|a\.m\.|p\.m\.)|\d{1,2}:\d{2}|noon|midnight|morning|afternoon|evening|tonight|overnight|weekdays?|weekends?|daily|weekly|monthly|yearly|annually|hourly|every (day|week|month|year)|\d+ (hours?|days?|weeks?|months?|years?) (ago|later|after|before|from now))\b/i;
const MONEY =
  /([$€£¥₩]\s?\d)|\b\d[\d,.]*\s?(dollars?|usd|eur|euros?|won|yen|yuan|pounds?|cents?)\b|\b(billion|million|trillion) (dollars|won|euros|yen)\b/i;

/** A question about what happens when a setting is left alone: "what's the default …", "if I don't set …". */
const DEFAULT_QUESTION =
  /\b(default|defaults|by default)\b|\bif i (don['’]t|do not|never) (set|pass|specify|give|provide|configure)\b|\bwhen i (leave|omit)\b|\bwithout (setting|passing|specifying)\b/;
/**
 * What says a default: the word, or a statement of what happens when a setting is left out. An
 * example that sets a value (`idleTimeoutMillis: 1000`) does not: it is one value a reader may choose.
 */
const DEFAULT_STATEMENT =
  /\b(defaults?|defaulting|by default)\b|\b(if|when|where) (no|not|none)\b.{0,40}?\b(set|specified|given|provided|passed|supplied)\b|\b(if|when) [^.]{0,40}?\b(omitted|unset|left out|absent|missing)\b|\bunless (set|specified|given|provided|passed)\b|\botherwise\b/i;

/** What a question's wording asks for, or null when any statement could answer it. */
export function expectedAnswerType(question: string): AnswerType | null {
  const q = question.toLowerCase();
  // "How many retries by default?" is answered by the stated default, not by any number an example uses.
  if (DEFAULT_QUESTION.test(q)) return 'default';
  if (
    /\b(price|prices|cost|costs|fee|fees|salary|paid|pay|charge|charges|spend|spent|worth|budget of)\b|\bhow much (money|funding|\w+ (invest|spend|pay|raise|earn|cost)\w*)|\bhow much\b.*\b(invest|spend|pay|raise|earn|fund)\w*/.test(
      q,
    )
  )
    return 'money';
  if (
    /\bhow (many|much)\b|\bwhat(?:'s| is| was| are| were)? (?:the )?(percentage|percent|share|proportion|number|amount|population|size|rate|total)\b|\bhow (large|big|long|far|fast|old|tall|high)\b/.test(
      q,
    )
  )
    return 'number';
  if (
    /^\s*when\b|\bwhen (is|was|will|did|does|do|are|were)\b|\b(what|which) (year|date|day|month|time|decade)\b|\bin what year\b|\bby when\b/.test(
      q,
    )
  )
    return 'date';
  // "Who is Ha Jung-woo?" asks for a description, "Who met Huang?" for a name.
  if (/^\s*(who|whom)\b/.test(q) && !/^\s*[Ww]ho\s+(is|was|are|were)\s+\p{Lu}/u.test(question)) return 'person';
  return null;
}

/** Whether a sentence states something of the asked-for type that the question (its word tokens) does not. */
export function sentenceHasType(sentence: string, type: AnswerType, questionWords: ReadonlySet<string>): boolean {
  const fresh = (match: RegExpMatchArray | null) => match !== null && wordTokens(match[0]).some((word) => !questionWords.has(word));
  switch (type) {
    case 'number':
      // A year is a date, not a quantity ("how many GPUs?" is not answered by "2026").
      return (
        [...sentence.matchAll(/\b\d[\d,.]*\b/g)].some((m) => !/^(1[5-9]|20)\d\d$/.test(m[0]) && fresh(m)) ||
        fresh(sentence.match(NUMBER_WORDS))
      );
    case 'date':
      return fresh(sentence.match(DATE)) || fresh(sentence.match(TIME));
    case 'money':
      return fresh(sentence.match(MONEY));
    case 'person':
      return properNames(sentence).some((name) => wordTokens(name).some((word) => !questionWords.has(word)));
    case 'default':
      return DEFAULT_STATEMENT.test(sentence);
  }
}

/** Capitalised words other than the sentence's first: a rough proxy for names. */
function properNames(sentence: string): string[] {
  const words = [...sentence.matchAll(/[\p{L}][\p{L}'’.-]*/gu)];
  return words
    .slice(1)
    .filter((m) => /^\p{Lu}/u.test(m[0]) && !/[.!?]["”’]?\s*$/.test(sentence.slice(0, m.index)))
    .map((m) => m[0]);
}
