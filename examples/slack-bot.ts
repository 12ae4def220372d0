// A minimal standalone Slack bot for teams that run their own: it answers @mentions in a thread
// by calling Verbatim's POST /v1/answer with format "slack" and posting the Block Kit it returns.
//
//   SLACK_SIGNING_SECRET=… SLACK_BOT_TOKEN=xoxb-… VERBATIM_URL=http://localhost:3000 \
//   VERBATIM_API_KEY=… PORT=3100 npx tsx examples/slack-bot.ts
//
// Point the Slack app's Event Subscriptions Request URL at http://<this host>:3100/slack/events.
import { App } from '@slack/bolt';

const verbatimUrl = process.env.VERBATIM_URL ?? 'http://localhost:3000';
const app = new App({ signingSecret: process.env.SLACK_SIGNING_SECRET!, token: process.env.SLACK_BOT_TOKEN! });

app.event('app_mention', async ({ event, say }) => {
  const question = (event.text ?? '').replace(/<@[^>]+>/g, '').trim();
  const thread_ts = event.thread_ts ?? event.ts;
  try {
    const response = await fetch(`${verbatimUrl}/v1/answer`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(process.env.VERBATIM_API_KEY ? { Authorization: `Bearer ${process.env.VERBATIM_API_KEY}` } : {}),
      },
      body: JSON.stringify({ question, format: 'slack' }),
    });
    const body = (await response.json()) as { slack?: { text: string; blocks: never[] }; error?: { message: string } };
    if (!response.ok || !body.slack) throw new Error(body.error?.message ?? `Verbatim answered ${response.status}`);
    await say({ thread_ts, text: body.slack.text, blocks: body.slack.blocks });
  } catch (error) {
    await say({ thread_ts, text: `Sorry, I could not answer that: ${(error as Error).message}` });
  }
});

await app.start(Number(process.env.PORT ?? 3100));
console.log(`Slack bot listening on port ${process.env.PORT ?? 3100}, answering from ${verbatimUrl}`);
