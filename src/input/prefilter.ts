// Finds trigger words in raw bytes with a small WebAssembly module (prefilter.wat): a hashed
// 3-byte-gram table narrows the positions, then each one is checked exactly against the words.
import { existsSync, readFileSync } from 'node:fs';
import { MAY_HOLD_ANY, MAY_HOLD_GAP, MAY_HOLD_SECRET } from './redact.js';
import { GATE_WORDS } from './secret-rules.js';
import { LITERALS } from './trigger.js';

// The two gram tables, as prefilter.wat reads them: a byte per 2^15 hashes, then a bit per 2^21.
const COARSE = 0;
const COARSE_BYTES = 1 << 15;
const FINE = COARSE_BYTES;
const FINE_BYTES = 1 << 18;
const OUT = FINE + FINE_BYTES;
const OUT_MAX = 1 << 14;
/** The LF count before each 4 KiB block of the last range surveyed (up to 64 MiB of it). */
const INDEX = OUT + OUT_MAX * 4;
const INDEX_BLOCKS = 1 << 14;
const BLOCK_BITS = 12;
/** What `sweep` reports besides its hits: the survey's word, and where it stopped recording hits. */
const STATS = INDEX + INDEX_BLOCKS * 4;
/** The secret tables (see `marks` in prefilter.wat, which has their addresses): like COARSE and FINE. */
const SECRET_COARSE = STATS + 16;
const SECRET_FINE = SECRET_COARSE + COARSE_BYTES;
/** Where input bytes go in the module's memory. */
const INPUT = SECRET_FINE + FINE_BYTES;
/** Bytes past the input that the module may read (it loads whole words and vectors). */
const SLACK = 32;
const PAGE = 1 << 16;
/** Input seen before the grams are chosen for it. */
const TUNE_BYTES = 1 << 16;

interface WasmExports {
  memory: WebAssembly.Memory;
  scan(p: number, end: number, out: number, max: number, key: number): number;
  count(p: number, end: number, byte: number): number;
  coarseHits(p: number, end: number, key: number): number;
  sweep(p: number, end: number, out: number, max: number, index: number, stats: number, key: number): number;
  marks(p: number, end: number, out: number, max: number, key: number): number;
}

/** What one pass over a range of input found. */
export interface Survey {
  /** How many LFs it holds. */
  lines: number;
  /** No byte above 127: it reads the same as Latin-1, which decodes faster than UTF-8. */
  ascii: boolean;
  /** An ESC or a lone CR: bytes that only the text path handles. */
  unusual: boolean;
  /** Control bytes (other than tab, LF and CR) that cleaning replaces. */
  controls: boolean;
  /** Perhaps five dashes in a row, as private-key armour has (four at an even offset are taken for them). */
  dashes: boolean;
}

// Rough share of each character in log text (English letter frequencies, space most common,
// capitals a tenth of their lower case): a word is found by its rarest four characters.
const LETTERS = 'etaoinshrdlcumwfgypbvkjxqz';
const SHARE = [12.7, 9.1, 8.2, 7.5, 7, 6.7, 6.3, 6.1, 6, 4.3, 4, 2.8, 2.8, 2.4, 2.4, 2.2, 2, 2, 1.9, 1.5, 1, 0.8, 0.15, 0.15, 0.1, 0.07];
function share(ch: string): number {
  if (ch === ' ') return 15;
  const lower = ch.toLowerCase();
  const i = LETTERS.indexOf(lower);
  if (i === -1) return ch >= '0' && ch <= '9' ? 1 : 0.5;
  return ch === lower ? SHARE[i]! : SHARE[i]! / 10;
}

const gramAt = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);
// A gram's slots: the top bits of its product with the scanner's key (see prefilter.wat).
const fine = (gram: number, key: number) => Math.imul(gram, key) >>> 11;
const coarse = (gram: number, key: number) => Math.imul(gram, key) >>> 17;
/**
 * Keys to choose from, odd multipliers known to spread bits well; the first until an input is seen.
 * Any fixed key lets some gram common in a given log share a coarse slot with a word's gram, and
 * then a good share of the sweep's steps go to the fine table for nothing.
 */
