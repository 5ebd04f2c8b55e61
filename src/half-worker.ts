// Worker thread: reads a file from a cut to its end through the fast path and the extractor,
// matches the events, and posts back its findings (see halves.ts). Line numbers count from the cut.
// It boots while the cut is still being looked for, so the job comes as its first message.
import { parentPort } from 'node:worker_threads';
import { FindingCollector } from './engine/findings.js';
import { knownLiterals } from './engine/literal.js';
import { compileRules } from './engine/ruleset.js';
import { readFileCandidates } from './input/candidates.js';
import { extractEvents } from './extract/extract.js';
import type { HalfJob, HalfMessage } from './halves.js';

const post = (m: HalfMessage) => parentPort!.postMessage(m);

async function run(job: HalfJob): Promise<void> {
  try {
    knownLiterals(job.literals);
    const collector = new FindingCollector(compileRules(job.rules, job.builtin));
    for await (const events of extractEvents(readFileCandidates(job.path, job.name, job.start), { presumeClaude: job.presumeClaude })) {
      for (const e of events) collector.add(e);
    }
    post({ collected: collector.collected() });
  } catch (err) {
    post({ failed: { code: (err as NodeJS.ErrnoException).code, message: (err as Error).message } });
  }
}

// One job; the thread ends after it, as nothing else listens.
parentPort!.once('message', (job: HalfJob) => void run(job));
