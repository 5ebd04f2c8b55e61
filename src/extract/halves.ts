// A large file scanned as two halves at once, the second in a worker thread: the machine's
// second core takes on half of a long log. The cut falls where the whole scan has a gap
// (src/input/split.ts), so the events are the ones a single pass finds, in the same order.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { fileCandidates, InputError, readError, tolerant, type Source } from '../input/sources.js';
import { findCut } from '../input/split.js';
import type { ErrorEvent } from '../types.js';
import { extractEvents, type ExtractOptions } from './extract.js';

export interface HalfJob {
  path: string;
  name: string;
  start: number;
  presumeClaude: boolean;
  /** Shared [events posted, events taken]. */
  counts: Int32Array;
  /** How far posted may run ahead of taken. */
  ahead: number;
}

export type HalfMessage = { events: ErrorEvent[] } | { done: true } | { failed: { code?: string; message: string } };

const WORKER = new URL('./half-worker.js', import.meta.url);

/** Whether the machine can read a file of `size` bytes with a second thread. */
function worthSplitting(size: number): boolean {
  // Run from source (tests import the TypeScript), there is no built worker to start.
  return size > 0 && availableParallelism() >= 2 && existsSync(fileURLToPath(WORKER));
}

/** A worker booted ahead of its job: a thread takes tens of milliseconds to start. */
let booted: Worker | undefined;

// A small young generation: the worker's garbage is short-lived lines, and its heap comes on top
// of this thread's, so the default's headroom would show in peak memory.
const boot = () => new Worker(WORKER, { resourceLimits: { maxYoungGenerationSizeMb: 8 } });

/**
 * Where to cut `source` (a file big enough to be worth it) in two, if it can be cut cleanly. The
 * second thread boots while the cut is looked for, and is ended if there is none.
 */
export async function planCut(source: Source): Promise<number | undefined> {
  if (!source.file || !worthSplitting(source.file.size)) return undefined;
  booted ??= boot();
  // Until it has a job, it keeps nothing alive: a run that fails meanwhile still ends.
  booted.unref();
  const cut = findCut(source.file.path, source.file.size);
  if (cut === undefined) {
    const worker = booted;
    booted = undefined;
    await worker.terminate();
  }
  return cut;
}

/**
 * Events the worker may have posted and the first half not yet taken: a log dense with errors
 * makes the worker wait here, rather than pile up events in memory while the first half runs.
 */
const AHEAD = 16384;

/** Events of `source` read as [0, cut) here and [cut, end) in a worker, in file order. */
export async function* scanHalves(
  source: Source & { file: { path: string } },
  cut: number,
  options: ExtractOptions = {},
  unreadable?: (err: InputError) => void,
  ahead = AHEAD,
): AsyncGenerator<ErrorEvent[]> {
  // [events posted, events taken]: the worker waits on the second while it runs `ahead`.
  const counts = new Int32Array(new SharedArrayBuffer(8));
  const job: HalfJob = { path: source.file.path, name: source.name, start: cut, presumeClaude: options.presumeClaude ?? false, counts, ahead };
  const worker = booted ?? boot();
  booted = undefined;
  worker.ref();
  const later = new Later(worker, source.name);
  worker.postMessage(job);
  try {
    let linesBefore: number | undefined;
    const first = tolerant(fileCandidates(source.name, source.file.path, 0, cut), unreadable);
    yield* extractEvents(counting(first, (n) => (linesBefore = n)), options);
    // The first half could not be read to its end: what it held is reported, and the second
    // half's line numbers cannot be known.
    if (linesBefore === undefined) return;
    for (;;) {
      let events: ErrorEvent[] | undefined;
      try {
        events = await later.next();
      } catch (err) {
        if (!unreadable || !(err instanceof InputError)) throw err;
        unreadable(err);
        return;
      }
      if (!events) return;
      Atomics.add(counts, 1, events.length);
      Atomics.notify(counts, 1);
      for (const e of events) {
        e.line += linesBefore;
        e.endLine += linesBefore;
      }
      yield events;
    }
  } finally {
    await worker.terminate();
  }
}

/** The worker's batches as they arrive, taken one at a time; undefined once it is done. */
class Later {
  private batches: ErrorEvent[][] = [];
  private done = false;
  private failure: unknown;
  private wake: (() => void) | undefined;

  constructor(worker: Worker, name: string) {
    const settle = (f: () => void) => {
      f();
      this.wake?.();
    };
    worker.on('message', (m: HalfMessage) =>
      settle(() => {
        if ('events' in m) this.batches.push(m.events);
        else if ('done' in m) this.done = true;
        else this.failure ??= readError(name, Object.assign(new Error(m.failed.message), { code: m.failed.code }));
      }),
    );
    worker.on('error', (err) => settle(() => (this.failure ??= err)));
    worker.on('exit', (code) => settle(() => (code === 0 ? (this.done = true) : (this.failure ??= new Error(`the scan's worker thread stopped with code ${code}`)))));
  }

  async next(): Promise<ErrorEvent[] | undefined> {
    for (;;) {
      const batch = this.batches.shift();
      if (batch) return batch;
      if (this.failure !== undefined) throw this.failure;
      if (this.done) return undefined;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
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
