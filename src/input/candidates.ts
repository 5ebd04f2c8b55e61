// The scan's fast path: most lines of a real log can hold no Claude error. A prefilter over raw
// bytes finds the lines that might (prefilter.ts); only windows of lines around them are decoded,
// cleaned and handed to the extractor. A `gap` marks where lines were skipped.
import { closeSync, openSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Line } from '../types.js';
import { cutAt, linePieces, MAX_LINE_CHARS, stripTerminal } from './lines.js';
import { ByteScanner, LineLooks, stretchEnd, type Survey } from './prefilter.js';
import { KEY_ARMOUR, keyBlockAfter, MAY_HOLD_ANY, Redactor } from './redact.js';
import { hasTrigger, triggerPattern } from './trigger.js';

/** Lines kept on each side of a candidate line: more than the extractor's context (20 lines). */
export const WINDOW = 25;

/**
 * How many of `lines` lines the windows around `candidates` candidate lines would keep, as a share
 * (more than 1 where they overlap): how much of a stretch of input goes through the extractor.
 */
export const windowShare = (candidates: number, lines: number) => (candidates * (2 * WINDOW + 1)) / lines;

/** Lines read again when redaction picks up after skipped lines: a key cut by a narrow terminal's wraps spans this many. */
export const RESUME_LINES = 4;
/** Lines remembered from the previous chunk: a window's worth, and the lines redaction reads again. */
const BEFORE = WINDOW + RESUME_LINES;

export interface Gap {
  gap: true;
}

/**
 * Bytes read from a file at a time. A chunk's kept lines go to the extractor as one batch, alive
 * until it is done with them: in a log dense with errors, a 1 MiB chunk's batch outlived young
 * garbage collections and filled the old generation (peak RSS 160 MB for 100 MB against 100 MB).
 */
const FILE_CHUNK = 1 << 18;
const LF = 10;
const CR = 13;

/**
 * Candidate lines with their windows, in order, and a gap wherever lines were skipped: a batch
 * per chunk read, since a step of an async iteration costs more than the extractor spends on a line.
 */
export async function* readCandidateLines(stream: Readable, source: string): AsyncGenerator<(Line | Gap)[], number> {
  const reader = new CandidateReader(source);
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    const { buffer, offset } = reader.room(bytes.length);
    bytes.copy(buffer, offset);
    const batch: Out = [];
    reader.took(bytes.length, batch);
    if (batch.length > 0) yield batch;
  }
  return yield* ending(reader);
}

/**
 * The same for bytes [start, end) of a file, read straight into the prefilter's memory: no buffer
 * per chunk to allocate and collect, so memory stays flat however long the file.
 */
export async function* readFileCandidates(path: string, source: string, start = 0, end = Infinity): AsyncGenerator<(Line | Gap)[], number> {
  const reader = new CandidateReader(source);
  // Synchronous reads: a scan has nothing else to do meanwhile, and an asynchronous read into
  // WebAssembly memory cost four times what the same read does synchronously.
  const fd = openSync(path, 'r');
  try {
    for (let at = start; at < end; ) {
      const want = Math.min(FILE_CHUNK, end - at);
      const { buffer, offset } = reader.room(want);
      const got = readSync(fd, buffer, offset, want, at);
      if (got === 0) break;
      at += got;
      const batch: Out = [];
      reader.took(got, batch);
      if (batch.length > 0) yield batch;
    }
  } finally {
    closeSync(fd);
  }
  return yield* ending(reader);
}

async function* ending(reader: CandidateReader): AsyncGenerator<(Line | Gap)[], number> {
  const rest: Out = [];
  reader.end(rest);
  if (rest.length > 0) yield rest;
  return reader.lineCount;
}

type Out = (Line | Gap)[];

interface Kept {
  n: number;
  raw: string;
  /** The line starts inside a private key block. */
  inKey?: boolean;
}

const withoutCR = (raw: string) => (raw.endsWith('\r') ? raw.slice(0, -1) : raw);

/** Whole lines as bytes, each ending in LF, the first numbered `first`. */
interface HeldLines {
  bytes: Buffer;
  first: number;
  encoding: 'latin1' | 'utf8';
}

/** A remembered line is kept no longer than a piece: memory stays bounded. */
const clip = (raw: string) => (raw.length > MAX_LINE_CHARS ? raw.slice(0, MAX_LINE_CHARS) : raw);

