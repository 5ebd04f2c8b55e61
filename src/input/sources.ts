// Named inputs (files, `-` for stdin) checked up front and opened as byte streams one at a time.
import { createReadStream, fstatSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { decodeUtf16 } from './utf16.js';
import type { Line } from '../types.js';
import { readCandidateLines, type Gap } from './candidates.js';
import { readLines } from './lines.js';

export interface Source {
  name: string;
  open(): Readable;
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
    try {
      const st = statSync(p);
      if (st.isDirectory()) throw Object.assign(new Error('dir'), { code: 'EISDIR' });
    } catch (err) {
      throw new InputError(`cannot read '${p}': ${reason(err)}`);
    }
    return { name: p, open: () => decodeUtf16(createReadStream(p, { highWaterMark: 1 << 20 })) };
  });
}

/**
 * Only the candidate lines of every source, with their windows (the scan's fast path). A source
 * that fails while being read (removed, replaced, an I/O error) goes to `unreadable` and the scan
 * goes on, so that what was read is still reported; without `unreadable`, it ends the scan.
 */
export async function* sourceCandidates(sources: Source[], unreadable?: (err: InputError) => void): AsyncGenerator<Line | Gap> {
  for (const s of sources) {
    try {
      yield* readCandidateLines(s.open(), s.name);
    } catch (err) {
      const failed = new InputError(`cannot read '${s.name}': ${reason(err)}`);
      if (!unreadable) throw failed;
      unreadable(failed);
    }
    yield { gap: true };
  }
}

/** Lines of every source in turn. A source that fails mid-read ends with an InputError. */
export async function* sourceLines(sources: Source[]): AsyncGenerator<Line> {
  for (const s of sources) {
    try {
      yield* readLines(s.open(), s.name);
    } catch (err) {
      throw new InputError(`cannot read '${s.name}': ${reason(err)}`);
    }
  }
}
