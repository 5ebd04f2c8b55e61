// Credentials a wrap cut in two: a terminal's hard wrap (the rest is on the next line), or Claude
// Code's wrap rejoined with its indent left in (a run of spaces mid-line, corpus 009). Per-line rules
// cannot see the second piece, so credentials of a fixed shape are followed across the cut.
import { isWordChar } from '../chars.js';

type Verdict = 'whole' | 'more' | 'no';

interface Shape {
  /** Whether a character code belongs to this credential. */
  char(c: number): boolean;
  /** `s` is a whole credential, the start of one, or neither. */
  judge(s: string): Verdict;
  /** How many leading characters say its kind; they may be shown. */
  keep(s: string): number;
  /** Where a possible start of one ends at `end` in `text` begins, or -1. */
  find(text: string, end: number): number;
}

const isKeyChar = (c: number) => isWordChar(c) || c === 45;
const isUpperAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
const isBase64 = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 47;

/** Start of the run of `char`s that ends at `end`, looking back at most `max` characters. */
function runStart(text: string, end: number, char: (c: number) => boolean, max: number): number {
  let i = end;
  while (i > 0 && end - i < max && char(text.charCodeAt(i - 1))) i--;
  return i;
}

const ANTHROPIC_PREFIX = 'sk-ant-';
/** What a line can end with when a wrap cut the prefix itself. */
const PREFIX_STARTS = ['sk-ant', 'sk-an', 'sk-a', 'sk-', 'sk', 's'];
const KIND = /^[a-z]+\d{2}-/;

// secretlint's bounds for a whole key body ({90,128}); keys measured so far have 95.
const anthropic: Shape = {
  char: isKeyChar,
  judge(s) {
    if (s.length < ANTHROPIC_PREFIX.length) return ANTHROPIC_PREFIX.startsWith(s) ? 'more' : 'no';
    if (!s.startsWith(ANTHROPIC_PREFIX)) return 'no';
    const rest = s.slice(ANTHROPIC_PREFIX.length);
    const body = rest.slice(KIND.exec(rest)?.[0].length ?? 0);
    if (body.length < 90) return 'more';
    return body.length <= 128 ? 'whole' : 'no';
  },
  keep(s) {
    // A piece of the prefix is all kind: it may be shown.
    if (s.length <= ANTHROPIC_PREFIX.length) return s.length;
    const kind = KIND.exec(s.slice(ANTHROPIC_PREFIX.length));
    return Math.min(s.length, ANTHROPIC_PREFIX.length + (kind ? kind[0].length : 0));
  },
  find(text, end) {
    const start = runStart(text, end, isKeyChar, 140);
    // The prefix, whole or cut, starts with `sk` or is an `s` at the end; most runs (a word, a
    // number) hold neither, which is said before any slice. Like the whole key's rule, it may
    // start anywhere in the run (`prod_sk-ant-…`).
    let s = start;
    while (s < end && !(text.charCodeAt(s) === 115 && (s + 1 === end || text.charCodeAt(s + 1) === 107))) s++;
    if (s === end) return -1;
    // A lone `s` ends the run (`263ms`, `tokens`): the run holds no `sk`, so that `s` is all there is.
    if (s + 1 === end) return s;
    const run = text.slice(start, end);
    const at = run.lastIndexOf(ANTHROPIC_PREFIX);
    if (at >= 0) return start + at;
    for (const p of PREFIX_STARTS) if (run.endsWith(p)) return end - p.length;
    return -1;
  },
};

const AWS_PREFIXES = ['AKIA', 'ASIA', 'ABIA', 'ACCA'];
const awsAccessKeyId: Shape = {
  char: isUpperAlnum,
  judge(s) {
    if (s.length < 4) return AWS_PREFIXES.some((p) => p.startsWith(s)) || 'A3T'.startsWith(s) ? 'more' : 'no';
    if (!AWS_PREFIXES.includes(s.slice(0, 4)) && !s.startsWith('A3T')) return 'no';
    return s.length < 20 ? 'more' : s.length === 20 ? 'whole' : 'no';
  },
  // Fewer than four characters past the prefix say nothing; a false start (`ASIAN`) keeps its word.
  keep: (s) => (s.length < 8 ? s.length : 4),
  find(text, end) {
    const start = runStart(text, end, isUpperAlnum, 21);
    const before = start > 0 ? text.charCodeAt(start - 1) : 32;
    // At a word boundary, as the whole key's `\bAKIA` is: after a dash (`prod-AKIA…`) too.
    return start < end && text[start] === 'A' && !isWordChar(before) ? start : -1;
  },
};

