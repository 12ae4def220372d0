import { parse as parseQueryString } from 'node:querystring';
import { verifySlackRequest } from '@slack/bolt';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import type { Logger } from 'pino';
import { boundMessage } from '../core/contracts/bound-message.js';
import { checkSlackPayload, type SlackPayloadKind } from './check-slack-payload.js';
import { ReplayGuard, SIGNATURE_WINDOW_SECONDS, type ReplayVerdict } from './replay-guard.js';

/** Whether the Slack app is answering: still checking its tokens, ready, or turned off (and why). */
export type SlackStatus = { state: 'starting' } | { state: 'ready' } | { state: 'off'; reason: string };

export interface SlackRouterOptions {
  signingSecret: string;
  /** Requests a minute per workspace on /slack/events; 0 turns limiting off. */
  rateLimitPerMinute: number;
  status: () => SlackStatus;
  /** Bolt's receiver routes, once the app is ready. */
  bolt: () => RequestHandler | undefined;
  /** Remembers answered requests; a ReplayGuard of this process unless given (one shared by every server worker). */
  replayGuard?: { check(signature: string, timestampSeconds: number): ReplayVerdict | Promise<ReplayVerdict> };
  /** The workspace rate limit's counts; in this process unless given (shared by every server worker). */
  rateLimitStore?: Store;
  logger?: Logger;
}

export const SLACK_EVENTS_PATH = '/slack/events';
/** Slack's payloads are small (a message is at most 40,000 characters); Bolt's own default is 10 MB. */
const BODY_LIMIT = '1mb';

interface GuardLocals {
  rawBody: Buffer;
  signature: string;
  timestamp: number;
  kind: SlackPayloadKind;
  body: Record<string, unknown>;
  teamId: string;
}

/**
 * POST /slack/events (events, the slash command and button presses share it). Before Bolt sees
 * a request this guard verifies its signature and timestamp (401), refuses malformed payloads
 * (400) so nothing can fail after the ack, limits each workspace's rate (429), and answers a
 * replayed (timestamp, signature) pair only once. Bolt then verifies and parses the same bytes.
 */