export const KEYS: readonly number[] = [0x9e3779b1, 0x85ebca77, 0xc2b2ae3d, 0x27d4eb2f, 0x165667b1, 0xd3a2646d, 0xfd7046c5, 0xb55a4f09];

/**
 * The module `npm run build` assembles (src/input/build-prefilter.ts), compiled on first use: in
 * dist/input/ beside this file, or beside the bundle's folder; run from source (the tests), in
 * dist/ after a build. Read synchronously, so that no module of the CLI awaits at its top level
 * (the bundle is CommonJS: src/cli/build-bundle.ts).
 */
let compiled: WebAssembly.Module | undefined;
function wasmModule(): WebAssembly.Module {
  if (compiled) return compiled;
  for (const path of ['../input/prefilter.wasm', '../../dist/input/prefilter.wasm']) {
    const built = new URL(path, import.meta.url);
    if (existsSync(built)) return (compiled = new WebAssembly.Module(readFileSync(built)));
  }
  throw new Error('dist/input/prefilter.wasm is missing: run `npm run build`');
}
const WORDS = LITERALS.map((l) => Buffer.from(l, 'latin1'));

/** Where the windows of four characters a word can be found by start, rarest by letter share first. */
function windowsOf(word: string): number[] {
  const rarity = Array.from({ length: word.length - 3 }, (_, o) => share(word[o]!) * share(word[o + 1]!) * share(word[o + 2]!) * share(word[o + 3]!));
  return rarity.map((_, o) => o).sort((a, b) => rarity[a]! - rarity[b]!);
}
const WINDOWS = LITERALS.map(windowsOf);

/** Set a gram's slot in a coarse table and its bit in the fine table after it, hashed with `key`. */
function setGram(table: Uint8Array, gram: number, key: number): void {
  const h = fine(gram, key);
  table[COARSE_BYTES + (h >> 3)] = table[COARSE_BYTES + (h >> 3)]! | (1 << (h & 7));
  table[coarse(gram, key)] = 1;
}

/** A window of the module's memory that holds input, and the searches over it. */
export class ByteScanner {
  private readonly wasm: WasmExports;
  /** For each registered gram: the words it was taken from, and where in them. */
  private words = new Map<number, { word: Uint8Array; at: number }[]>();
  private tuned = false;
  /** Whether the secret tables are filled: only `marks` reads them, and most scans never call it. */
  private secrets = false;
  /** The multiplier that hashes grams into the tables. */
  private key: number;
  /** Where the last range surveyed starts, when its LF index is in memory. */
  private surveyed: number | undefined;
  /** The input area; replaced when memory grows. */
  bytes: Buffer;

  /** `keys`: the multipliers it may hash with (tests try each one alone). */
  constructor(private readonly keys: readonly number[] = KEYS) {
    this.key = keys[0]!;
    this.wasm = new WebAssembly.Instance(wasmModule()).exports as unknown as WasmExports;
    this.bytes = this.view();
    // Until the input has been seen, every window of every word is registered.
    this.register(WINDOWS.map((w) => w));
    this.fillTables();
  }

  /** Look for each word by the two grams of each of its chosen windows. */
  private register(windows: number[][]): void {
    this.words = new Map();
    windows.forEach((starts, i) => {
      const word = WORDS[i]!;
      // Two overlapping grams, so that one of them starts at an even offset wherever the word is.
      for (const at of new Set(starts.flatMap((o) => [o, o + 1]))) {
        const gram = gramAt(word, at);
        const list = this.words.get(gram) ?? [];
        list.push({ word, at });
        this.words.set(gram, list);
      }
    });
  }

  /** Fill both tables with the registered grams, hashed with the current key. */
  private fillTables(): void {
    const table = new Uint8Array(this.wasm.memory.buffer, COARSE, COARSE_BYTES + FINE_BYTES).fill(0);
    for (const gram of this.words.keys()) setGram(table, gram, this.key);
  }

