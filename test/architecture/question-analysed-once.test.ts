import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../paths.js';
import { isTestFile } from './allowed-imports.js';

/** The functions that read a question's text: only core/question/analyse-question.ts may call them. */
const QUESTION_READERS = [
  'questionTerms',
  'expectedAnswerType',
  'questionParts',
  'dependsOnHistory',
  'questionContentWords',
  'questionContentTerms',
];

/** Production files outside core/question/ that import one of the question readers, as "file: name". */
function readersImported(files: { file: string; text: string }[]): string[] {
  return files.flatMap(({ file, text }) =>
    [...text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'[^']+'/g)].flatMap((m) =>
      m[1]
        .split(',')
        .map((name) => name.trim().replace(/^type\s+/, ''))
        .filter((name) => QUESTION_READERS.includes(name))
        .map((name) => `${file}: ${name}`),
    ),
  );
}

describe('the question is analysed once', () => {
  it('only the analysis reads the question: no other stage imports a question reader', () => {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter((file) => file.endsWith('.ts') && !isTestFile(file) && !file.startsWith('core/question/'))
      .map((file) => ({ file, text: readFileSync(join(ROOT, file), 'utf8') }));
    expect(files.length).toBeGreaterThan(50);
    expect(readersImported(files)).toEqual([]);
  });

  it('would catch a stage that reads the question itself', () => {
    const text = "import { expectedAnswerType, sentenceHasType } from '../question/answer-types.js';";
    expect(readersImported([{ file: 'core/units/score-units.ts', text }])).toEqual(['core/units/score-units.ts: expectedAnswerType']);
  });
});