/** Held lines decoded, clipped as remember() keeps them. */
function keptLines(held: HeldLines): Kept[] {
  const lines = held.bytes.toString(held.encoding).slice(0, -1).split('\n');
  return lines.map((raw, i) => ({ n: held.first + i, raw: clip(raw) }));
}

// Lines go into an `out` array rather than out of generators: this runs for every kept line.
class CandidateReader {
  private readonly scanner = new ByteScanner();
  /** Bytes at the start of the scanner's input: a line the next chunk finishes. */
  private held = 0;
  /** Lines fully consumed before the current chunk. */
  private lineNo = 0;
  /** The last lines before the chunk, for a candidate near its start (see beforeLines()). */
  private before: Kept[] = [];
  /**
   * Or those lines still as bytes: most chunks have no candidate near their start, so the lines
   * are decoded only when one asks for them.
   */
  private beforeBytes: HeldLines | undefined;
  /** Lines still owed to a window that ran past the previous chunk. */
  private afterLeft = 0;
  private lastEmitted = 0;
  /** An endless line handed over in pieces: more of it may follow. */
  private continuing = 0;
  // Redaction carries state from line to line (a private key's body, a key cut by a wrap). Kept
  // lines go through it in order; after skipped lines it resumes from the lines just before.
  private readonly redactor = new Redactor();
  /** The next chunk starts inside a private key block. */
  private inKey = false;

  constructor(private readonly source: string) {}

  /** Lines read so far (all of them, once the input has ended). */
  get lineCount(): number {
    return this.lineNo;
  }

  /** Where the next `n` bytes of input go. */
  room(n: number): { buffer: Buffer; offset: number } {
    this.scanner.reserve(this.held + n);
    return { buffer: this.scanner.bytes, offset: this.held };
  }

  /**
   * Take the `n` bytes just put where room() said. Only complete lines are looked at; the rest
   * waits for the next chunk, so a character split between chunks is never cut.
   */
  took(n: number, out: Out): void {
    const size = this.held + n;
    const cut = lastLineEnd(this.scanner.bytes, size);
    if (cut === -1) {
      this.held = size;
      if (size >= MAX_LINE_CHARS * 4) this.endlessPiece(out);
      return;
    }
    this.complete(cut + 1, out);
    this.scanner.bytes.copyWithin(0, cut + 1, size);
    this.held = size - cut - 1;
  }

  end(out: Out): void {
    const rest = lineEnds(this.scanner.bytes.toString('utf8', 0, this.held));
    this.held = 0;
    if (rest) this.lines(rest, !rest.endsWith('\n'), out);
  }

  /** The complete lines in the first `end` bytes of the scanner's input. */
  private complete(end: number, out: Out): void {
    const { survey, triggers } = this.scanner.sweep(0, end);
    // Terminal escapes can join the halves of a word, and a lone CR ends a line: such chunks are
    // rare enough to go the way of text. So are chunks with a private key, whose body lines
    // redaction must know as such even when a window opens among them.
    const b = this.scanner.bytes;
    const key = this.inKey || holdsKeyArmour(b, 0, end, survey);
    if (survey.unusual || key) this.lines(lineEnds(b.toString('utf8', 0, end)), false, out);
    else this.bytesPath(end, survey, triggers, out);
  }

  /**
   * Each kept line once, in order, cleaned only now; a gap where lines were skipped. `prior` gives
   * this chunk's lines just before line `n`, for redaction to pick up from after a gap; `may`, what
   * a look at the line's bytes says it may hold (LineLooks).
   */
  private emit(n: number, raw: string, hit: boolean, out: Out, prior?: (n: number) => Kept[], plain = false, may = MAY_HOLD_ANY): void {
    if (n < this.lastEmitted || (n === this.lastEmitted && n !== this.continuing)) return;
    if (this.lastEmitted > 0 && n > this.lastEmitted + 1) out.push({ gap: true });
    if (n !== this.lastEmitted + 1 && n !== this.lastEmitted) this.resume(n, prior?.(n) ?? []);
    this.lastEmitted = n;
    const text = withoutCR(raw);
    // `plain`: the bytes were seen to hold no escape or control byte, so only redaction is left to do.
    if (text.length <= MAX_LINE_CHARS) out.push({ source: this.source, line: n, text: plain ? this.redactor.line(text, false, may) : this.redactor.line(stripTerminal(text)), hit });
    else for (const piece of linePieces(this.source, n, text, this.redactor, hit)) out.push(piece);
  }

