import OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectAnswer } from '../core/answer/answer-question.js';
import type { ChatModel } from '../core/contracts/chat-model.js';
import type { Answer, AnswerInput } from '../core/contracts/types.js';
import type { SearchIndex } from '../store/search-index.js';
import { ScriptedChatModel } from '../test/fakes/scripted-chat-model.js';
import { buildLocalIndex, localEngine } from '../test/helpers/local-engine.js';
import { serveApp } from '../test/helpers/serve-app.js';
import { CORPUS_DIR } from '../test/paths.js';
import { createApp, type AppDependencies } from './create-app.js';
import type { VerbatimMessageFields } from './render-chat-completion.js';
import type { Engine } from '../core/engine.js';
import { EngineHolder } from '../runtime/engine-holder.js';

const QUESTION = 'Which ministry launched the Physical AI Global Alliance?';

let index: SearchIndex;
let engine: Engine;
const servers: { close: () => Promise<void> }[] = [];

beforeAll(async () => {
  index = await buildLocalIndex(CORPUS_DIR);
  engine = localEngine(index);
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

/** The official OpenAI client pointed at a Verbatim app (only the base URL changes). */
async function clientFor(overrides: Partial<AppDependencies> = {}, apiKey = 'unused'): Promise<OpenAI> {
  const served = await serveApp(createApp({ engine: engine, limits: { maxQuestionChars: 300, maxHistoryTurns: 4 }, ...overrides }));
  servers.push(served);
  return new OpenAI({ baseURL: `${served.url}/v1`, apiKey, maxRetries: 0 });
}

/** The documented extra field Verbatim adds to a chat message (or a stream chunk's delta). */
function verbatimOf(message: object): VerbatimMessageFields {
  return (message as { verbatim: VerbatimMessageFields }).verbatim;
}

/** The Answer the pipeline gives directly, for comparison. */
function pipelineAnswer(input: AnswerInput, deps = engine): Promise<Answer> {
  return collectAnswer(deps.answer(input));
}

async function expectVerifiedAgainstStore(fields: VerbatimMessageFields): Promise<void> {
  expect(fields.citations.length).toBeGreaterThan(0);
  for (const citation of fields.citations) {
    expect(citation.verified).toBe(true);
    expect(await index.getText(citation.docId, citation.start, citation.end)).toBe(citation.quote);
  }
}

async function collectChunks(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

function streamedContent(chunks: ChatCompletionChunk[]): string {
  return chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
}

describe('POST /v1/chat/completions through the official openai client', () => {
  it('answers with the Answer text and [n] markers, citations in message.verbatim', async () => {
    const client = await clientFor();
    const completion: ChatCompletion = await client.chat.completions.create({
      model: 'verbatim',
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: QUESTION },
      ],
      temperature: 0.2,
    });
    const expected = await pipelineAnswer({ question: QUESTION });
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('verbatim');
    expect(completion.id).toMatch(/^chatcmpl-\w+$/);
    const [choice] = completion.choices;
    expect(choice.finish_reason).toBe('stop');
    expect(choice.message.role).toBe('assistant');
    expect(choice.message.content).toBe(expected.answer);
    expect(choice.message.content).toMatch(/\[1\]/);
    const fields = verbatimOf(choice.message);
    expect(fields).toMatchObject({ answerable: true, reason: null, mode: 'extractive', confidence: expected.confidence });
    expect(fields.id).toMatch(/^ans_/);
    expect(fields.citations).toEqual(expected.citations);
    await expectVerifiedAgainstStore(fields);
    const usage = completion.usage!;
    expect(usage.completion_tokens).toBeGreaterThan(0);
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
  });

  it('streams chunks whose content adds up to the answer, citations on the final chunk, usage when asked, then [DONE]', async () => {
    const client = await clientFor();
    const stream = await client.chat.completions.create({
      model: 'verbatim',
      messages: [{ role: 'user', content: QUESTION }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = await collectChunks(stream);
    const expected = await pipelineAnswer({ question: QUESTION });
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    expect(streamedContent(chunks)).toBe(expected.answer);
    const usageChunk = chunks.at(-1)!;
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage!.completion_tokens).toBeGreaterThan(0);
    const final = chunks.at(-2)!;
    expect(final.choices[0].finish_reason).toBe('stop');
    expect(verbatimOf(final.choices[0].delta).citations).toEqual(expected.citations);
    await expectVerifiedAgainstStore(verbatimOf(final.choices[0].delta));
    // Without stream_options there is no usage chunk: the finish chunk is the last before [DONE].
    const plain = await collectChunks(
      await client.chat.completions.create({ model: 'verbatim', messages: [{ role: 'user', content: QUESTION }], stream: true }),
    );
    expect(plain.at(-1)!.choices[0].finish_reason).toBe('stop');
    expect(plain.every((chunk) => chunk.usage === undefined)).toBe(true);
  });

  it("keeps the citations through the client's own stream accumulator", async () => {
    const client = await clientFor();
    const completion = await client.chat.completions
      .stream({ model: 'verbatim-extractive', messages: [{ role: 'user', content: QUESTION }] })
      .finalChatCompletion();
    const expected = await pipelineAnswer({ question: QUESTION });
    expect(completion.choices[0].message.content).toBe(expected.answer);
    expect(verbatimOf(completion.choices[0].message).citations).toEqual(expected.citations);
  });

  it('maps messages to the question (the last user message) and the history (earlier user and assistant turns, as text)', async () => {
    const client = await clientFor();
    const first = 'Who is Ha Jung-woo?';
    const previous = await pipelineAnswer({ question: first });
    const followUp = 'What did he say?';
    const completion = await client.chat.completions.create({
      model: 'verbatim',
      messages: [
        { role: 'system', content: 'Answer briefly.' },
        // An earlier turn's picture is left out; its text is kept.
        {
          role: 'user',
          content: [
            { type: 'text', text: first },
            { type: 'image_url', image_url: { url: 'https://example.com/chart.png' } },
          ],
        },
        { role: 'assistant', content: previous.answer },
        { role: 'user', content: followUp },
      ],
    });
    const expected = await pipelineAnswer({
      question: followUp,
      history: [
        { role: 'user', content: first },
        { role: 'assistant', content: previous.answer },
      ],
    });
    expect(expected.answerable).toBe(true);
    expect(completion.choices[0].message.content).toBe(expected.answer);
    expect(verbatimOf(completion.choices[0].message).citations).toEqual(expected.citations);
    // Asked alone, the follow-up has nothing to stand on: the history is what answered it.
    const alone = await client.chat.completions.create({ model: 'verbatim', messages: [{ role: 'user', content: followUp }] });
    expect(verbatimOf(alone.choices[0].message).answerable).toBe(false);
  });

  it('renders a refusal as the answer text with answerable false and the reason', async () => {
    const client = await clientFor();
    const completion = await client.chat.completions.create({
      model: 'verbatim',
      messages: [{ role: 'user', content: 'What is the capital of Australia?' }],
    });
    const fields = verbatimOf(completion.choices[0].message);
    expect(fields.answerable).toBe(false);
    expect(fields.reason).toMatch(/Australia/);
    expect(fields.citations).toEqual([]);
    expect(completion.choices[0].message.content).toBe(`The sources do not answer this. ${fields.reason}`);
  });

  it('answers in the mode the model name asks for: verbatim-generative streams the model, sentence by sentence', async () => {
    const model = new ScriptedChatModel(
      () =>
        'The Ministry of Science and ICT launched the Physical AI Global Alliance [1]. ' +
        'It unites research institutions, corporations and international partners [1].',
    );
    const generative = localEngine(index, { chatModel: model });
    const client = await clientFor({ engine: generative });
    const chunks = await collectChunks(
      await client.chat.completions.create({ model: 'verbatim-generative', messages: [{ role: 'user', content: QUESTION }], stream: true }),
    );
    const expected = await pipelineAnswer({ question: QUESTION, mode: 'generative' }, generative);
    expect(expected.mode).toBe('generative');
    expect(chunks.filter((chunk) => chunk.choices[0]?.delta.content).length).toBeGreaterThanOrEqual(2);
    expect(streamedContent(chunks)).toBe(expected.answer);
    expect(verbatimOf(chunks.at(-1)!.choices[0].delta)).toMatchObject({ mode: 'generative', citations: expected.citations });
    expect((await client.models.list()).data.map((m) => m.id)).toEqual(['verbatim', 'verbatim-extractive', 'verbatim-generative']);
  });

  it('ends the content with the authoritative answer when a streamed generated answer falls back to quoting', async () => {
    const generative = localEngine(index, { chatModel: new ScriptedChatModel(() => 'Nothing here cites a passage. ') });
    const client = await clientFor({ engine: generative });
    const chunks = await collectChunks(
      await client.chat.completions.create({ model: 'verbatim-generative', messages: [{ role: 'user', content: QUESTION }], stream: true }),
    );
    const fields = verbatimOf(chunks.at(-1)!.choices[0].delta);
    expect(fields.mode).toBe('extractive');
    expect(fields.notice).toMatch(/cited nothing that could be verified/);
    const expected = await pipelineAnswer({ question: QUESTION });
    expect(streamedContent(chunks)).toBe(`Nothing here cites a passage. ${expected.answer}`);
  });

  it('ends a stream that fails after it began with an OpenAI error the client raises', async () => {
    const failing: ChatModel = {
      name: 'failing',
      // eslint-disable-next-line require-yield
      async *streamChat() {
        throw new Error('socket hang up inside the provider');
      },
    };
    const client = await clientFor({ engine: localEngine(index, { chatModel: failing }) });
    const stream = await client.chat.completions.create({
      model: 'verbatim-generative',
      messages: [{ role: 'user', content: QUESTION }],
      stream: true,
    });
    const error = await collectChunks(stream).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ type: 'server_error', code: 'internal_error' });
    expect((error as Error).message).not.toContain('socket hang up');
  });
});

describe('GET /v1/models', () => {
  it('lists the model names this server answers with, generative only with a chat model', async () => {
    const client = await clientFor();
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toEqual(['verbatim', 'verbatim-extractive']);
    expect(models.data[0]).toMatchObject({ object: 'model', owned_by: 'verbatim' });
    expect(await client.models.retrieve('verbatim-extractive')).toMatchObject({ id: 'verbatim-extractive', object: 'model' });
    await expect(client.models.retrieve('verbatim-generative')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});

describe('errors in OpenAI’s shape, under the same auth and limits', () => {
  /** The error the client raises for a request. */
  async function failure(request: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
    const error = await request.then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    return error as InstanceType<typeof OpenAI.APIError>;
  }

  it('names the parameter: unknown model, wrong last message, n, too long a question, image parts', async () => {
    const client = await clientFor();
    const ask = (body: object) =>
      client.chat.completions.create({ model: 'verbatim', messages: [{ role: 'user', content: QUESTION }], ...body } as never);

    const unknownModel = await failure(ask({ model: 'gpt-4o-mini' }));
    expect(unknownModel).toBeInstanceOf(OpenAI.NotFoundError);
    expect(unknownModel).toMatchObject({ status: 404, type: 'not_found_error', code: 'model_not_found', param: 'model' });
    expect(unknownModel.message).toContain('verbatim, verbatim-extractive');

    expect(await failure(ask({ messages: [{ role: 'assistant', content: 'Hello' }] }))).toMatchObject({
      status: 400,
      type: 'invalid_request_error',
      param: 'messages',
    });
    expect(await failure(ask({ n: 2 }))).toMatchObject({ status: 400, param: 'n' });
    expect(await failure(ask({ messages: [{ role: 'user', content: 'x'.repeat(301) }] }))).toMatchObject({
      status: 400,
      param: 'messages[0].content',
      message: expect.stringContaining('at most 300 characters'),
    });
    expect(await failure(ask({ messages: [{ role: 'user', content: '\u200b\u0000?' }] }))).toMatchObject({
      status: 400,
      param: 'messages[0].content',
      message: expect.stringContaining('must contain a letter or digit'),
    });
    expect(
      await failure(
        ask({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }] }),
      ),
    ).toMatchObject({ status: 400, param: 'messages[0].content[0]' });
    expect(await failure(ask({ model: 'verbatim-generative' }))).toMatchObject({ status: 400, code: 'mode_unavailable' });
  });

  it('needs an API key when keys are configured, and rate-limits like the rest of /v1', async () => {
    const wrongKey = await clientFor({ apiKeys: ['k-right'] }, 'k-wrong');
    const unauthorized = await failure(wrongKey.models.list());
    expect(unauthorized).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(unauthorized).toMatchObject({ type: 'authentication_error', code: 'unauthorized' });

    const limited = await clientFor({ apiKeys: ['k-right'], rateLimitPerMinute: 1 }, 'k-right');
    await limited.chat.completions.create({ model: 'verbatim', messages: [{ role: 'user', content: QUESTION }] });
    const tooMany = await failure(limited.chat.completions.create({ model: 'verbatim', messages: [{ role: 'user', content: QUESTION }] }));
    expect(tooMany).toBeInstanceOf(OpenAI.RateLimitError);
    expect(tooMany).toMatchObject({ type: 'rate_limit_error', code: 'rate_limited' });
  });

  it('answers 503 index_loading while the index loads, and malformed JSON as OpenAI errors too', async () => {
    const loading = await clientFor({ engine: new EngineHolder(), ready: () => false });
    expect(
      await failure(loading.chat.completions.create({ model: 'verbatim', messages: [{ role: 'user', content: QUESTION }] })),
    ).toMatchObject({
      status: 503,
      type: 'server_error',
      code: 'index_loading',
    });
    const served = await serveApp(createApp({ engine: engine, limits: { maxQuestionChars: 300, maxHistoryTurns: 4 } }));
    servers.push(served);
    const response = await fetch(`${served.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"model": ',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { message: 'The request body is not valid JSON.', type: 'invalid_request_error', code: 'malformed_json', param: null },
    });
  });
});
