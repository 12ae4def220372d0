import { answerRequest, loadServer, startServer } from './start-server.js';

/** Median /v1/answer throughput per worker count, from loads taken in turn. */
export interface WorkerThroughput {
  rounds: number;
  secondsPerLoad: number;
  results: { workers: number; requestsPerSecond: number[]; medianRequestsPerSecond: number; errors: number }[];
}

const ROUNDS = 3;
const SECONDS = 5;

/**
 * Starts one server per worker count on the same index, warms each up, then loads them in turn
 * (1, N, 1, N, ...) and keeps each one's median: on a shared machine, background work then
 * weighs on every count alike instead of on whichever ran last. The load generator runs on the
 * same cores.
 */
export async function alternateWorkerCounts(
  root: string,
  indexDir: string,
  question: string,
  counts: number[],
  log: (line: string) => void,
  warmUpSeconds: number,
): Promise<WorkerThroughput> {
  const servers = [];
  try {
    for (const workers of counts) servers.push(await startServer(root, indexDir, workers));
    // Warm, unmeasured load first, so no count is measured while its processes still compile.
    for (const [i, server] of servers.entries()) {
      log(`http, in turn: warming up ${counts[i]} worker(s) for ${warmUpSeconds} s`);
      await loadServer(answerRequest(server.base, question), warmUpSeconds);
    }
    const samples = counts.map(() => [] as number[]);
    const errors = counts.map(() => 0);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, server] of servers.entries()) {
        log(`http, in turn (round ${round + 1} of ${ROUNDS}): ${counts[i]} worker(s) for ${SECONDS} s`);
        const result = await loadServer(answerRequest(server.base, question), SECONDS);
        samples[i].push(result.requestsPerSecond);
        errors[i] += result.errors;
      }
    }
    return {
      rounds: ROUNDS,
      secondsPerLoad: SECONDS,
      results: counts.map((workers, i) => ({
        workers,
        requestsPerSecond: samples[i],
        medianRequestsPerSecond: [...samples[i]].sort((a, b) => a - b)[Math.floor(ROUNDS / 2)],
        errors: errors[i],
      })),
    };
  } finally {
    for (const server of servers) server.stop();
  }
}