// An AWS secret access key is 40 base64 characters and has no prefix: only its name says what it
// is, perhaps with a label between them (`"prod-…"`), which the whole line's rule hides with the key.
const SECRET_NAME = /secret[-_]?access[-_]?key\\*["']?\s*[:=]\s*\\*["']?(?:[\w.-]*[-_.])?$/i;
const awsSecretKey: Shape = {
  char: isBase64,
  judge: (s) => (s.length < 40 ? 'more' : s.length === 40 ? 'whole' : 'no'),
  keep: () => 0,
  find(text, end) {
    const start = runStart(text, end, isBase64, 41);
    return SECRET_NAME.test(text.slice(Math.max(0, start - 64), start)) ? start : -1;
  },
};

const SHAPES = [anthropic, awsAccessKeyId, awsSecretKey];

/** A credential cut at a joint, waiting for its rest. */
export interface Cut {
  shape: Shape;
  text: string;
}

type Range = [start: number, end: number];

/**
 * Whether a key's or an access key id's start may end at `end`, by one look back: an `s` in the
 * run of key characters that ends the run or comes before a `k` (anthropic.find needs one), or an
 * `A` in the run of upper-case letters and digits (awsAccessKeyId.find's run starts with one).
 * Every line is asked, and most end in a word with neither, where each shape walked the run again.
 */
function mayEndKey(text: string, end: number): boolean {
  let upper = true;
  for (let i = end; i > 0 && end - i < 140; i--) {
    const c = text.charCodeAt(i - 1);
    if (!isKeyChar(c)) return false;
    if (c === 115 && (i === end || text.charCodeAt(i) === 107)) return true;
    if (upper && (end - i >= 21 || !isUpperAlnum(c))) upper = false;
    if (upper && c === 65) return true;
  }
  return false;
}

/** A possible start of a credential that ends at `end`, with the part of it to hide. */
function cutAt(text: string, end: number, maybeSecret: boolean): { cut: Cut; hide: Range } | undefined {
  // An AWS secret has no prefix to look for; only a line the gate let through can hold one.
  if (!maybeSecret && !mayEndKey(text, end)) return undefined;
  for (const shape of SHAPES) {
    // Only AWS secrets need their name on the line, which the cheap gate looks for.
    if (shape === awsSecretKey && !maybeSecret) continue;
    const start = shape.find(text, end);
    if (start === -1) continue;
    const s = text.slice(start, end);
    if (shape.judge(s) === 'more') return { cut: { shape, text: s }, hide: [start + shape.keep(s), end] };
  }
  return undefined;
}

const NOTHING: readonly Range[] = Object.freeze([]);
const NO_CUTS = Object.freeze({ hide: NOTHING, outgoing: undefined });

const isSpace = (c: number) => c === 32 || c === 9;
/** The shortest piece of a credential that can fill a wrapped line by itself. */
const MIN_PIECE = 16;

/**
 * Find the pieces of cut credentials in one line: the rest of `incoming` (cut at the end of the
 * previous line) at its start, pieces on both sides of each gap of spaces, and a start at its end.
 * Returns the ranges to hide and the cut the next line may finish. `arriving`: the line is not
 * complete yet (a paste being echoed). `gaps`: false when the line is known to hold no gap.
 */
export function findCuts(text: string, incoming: Cut | undefined, maybeSecret: boolean, arriving = false, gaps = true): { hide: readonly Range[]; outgoing: Cut | undefined } {
  // Runs for every line read: the usual answer, nothing, allocates nothing.
  let hide: readonly Range[] = NOTHING;
  let cut = incoming;
  let at = 0;
  while (at < text.length && isSpace(text.charCodeAt(at))) at++;
  // `gaps` false: the line's bytes were seen to hold no two spaces after its first word.
  let gap = gaps ? text.indexOf('  ', at) : -1;
  for (;;) {
    // The piece from `at` to the next gap (or the end of the line).
    let pieceEnd = gap === -1 ? text.length : gap;
    while (pieceEnd > at && isSpace(text.charCodeAt(pieceEnd - 1))) pieceEnd--;
    if (cut) {
      let end = at;
      while (end < pieceEnd && cut.shape.char(text.charCodeAt(end))) end++;
      const joined = cut.text + text.slice(at, end);
      const verdict = end > at ? cut.shape.judge(joined) : 'no';
      // A piece that does not finish the credential must fill its line, as a wrapped one does; a
      // short word after a short key (`Overloaded`) is not its rest. A line still arriving may grow.
      const fills = end === pieceEnd && (end - at >= MIN_PIECE || (arriving && end === text.length));
      if (verdict === 'whole' || (verdict === 'more' && fills)) {
        const shown = Math.max(0, cut.shape.keep(joined) - cut.text.length);
        if (at + shown < end) hide = [...hide, [at + shown, end]];
        cut = verdict === 'more' ? { shape: cut.shape, text: joined } : undefined;
      } else cut = undefined;
    }
    if (!cut && pieceEnd > at) {
      const found = cutAt(text, pieceEnd, maybeSecret);
      if (found) {
        if (found.hide[0] < found.hide[1]) hide = [...hide, found.hide];
        cut = found.cut;
      }
    }
    if (gap === -1) return hide === NOTHING && !cut ? NO_CUTS : { hide, outgoing: cut };
    at = gap;
    while (at < text.length && isSpace(text.charCodeAt(at))) at++;
    gap = text.indexOf('  ', at);
  }
}
