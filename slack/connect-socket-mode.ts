import type { SocketModeReceiver } from '@slack/bolt';
import type { Logger } from 'pino';
import { describeSlackError, isRefusal } from './slack-token-error.js';

export interface SocketModeConnection {
  /** Settles when the first connection is open, or when Slack refused the app token. */
  readonly firstConnection: Promise<void>;
  stop(): Promise<void>;
}

export interface ConnectSocketModeOptions {
  logger?: Logger;
  /** Slack refused the app token (wrong, revoked, missing a scope): no reconnect can help. */
  onRejected: (error: unknown) => void;
  /** Longest wait between reconnect attempts. */
  maxDelayMs?: number;
}

/**
 * Keeps a Socket Mode connection open. The client's own reconnect is turned off on the receiver:
 * it restarts from a timer and leaves a failed restart (say, an app token revoked while
 * connected) as an unhandled rejection, which ends the whole process. Here every (re)connect is
 * awaited: a refused token turns Slack off; anything else (network, Slack restarting) is
 * retried with backoff, immediately after a normal disconnect such as Slack's periodic refresh.
 */
export function connectSocketMode(receiver: SocketModeReceiver, options: ConnectSocketModeOptions): SocketModeConnection {
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  let stopped = false;
  let connecting = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let settleFirst: () => void = () => undefined;
  const firstConnection = new Promise<void>((resolve) => (settleFirst = resolve));

  const schedule = () => {
    if (stopped || connecting || timer) return;
    const delay = failures === 0 ? 0 : Math.min(maxDelayMs, 1000 * 2 ** (failures - 1));
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, delay);
  };

  async function connect(): Promise<void> {
    connecting = true;
    try {
      await receiver.start();
      connecting = false;
      failures = 0;
      options.logger?.info('Slack Socket Mode connected');
      settleFirst();
    } catch (error) {
      connecting = false;
      if (stopped) return;
      if (isRefusal(error)) {
        stopped = true;
        options.onRejected(error);
        settleFirst();
        return;
      }
      failures += 1;
      options.logger?.warn(`Slack Socket Mode could not connect (${describeSlackError(error)}); retrying`);
      schedule();
    }
  }

  // Emitted when a connection closes and the client will not reconnect by itself.
  receiver.client.on('disconnected', () => {
    if (!connecting) schedule();
  });
  void connect();

  return {
    firstConnection,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await receiver.client.disconnect().catch(() => undefined);
      settleFirst();
    },
  };
}
