// A server that answers with its process id, served through serveWorkers: lets a test see which
// worker answered without loading an index. Usage: node --import tsx pid-server.ts PORT WORKERS [MAX_RESTARTS]
// The primary's lines go to stderr, so a test can wait for them.
import { createServer } from 'node:http';
import { serveWorkers } from '../../runtime/serve-workers.js';

const [port, workers, maxRestarts] = process.argv.slice(2).map(Number);
void serveWorkers({
  workers,
  maxRestartsPerMinute: Number.isNaN(maxRestarts) ? undefined : maxRestarts,
  log: (line) => console.error(line),
  serve: () =>
    new Promise((resolve) => {
      const server = createServer((_request, response) => response.end(String(process.pid)));
      process.on('SIGTERM', () => server.close(() => process.exit(0)));
      server.listen(port, '127.0.0.1', () => resolve());
    }),
});
