import { pino } from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { EngineHolder } from '../runtime/engine-holder.js';
import { createApp } from './create-app.js';

// Issue 26, finding 11: a request that reaches a worker still loading its index gets a clean
// 503 index_loading, and the log says so in one line, with no stack trace.

describe('a request while the index loads', () => {
  it('gets 503 index_loading with Retry-After, logged as a warning without an error object or stack', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const app = createApp({
      engine: new EngineHolder(),
      ready: () => false,
      limits: { maxQuestionChars: 200, maxHistoryTurns: 4 },
      logger,
    });
    const sources = await request(app).get('/v1/sources').expect(503);
    expect(sources.headers['retry-after']).toBe('2');
    expect(sources.body.error).toMatchObject({ code: 'index_loading' });
    const answer = await request(app).post('/v1/answer').send({ question: 'When is high tide?' }).expect(503);
    expect(answer.body.error).toMatchObject({ code: 'index_loading' });
    const chat = await request(app)
      .post('/v1/chat/completions')
      .send({ model: 'verbatim-extractive', messages: [{ role: 'user', content: 'When is high tide?' }] })
      .expect(503);
    expect(chat.body.error).toMatchObject({ code: 'index_loading' });

    const entries = lines.map((line) => JSON.parse(line) as { level: number; err?: unknown; res?: { statusCode: number } });
    expect(entries).toHaveLength(3);
    for (const entry of entries) {
      expect(entry).toMatchObject({ level: 40, res: { statusCode: 503 } });
      expect(entry.err).toBeUndefined();
    }
    expect(lines.join('\n')).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });

  it('still logs an unexpected failure as an error with its stack', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const broken = new EngineHolder();
    broken.set({ ...({} as EngineHolder), sources: async () => Promise.reject(new Error('disk on fire')) } as unknown as EngineHolder);
    const app = createApp({ engine: broken, limits: { maxQuestionChars: 200, maxHistoryTurns: 4 }, logger });
    const response = await request(app).get('/v1/sources').expect(500);
    expect(response.body.error.code).toBe('internal_error');
    expect(lines.some((line) => /disk on fire/.test(line) && /"stack"/.test(line) && /"level":50/.test(line))).toBe(true);
  });
});
