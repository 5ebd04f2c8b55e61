// Where a large file can be cut in two so that each half scans on its own exactly as the whole
// would: at a line that no candidate's window reaches, where the whole scan has a gap anyway.
import { closeSync, openSync, readSync } from 'node:fs';
import { holdsKeyArmour, RESUME_LINES, WINDOW, windowShare } from './candidates.js';
import { ByteScanner } from './prefilter.js';

/** How much of the file around where it is cut is looked at for a quiet stretch. */
const LOOK = 1 << 20;
const LF = 10;
/**
 * How much more than half the first half takes: the worker starts its half some 50 ms later (a
 * thread's boot) and warms up its own rule matcher, about this much reading of a sparse log at
 * one thread's pace.
 */
const LEAD = 16 << 20;

/**
 * The byte offset of a line start a little past the middle of `path` (see LEAD) such that the
 * line before it is more than WINDOW lines from any line holding a trigger word; undefined when
 * none of the regions looked at (see cutFrom) has such a line outside bytes only the text path handles.
 * Redaction must not need what lies across the cut either: no window opens within RESUME_LINES
 * after it (redaction reads those lines again), and no private key is near it (its body lines are
 * only known as such from its BEGIN line). Also undefined when the file is smaller than
 * `sparseMinimum` and few lines of the first region looked at are near a trigger word.
 */
export function findCut(path: string, size: number, sparseMinimum = 0): number | undefined {
  const middle = Math.floor(size / 2);
  // One scanner for all looks: it is tuned to the file by the first.
  const scanner = new ByteScanner();
  // Where windows cover most lines, every line goes through the extractor and a thread reads a
  // log some ten times slower: a lead would be seconds of work, not the worker's late start (the
  // first half of a 100 MB log with an error on every tenth line finished a second after the
  // second). Such a log is cut at its middle, so the middle is looked at first: a dense log is
  // judged, and most often cut, by one look.
  const atMiddle = cutNear(scanner, path, size, middle);
  if (atMiddle.dense) return cutFrom(scanner, path, size, middle, atMiddle);
  // A sparse log is read so fast that a smaller one is done before a second thread pays off.
  if (size < sparseMinimum) return undefined;
  return cutFrom(scanner, path, size, middle + Math.min(LEAD, Math.floor(size / 8)));
}

/** Regions looked at for a quiet stretch, each after the last, before the file is read in one piece. */
const TRIES = 8;

/**
 * The first cut at or after `target` in the regions from it on (`first`: the first region's, if
 * already looked at). In a log with an error on every tenth line quiet stretches come a few
 * hundred KiB apart, and one region can hold none: the bench's 100 MB log has none between 53.2
 * and 55.1 MB, and was read by one thread (2.5 s, not 1.8) when asked to cut past 53.4.
 */
function cutFrom(scanner: ByteScanner, path: string, size: number, target: number, first?: { cut?: number }): number | undefined {
  let found = first ?? cutNear(scanner, path, size, target);
  for (let k = 1, at = target; found.cut === undefined && k < TRIES; k++) {
    // The regions overlap by a quarter: a stretch at one's end is whole in the next.
    at += (LOOK * 3) / 4;
    if (at >= size) break;
    found = cutNear(scanner, path, size, at);
  }
  return found.cut;
}

/** A cut at or after `target` (see findCut), and whether the region looked at is dense with candidates. */
function cutNear(scanner: ByteScanner, path: string, size: number, target: number): { cut?: number; dense: boolean } {
  const none = { dense: false };
  const from = Math.max(0, target - LOOK / 4);
  const length = Math.min(LOOK, size - from);
  scanner.reserve(length);
  const b = scanner.bytes;
  const fd = openSync(path, 'r');
  let got = 0;
  try {
    while (got < length) {
      const n = readSync(fd, b, got, length - got, from + got);
      if (n === 0) break;
      got += n;
    }
  } finally {
    closeSync(fd);
  }
  // Whole lines only: from the first line start in the region to its last line end.
  const first = from === 0 ? 0 : b.indexOf(LF) + 1;
  const end = b.lastIndexOf(LF, got - 1) + 1;
  if ((from > 0 && first === 0) || end <= first) return none;
  const { survey, triggers } = scanner.sweep(first, end);
  if (survey.unusual || holdsKeyArmour(b, first, end, survey)) return none;

  const starts: number[] = [];
  for (let at = first; at < end; at = b.indexOf(LF, at) + 1) starts.push(at);
  const hot = new Uint8Array(starts.length);
  let line = 0;
  let hotLines = 0;
  for (const at of triggers) {
    while (line + 1 < starts.length && starts[line + 1]! <= at) line++;
    if (!hot[line]) hotLines++;
    hot[line] = 1;
  }
  // Dense: windows keep more than half the lines (the reader's own test, for a chunk, is all of them).
  const dense = windowShare(hotLines, starts.length) > 1 / 2;
  // The first line past the target with no trigger within WINDOW lines before it, nor within
  // WINDOW + RESUME_LINES after it.
  const past = target - from;
  let quiet = 0; // trigger-free lines in a row, up to the current one
  for (let i = 0; i < starts.length; i++) {
    quiet = hot[i] ? 0 : quiet + 1;
    const centre = i - WINDOW - RESUME_LINES;
    if (quiet >= 2 * WINDOW + 1 + RESUME_LINES && starts[centre]! >= past) return { cut: from + starts[centre + 1]!, dense };
  }
  return { dense };
}
