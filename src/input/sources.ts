// Named inputs (files, `-` for stdin) checked up front and opened as byte streams one at a time.
import { createReadStream, statSync, type Stats } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Line } from '../types.js';
import { readCandidateLines, readFileCandidates, type Gap } from './candidates.js';
import { readLines } from './lines.js';

/** Bytes read at a time from a file. */
const CHUNK = 1 << 20;

export interface Source {
  name: string;
  open(): Readable;
  /** Set for a regular file, which can be read in parts. */
  file?: { path: string; size: number };
}

/** An input that cannot be read: the CLI prints `message` and exits 2. */
export class InputError extends Error {
  override name = 'InputError';
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
};

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return REASONS[code] ?? (code || String(err));
}

/** What the user is told when `name` could not be read. */
export function readError(name: string, err: unknown): InputError {
  return new InputError(`cannot read '${name}': ${reason(err)}`);
}

export function stdinSource(stream: Readable = process.stdin): Source {
  return { name: 'stdin', open: () => stream };
}

/** Resolve CLI arguments to sources, failing before any output if one cannot be read. */
export function resolveSources(paths: string[], stdin: Readable = process.stdin): Source[] {
  if (paths.length === 0) return [stdinSource(stdin)];
  return paths.map((p) => {
    if (p === '-') return stdinSource(stdin);
    let st: Stats;
    try {
      st = statSync(p);
      if (st.isDirectory()) throw Object.assign(new Error('dir'), { code: 'EISDIR' });
    } catch (err) {
      throw readError(p, err);
    }
    return {
      name: p,
      open: () => createReadStream(p, { highWaterMark: CHUNK }),
      ...(st.isFile() ? { file: { path: p, size: st.size } } : {}),
    };
  });
}

/** Only the candidate lines of every source, with their windows (the scan's fast path), in batches. */
export async function* sourceCandidates(sources: Source[]): AsyncGenerator<(Line | Gap)[]> {
  for (const s of sources) {
    yield* s.file ? fileCandidates(s.name, s.file.path) : guarded(s.name, readCandidateLines(s.open(), s.name));
    yield [{ gap: true }];
  }
}

/** The candidate lines of bytes [start, end) of a file; returns how many lines it read. */
export function fileCandidates(name: string, path: string, start?: number, end?: number): AsyncGenerator<(Line | Gap)[], number> {
  return guarded(name, readFileCandidates(path, name, start, end));
}

/** A failure to read becomes the one-line message the user sees. */
async function* guarded<T, R>(name: string, gen: AsyncGenerator<T, R>): AsyncGenerator<T, R> {
  try {
    return yield* gen;
  } catch (err) {
    throw readError(name, err);
  }
}

/** Lines of every source in turn. A source that fails mid-read ends with an InputError. */
export async function* sourceLines(sources: Source[]): AsyncGenerator<Line> {
  for (const s of sources) {
    try {
      yield* readLines(s.open(), s.name);
    } catch (err) {
      throw readError(s.name, err);
    }
  }
}
