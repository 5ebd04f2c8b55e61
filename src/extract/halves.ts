// A large file scanned as two halves at once, the second in a worker thread: the machine's
// second core halves the wall time of a long log. The cut falls where the whole scan has a gap
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
}

export type HalfMessage = { events: ErrorEvent[] } | { done: true } | { failed: { code?: string; message: string } };

const WORKER = new URL('./half-worker.js', import.meta.url);

/** Where to cut `source` (a file big enough to be worth it) in two, if it can be cut cleanly. */
export function cutFor(source: Source): number | undefined {
  if (!source.file || availableParallelism() < 2) return undefined;
  // Run from source (tests import the TypeScript), there is no built worker to start.
  if (!existsSync(fileURLToPath(WORKER))) return undefined;
  return findCut(source.file.path, source.file.size);
}

/** Events of `source` read as [0, cut) here and [cut, end) in a worker, in file order. */
export async function* scanHalves(
  source: Source & { file: { path: string } },
  cut: number,
  options: ExtractOptions = {},
  unreadable?: (err: InputError) => void,
): AsyncGenerator<ErrorEvent[]> {
  const job: HalfJob = { path: source.file.path, name: source.name, start: cut, presumeClaude: options.presumeClaude ?? false };
  const worker = new Worker(WORKER, { workerData: job });
  const later: ErrorEvent[][] = [];
  const finished = new Promise<void>((resolve, reject) => {
    worker.on('message', (m: HalfMessage) => {
      if ('events' in m) later.push(m.events);
      else if ('done' in m) resolve();
      else reject(readError(source.name, Object.assign(new Error(m.failed.message), { code: m.failed.code })));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the scan's worker thread stopped with code ${code}`))));
  });
  // Settled either way before it is awaited, so a failure while the first half runs is not unhandled.
  finished.catch(() => undefined);
  try {
    let linesBefore: number | undefined;
    const first = tolerant(fileCandidates(source.name, source.file.path, 0, cut), unreadable);
    yield* extractEvents(counting(first, (n) => (linesBefore = n)), options);
    // The first half could not be read to its end: what it held is reported, and the second
    // half's line numbers cannot be known.
    if (linesBefore === undefined) return;
    try {
      await finished;
    } catch (err) {
      if (!unreadable || !(err instanceof InputError)) throw err;
      unreadable(err);
    }
    for (const events of later) {
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
