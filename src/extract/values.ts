// Reads key/value pairs out of JSON, Python reprs and JSON escaped inside JSON, without a full parse.
//
// Pasted bodies are often invalid JSON: hard-wrapped, truncated, single-quoted, unquoted, or
// escaped once or twice inside another document. Instead of parsing, we find keys and read their
// values, tracking the escape level of the opening quote so that `\"` inside a level-0 string and
// `\\\"` inside a level-1 string are both skipped correctly.

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

const KEYS = /(\\*["']?)\b(type|message|request_id|request-id|requestId|error_code|code|status|statusCode|status_code|custom_id)\1\s*[:=]\s*/g;

// `type=` and `code=` in prose are too loose; a key needs a quote or a JSON-ish separator.
const isKey = (m: RegExpExecArray) => m[1] !== '' || m[0].includes(':');

/** Every occurrence of a key we care about, in order. */
export function findKeys(text: string): KeyHit[] {
  const hits: KeyHit[] = [];
  KEYS.lastIndex = 0;
  for (let m = KEYS.exec(text); m; m = KEYS.exec(text)) {
    if (isKey(m)) hits.push({ key: normaliseKey(m[2]!), start: m.index, valueStart: m.index + m[0].length });
  }
  return hits;
}

/**
 * The first `key` that findKeys finds in the stretch [from, to) of `text`, looked for in place: an
 * error body's `message`, without a copy of the body or a list of every key in it.
 */
export function firstKey(text: string, key: string, from: number, to: number): KeyHit | undefined {
  KEYS.lastIndex = from;
  for (let m = KEYS.exec(text); m && m.index + m[0].length <= to; m = KEYS.exec(text)) {
    if (isKey(m) && normaliseKey(m[2]!) === key) return { key, start: m.index, valueStart: m.index + m[0].length };
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
