import type { Answer, AnswerMode } from '../core/contracts/types.js';

export interface AskServerOptions {
  apiKey?: string;
  mode?: AnswerMode;
  k?: number;
  collection?: string;
}

/** Asks a running Verbatim server (POST /v1/answer) and returns its Answer; failures name the server and its error. */
export async function askServer(baseUrl: string, question: string, options: AskServerOptions): Promise<Answer> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (options.apiKey) headers.Authorization = `Bearer ${options.apiKey}`;
  let response: Response;
  try {
    response = await fetch(`${baseUrl.replace(/\/+$/, '')}/v1/answer`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ question, mode: options.mode, k: options.k, collection: options.collection }),
    });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
    throw new Error(`cannot reach ${baseUrl}: ${cause}`);
  }
  const body = (await response.json().catch(() => null)) as (Answer & { error?: { message?: string } }) | null;
  if (!response.ok || !body || typeof body.answer !== 'string') {
    throw new Error(`${baseUrl} answered ${response.status}: ${body?.error?.message ?? 'not a Verbatim answer'}`);
  }
  return body;
}
