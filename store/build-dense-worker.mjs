// Builds an HNSW graph in a worker thread from vectors posted to it as they are embedded, and
// writes it to a file: the graph is the slowest part of an ingest, and this way it grows on a
// second core while the main thread embeds, builds the BM25 postings and writes the texts.
// Plain JavaScript, so it loads the same under tsx, vitest and plain node.
// Messages: { labels: Uint32Array, rows: Float32Array } to add, then { end: true } to write.
import { parentPort, workerData } from 'node:worker_threads';
import hnswlib from 'hnswlib-node';

const { count, dimensions, file, m, efConstruction, seed } = workerData;
const dense = new hnswlib.HierarchicalNSW('cosine', dimensions);
dense.initIndex(Math.max(count, 1), m, efConstruction, seed);
parentPort.on('message', (message) => {
  if (message.end) {
    if (dense.getCurrentCount() !== count) throw new Error(`the HNSW graph got ${dense.getCurrentCount()} of ${count} vectors`);
    dense.writeIndexSync(file);
    parentPort.postMessage('written');
    parentPort.close();
    return;
  }
  const { labels, rows } = message;
  for (let i = 0; i < labels.length; i++) dense.addPoint(Array.from(rows.subarray(i * dimensions, (i + 1) * dimensions)), labels[i]);
});
