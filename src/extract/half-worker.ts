// Worker thread: reads a file from a cut to its end through the fast path and the extractor, and
// posts the events back (see halves.ts). Line numbers count from the cut.
import { parentPort, workerData } from 'node:worker_threads';
import { readFileCandidates } from '../input/candidates.js';
import { extractEvents } from './extract.js';
import type { HalfJob, HalfMessage } from './halves.js';

const job = workerData as HalfJob;
const post = (m: HalfMessage) => parentPort!.postMessage(m);
try {
  for await (const events of extractEvents(readFileCandidates(job.path, job.name, job.start), { presumeClaude: job.presumeClaude })) post({ events });
  post({ done: true });
} catch (err) {
  post({ failed: { code: (err as NodeJS.ErrnoException).code, message: (err as Error).message } });
}
