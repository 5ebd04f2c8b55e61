// The byte prefilter finds every trigger word wherever it falls, before and after tuning to an input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteScanner, KEYS, LineLooks } from '../src/input/prefilter.js';
import { MAY_HOLD_GAP, MAY_HOLD_SECRET, Redactor } from '../src/input/redact.js';
import { mayHoldSecret } from '../src/input/secret-rules.js';
import { LITERALS, triggerPattern } from '../src/input/trigger.js';

/** Which lines hold a trigger word, by the regex: what the scan needs the prefilter to tell. */
function expected(text: string): number[] {
  return text.split('\n').flatMap((line, i) => (triggerPattern().test(line) ? [i] : []));
}

/** Which lines the prefilter finds a word in, by triggers() or by sweep(). */
function found(scanner: ByteScanner, text: string, how: 'triggers' | 'sweep' = 'triggers'): number[] {
  const bytes = Buffer.from(text, 'latin1');
  scanner.reserve(bytes.length);
  bytes.copy(scanner.bytes);
  const offsets = how === 'sweep' ? scanner.sweep(0, bytes.length).triggers : scanner.triggers(0, bytes.length);
  return [...new Set(offsets.map((at) => text.slice(0, at).split('\n').length - 1))];
}

// Ordinary log text, with none of the words in it: what the prefilter tunes itself to.
const noise = Array.from({ length: 2000 }, (_, i) => `2026-11-24T17:22:01Z INFO GET /api/items/${i} 200 POST processed job ${i} in 12ms service=api`).join('\n');

