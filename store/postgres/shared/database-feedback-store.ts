import type { Database } from '../database-pool.js';
import { SCHEMA } from '../migrations.js';

/** One press of a feedback button, as slack/feedback-store.ts records it. */
interface FeedbackRecord {
  at: string;
  vote: 'helpful' | 'not_helpful';
  answerId: string;
  question: string;
  answer: string;
  user: string;
  channel: string;
}

interface FeedbackRow {
  at: Date;
  vote: FeedbackRecord['vote'];
  answer_id: string;
  question: string;
  answer: string;
  user_id: string;
  channel: string;
}

/** Slack feedback in the database (STORE=postgres): one row per press, whichever replica it reached. */
export class DatabaseFeedbackStore {
  constructor(private readonly database: Database) {}

  async record(record: FeedbackRecord): Promise<void> {
    await this.database.query(
      `INSERT INTO ${SCHEMA}.feedback (at, vote, answer_id, question, answer, user_id, channel) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [record.at, record.vote, record.answerId, record.question, record.answer, record.user, record.channel],
    );
  }

  /** Every record, oldest first. */
  async readAll(): Promise<FeedbackRecord[]> {
    const rows = await this.database.query<FeedbackRow>(
      `SELECT at, vote, answer_id, question, answer, user_id, channel FROM ${SCHEMA}.feedback ORDER BY id`,
    );
    return rows.map((row) => ({
      at: new Date(row.at).toISOString(),
      vote: row.vote,
      answerId: row.answer_id,
      question: row.question,
      answer: row.answer,
      user: row.user_id,
      channel: row.channel,
    }));
  }
}
