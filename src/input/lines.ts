// Turns a byte stream into bounded, cleaned, redacted lines without holding the input in memory.
import type { Readable } from 'node:stream';
import type { Line } from '../types.js';
import { Redactor } from './redact.js';

/** A physical line longer than this is cut into pieces that keep its line number, so nothing is dropped. */
export const MAX_LINE_CHARS = 256 * 1024;

// CSI (colour, cursor) and OSC (title, hyperlink) sequences from captured terminals.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;
// C0 controls other than tab; NUL bytes from binary files become spaces so matching still works.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;

/** Strip terminal escapes and control bytes from one decoded line. */
export function stripTerminal(raw: string): string {
  let text = raw;
  if (text.includes('\x1b')) text = text.replace(ANSI, '');
  if (CONTROL.test(text)) {
    CONTROL.lastIndex = 0;
    text = text.replace(CONTROL, ' ');
  }
  return text;
}

/** How far before a piece's full length its cut may move to keep an error body whole. */
const CUT_REACH = 16 * 1024;

/**
 * Where to cut a long line at or before `hard` (after `floor`): before the outermost bracket still
 * open there, so that an error body straddling the cut goes whole into the next piece; else after
 * the last blank; else at `hard`. Only the last CUT_REACH characters are looked at.
 */
export function cutAt(text: string, hard: number, floor: number): number {
  let depth = 0;
  let open = -1;
  let blank = -1;
  for (let i = hard - 1; i > floor && i >= hard - CUT_REACH; i--) {
    const c = text.charCodeAt(i);
    if (c === 125 || c === 93) depth++;
    else if (c === 123 || c === 91) {
      if (depth === 0) open = i;
      else depth--;
    } else if (blank < 0 && (c === 32 || c === 9)) blank = i + 1;
  }
  return open >= 0 ? open : blank >= 0 ? blank : hard;
}

/**
 * One physical line, cleaned and redacted by `redactor`, which has seen the lines before it; a line
 * longer than MAX_LINE_CHARS comes in pieces with its number. `hit` is the prefilter's verdict on
 * the line, when one ran (see Line).
 */
export function* linePieces(source: string, lineNo: number, raw: string, redactor: Redactor, hit?: boolean): Generator<Line> {
  const line = (text: string): Line => (hit === undefined ? { source, line: lineNo, text } : { source, line: lineNo, text, hit });
  if (raw.length <= MAX_LINE_CHARS) {
    yield line(redactor.line(stripTerminal(raw)));
    return;
  }
  for (let at = 0; at < raw.length; ) {
    const end = raw.length - at <= MAX_LINE_CHARS ? raw.length : cutAt(raw, at + MAX_LINE_CHARS, at);
    yield line(redactor.line(stripTerminal(raw.slice(at, end))));
    at = end;
  }
}

/**
 * Split a stream into lines. LF, CRLF and lone CR all end a line; invalid UTF-8 becomes U+FFFD.
 * Splitting on the LF byte is safe for UTF-8 because LF never occurs inside a multi-byte sequence.
 */
export async function* readLines(stream: Readable, source: string): AsyncGenerator<Line> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lineNo = 0;
  const redactor = new Redactor();

  const flushText = function* (text: string): Generator<Line> {
    // A lone CR (old Mac files, progress bars) also ends a line.
    const parts = text.includes('\r') ? text.replace(/\r$/, '').split('\r') : [text];
    for (const part of parts) yield* linePieces(source, ++lineNo, part, redactor);
  };

  for await (const chunk of stream) {
    const buf: Buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    let start = 0;
    let nl = buf.indexOf(10, start);
    while (nl !== -1) {
      let text: string;
      if (pendingBytes > 0) {
        pending.push(buf.subarray(start, nl));
        text = Buffer.concat(pending).toString('utf8');
        pending = [];
        pendingBytes = 0;
      } else {
        text = buf.toString('utf8', start, nl);
      }
      yield* flushText(text);
      start = nl + 1;
      nl = buf.indexOf(10, start);
    }
    if (start < buf.length) {
      pending.push(buf.subarray(start));
      pendingBytes += buf.length - start;
      // An endless line is emitted in pieces rather than buffered without bound.
      if (pendingBytes >= MAX_LINE_CHARS * 4) {
        const text = Buffer.concat(pending).toString('utf8');
        let at = 0;
        while (text.length - at > MAX_LINE_CHARS) {
          const end = cutAt(text, at + MAX_LINE_CHARS, at);
          yield { source, line: lineNo + 1, text: redactor.line(stripTerminal(text.slice(at, end))) };
          at = end;
        }
        // The rest waits for more of the line, which may close what it opened. The line goes on:
        // its number is only taken when it ends.
        pending = [Buffer.from(text.slice(at))];
        pendingBytes = pending[0]!.length;
      }
    }
  }
  if (pendingBytes > 0) yield* flushText(Buffer.concat(pending).toString('utf8'));
}

/** Lines of an in-memory string (a paste, a test). */
export function* stringLines(text: string, source = 'stdin'): Generator<Line> {
  const parts = text.split(/\r\n|\n|\r/);
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  let lineNo = 0;
  const redactor = new Redactor();
  for (const part of parts) yield* linePieces(source, ++lineNo, part, redactor);
}
