import { pino } from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from './create-app.js';
import { terminalLog } from './terminal-log.js';
import { EngineHolder } from '../runtime/engine-holder.js';

function capture() {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, terminalLog({ write: (line) => void lines.push(line) }));
  return { lines, logger };
}

describe('terminal log', () => {
  it('prints one short line per request: time, method, path, status and milliseconds', async () => {
    const { lines, logger } = capture();
    const app = createApp({
      engine: new EngineHolder(),
      ready: () => false,
      limits: { maxQuestionChars: 100, maxHistoryTurns: 2 },
      logger,
    });
    await request(app).get('/healthz').expect(200);
    await request(app).get('/no-such-page').set('Authorization', 'Bearer secret-key').expect(404);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d GET \/healthz 200 \d+ ms\n$/);
    expect(lines[1]).toMatch(/^\d\d:\d\d:\d\d GET \/no-such-page 404 \d+ ms\n$/);
    expect(lines.join('')).not.toContain('secret-key');
  });

  it('prints other entries as their level and message, with an error message when there is one', () => {
    const { lines, logger } = capture();
    logger.info('index loaded');
    logger.error({ err: new Error('disk full') }, 'the new index could not be loaded');
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d index loaded\n$/);
    expect(lines[1]).toMatch(/^\d\d:\d\d:\d\d ERROR the new index could not be loaded: disk full\n$/);
  });

  it('passes lines that are not JSON through unchanged', () => {
    const lines: string[] = [];
    terminalLog({ write: (line) => void lines.push(line) }).write('plain text\n');
    expect(lines).toEqual(['plain text\n']);
  });
});
