// Named inputs (files, `-` for stdin) checked up front and opened as byte streams one at a time.
import { closeSync, createReadStream, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import type { Readable } from 'node:stream';
import { decodeUtf16, isUtf16, UTF16_HEAD } from './utf16.js';
import type { Line } from '../types.js';
import { readCandidateLines, readFileCandidates, type Gap } from './candidates.js';
import { readLines } from './lines.js';
import { redact } from './redact.js';

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
  return { name: 'stdin', open: () => decodeUtf16(stream) };
}

/** `claude-doctor < dir` opens fine and then reads as empty: say so rather than report nothing. */
function checkStdin(stdin: Readable): void {
  if (stdin !== process.stdin) return;
  let dir = false;
  try {
    dir = fstatSync(0).isDirectory();
  } catch {
    // No descriptor 0 to look at: reading will say what is wrong.
  }
  if (dir) throw new InputError('cannot read stdin: is a directory');
}

/** Resolve CLI arguments to sources, failing before any output if one cannot be read. */
export function resolveSources(paths: string[], stdin: Readable = process.stdin): Source[] {
  if (paths.length === 0 || paths.includes('-')) checkStdin(stdin);
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
      // The name is shown in every finding's location; a path can hold a key too.
      name: redact(p),
      open: () => decodeUtf16(createReadStream(p, { highWaterMark: CHUNK })),
      // A regular file is read in place, in ranges; UTF-16 goes through the decoding stream.
      ...(st.isFile() && !startsUtf16(p) ? { file: { path: p, size: st.size } } : {}),
    };
  });
}

/** Whether a file begins with a UTF-16 byte order mark that its text confirms. */
function startsUtf16(path: string): boolean {
  const head = Buffer.alloc(UTF16_HEAD);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    return isUtf16(head.subarray(0, readSync(fd, head, 0, head.length, 0)));
  } catch {
    // Reading it for real will say what is wrong.
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Only the candidate lines of every source, with their windows (the scan's fast path), in batches.
 * A source that fails while being read (removed, replaced, an I/O error) goes to `unreadable` and
 * the scan goes on, so that what was read is still reported; without `unreadable`, it ends the scan.
 */
export async function* sourceCandidates(sources: Source[], unreadable?: (err: InputError) => void): AsyncGenerator<(Line | Gap)[]> {
  for (const s of sources) {
    yield* tolerant(s.file ? fileCandidates(s.name, s.file.path) : guarded(s.name, readCandidateLines(s.open(), s.name)), unreadable);
    yield [{ gap: true }];
  }
}

/** The candidate lines of bytes [start, end) of a file; returns how many lines it read. */
export function fileCandidates(name: string, path: string, start?: number, end?: number): AsyncGenerator<(Line | Gap)[], number> {
  return guarded(name, readFileCandidates(path, name, start, end));
}

/**
 * Batches until the source fails, if it does: the failure goes to `unreadable` (when given) and the
 * batches end there, as at the end of the input, so the extractor still settles what it holds.
 * Returns the line count, or undefined after a failure.
 */
export async function* tolerant<T>(gen: AsyncGenerator<T, number>, unreadable?: (err: InputError) => void): AsyncGenerator<T, number | undefined> {
  try {
    return yield* gen;
  } catch (err) {
    if (!unreadable || !(err instanceof InputError)) throw err;
    unreadable(err);
    return undefined;
  }
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
  for (const s of sources) yield* guarded(s.name, readLines(s.open(), s.name));
}
