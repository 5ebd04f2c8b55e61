// A large file scanned as two halves at once, the second in a worker thread: the machine's
// second core takes on half of a long log. The cut falls where the whole scan has a gap
// (src/input/split.ts), so each half finds the events a single pass finds there, and the worker's
// findings merge into this thread's as if one thread had read on.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { fileCandidates, InputError, readError, tolerant, type Source } from './input/sources.js';
import { findCut } from './input/split.js';
import type { Collected, FindingCollector } from './engine/findings.js';
import { takenLiterals } from './engine/literal.js';
import type { LoadedRule } from './engine/load.js';
import type { RuleSet } from './engine/ruleset.js';
import { extractEvents, type ExtractOptions } from './extract/extract.js';

export interface HalfJob {
  path: string;
  name: string;
  start: number;
  presumeClaude: boolean;
  /** The rule set in force, as data: the worker matches its own events (see compileRules). */
  rules: LoadedRule[];
  builtin: number;
  /** The literals of the built-in rules' regexes, worked out at build time (see literal.ts). */
  literals: [string, string[] | null][];
}

export type HalfMessage = { collected: Collected } | { failed: { code?: string; message: string } };

const WORKER = new URL('./half-worker.js', import.meta.url);

/** Whether the machine can read a file of `size` bytes with a second thread. */
function worthSplitting(size: number): boolean {
  // Run from source (tests import the TypeScript), there is no built worker to start.
  return size > 0 && availableParallelism() >= 2 && existsSync(fileURLToPath(WORKER));
}

// TurboFan inlines up to 920 bytes of callees' bytecode into a function it optimises. The scan's
// hot functions then take long to compile, on the same two cores that read the log, in a run too
// short to repay it: four V8 helper threads used 190 ms of CPU against the main thread's 315 ms on
// a 100 MB log. With 150, the 500 MB bench log scanned in 0.93x the time and 0.91x the CPU
// (alternated runs); 2 GB took the same time, and a log dense with errors about 2% more. It is
// set here, for large files only: a changed flag costs every start a few milliseconds (a pasted
// error took 4% longer), and it is read at each compile, so now is soon enough; the worker shares it.
setFlagsFromString('--max-inlined-bytecode-size-cumulative=150');

/** A worker booted ahead of its job: a thread takes tens of milliseconds to start. */
let booted: Worker | undefined;

// The worker's young generation is capped, as its heap comes on top of this thread's. At 8 MB,
// a log with an error on every tenth line cost it 147 young collections (233 ms of pauses, many
// spent waiting for helper threads the other core cannot run); at 32 MB that log scans in 0.92x
// the time, 500 MB and 2 GB sparse logs in 0.97x, and the 2 GB run peaks at 107 MB, not 99.
const boot = () => new Worker(WORKER, { resourceLimits: { maxYoungGenerationSizeMb: 32 } });

/**
 * Where to cut `source` (a file big enough to be worth it, or from `sparseMinimum` bytes when few
 * of its lines are near an error) in two, if it can be cut cleanly. The second thread boots while
 * the cut is looked for (after, for a file that may be left whole), and is ended if there is none.
 */
export async function planCut(source: Source, sparseMinimum = 0): Promise<number | undefined> {
  if (!source.file || !worthSplitting(source.file.size)) return undefined;
  const start = () => {
    booted ??= boot();
    // Until it has a job, it keeps nothing alive: a run that fails meanwhile still ends.
    booted.unref();
  };
  // A file that may be left whole (a sparse one under `sparseMinimum`, most of those) is looked at
  // before a thread boots for it: booted and ended for nothing, one cost a 50 MB sparse log 30 ms.
  if (source.file.size >= sparseMinimum) start();
  const cut = findCut(source.file.path, source.file.size, sparseMinimum);
  if (cut !== undefined) start();
  else if (booted) {
    const worker = booted;
    booted = undefined;
    await worker.terminate();
  }
  return cut;
}

/**
 * Read `source` as [0, cut) here and [cut, end) in a worker, into `collector`: the worker matches
 * its own events and posts back its findings, so this thread never handles the second half's
 * events one by one, and the result is what one pass gives.
 */
export async function scanHalves(
  source: Source & { file: { path: string } },
  cut: number,
  collector: FindingCollector,
  set: RuleSet,
  options: ExtractOptions = {},
  unreadable?: (err: InputError) => void,
): Promise<void> {
  const job: HalfJob = { path: source.file.path, name: source.name, start: cut, presumeClaude: options.presumeClaude ?? false, rules: set.rules, builtin: set.builtin, literals: takenLiterals() };
  const worker = booted ?? boot();
  booted = undefined;
  worker.ref();
  const later = outcome(worker, source.name);
  worker.postMessage(job);
  try {
    let linesBefore: number | undefined;
    const first = tolerant(fileCandidates(source.name, source.file.path, 0, cut), unreadable);
    for await (const events of extractEvents(counting(first, (n) => (linesBefore = n)), options)) for (const e of events) collector.add(e);
    // The first half could not be read to its end: what it held is reported, and the second
    // half's line numbers cannot be known.
    if (linesBefore === undefined) return;
    const second = await later;
    if ('failed' in second) {
      if (!unreadable || !(second.failed instanceof InputError)) throw second.failed;
      unreadable(second.failed);
      return;
    }
    collector.merge(second.collected, linesBefore);
  } finally {
    await worker.terminate();
  }
}

/**
 * What the worker ends with: its findings, or why it failed. It never rejects, so a failure while
 * the first half is still being read waits here to be reported in order.
 */
function outcome(worker: Worker, name: string): Promise<{ collected: Collected } | { failed: unknown }> {
  return new Promise((resolve) => {
    worker.once('message', (m: HalfMessage) =>
      resolve('collected' in m ? m : { failed: readError(name, Object.assign(new Error(m.failed.message), { code: m.failed.code })) }),
    );
    worker.once('error', (err) => resolve({ failed: err }));
    worker.once('exit', (code) => resolve({ failed: new Error(`the scan's worker thread stopped with code ${code} before it was done`) }));
  });
}

/** Pass the batches on, and hand over the generator's result (the line count) when it ends. */
async function* counting<T>(gen: AsyncGenerator<T, number | undefined>, onEnd: (n: number | undefined) => void): AsyncGenerator<T> {
  for (let r = await gen.next(); ; r = await gen.next()) {
    if (r.done) {
      onEnd(r.value);
      return;
    }
    yield r.value;
  }
}
