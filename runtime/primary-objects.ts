import type { Worker } from 'node:cluster';

/**
 * Objects the cluster's primary holds for all workers, called from the workers over the IPC
 * channel: per-client request counts and the memory of answered Slack requests must be one
 * whichever worker a connection reaches, or every limit would be multiplied by WORKERS and a
 * retried Slack event answered once per worker. Hand-written: Node's cluster IPC is all it needs
 * (express-rate-limit's cluster store covers only the limiter, with an unbounded primary store).
 */
export type PrimaryObjects = Record<string, object>;

/** A method of a primary object as a worker calls it: arguments and result cross by structured clone. */
type Remote<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never };

interface Call {
  type: 'verbatim:call';
  id: number;
  object: string;
  method: string;
  args: unknown[];
}

interface Reply {
  type: 'verbatim:reply';
  id: number;
  result?: unknown;
  error?: string;
}

/** In the primary: answers `worker`'s calls on `objects`. */
export function answerCalls(worker: Worker, objects: PrimaryObjects): void {
  worker.on('message', async (message: Call) => {
    if (message?.type !== 'verbatim:call') return;
    const reply: Reply = { type: 'verbatim:reply', id: message.id };
    try {
      const target = objects[message.object] as Record<string, (...args: unknown[]) => unknown> | undefined;
      const method = target?.[message.method];
      if (typeof method !== 'function') throw new Error(`the primary holds no ${message.object}.${message.method}`);
      reply.result = await method.apply(target, message.args);
    } catch (error) {
      reply.error = error instanceof Error ? error.message : String(error);
    }
    if (worker.isConnected()) worker.send(reply);
  });
}

let nextId = 0;
const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
let listening = false;

function listen(): void {
  if (listening) return;
  listening = true;
  process.on('message', (message: Reply) => {
    if (message?.type !== 'verbatim:reply') return;
    const call = pending.get(message.id);
    if (!call) return;
    pending.delete(message.id);
    if (message.error !== undefined) call.reject(new Error(message.error));
    else call.resolve(message.result);
  });
  process.on('disconnect', () => {
    for (const call of pending.values()) call.reject(new Error('the primary process is gone'));
    pending.clear();
  });
}

/** In a worker: the primary's object `name`, each method returning a promise of its result. */
export function primaryObject<T extends object>(name: string): Remote<T> {
  return new Proxy({} as Remote<T>, {
    get: (_target, method) =>
      // Not a thenable: returning the proxy from an async function must not call the primary.
      method === 'then'
        ? undefined
        : (...args: unknown[]) => {
            listen();
            return new Promise((resolve, reject) => {
              const id = nextId++;
              const call: Call = { type: 'verbatim:call', id, object: name, method: String(method), args };
              if (!process.send) return reject(new Error('no primary process to call'));
              pending.set(id, { resolve, reject });
              process.send(call, undefined, {}, (error) => {
                if (!error) return;
                pending.delete(id);
                reject(error);
              });
            });
          },
  });
}