  /**
   * Keep, for each word, the window whose grams this input holds least often: a log full of
   * `POST` makes `Cannot POST` a poor thing to look for by its last four letters.
   */
  private tune(grams: Map<number, number>, start: number, end: number): void {
    this.tuned = true;
    const seen = (word: Uint8Array, at: number) => grams.get(gramAt(word, at)) ?? 0;
    const windows = WINDOWS.map((starts, i) => {
      const word = WORDS[i]!;
      const cost = (o: number) => Math.max(seen(word, o), seen(word, o + 1));
      // Stable: among equally rare windows, the rarest by letter share wins.
      return [[...starts].sort((a, b) => cost(a) - cost(b))[0]!];
    });
    this.register(windows);
    this.key = this.bestKey(start, end);
    this.fillTables();
  }

  /** The key whose coarse table the grams of [start, end) hit least: the sweep looks further least often. */
  private bestKey(start: number, end: number): number {
    const slots = new Uint8Array(this.wasm.memory.buffer, COARSE, COARSE_BYTES);
    let best = this.keys[0]!;
    let fewest = Infinity;
    for (const key of this.keys) {
      slots.fill(0);
      for (const gram of this.words.keys()) slots[coarse(gram, key)] = 1;
      const hits = this.wasm.coarseHits(INPUT + start, INPUT + end, key);
      if (hits < fewest) [best, fewest] = [key, hits];
    }
    return best;
  }

  private view(): Buffer {
    return Buffer.from(this.wasm.memory.buffer, INPUT, this.wasm.memory.buffer.byteLength - INPUT - SLACK);
  }

  /** Make room for `size` bytes of input (contents kept). */
  reserve(size: number): void {
    const need = INPUT + size + SLACK - this.wasm.memory.buffer.byteLength;
    if (need <= 0) return;
    this.wasm.memory.grow(Math.ceil(need / PAGE));
    this.bytes = this.view();
  }

  /**
   * One pass over [start, end): what it holds (Survey) and where trigger words start in it (as
   * triggers() finds them). Afterwards linesBefore() works for offsets in the range.
   */
  sweep(start: number, end: number): { survey: Survey; triggers: number[] } {
    // Untuned, every window of every word is looked for and common grams hit often: a first look
    // at the start tunes the scanner, and the whole range is then swept tuned.
    if (!this.tuned && end - start >= 2 * TUNE_BYTES) this.triggers(start, start + TUNE_BYTES);
    const grams = this.tuned ? undefined : new Map<number, number>();
    const found: number[] = [];
    const n = this.wasm.sweep(INPUT + start, INPUT + end, OUT, OUT_MAX, this.indexFor(start, end), STATS, this.key);
    const [word, stop] = new Int32Array(this.wasm.memory.buffer, STATS, 2);
    const survey = this.decodeSurvey(start, end, word!);
    this.check(n, start, end, found, grams);
    // So many hits that the module stopped recording them: the rest the plain way.
    if (stop! >= 0) this.scanFrom(stop! - INPUT, start, end, found, grams);
    return { survey, triggers: this.finish(start, end, found, grams) };
  }

  private indexFor(start: number, end: number): number {
    return end - start <= INDEX_BLOCKS << BLOCK_BITS ? INDEX : -1;
  }

  private decodeSurvey(start: number, end: number, r: number): Survey {
    this.surveyed = this.indexFor(start, end) >= 0 ? start : undefined;
    return { lines: r & 0x0fffffff, ascii: (r & 0x10000000) === 0, dashes: (r & 0x20000000) !== 0, unusual: (r & 0x40000000) !== 0, controls: (r & 0x80000000) !== 0 };
  }

  /** How many LFs the last range surveyed holds before `at`. */
  linesBefore(at: number): number {
    if (this.surveyed === undefined) return this.count(0, at, 10);
    const block = (at - this.surveyed) >> BLOCK_BITS;
    const from = this.surveyed + (block << BLOCK_BITS);
    return new Int32Array(this.wasm.memory.buffer, INDEX, INDEX_BLOCKS)[block]! + this.count(from, at, 10);
  }

  count(start: number, end: number, byte: number): number {
    return this.wasm.count(INPUT + start, INPUT + end, byte);
  }