describe('the byte prefilter', () => {
  it('reads ordinary text as holding no trigger word', () => {
    expect(expected(noise)).toEqual([]);
    expect(found(new ByteScanner(), noise)).toEqual([]);
  });

  // Each input gets the key (the hash multiplier) that suits it best: every one must do.
  for (const [tuned, keys] of [[false, KEYS] as const, [true, KEYS] as const, ...KEYS.map((k) => [true, [k]] as const)]) {
    it(`finds every word at odd and even offsets, at the edges too (${tuned ? 'tuned to a log' : 'untuned'}${keys.length === 1 ? `, key ${keys[0]!.toString(16)}` : ''})`, () => {
      const scanner = new ByteScanner(keys);
      const sweeper = new ByteScanner(keys);
      if (tuned) {
        found(scanner, noise);
        found(sweeper, noise, 'sweep');
      }
      // Long enough texts put words in the vector steps, not only in the byte-by-byte tail.
      const long = 'y'.repeat(37);
      for (const word of LITERALS) {
        for (const pad of ['', 'x', 'xy', 'xyz']) {
          for (const text of [`${pad}${word}`, `${pad}${word} tail`, `some text ${pad}${word}\nmore`, `${long}${pad}${word}${long}`]) {
            expect(found(scanner, text), `${JSON.stringify(text)}`).toEqual(expected(text));
            expect(found(sweeper, text, 'sweep'), `sweep ${JSON.stringify(text)}`).toEqual(expected(text));
          }
        }
      }
    });
  }

  it('counts lines and notices escapes, lone carriage returns and control bytes, but not CRLF or tabs', () => {
    const scanner = new ByteScanner();
    const survey = (s: string) => {
      const b = Buffer.from(s, 'latin1');
      scanner.reserve(b.length);
      b.copy(scanner.bytes);
      return scanner.sweep(0, b.length).survey;
    };
    const crlf = 'a\r\n'.repeat(40);
    expect(survey(crlf)).toEqual({ lines: 40, ascii: true, unusual: false, controls: false, dashes: false });
    expect(survey(`${crlf}\tindented\n${crlf}`)).toEqual({ lines: 81, ascii: true, unusual: false, controls: false, dashes: false });
    expect(survey(`${crlf}x\ry\n${crlf}`).unusual).toBe(true);
    expect(survey(`${crlf}\x1b[31m${crlf}`).unusual).toBe(true);
    expect(survey('short\x1b').unusual).toBe(true);
    for (const byte of [0, 1, 8, 11, 12, 14, 31, 127]) {
      const got = survey(`${crlf}x${String.fromCharCode(byte)}y${crlf}`);
      expect(got, `byte ${byte}`).toEqual({ lines: 80, ascii: true, unusual: false, controls: true, dashes: false });
    }
    expect(survey('ab\x00').controls).toBe(true);
    // A byte above 127 anywhere, in a vector or in the tail, means it must be decoded as UTF-8.
    for (const byte of [0x80, 0xc3, 0xe9, 0xff]) {
      expect(survey(`${crlf}x${String.fromCharCode(byte)}y${crlf}`).ascii, `byte ${byte}`).toBe(false);
      expect(survey(`ab${String.fromCharCode(byte)}`).ascii, `byte ${byte} in the tail`).toBe(false);
    }
    expect(survey(`${crlf}~\x7f${crlf}`).ascii).toBe(true);
    // Private-key armour, wherever the five dashes fall (within a vector, across two, in the
    // tail); three in a row are not taken for it.
    for (const pad of ['', 'x', 'xy', 'xyz', 'xyzxyzxyzxyzx', 'xyzxyzxyzxyzxy']) {
      expect(survey(`${crlf}${pad}-----BEGIN PRIVATE KEY-----\n`).dashes, pad).toBe(true);
      expect(survey(`${pad}-----`).dashes, pad).toBe(true);
    }
    // A run that starts in the last vector and ends in the bytes after it.
    for (let at = 10; at < 24; at++) expect(survey(`${'x'.repeat(at)}-----`).dashes, `at ${at}`).toBe(true);
    expect(survey('a --- b -- c\n').dashes).toBe(false);
    expect(survey(`${crlf}a --- b -- c ${crlf}`).dashes).toBe(false);
  });

  it('knows the line of any offset after a survey, across 4 KiB blocks', () => {
    const scanner = new ByteScanner();
    // Lines of varied length, so that block edges fall everywhere in them.
    const text = Array.from({ length: 3000 }, (_, i) => 'x'.repeat((i * 37) % 101)).join('\n');
    const b = Buffer.from(text, 'latin1');
    scanner.reserve(b.length);
    b.copy(scanner.bytes);
    expect(scanner.sweep(0, b.length).survey.lines).toBe(2999);
    for (let at = 0; at <= b.length; at += 997) expect(scanner.linesBefore(at), `offset ${at}`).toBe(text.slice(0, at).split('\n').length - 1);
    for (const at of [4095, 4096, 4097, 8192, b.length]) expect(scanner.linesBefore(at), `offset ${at}`).toBe(text.slice(0, at).split('\n').length - 1);
  });

  it('sweeps out what triggers() finds and what the bytes hold, even when hits overflow its buffer', () => {
    const texts = [
      noise,
      `${noise}\nanthropic.RateLimitError: Error code: 429 {"type":"error"}\n${noise}\r\nx\x1b[0m\n-----BEGIN`,
      // More raw hits than the module's buffer holds: the rest goes the plain way.
      'rror xception '.repeat(30_000),
      `ab${'API Error: 529 '.repeat(5000)}`,
    ];
    for (const text of texts) {
      for (const cut of [0, 1, 7]) {
        const t = text.slice(cut);
        const b = Buffer.from(t, 'latin1');
        const plain = new ByteScanner();
        plain.reserve(b.length);
        b.copy(plain.bytes);
        const once = new ByteScanner();
        once.reserve(b.length);
        b.copy(once.bytes);
        expect(once.sweep(0, b.length)).toEqual({
          survey: { lines: t.split('\n').length - 1, ascii: !/[\x80-\xff]/.test(t), unusual: /\x1b|\r(?!\n)/.test(t), controls: /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(t), dashes: t.includes('-----') },
          triggers: plain.triggers(0, b.length),
        });
        for (const at of [0, b.length >> 1, b.length]) expect(once.linesBefore(at), `offset ${at}`).toBe(t.slice(0, at).split('\n').length - 1);
      }
    }
  });
});

