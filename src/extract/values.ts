// Reads key/value pairs out of JSON, Python reprs and JSON escaped inside JSON, without a full parse.
//
// Pasted bodies are often invalid JSON: hard-wrapped, truncated, single-quoted, unquoted, or
// escaped once or twice inside another document. Instead of parsing, we find keys and read their
// values, tracking the escape level of the opening quote so that `\"` inside a level-0 string and
// `\\\"` inside a level-1 string are both skipped correctly.
import { isSpaceChar, isWordChar } from '../chars.js';

export interface KeyHit {
  key: string;
  /** Offset of the key's first character (or of its opening quote). */
  start: number;
  /** Offset where the value starts. */
  valueStart: number;
}

export interface ValueRead {
  value: string;
  end: number;
  quoted: boolean;
  /** The closing quote was not found: the paste was truncated. */
  truncated: boolean;
}

/**
 * What a key looks like: a name we care about, quoted (at any escape level) or not, and a `:` or
 * `=`. KeyReader reads keys as this regex, global, would find them, without running it: it costs
 * some 160 ns a key, as long as the rest of a block's reading. test/properties.test.ts holds the two to each other.
 */
export const KEYS = /(\\*["']?)\b(type|message|request_id|request-id|requestId|error_code|code|status|statusCode|status_code|custom_id)\1\s*(?:=>|[:=])\s*/g;

/**
 * The names KEYS knows, by their last letter, longest first where one ends another (`error_code`,
 * `code`): the regex tries the earlier start first.
 */
const ENDING_E = ['status_code', 'statusCode', 'error_code', 'message', 'type', 'code'];
const ENDING_D = ['request_id', 'request-id', 'requestId', 'custom_id'];
const ENDING_S = ['status'];

const isQuote = (c: number) => c === 34 || c === 39;

interface KeyMatch {
  /** As KEYS names it. */
  name: string;
  start: number;
  /** Where the match ends: the value's start. */
  end: number;
  /**
   * It has a quote or backslashes around its name, a `:`, or a quoted value (a Lua table's
   * `type = "overloaded_error"`): a bare `type=` or `code=` in prose is too loose.
   */
  key: boolean;
}

/**
 * The matches of KEYS in `text` from `from` on, one by one, as KEYS.exec would find them with
 * `lastIndex` at `from` and on. Every match holds one `:` or `=`, after its name, its closing quote
 * and spaces: each one is looked back from. The name's closing (backslashes and a quote) must open it too.
 */
class KeyReader {
  private colon: number;
  private equals: number;

  constructor(
    private readonly text: string,
    private from: number,
  ) {
    this.colon = text.indexOf(':', from);
    this.equals = text.indexOf('=', from);
  }

  next(): KeyMatch | undefined {
    const { text, from } = this;
    while (this.colon !== -1 || this.equals !== -1) {
      const isColon = this.equals === -1 || (this.colon !== -1 && this.colon < this.equals);
      const p = isColon ? this.colon : this.equals;
      if (isColon) this.colon = text.indexOf(':', p + 1);
      else this.equals = text.indexOf('=', p + 1);
      let close = p;
      while (close > from && isSpaceChar(text.charCodeAt(close - 1))) close--;
      let nameEnd = close;
      if (nameEnd > from && isQuote(text.charCodeAt(nameEnd - 1))) nameEnd--;
      while (nameEnd > from && text.charCodeAt(nameEnd - 1) === 92) nameEnd--;
      const closing = close - nameEnd;
      const name = nameAt(text, nameEnd, from + closing);
      if (name === undefined) continue;
      const start = nameEnd - name.length - closing;
      if (!opens(text, start, nameEnd, closing)) continue;
      // `\b` before the name: an opening quote or backslash is none of a word's characters.
      if (closing === 0 && start > 0 && isWordChar(text.charCodeAt(start - 1))) continue;
      let end = p + 1;
      // Ruby's hash rocket: `"type" => "overloaded_error"`.
      if (!isColon && text.charCodeAt(end) === 62) end++;
      while (end < text.length && isSpaceChar(text.charCodeAt(end))) end++;
      // The next search starts where this match ends.
      this.from = end;
      return { name, start, end, key: closing > 0 || isColon || isQuote(text.charCodeAt(end)) };
    }
    return undefined;
  }
}

/** Whether the `length` characters at `start` are those at `closing`: the name's quote opens as it closes. */
function opens(text: string, start: number, closing: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (text.charCodeAt(start + i) !== text.charCodeAt(closing + i)) return false;
  return true;
}

/** The name KEYS knows that ends at `end` and starts at or after `min`, if any. */
function nameAt(text: string, end: number, min: number): string | undefined {
  const last = end > 0 ? text.charCodeAt(end - 1) : 0;
  // Most separators close a name that is not ours (`'error': {`): its last letter says so.
  const names = last === 101 ? ENDING_E : last === 100 ? ENDING_D : last === 115 ? ENDING_S : undefined;
  for (let i = 0; names !== undefined && i < names.length; i++) {
    const name = names[i]!;
    if (end - name.length >= min && endsAt(text, end, name)) return name;
  }
  return undefined;
}

/** Whether `name` ends at `end` in `text`, compared from its end: names that share a last letter differ soon before it. */
function endsAt(text: string, end: number, name: string): boolean {
  for (let i = name.length - 2, j = end - 2; i >= 0; i--, j--) if (text.charCodeAt(j) !== name.charCodeAt(i)) return false;
  return true;
}

/** Every occurrence of a key we care about, in order. */
export function findKeys(text: string): KeyHit[] {
  const hits: KeyHit[] = [];
  const reader = new KeyReader(text, 0);
  for (let m = reader.next(); m; m = reader.next()) {
    if (m.key) hits.push({ key: normaliseKey(m.name), start: m.start, valueStart: m.end });
  }
  return hits;
}

/**
 * The first `key` that findKeys finds in the stretch [from, to) of `text`, looked for in place: an
 * error body's `message`, without a copy of the body or a list of every key in it.
 */
export function firstKey(text: string, key: string, from: number, to: number): KeyHit | undefined {
  const reader = new KeyReader(text, from);
  for (let m = reader.next(); m && m.end <= to; m = reader.next()) {
    if (m.key && normaliseKey(m.name) === key) return { key, start: m.start, valueStart: m.end };
  }
  return undefined;
}

function normaliseKey(key: string): string {
  if (key === 'request-id' || key === 'requestId') return 'request_id';
  if (key === 'statusCode' || key === 'status_code') return 'status';
  return key;
}

const MAX_VALUE = 16_000;

function backslashesBefore(text: string, index: number): number {
  let n = 0;
  while (index - 1 - n >= 0 && text.charCodeAt(index - 1 - n) === 92) n++;
  return n;
}

/** Undo one level of JSON / Python string escaping. */
export function unescapeOnce(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_m, c: string) => {
    switch (c[0]) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'u':
        return String.fromCharCode(parseInt(c.slice(1), 16));
      case 'x':
        return String.fromCharCode(parseInt(c.slice(1), 16));
      default:
        return c;
    }
  });
}

