import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../test/paths.js';
import { ANSWERED_EVENT_TYPES } from './check-slack-payload.js';
import { SLACK_EVENTS_PATH } from './create-slack-router.js';

interface Manifest {
  features: { slash_commands: { command: string; url?: string }[]; app_home: { messages_tab_enabled: boolean } };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { bot_events: string[]; request_url?: string };
    interactivity: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled: boolean;
  };
}

const read = (name: string) => JSON.parse(readFileSync(join(ROOT, 'slack', name), 'utf8')) as Manifest;
const socketMode = read('app-manifest.json');
const http = read('app-manifest.http.json');

/** Slack's scopes for what the handlers receive and call (events, the command, chat.postMessage, conversations.replies in channels, private channels and DMs). */
const NEEDED_SCOPES = ['app_mentions:read', 'commands', 'chat:write', 'channels:history', 'groups:history', 'im:history'];

describe('Slack app manifests', () => {
  it.each([
    ['Socket Mode', socketMode],
    ['HTTP', http],
  ])('(%s) subscribe to exactly the events the handlers answer, with the scopes they need', (_mode, manifest) => {
    // `message.im` is a `message` event in a direct message, the only kind of message answered.
    const eventTypes = manifest.settings.event_subscriptions.bot_events.map((name) => name.split('.')[0]);
    expect(new Set(eventTypes)).toEqual(new Set(ANSWERED_EVENT_TYPES));
    expect(manifest.settings.event_subscriptions.bot_events.filter((name) => name.startsWith('message.'))).toEqual(['message.im']);
    expect(manifest.features.slash_commands.map((command) => command.command)).toEqual(['/ask']);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...NEEDED_SCOPES].sort());
  });

  it('differ only in how Slack reaches the app: a socket, or the /slack/events URL', () => {
    expect(socketMode.settings.socket_mode_enabled).toBe(true);
    expect(http.settings.socket_mode_enabled).toBe(false);
    const urls = [
      http.settings.event_subscriptions.request_url,
      http.settings.interactivity.request_url,
      http.features.slash_commands[0].url,
    ];
    for (const url of urls) expect(new URL(url!).pathname).toBe(SLACK_EVENTS_PATH);
    const withoutTransport = (manifest: Manifest) =>
      JSON.parse(
        JSON.stringify(manifest, (key, value) =>
          key === 'request_url' || key === 'url' || key === 'socket_mode_enabled' ? undefined : value,
        ),
      );
    expect(withoutTransport(http)).toEqual(withoutTransport(socketMode));
  });
});
