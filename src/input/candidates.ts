// The scan's fast path: most lines of a real log can hold no Claude error. One literal prefilter
// over whole chunks finds the lines that might; only windows of lines around them are split,
// cleaned and handed to the extractor. A `gap` marks where lines were skipped.
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { Line } from '../types.js';
import { cutAt, linePieces, MAX_LINE_CHARS } from './lines.js';

/** Lines kept on each side of a candidate line: more than the extractor's context (20 lines). */
export const WINDOW = 25;

export interface Gap {
  gap: true;
}

// Every recogniser's anchors contain one of these (test/fast-path.test.ts holds this to the plain
// path on every rule example, the corpus and generated logs). Claude context words are not
// needed here: they only matter within the window around a candidate.
const TRIGGER = new RegExp(
  [
    'rror', 'xception', 'imed out', 'bort', 'E(?:CONN|TIMEDOUT|NOTFOUND|AI_AGAIN|HOSTUNREACH|NETUNREACH|PIPE)', 'UND_ERR',
    'CERT', 'ertificate', 'onnection', 'fetch failed', 'imit', 'verloaded', 'too long', 'too large', 'redit balance',
    'custom_id', 'tatus [Cc]ode', 'x-deny-reason', '<title>', 'Cannot (?:POST|GET)', 'token maximum', '/login',
    'no such host', 'i/o timeout', 'x509', 'UnknownIssuer', 'name resolution', 'servname', 'Name or service',
    '_EXHAUSTED', '_ARGUMENT', '_PRECONDITION', '_DENIED', 'NOT_FOUND', '_EXCEEDED', 'UNAVAILABLE', 'UNAUTHENTICATED', 'terminated', 'other side closed', 'RemoteProtocol',
    'event:', 'Retrying in', 'signed', 'proxies', 'Streaming is', 'browser-like', 'API_KEY', 'authentication method',
    'API Key', 'api_key', 'hit your', 'selected model', 'xpired', 'x-api-key', 'alternate', 'content blocks',
    'tool_use', 'ids were found', 'mage exceeds', 'input length', 'nable to connect', 'ailed to connect', 'Too many',
    'model returned', 'API key', 'Not logged in', 'logged in', 'ramp', 'reset by peer',
  ].join('|'),
  'g',
);

/** Candidate lines with their windows, in order, and a gap wherever lines were skipped. */
export async function* readCandidateLines(stream: Readable, source: string): AsyncGenerator<Line | Gap> {
  let carry = '';
  let lineNo = 0; // lines fully consumed before the current chunk
  // The last WINDOW lines before the chunk (raw), for a candidate near its start.
  let before: { n: number; raw: string }[] = [];
  let afterLeft = 0; // lines still owed to a window that ran past the previous chunk
  let lastEmitted = 0;
  let continuing = 0; // an endless line handed over in pieces: more of it may follow

  // Each kept line once, in order, cleaned only now; a gap where lines were skipped.
  const emit = function* (n: number, raw: string): Generator<Line | Gap> {
    if (n < lastEmitted || (n === lastEmitted && n !== continuing)) return;
    if (lastEmitted > 0 && n > lastEmitted + 1) yield { gap: true };
    lastEmitted = n;
    yield* linePieces(source, n, raw.endsWith('\r') ? raw.slice(0, -1) : raw);
  };

  const process = function* (text: string, final: boolean): Generator<Line | Gap> {
    // `text` holds complete lines, each ending in LF, except a final piece with no LF at all.
    const ends: number[] = [];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) ends.push(i);
    if (final && !text.endsWith('\n')) ends.push(text.length);
    const count = ends.length;
    const startOf = (k: number) => (k === 0 ? 0 : ends[k - 1]! + 1);
    const lineText = (k: number) => text.slice(startOf(k), ends[k]);
    const numberOf = (k: number) => lineNo + k + 1;

    // Which lines of this chunk to keep: those owed to the previous window, and windows around candidates.
    const keep = new Uint8Array(count);
    for (let k = 0; k < Math.min(afterLeft, count); k++) keep[k] = 1;
    afterLeft = Math.max(0, afterLeft - count);
    TRIGGER.lastIndex = 0;
    let k = 0;
    for (let m = TRIGGER.exec(text); m; m = TRIGGER.exec(text)) {
      while (k + 1 < count && ends[k]! < m.index) k++;
      const from = k - WINDOW;
      if (from < 0) {
        // The window reaches into the previous chunk's lines.
        const need = -from;
        // Only lines not yet emitted: a piece of an endless line already went out whole.
        for (const l of before.slice(Math.max(0, before.length - need))) if (l.n > lastEmitted) yield* emit(l.n, l.raw);
      }
      for (let j = Math.max(0, from); j <= Math.min(count - 1, k + WINDOW); j++) keep[j] = 1;
      if (k + WINDOW >= count) afterLeft = Math.max(afterLeft, k + WINDOW - count + 1);
      // Skip the rest of this line: one match per line is enough.
      TRIGGER.lastIndex = k < count ? ends[k]! + 1 : text.length;
    }
    for (let j = 0; j < count; j++) if (keep[j]) yield* emit(numberOf(j), lineText(j));
    // Remember the tail for the next chunk's early candidates.
    const tail: { n: number; raw: string }[] = [];
    for (let j = Math.max(0, count - WINDOW); j < count; j++) tail.push({ n: numberOf(j), raw: lineText(j) });
    // A line handed over in pieces keeps only its latest piece here: older ones are not its context.
    const first = tail[0]?.n ?? Infinity;
    before = tail.length >= WINDOW ? tail : [...before.filter((l) => l.n < first), ...tail].slice(-WINDOW);
    lineNo += count;
  };

  // A chunk can end inside a multi-byte character; the decoder keeps the partial bytes for the next.
  const decoder = new StringDecoder('utf8');
  for await (const chunk of stream) {
    let s = carry + (typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer));
    if (s.includes('\r')) {
      // A lone CR ends a line too (as in the plain path); a CR at the end may be half a CRLF.
      const held = s.endsWith('\r') ? '\r' : '';
      s = s.slice(0, s.length - held.length).replace(/\r(?!\n)/g, '\n') + held;
    }
    const cut = s.lastIndexOf('\n');
    if (cut === -1) {
      carry = s;
      // An endless line: hand it over in pieces rather than holding it all.
      if (carry.length >= MAX_LINE_CHARS * 4) {
        // Cut where no error body straddles the cut (see cutAt); the rest starts the next piece.
        const cut = cutAt(carry, carry.length, 0);
        yield* process(`${carry.slice(0, cut)}\n`, false);
        lineNo -= 1; // the piece continues the same line
        continuing = lineNo + 1;
        carry = carry.slice(cut);
      }
      continue;
    }
    carry = s.slice(cut + 1);
    yield* process(s.slice(0, cut + 1), false);
  }
  carry = (carry + decoder.end()).replace(/\r(?!\n)/g, '\n');
  if (carry.endsWith('\n')) {
    yield* process(carry, false);
    carry = '';
  }
  if (carry) yield* process(carry, true);
}
