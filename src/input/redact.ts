// Secret redaction, applied to every line before anything else sees it (DESIGN §2). Most secrets
// sit within one line (secret-rules.ts); two do not: a multi-line private key, and a credential a
// wrap cut in two (cut-secrets.ts). A Redactor reads the lines of one input in order and carries
// what it needs from one line to the next.
import { findCuts, type Cut } from './cut-secrets.js';
import { MARK, mayHoldSecret, redactLine } from './secret-rules.js';

/** What every private-key marker ends with: a cheap test before the regexes. */
export const KEY_ARMOUR = 'PRIVATE KEY-----';
const KEY_MARKER = /-----(BEGIN|END) [A-Z ]*PRIVATE KEY-----/g;
const KEY_END = /-----END [A-Z ]*PRIVATE KEY-----/;

/** Whether a line that ends with a private key's BEGIN marker and no END after it opens a key block. */
function opensKey(text: string): boolean {
  if (!text.includes(KEY_ARMOUR)) return false;
  let last: string | undefined;
  for (const m of text.matchAll(KEY_MARKER)) last = m[1];
  return last === 'BEGIN';
}

/**
 * A line of a PEM body: base64, and the quotes, `\n` escapes and `+` that wrap it when the key was
 * printed as a string (util.inspect, Python, .env files), or an encrypted key's header.
 */
function isKeyBody(text: string): boolean {
  if (/^\s*(?:Proc-Type|DEK-Info):/.test(text)) return true;
  return /^[A-Za-z0-9+/]*={0,2}$/.test(text.replace(/\\+[nr]/g, '').replace(/[\s'"`+,\\]/g, ''));
}

const indent = (text: string) => /^\s*/.exec(text)![0];

/** `text` with each range replaced by a marker; ranges that overlap become one. */
function hideRanges(text: string, ranges: readonly (readonly [number, number])[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (end <= at) continue;
    if (start >= at) parts.push(text.slice(at, start), MARK);
    at = end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/** Whether the line after `text` starts inside a private key block, given whether `text` did. */
export function keyBlockAfter(inKey: boolean, text: string): boolean {
  let rest = text;
  if (inKey) {
    const end = KEY_END.exec(text);
    if (end) rest = text.slice(end.index + end[0].length);
    else if (isKeyBody(text)) return true;
  }
  return opensKey(rest);
}

/**
 * What a look at a line's bytes says it may hold (prefilter.ts, LineLooks): a word of a secret the
 * gate looks for, a gap of spaces that a wrap may have cut a key at. Without a look, both.
 */
export const MAY_HOLD_SECRET = 1;
export const MAY_HOLD_GAP = 2;
export const MAY_HOLD_ANY = MAY_HOLD_SECRET | MAY_HOLD_GAP;

export class Redactor {
  /** Inside a private key's base64 body. */
  private inKey = false;
  /** A credential cut at the end of the last line, whose rest may start the next. */
  private cut: Cut | undefined;

  /**
   * Redact the next line of the input. `arriving`: the line is still being typed or pasted, so no
   * last four characters are shown (they are not the key's yet) and a cut key's rest may be short.
   */
  line(text: string, arriving = false, may = MAY_HOLD_ANY): string {
    let head = '';
    let rest = text;
    if (this.inKey) {
      const end = KEY_END.exec(text);
      if (end) {
        head = `${indent(text)}[redacted private key]`;
        rest = text.slice(end.index + end[0].length);
        this.cut = undefined;
      } else if (isKeyBody(text)) {
        this.cut = undefined;
        return text.trim() ? `${indent(text)}${MARK}` : text;
      }
    }
    this.inKey = false;
    // `rest` is `text` or a part of it: what `text` cannot hold, it cannot either.
    const maybe = (may & MAY_HOLD_SECRET) !== 0 && mayHoldSecret(rest);
    const { hide, outgoing } = findCuts(rest, this.cut, maybe, arriving, (may & MAY_HOLD_GAP) !== 0);
    this.cut = outgoing;
    const marked = hide.length ? hideRanges(rest, hide) : rest;
    if (maybe && opensKey(rest)) {
      this.inKey = true;
      this.cut = undefined;
    }
    return head + (maybe ? redactLine(marked, !arriving, true) : marked);
  }

  /** How `text`, a line still arriving, reads now; the next call to `line` reads it again whole. */
  peek(text: string): string {
    const { inKey, cut } = this;
    try {
      return this.line(text, true);
    } finally {
      this.inKey = inKey;
      this.cut = cut;
    }
  }

  /** Start again after lines were skipped: as if `lines` had just been read, the first of them inside a key block or not. */
  resume(lines: string[], inKey: boolean): void {
    this.inKey = inKey;
    this.cut = undefined;
    for (const l of lines) this.line(l);
  }
}

/** Replace every credential in `text` (one line or several) with a marker that keeps at most its kind and last four characters. */
export function redact(text: string): string {
  const r = new Redactor();
  // Line breaks are kept as they were; odd entries are the breaks.
  return text
    .split(/(\r\n|\n|\r)/)
    .map((part, i) => (i % 2 === 0 ? r.line(part) : part))
    .join('');
}