  /**
   * What redaction may find in the lines of [start, end), bytes that hold whole lines: the offsets,
   * ascending, of grams of the gate's words (GATE_WORDS) and, with MARK_GAP set, of gaps of spaces;
   * none when there were too many to list.
   */
  marks(start: number, end: number): Int32Array | undefined {
    if (!this.secrets) {
      fillSecretTables(new Uint8Array(this.wasm.memory.buffer, SECRET_COARSE, COARSE_BYTES + FINE_BYTES));
      this.secrets = true;
    }
    const n = this.wasm.marks(INPUT + start, INPUT + end, OUT, OUT_MAX, FIXED_KEY);
    if (n < 0) return undefined;
    const found = new Int32Array(this.wasm.memory.buffer, OUT, n).slice();
    let ordered = true;
    for (let i = 0; i < n; i++) {
      found[i] = (found[i]! & MARK_GAP) | ((found[i]! & ~MARK_GAP) - INPUT);
      ordered &&= i === 0 || (found[i]! & ~MARK_GAP) > (found[i - 1]! & ~MARK_GAP);
    }
    // A step lists its gaps before its grams.
    return ordered ? found : found.sort((x, y) => (x & ~MARK_GAP) - (y & ~MARK_GAP));
  }

  /** Offsets in [start, end) where a trigger word starts, ascending (every one, lines not considered). */
  triggers(start: number, end: number): number[] {
    const grams = this.tuned ? undefined : new Map<number, number>();
    const found: number[] = [];
    this.scanFrom(start, start, end, found, grams);
    return this.finish(start, end, found, grams);
  }

  /** Scan [from, end) and check its hits (for words within [start, end)). */
  private scanFrom(from: number, start: number, end: number, found: number[], grams?: Map<number, number>): void {
    for (;;) {
      const n = this.wasm.scan(INPUT + from, INPUT + end, OUT, OUT_MAX, this.key);
      this.check(n, start, end, found, grams);
      if (n < OUT_MAX - 4) return;
      from = new Int32Array(this.wasm.memory.buffer, OUT, OUT_MAX)[n - 1]! - INPUT + 2;
    }
  }

  /** Check the module's `n` raw hits exactly against the words; count their grams while untuned. */
  private check(n: number, start: number, end: number, found: number[], grams?: Map<number, number>): void {
    const out = new Int32Array(this.wasm.memory.buffer, OUT, n);
    const b = this.bytes;
    for (let i = 0; i < n; i++) {
      const q = out[i]! - INPUT;
      const gram = gramAt(b, q);
      if (grams) grams.set(gram, (grams.get(gram) ?? 0) + 1);
      // An indexed loop: a for-of here made an iterator (and an empty array) for every position.
      const words = this.words.get(gram);
      for (let k = 0; words !== undefined && k < words.length; k++) {
        const { word, at } = words[k]!;
        const s = q - at;
        if (s >= start && s + word.length <= end && matches(b, s, word)) {
          found.push(s);
          break;
        }
      }
    }
  }

  private finish(start: number, end: number, found: number[], grams?: Map<number, number>): number[] {
    if (grams && end - start >= TUNE_BYTES) this.tune(grams, start, end);
    // Words found through grams at different offsets in them can come out of order, or twice.
    for (let i = 1; i < found.length; i++) if (found[i]! <= found[i - 1]!) return [...new Set(found)].sort((x, y) => x - y);
    return found;
  }
}

/** The bit that says a mark is a gap of spaces, not a gram. */
const MARK_GAP = 1 << 31;
/** The multiplier of tables filled once, for any input: the secret tables. */
const FIXED_KEY = KEYS[0]!;
const fold = (byte: number) => byte | 0x20;

/** A gram of a gate word: the word, folded, where in it the gram starts, and what must follow it. */
interface GateGram {
  word: Uint8Array;
  at: number;
  rest: ((b: Uint8Array, at: number, end: number) => boolean) | undefined;
}
/** The gate words by their folded grams, as the secret tables hold them; made with the first scanner. */
let gateGrams: Map<number, GateGram[]> | undefined;
const foldedGram = (a: number, b: number, c: number) => fold(a) | (fold(b) << 8) | (fold(c) << 16);

/**
 * The gate's words by the grams `marks` looks for, each byte folded as it folds input bytes. A word
 * is looked for at even offsets, so each is listed under the grams at its first two offsets; a
 * three-character word's second gram runs one byte past it, into any byte.
 */