  /** Redaction reads the lines before line `n` again: those of this chunk in `known`, else remembered ones. */
  private resume(n: number, known: Kept[]): void {
    const prior: Kept[] = [];
    for (let m = Math.max(1, n - RESUME_LINES); m < n; m++) {
      const l = known.find((k) => k.n === m) ?? this.beforeLines().find((k) => k.n === m);
      if (l) prior.push(l);
    }
    this.redactor.resume(
      prior.map((l) => stripTerminal(withoutCR(l.raw))),
      prior[0]?.inKey ?? false,
    );
  }

  /** A window that starts before this chunk: the lines it wants from the previous one. */
  private earlier(from: number, out: Out): void {
    // Only lines not yet emitted: a piece of an endless line already went out whole.
    for (const l of this.beforeLines()) if (l.n >= from && l.n > this.lastEmitted) this.emit(l.n, l.raw, false, out);
  }

  private beforeLines(): Kept[] {
    if (this.beforeBytes) {
      this.before = keptLines(this.beforeBytes);
      this.beforeBytes = undefined;
    }
    return this.before;
  }

  private remember(tail: Kept[]): void {
    // A window reaching back wants whole lines of ordinary length; of a line in pieces, only the
    // last piece is kept, and no line beyond one piece's length, so memory stays bounded.
    const last = tail[tail.length - 1];
    const kept = tail.length >= BEFORE ? [] : this.beforeLines().filter((l) => l.n !== last?.n);
    this.beforeBytes = undefined;
    const lines = [...kept, ...tail.filter((l, i) => i === tail.length - 1 || l.n !== tail[i + 1]!.n)].slice(-BEFORE);
    this.before = lines.map((l) => (l.raw.length > MAX_LINE_CHARS ? { ...l, raw: clip(l.raw) } : l));
  }

  /** Lines ending in LF, read as bytes: only candidate lines and their windows are decoded. */
  private bytesPath(end: number, survey: Survey, triggers: number[], out: Out): void {
    const scanner = this.scanner;
    const b = scanner.bytes;
    const total = survey.lines;
    const first = this.lineNo + 1;
    const last = this.lineNo + total;

    // Candidate lines: number and where they start and end.
    const candidates: { n: number; start: number; end: number }[] = [];
    for (const at of triggers) {
      const prev = candidates.length > 0 ? candidates[candidates.length - 1] : undefined;
      if (prev && at <= prev.end) continue;
      const start = at === 0 ? 0 : b.lastIndexOf(LF, at - 1) + 1;
      candidates.push({ n: first + scanner.linesBefore(start), start, end: b.indexOf(LF, at) });
    }

    // A cursor over the lines: where the next one starts, and its number.
    let pos = 0;
    let n = first;
    let next = 0; // the first candidate not behind the cursor
    const plain = !survey.controls;
    // Windows of lines that cover most of the chunk: the kept lines are looked at and decoded by
    // stretches. In a sparse chunk both cost more than they save: a window is a few KiB, and most
    // of a stretch would be skipped text (on the 500 MB sparse bench log the look took 130 ms of
    // CPU against the 85 it spared, and decoding by stretches raised the 2 GB one's peak RSS from
    // 115 MB to 193).
    const covered = windowShare(candidates.length, total) >= 1;
    // What redaction may find in a line, from its bytes; cleaning could change that, so only for plain lines.
    const looks = plain && covered ? new LineLooks(scanner, end) : undefined;
    const encoding = survey.ascii ? 'latin1' : 'utf8';
    // The lines of this chunk just before the cursor, walked back from it (for redaction).
    const prior = (): Kept[] => {
      const lines: Kept[] = [];
      let q = pos;
      for (let k = n - 1; k >= Math.max(first, n - RESUME_LINES); k--) {
        const start = q < 2 ? 0 : b.lastIndexOf(LF, q - 2) + 1;
        lines.push({ n: k, raw: b.toString(encoding, start, q - 1) });
        q = start;
      }
      return lines;
    };
    const ascii = survey.ascii && covered ? new AsciiLines(b, end) : undefined;
    const take = () => {
      const raw = ascii ? ascii.line(pos) : undefined;
      const lineEnd = ascii ? ascii.lineEnd : b.indexOf(LF, pos);
      while (next < candidates.length && candidates[next]!.n < n) next++;
      const may = looks ? looks.at(pos, lineEnd) : MAY_HOLD_ANY;
      this.emit(n, raw ?? b.toString(encoding, pos, lineEnd), next < candidates.length && candidates[next]!.n === n, out, prior, plain, may);
      pos = lineEnd + 1;
      n++;
    };

    const owed = Math.min(this.afterLeft, total);
    this.afterLeft -= owed;
    while (n < first + owed) take();
    for (const c of candidates) {
      const from = c.n - WINDOW;
      if (from < first) this.earlier(from, out);
      if (n < from) {
        // Skip ahead: walk back from the candidate to the window's first line.
        let p = c.start;
        for (let k = c.n; k > from; k--) p = p < 2 ? 0 : b.lastIndexOf(LF, p - 2) + 1;
        pos = p;
        n = from;
      }
      while (n <= Math.min(c.n + WINDOW, last)) take();
      if (c.n + WINDOW > last) this.afterLeft = Math.max(this.afterLeft, c.n + WINDOW - last);
    }

    // Remember the tail for the next chunk's early candidates: as a copy of its bytes when the
    // chunk holds all of it (the usual case), to be decoded only if asked for.
    let p = end;
    let k = last;
    for (; k >= first && last - k < BEFORE; k--) p = p < 2 ? 0 : b.lastIndexOf(LF, p - 2) + 1;
    const tail: HeldLines = { bytes: Buffer.from(b.subarray(p, end)), first: k + 1, encoding };
    if (last - k === BEFORE) this.beforeBytes = tail;
    else this.remember(keptLines(tail));
    this.lineNo = last;
  }