export function createSlackRouter(options: SlackRouterOptions): Router {
  const router = Router();
  const replayGuard = options.replayGuard ?? new ReplayGuard();
  const log = options.logger;
  const locals = (response: Response) => response.locals as GuardLocals;

  const verify: RequestHandler = (request, response, next) => {
    const rawBody = request.body as Buffer;
    const contentType = request.headers['content-type'];
    const text = Buffer.isBuffer(rawBody) ? rawBody.toString('utf8') : '';
    // Slack checks a slash command's TLS with an unsigned `ssl_check=1`; it only wants a 200.
    if (contentType === 'application/x-www-form-urlencoded' && parseQueryString(text).ssl_check === '1')
      return void response.status(200).end();
    const signature = request.get('x-slack-signature') ?? '';
    const timestamp = Number(request.get('x-slack-request-timestamp'));
    // Bolt's check refuses stale timestamps only; one from the future would stay replayable for as
    // long as it is ahead, so both directions are bounded here.
    if (!signature || !Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > SIGNATURE_WINDOW_SECONDS) {
      return void sendError(
        response,
        401,
        'invalid_signature',
        'The request is not signed by Slack, or its timestamp is more than five minutes away.',
      );
    }
    try {
      verifySlackRequest({
        signingSecret: options.signingSecret,
        body: text,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
      });
    } catch {
      return void sendError(response, 401, 'invalid_signature', 'The request signature does not match the signing secret.');
    }
    Object.assign(locals(response), { rawBody, signature, timestamp });
    next();
  };

  const checkPayload: RequestHandler = (request, response, next) => {
    let body: unknown;
    try {
      body = parseBody(locals(response).rawBody.toString('utf8'), request.headers['content-type']);
    } catch {
      return void sendError(response, 400, 'malformed_payload', 'The body (or its `payload` field) is not valid JSON.');
    }
    const check = checkSlackPayload(body);
    if (!check.ok) {
      log?.warn({ problem: check.problem }, 'refused a malformed Slack payload');
      return void sendError(response, 400, 'invalid_payload', `Invalid Slack payload: ${check.problem}`);
    }
    Object.assign(locals(response), { kind: check.kind, body, teamId: check.teamId ?? 'unknown' });
    if (check.kind === 'url_verification') return void response.json({ challenge: (body as { challenge: string }).challenge });
    next();
  };

  const requireReady: RequestHandler = (_request, response, next) => {
    const status = options.status();
    if (status.state === 'ready') return next();
    if (status.state === 'starting') response.setHeader('Retry-After', '10');
    sendError(
      response,
      503,
      'slack_unavailable',
      status.state === 'starting' ? 'The Slack app is starting; try again shortly.' : `The Slack app is turned off: ${status.reason}`,
    );
  };

  const limitRate: RequestHandler =
    options.rateLimitPerMinute > 0
      ? rateLimit({
          windowMs: 60_000,
          limit: options.rateLimitPerMinute,
          standardHeaders: 'draft-8',
          legacyHeaders: false,
          store: options.rateLimitStore,
          // Keyed on the workspace of a verified payload, so only Slack (or a holder of the signing
          // secret) can create keys: memory stays bounded by the workspaces the app is installed in.
          keyGenerator: (_request, response) => `team:${locals(response).teamId}`,
          handler: (_request, response, _next, limitOptions) => {
            const retryAfter = response.getHeader('Retry-After') ?? Math.ceil(limitOptions.windowMs / 1000);
            log?.warn({ team: locals(response).teamId }, 'slack rate limit reached');
            // A slash command's user sees the body of a 200, but only a generic failure for a 429.
            if (locals(response).kind === 'command') {
              return void response.json({
                response_type: 'ephemeral',
                text: `Too many questions from this workspace right now; try again in ${retryAfter} seconds.`,
              });
            }
            // Events and button presses get a 429, which Slack retries later (after 1 and 5 minutes).
            sendError(
              response,
              429,
              'rate_limited',
              `Too many Slack requests from this workspace: the limit is ${options.rateLimitPerMinute} a minute.`,
            );
          },
        })
      : (_request, _response, next) => next();

  const refuseReplays: RequestHandler = async (_request, response, next) => {
    const { signature, timestamp, kind } = locals(response);
    const verdict = await replayGuard.check(signature, timestamp);
    if (verdict === 'replayed') {
      log?.warn({ kind }, 'ignored a replayed Slack request');
      // 200 with no work: a second delivery of the same signed bytes has been answered already.
      return void response.status(200).end();
    }
    if (verdict === 'full') return void sendError(response, 429, 'rate_limited', 'Too many Slack requests in the last five minutes.');
    next();
  };

  const dispatch: RequestHandler = (request, response, next) => {
    const { kind, rawBody, teamId } = locals(response);
    if (kind === 'app_rate_limited') log?.warn({ team: teamId }, 'Slack reports that it is rate limiting events to this app');
    if (kind !== 'event' && kind !== 'command' && kind !== 'block_actions') return void response.status(200).end();
    const bolt = options.bolt();
    if (!bolt) return void sendError(response, 503, 'slack_unavailable', 'The Slack app is not ready.');
    // Bolt's receiver reads `rawBody` when present instead of the (already consumed) stream.
    (request as Request & { rawBody?: Buffer }).rawBody = rawBody;
    bolt(request, response, next);
  };

  router.post(
    SLACK_EVENTS_PATH,
    express.raw({ type: () => true, limit: BODY_LIMIT }),
    verify,
    checkPayload,
    requireReady,
    limitRate,
    refuseReplays,
    dispatch,
  );
  return router;
}

/** Parses a body exactly as Bolt's receiver does, so what is checked here is what Bolt will see. */
function parseBody(text: string, contentType: string | undefined): unknown {
  if (contentType === 'application/x-www-form-urlencoded') {
    const form = parseQueryString(text);
    return typeof form.payload === 'string' ? JSON.parse(form.payload) : form;
  }
  return JSON.parse(text);
}

function sendError(response: Response, status: number, code: string, message: string): void {
  response.status(status).json({ error: { code, message: boundMessage(message) } });
}