function gateWordGrams(): Map<number, GateGram[]> {
  const grams = new Map<number, GateGram[]>();
  const add = (gram: number, g: GateGram) => grams.set(gram, [...(grams.get(gram) ?? []), g]);
  for (const [text, rest] of GATE_WORDS) {
    const word = Buffer.from(text, 'latin1').map(fold);
    add(foldedGram(word[0]!, word[1]!, word[2]!), { word, at: 0, rest });
    if (word.length > 3) add(foldedGram(word[1]!, word[2]!, word[3]!), { word, at: 1, rest });
    else for (let x = 0; x < 256; x++) add(foldedGram(word[1]!, word[2]!, x), { word, at: 1, rest });
  }
  return grams;
}

function fillSecretTables(table: Uint8Array): void {
  table.fill(0);
  for (const gram of (gateGrams ??= gateWordGrams()).keys()) setGram(table, gram, FIXED_KEY);
}

/** Whether a gate word, and what must follow it, is where `marks` found a gram at `q` of the line [start, end). */
function gateWordAt(b: Uint8Array, q: number, start: number, end: number): boolean {
  const listed = gateGrams!.get(foldedGram(b[q]!, b[q + 1]!, b[q + 2]!));
  for (let i = 0; listed !== undefined && i < listed.length; i++) {
    const { word, at, rest } = listed[i]!;
    const s = q - at;
    if (s < start || s + word.length > end) continue;
    let k = 0;
    while (k < word.length && fold(b[s + k]!) === word[k]) k++;
    if (k === word.length && (!rest || rest(b, s + word.length, end))) return true;
  }
  return false;
}

/**
 * Where a stretch of the whole lines in `bytes` that starts at `start` ends: after the LF that
 * follows `span` bytes more, or at `end` (the end of the whole lines) if that comes first.
 */
export function stretchEnd(bytes: Uint8Array, start: number, span: number, end: number): number {
  const lf = start + span < end ? bytes.indexOf(10, start + span) : -1;
  return lf === -1 || lf >= end ? end : lf + 1;
}

const LOOK_SPAN = 1 << 14;

/**
 * What redaction may find in each line of the complete lines in a scanner's first `end` bytes,
 * asked line after line: a look at bytes, so that most lines need no regex to be told they hold
 * no secret (MAY_HOLD_SECRET) and no search for a gap of spaces (MAY_HOLD_GAP).
 */
export class LineLooks {
  private from = 0;
  private to = 0;
  private found: Int32Array | undefined;
  private next = 0;

  /** `span`: bytes looked at a time, to the next line end (tests look at a few, and so again at almost every line). */
  constructor(
    private readonly scanner: ByteScanner,
    private readonly end: number,
    private readonly span = LOOK_SPAN,
  ) {}

  /** For the line that starts at `start` and ends with the LF at `lineEnd`. */
  at(start: number, lineEnd: number): number {
    if (start < this.from || lineEnd >= this.to) this.look(start);
    const found = this.found;
    if (!found) return MAY_HOLD_ANY;
    while (this.next < found.length && (found[this.next]! & ~MARK_GAP) < start) this.next++;
    let may = 0;
    const b = this.scanner.bytes;
    for (let i = this.next; i < found.length; i++) {
      const at = found[i]! & ~MARK_GAP;
      if (at >= lineEnd) break;
      if (found[i]! & MARK_GAP) may |= MAY_HOLD_GAP;
      // Most grams found are of `tokens` or a URL: what follows the word says whether the gate would look.
      else if ((may & MAY_HOLD_SECRET) === 0 && gateWordAt(b, at, start, lineEnd)) may |= MAY_HOLD_SECRET;
    }
    return may;
  }

  /** Look at the lines from `start` on, some `span` bytes of them, ending with a whole line. */
  private look(start: number): void {
    this.from = start;
    this.to = stretchEnd(this.scanner.bytes, start, this.span, this.end);
    this.found = this.scanner.marks(start, this.to);
    this.next = 0;
  }
}

function matches(b: Uint8Array, at: number, word: Uint8Array): boolean {
  for (let i = 0; i < word.length; i++) if (b[at + i] !== word[i]) return false;
  return true;
}