  /**
   * The same over text: `text` holds complete lines, each ending in LF, except with `final` a last
   * piece with no LF at all.
   */
  private lines(text: string, final: boolean, out: Out): void {
    const ends: number[] = [];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) ends.push(i);
    if (final) ends.push(text.length);
    const count = ends.length;
    const startOf = (k: number) => (k === 0 ? 0 : ends[k - 1]! + 1);
    const lineText = (k: number) => text.slice(startOf(k), ends[k]);
    const numberOf = (k: number) => this.lineNo + k + 1;

    // Which lines start inside a private key block: a cheap look for a marker first, keys are rare.
    let keyAt: Uint8Array | undefined;
    if (this.inKey || text.includes(KEY_ARMOUR)) {
      keyAt = new Uint8Array(count);
      for (let j = 0; j < count; j++) {
        keyAt[j] = this.inKey ? 1 : 0;
        this.inKey = keyBlockAfter(this.inKey, stripTerminal(withoutCR(lineText(j))));
      }
    }
    const kept = (j: number): Kept => ({ n: numberOf(j), raw: lineText(j), inKey: keyAt?.[j] === 1 });
    // One function for the chunk, not one per kept line: it is asked only after skipped lines.
    const prior = (n: number): Kept[] => {
      const j = n - this.lineNo - 1;
      const lines: Kept[] = [];
      for (let i = Math.max(0, j - RESUME_LINES); i < j; i++) lines.push(kept(i));
      return lines;
    };

