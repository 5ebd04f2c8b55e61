// Worker thread: reads a file from a cut to its end through the fast path and the extractor, and
// posts the events back (see halves.ts). Line numbers count from the cut. It boots while the cut is
// still being looked for, so the job comes as its first message.
import { parentPort } from 'node:worker_threads';
import { readFileCandidates } from '../input/candidates.js';
import { extractEvents } from './extract.js';
import type { HalfJob, HalfMessage } from './halves.js';

const post = (m: HalfMessage) => parentPort!.postMessage(m);

async function run(job: HalfJob): Promise<void> {
  try {
    for await (const events of extractEvents(readFileCandidates(job.path, job.name, job.start), { presumeClaude: job.presumeClaude })) {
      post({ events });
      const posted = Atomics.add(job.counts, 0, events.length) + events.length;
      // Far enough ahead of what the first half has taken: wait for it (see halves.ts).
      for (let taken = Atomics.load(job.counts, 1); posted - taken > job.ahead; taken = Atomics.load(job.counts, 1)) Atomics.wait(job.counts, 1, taken);
    }
    post({ done: true });
  } catch (err) {
    post({ failed: { code: (err as NodeJS.ErrnoException).code, message: (err as Error).message } });
  }
}

// One job; the thread ends after it, as nothing else listens.
parentPort!.once('message', (job: HalfJob) => void run(job));