fc.configureGlobal({ seed: Number(process.env.FC_SEED) || 20_251_125 });
const runs = (n: number) => ({ numRuns: Number(process.env.FC_RUNS) || n });

// What a look at a line's bytes tells redaction (LineLooks) must never be less than the line holds:
// a line said to hold no secret's word skips the gate, one said to hold no gap skips the search.
describe('what the bytes say redaction may find in a line', () => {
  /** Words of the gate and near misses, in every case, and what sits around them in logs. */
  const pieces = [
    'token', 'tokens', 'TOKEN', 'Tokens', 'x-api-key', 'API_KEY', 'api key', 'apikey', 'access_key', 'AccessKey', 'private-key',
    'PRIVATE KEY', '?key=', '&KEY=', 'secret', 'Passw', 'Bearer', 'basic', 'AUTHORIZ', 'credential', 'sk-ant-', 'SK-ANT-', 'AKIA',
    'asia', 'ABIA', 'acca', 'A3T', 'A3TX', 'a3t9', 'a3t-', 'https://', 'https://user:pw@host', 'https:\\/\\/u:p@h', ':\\//a@b',
    ':/\\/a@', '://@', '://a/b@', '://a b@', '://é@', '@', ':', '/', '\\', 'key', 'api', 'to', 'ke', 'n', 's', ' ', '  ', '\t',
    ' \t ', 'é', '€', 'x', '9', '"', '{',
  ];
  const line = fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 6 })), { maxLength: 12 }).map((xs) => xs.join('').replace(/[\n\r]/g, ' '));
  /** A gap as findCuts looks for one: two spaces after the line's first word. */
  const hasGap = (text: string) => text.indexOf('  ', text.length - text.replace(/^[ \t]*/, '').length) !== -1;

  it('says a line may hold a secret wherever the gate would look, and a gap wherever there is one', async () => {
    const scanner = new ByteScanner();
    await fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), fc.nat(15), (lines, pad) => {
        // A pad moves the lines against the module's even offsets and vector steps.
        const text = `${'-'.repeat(pad)}\n${lines.join('\n')}\n`;
        const bytes = Buffer.from(text, 'utf8');
        scanner.reserve(bytes.length);
        bytes.copy(scanner.bytes);
        // A span of a few bytes looks again at almost every line; a long one, once.
        const looks = new LineLooks(scanner, bytes.length, pad % 2 === 0 ? 16 : undefined);
        let start = bytes.indexOf(10) + 1;
        for (const l of lines) {
          const end = bytes.indexOf(10, start);
          const may = looks.at(start, end);
          if (mayHoldSecret(l)) expect(may & MAY_HOLD_SECRET, `secret in ${JSON.stringify(l)}`).not.toBe(0);
          if (hasGap(l)) expect(may & MAY_HOLD_GAP, `gap in ${JSON.stringify(l)}`).not.toBe(0);
          start = end + 1;
        }
      }),
      runs(2000),
    );
  });

  it('and redaction hides the same with what they say as without', async () => {
    const scanner = new ByteScanner();
    await fc.assert(
      fc.property(fc.array(fc.oneof(line, fc.constantFrom('sk-ant-api03-' + 'k'.repeat(40), 'k'.repeat(55) + ' suffix', 'AKIAIOSFODNN7EX', 'AMPLE rest')), { minLength: 1, maxLength: 8 }), (lines) => {
        const bytes = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
        scanner.reserve(bytes.length);
        bytes.copy(scanner.bytes);
        const looks = new LineLooks(scanner, bytes.length, 16);
        const told = new Redactor();
        const plain = new Redactor();
        let start = 0;
        for (const l of lines) {
          const end = bytes.indexOf(10, start);
          expect(told.line(l, false, looks.at(start, end))).toBe(plain.line(l));
          start = end + 1;
        }
      }),
      runs(1000),
    );
  });
});