    // Which lines to keep: those owed to the previous window, and windows around candidates.
    // A candidate is marked 2, so the extractor runs its recognisers there only.
    const keep = new Uint8Array(count);
    for (let k = 0; k < Math.min(this.afterLeft, count); k++) keep[k] = 1;
    this.afterLeft = Math.max(0, this.afterLeft - count);
    for (const k of candidateLines(text, ends)) {
      if (k < WINDOW) this.earlier(numberOf(k - WINDOW), out);
      for (let j = Math.max(0, k - WINDOW); j <= Math.min(count - 1, k + WINDOW); j++) keep[j] ||= 1;
      keep[k] = 2;
      if (k + WINDOW >= count) this.afterLeft = Math.max(this.afterLeft, k + WINDOW - count + 1);
    }
    for (let j = 0; j < count; j++) if (keep[j]) this.emit(numberOf(j), lineText(j), keep[j] === 2, out, prior);
    const tail: Kept[] = [];
    for (let j = Math.max(0, count - BEFORE); j < count; j++) tail.push(kept(j));
    this.remember(tail);
    this.lineNo += count;
  }

  // An endless line: hand it over in pieces rather than holding it all; the piece continues the
  // same line. It is cut where no error body straddles the cut (see cutAt); the rest starts the next.
  private endlessPiece(out: Out): void {
    const b = this.scanner.bytes;
    let end = this.held;
    while (end > 0 && (b[end - 1]! & 0xc0) === 0x80) end--; // not inside a character
    if (end > 0 && b[end - 1]! >= 0xc0) end--;
    const text = b.toString('utf8', 0, end);
    const cut = cutAt(text, text.length, 0);
    const rest = Buffer.concat([Buffer.from(text.slice(cut)), b.subarray(end, this.held)]);
    this.lines(`${text.slice(0, cut)}\n`, false, out);
    this.lineNo -= 1;
    this.continuing = this.lineNo + 1;
    rest.copy(this.scanner.bytes, 0);
    this.held = rest.length;
  }
}

/** Bytes of ASCII lines decoded at a time: one call into Buffer for a stretch of lines, not one a line. */
const DECODE_SPAN = 1 << 13;

/**
 * The lines of an ASCII chunk, whose first `end` bytes are whole lines, asked for in order (with
 * skips): each stretch of them is decoded once and cut into lines in JS, where a character is a byte.
 */
class AsciiLines {
  private text = '';
  /** The bytes `text` holds: [start, stop), whole lines. */
  private start = 0;
  private stop = 0;
  /** Where the LF of the line asked for last is. */
  lineEnd = 0;

  constructor(
    private readonly bytes: Buffer,
    private readonly end: number,
  ) {}

  /** The line that starts at byte `pos`, without its LF. */
  line(pos: number): string {
    if (pos < this.start || pos >= this.stop) {
      this.stop = stretchEnd(this.bytes, pos, DECODE_SPAN, this.end);
      this.start = pos;
      this.text = this.bytes.toString('latin1', pos, this.stop);
    }
    const from = pos - this.start;
    const lf = this.text.indexOf('\n', from);
    this.lineEnd = this.start + lf;
    return this.text.slice(from, lf);
  }
}

/** Whether bytes [start, end) hold private-key armour: redaction must then read every line in order. */
export function holdsKeyArmour(b: Buffer, start: number, end: number, survey: Survey): boolean {
  return survey.dashes && b.subarray(start, end).includes(KEY_ARMOUR);
}

/** Indexes of the lines of `text` (ending at `ends`) that hold a trigger, in order. */
function candidateLines(text: string, ends: number[]): number[] {
  const found: number[] = [];
  const trigger = triggerPattern();
  let k = 0;
  for (let m = trigger.exec(text); m; m = trigger.exec(text)) {
    while (k + 1 < ends.length && ends[k]! < m.index) k++;
    found.push(k);
    // Skip the rest of this line: one match per line is enough.
    trigger.lastIndex = k < ends.length ? ends[k]! + 1 : text.length;
  }
  // Colour codes can split a word (`Err\x1b[1mor`); such lines are judged as the extractor sees them.
  let esc = text.indexOf('\x1b');
  if (esc === -1) return found;
  const extra = new Set<number>();
  let checked = -1;
  k = 0;
  for (; esc !== -1; esc = text.indexOf('\x1b', esc + 1)) {
    while (k + 1 < ends.length && ends[k]! < esc) k++;
    if (k === checked) continue;
    checked = k;
    if (hasTrigger(stripTerminal(text.slice(k === 0 ? 0 : ends[k - 1]! + 1, ends[k])))) extra.add(k);
  }
  return extra.size === 0 ? found : [...new Set([...found, ...extra])].sort((a, b) => a - b);
}

/**
 * Where the last complete line of the first `size` bytes of `buf` ends: its last LF, or a later
 * lone CR (a CR at the very end may be half a CRLF, so it waits for the next chunk).
 */
function lastLineEnd(buf: Buffer, size: number): number {
  if (size === 0) return -1;
  const lf = buf.lastIndexOf(LF, size - 1);
  const cr = buf.lastIndexOf(CR, size - 1);
  return cr > lf && cr < size - 1 ? cr : lf;
}

/** A lone CR ends a line too, as in the plain path. */
function lineEnds(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}