/**
 * The `message` of a JSON body that starts at `at` (within the 4000 characters after it),
 * squeezed, and where its value ends: a wrapper's or a gateway's body with no API envelope.
 */
export function messageAt(text: string, at: number): { value: string; end: number } | undefined {
  const hit = firstKey(text, 'message', at, at + 4000);
  const read = hit ? readValue(text, hit.valueStart) : undefined;
  return read ? { value: squeeze(read.value), end: read.end } : undefined;
}

/** Read the value that starts at `at`: a quoted string at any escape level, or a bare token. */
export function readValue(text: string, at: number): ValueRead | undefined {
  let i = at;
  // Python 2 unicode and Python 3 bytes literals: u'…', b'…'.
  if ((text[i] === 'u' || text[i] === 'b') && (text[i + 1] === "'" || text[i + 1] === '"')) i++;
  let level = 0;
  while (text.charCodeAt(i) === 92) {
    level++;
    i++;
  }
  const q = text[i];
  if (q === '"' || q === "'") {
    const limit = Math.min(text.length, i + 1 + MAX_VALUE);
    let j = i + 1;
    for (;;) {
      j = text.indexOf(q, j);
      if (j === -1 || j >= limit) {
        return { value: unescapeTimes(text.slice(i + 1, limit), level + 1), end: limit, quoted: true, truncated: true };
      }
      if (backslashesBefore(text, j) === level) break;
      j++;
    }
    const raw = text.slice(i + 1, j - level);
    return { value: unescapeTimes(raw, level + 1), end: j + 1, quoted: true, truncated: false };
  }
  if (level > 0) return undefined;
  // Bare token: numbers, null/None, and unquoted reprs such as `{type: error, message: invalid x-api-key}`.
  const m = /^[^,}\]\n]*/.exec(text.slice(i, i + 2000));
  const value = (m?.[0] ?? '').trim();
  if (!value) return undefined;
  return { value, end: i + (m?.[0].length ?? 0), quoted: false, truncated: false };
}

function unescapeTimes(s: string, times: number): string {
  let out = s;
  for (let k = 0; k < times && out.includes('\\'); k++) out = unescapeOnce(out);
  return out;
}

const WHITESPACE_RUN = /\s+/g;
/** Whitespace other than single spaces: a run, a tab, a line break, another kind of space. */
const ODD_SPACE = /\s\s|[^\S ]/;

/**
 * `s` trimmed, each run of whitespace in it one space. Most messages hold single spaces only, and
 * replacing each with itself cost four times a look for anything else.
 */
export function squeeze(s: string): string {
  return (ODD_SPACE.test(s) ? s.replace(WHITESPACE_RUN, ' ') : s).trim();
}

/** Strip the gaps a terminal puts inside an identifier when it wraps (`overload     ed_error`). */
export function joinIdentifier(value: string): string {
  // Most hold no gap: a look for one costs less than a replace that finds none.
  return /\s/.test(value) ? value.replace(WHITESPACE_RUN, '') : value;
}
