// Worker thread: reads a file from a cut to its end through the fast path and the extractor, and
// posts the events back (see halves.ts). Line numbers count from the cut.
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { readCandidateLines } from '../input/candidates.js';
import { extractEvents } from './extract.js';
import type { HalfJob, HalfMessage } from './halves.js';

const job = workerData as HalfJob;
const post = (m: HalfMessage) => parentPort!.postMessage(m);
try {
  const stream = createReadStream(job.path, { start: job.start, highWaterMark: job.chunk });
  for await (const events of extractEvents(readCandidateLines(stream, job.name), { presumeClaude: job.presumeClaude })) post({ events });
  post({ done: true });
} catch (err) {
  post({ failed: { code: (err as NodeJS.ErrnoException).code, message: (err as Error).message } });
}
