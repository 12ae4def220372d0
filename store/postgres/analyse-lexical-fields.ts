import { createFieldAnalyser } from '../lexical/analyse-field.js';
import { encodeTerm, quoteLexeme } from './encode-term.js';

/** Each chunk's two fields as the database stores them, and the statistics BM25 needs. */
export interface LexicalFields {
  /** Per chunk: each analysed term of its text, encoded, once per occurrence (pg_textsearch counts them). */
  textTerms: string[];
  headingTerms: string[];
  /** Per chunk: distinct tokens of the field, stopwords included (the local store's field length). */
  textLengths: number[];
  headingLengths: number[];
  /** Per chunk: a tsvector of both fields (the heading field's lexemes weighted A), for full-text search. */
  lexemes: string[];
  /** Per encoded term: in how many chunks each field holds it. */
  documentFrequency: Map<string, { text: number; heading: number }>;
  /** Mean field lengths, computed as the local store computes them (the same floats). */
  textAverageLength: number;
  headingAverageLength: number;
}

/** tsvector keeps at most 256 positions of a lexeme. */
const MAX_POSITIONS = 255;

/** Analyses every chunk's text and heading field with core's analyser, as the local store does. */
export function analyseLexicalFields(fields: { text: readonly string[]; heading: readonly string[] }): LexicalFields {
  const analyse = createFieldAnalyser();
  const result: LexicalFields = {
    textTerms: [],
    headingTerms: [],
    textLengths: [],
    headingLengths: [],
    lexemes: [],
    documentFrequency: new Map(),
    textAverageLength: 0,
    headingAverageLength: 0,
  };
  fields.text.forEach((text, chunk) => {
    const body = analyse(text);
    const heading = analyse(fields.heading[chunk]);
    const positions = new Map<string, string[]>();
    let position = 0;
    const spell = (frequencies: Map<string, number>, field: 'text' | 'heading') => {
      const words: string[] = [];
      for (const [term, frequency] of frequencies) {
        const encoded = encodeTerm(term);
        for (let i = 0; i < frequency; i++) words.push(encoded);
        const counts = result.documentFrequency.get(encoded) ?? { text: 0, heading: 0 };
        counts[field]++;
        result.documentFrequency.set(encoded, counts);
        const list = positions.get(term) ?? [];
        for (let i = 0; i < frequency && list.length < MAX_POSITIONS; i++)
          list.push(`${Math.min(++position, 16_383)}${field === 'heading' ? 'A' : ''}`);
        positions.set(term, list);
      }
      return words.join(' ');
    };
    result.textTerms.push(spell(body.frequencies, 'text'));
    result.headingTerms.push(spell(heading.frequencies, 'heading'));
    result.textLengths.push(body.length);
    result.headingLengths.push(heading.length);
    result.lexemes.push([...positions].map(([term, list]) => `${quoteLexeme(encodeTerm(term))}:${list.join(',')}`).join(' '));
    // The running mean the local store keeps (store/lexical/lexical-field-builder.ts): the same float.
    result.textAverageLength = (result.textAverageLength * chunk + body.length) / (chunk + 1);
    result.headingAverageLength = (result.headingAverageLength * chunk + heading.length) / (chunk + 1);
  });
  return result;
}
