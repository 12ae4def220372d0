import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** One message of a client, as pglite-socket's queue holds it. */
interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

/** pglite-socket's queue (not exported): the messages of every connection, run on PGlite's one session. */
interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: {
    isInTransaction(): boolean;
    runExclusive<T>(work: () => Promise<T>): Promise<T>;
    execProtocolRawStream(message: Uint8Array, options: { onRawData: (data: Uint8Array) => void }): Promise<unknown>;
  };
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

/** Messages of the extended query protocol that leave a statement half done until the client's Sync. */
const EXTENDED = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((letter) => letter.charCodeAt(0)));
const SYNC = 'S'.charCodeAt(0);

/**
 * pglite-socket 0.2.18 serves several connections on PGlite's single session by queueing their
 * messages, keeping one connection's turn only inside a transaction. Outside one it interleaves
 * them message by message, so one client's Bind can land on another's Parse: node-postgres then
 * reads "unnamed prepared statement does not exist", or another query's rows. This replaces the
 * queue's loop so a connection that has begun an extended query (Parse, Bind, Describe, Execute)
 * keeps its turn until its Sync, as a real server's separate sessions would. It also clears the
 * queue's busy flag after a failed message (0.2.18 leaves it set, and the queue stalls).
 */
export function keepExtendedQueriesWhole(server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  let midQuery: number | null = null;
  queue.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner = this.db.isInTransaction() && this.lastHandlerId !== null ? this.lastHandlerId : midQuery;
        const index = owner === null ? 0 : this.queue.findIndex((item) => item.handlerId === owner);
        // The owner's next message has not arrived: its enqueue runs this loop again.
        if (index < 0) return;
        const [item] = this.queue.splice(index, 1);
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          midQuery = null;
          item.reject(error);
          continue;
        }
        const type = item.message[0];
        if (EXTENDED.has(type)) midQuery = item.handlerId;
        else if (type === SYNC || midQuery === item.handlerId) midQuery = null;
        this.lastHandlerId = item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };
  const clear = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId: number) => {
    clear(handlerId);
    // A connection gone in the middle of a query gives the others their turn back.
    if (midQuery === handlerId) {
      midQuery = null;
      void queue.processQueue();
    }
  };
}
