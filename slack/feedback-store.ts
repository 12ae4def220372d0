import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** One press of a feedback button under an answer. */
export interface FeedbackRecord {
  at: string;
  vote: 'helpful' | 'not_helpful';
  answerId: string;
  question: string;
  answer: string;
  user: string;
  channel: string;
}

/**
 * Feedback kept as JSON lines appended to one file: each press is one write of one line, so
 * nothing already recorded is rewritten or lost, and the file is easy to inspect and back up.
 */
export class FeedbackStore {
  constructor(readonly file: string) {}

  async record(record: FeedbackRecord): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    await appendFile(this.file, `${JSON.stringify(record)}\n`, { flush: true });
  }

  /** Every record, oldest first; lines that do not parse (a torn last write) are left out. */
  async readAll(): Promise<FeedbackRecord[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return text.split('\n').flatMap((line) => {
      if (!line.trim()) return [];
      try {
        return [JSON.parse(line) as FeedbackRecord];
      } catch {
        return [];
      }
    });
  }
}

/** The answers whose latest vote is "not helpful", as eval cases to review. */
export function notHelpfulCases(records: FeedbackRecord[]): Record<string, unknown>[] {
  const latest = new Map<string, FeedbackRecord>();
  for (const record of records) latest.set(record.answerId, record);
  return [...latest.values()]
    .filter((record) => record.vote === 'not_helpful')
    .map((record) => ({
      id: `feedback-${record.answerId}`,
      question: record.question,
      must_include: [],
      contexts: [],
      unanswerable: false,
      note: `Marked not helpful in Slack by ${record.user} at ${record.at}. The answer was: ${record.answer}`,
    }));
}
