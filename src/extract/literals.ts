// Which of the extractor's literals a block holds, found in one pass over its bytes, so that a
// regex is not run on a block that lacks every literal its matches hold. Of the hundred-odd
// patterns that recognisers and signals try on an error, most find nothing, and V8 takes some
// 5 ns a character to say so; the pass (prefilter.wat's `scan` and `marks`) takes a fraction.
import { requiredLiterals } from '../engine/literal.js';
import { findable, WordScanner, type Word } from '../input/prefilter.js';

/** Blocks looked at before the scanner is built: a pasted error never pays for it. */
const WARM_UP = 2000;

interface Gated {
  re: RegExp;
  /** The ids of the words every match holds one of; null when it has none the pass can look for; undefined until the scanner is built. */
  ids: number[] | null | undefined;
}

/** Every regex given a quick no. */
const gated: Gated[] = [];
const words: Word[] = [];
const ids = new Map<string, number>();
let scanner: WordScanner | undefined;
let looked = 0;
let lastText: string | undefined;
let lastFound = new Uint8Array(0);

/** Read `g`'s literals (engine/literal.ts) and give each an id: only when the scanner is built. */
function resolve(g: Gated): void {
  const { re } = g;
  const literals = requiredLiterals(re.source);
  // Caseless and Unicode, `k` matches the Kelvin sign and `s` the long s: folding bytes cannot tell.
  if (!literals || (re.ignoreCase && re.unicode) || !literals.every((text) => findable({ text, caseless: re.ignoreCase }))) {
    g.ids = null;
    return;
  }
  g.ids = literals.map((text) => {
    const key = `${re.ignoreCase ? 'i' : ''}/${text}`;
    let id = ids.get(key);
    if (id === undefined) {
      id = words.push({ text, caseless: re.ignoreCase }) - 1;
      ids.set(key, id);
      // A word added after the scanner was built needs a new one.
      scanner = undefined;
      lastText = undefined;
    }
    return id;
  });
}

/**
 * Look for the literals in `text`, a block the recognisers are about to read: until the next block,
 * a regex asked about it (or about text equal to it, the block's own event) may be spared. Other
 * text, such as the context around an event, is not looked at: its regexes run as they are.
 */
export function lookAt(text: string): void {
  if (text === lastText) return;
  lastText = undefined;
  if (!scanner) {
    if (++looked < WARM_UP) return;
    for (const g of gated) if (g.ids === undefined) resolve(g);
    scanner = new WordScanner(words);
    lastFound = new Uint8Array(words.length);
  }
  lastFound.fill(0);
  scanner.find(text, lastFound);
  lastText = text;
}

/**
 * A quick no for `re`: false only when `text` is the block looked at and lacks every literal that
 * each match of `re` holds (engine/literal.ts). True whenever that cannot be told.
 */
export function quick(re: RegExp): (text: string) => boolean {
  const g: Gated = { re, ids: undefined };
  gated.push(g);
  // Given after the scanner was built (by nothing so far), it is read at once.
  if (scanner) resolve(g);
  return (text) => {
    const mine = g.ids;
    if (!mine || text !== lastText) return true;
    for (let i = 0; i < mine.length; i++) if (lastFound[mine[i]!]) return true;
    return false;
  };
}

/** `re.test(text)`, after a quick no (`re` must not be global: a test would move its lastIndex). */
export function quickTest(re: RegExp): (text: string) => boolean {
  const may = quick(re);
  return (text) => may(text) && re.test(text);
}

/**
 * For tests, which read few blocks: build the scanner at the next block rather than after the
 * warm-up, or with `on` false, drop it and never build it, as in a run that reads few.
 */
export function warmLiterals(on = true): void {
  looked = on ? WARM_UP : -Infinity;
  if (!on) scanner = undefined;
  lastText = undefined;
}

/** The regexes given a quick no that the pass can look for (for tests; once the scanner is built). */
export function gatedPatterns(): readonly RegExp[] {
  return gated.filter((g) => g.ids).map((g) => g.re);
}
