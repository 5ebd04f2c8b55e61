// The byte prefilter finds every trigger word wherever it falls, before and after tuning to an input.
import { describe, expect, it } from 'vitest';
import { ByteScanner } from '../src/input/prefilter.js';
import { LITERALS, triggerPattern } from '../src/input/trigger.js';

/** Which lines hold a trigger word, by the regex: what the scan needs the prefilter to tell. */
function expected(text: string): number[] {
  return text.split('\n').flatMap((line, i) => (triggerPattern().test(line) ? [i] : []));
}

/** Which lines the prefilter finds a word in. */
function found(scanner: ByteScanner, text: string): number[] {
  const bytes = Buffer.from(text, 'latin1');
  scanner.reserve(bytes.length);
  bytes.copy(scanner.bytes);
  const lines = new Set(scanner.triggers(0, bytes.length).map((at) => text.slice(0, at).split('\n').length - 1));
  return [...lines];
}

// Ordinary log text, with none of the words in it: what the prefilter tunes itself to.
const noise = Array.from({ length: 2000 }, (_, i) => `2026-11-24T17:22:01Z INFO GET /api/items/${i} 200 POST processed job ${i} in 12ms service=api`).join('\n');

describe('the byte prefilter', () => {
  it('reads ordinary text as holding no trigger word', () => {
    expect(expected(noise)).toEqual([]);
    expect(found(new ByteScanner(), noise)).toEqual([]);
  });

  for (const tuned of [false, true]) {
    it(`finds every word at odd and even offsets, at the edges too (${tuned ? 'tuned to a log' : 'untuned'})`, () => {
      const scanner = new ByteScanner();
      if (tuned) found(scanner, noise);
      for (const word of LITERALS) {
        for (const pad of ['', 'x', 'xy', 'xyz']) {
          for (const text of [`${pad}${word}`, `${pad}${word} tail`, `some text ${pad}${word}\nmore`]) {
            const got = found(scanner, text);
            expect(got, `${JSON.stringify(text)}`).toEqual(expected(text));
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
      return scanner.survey(0, b.length);
    };
    const crlf = 'a\r\n'.repeat(40);
    expect(survey(crlf)).toEqual({ lines: 40, unusual: false, controls: false });
    expect(survey(`${crlf}\tindented\n${crlf}`)).toEqual({ lines: 81, unusual: false, controls: false });
    expect(survey(`${crlf}x\ry\n${crlf}`).unusual).toBe(true);
    expect(survey(`${crlf}\x1b[31m${crlf}`).unusual).toBe(true);
    expect(survey('short\x1b').unusual).toBe(true);
    for (const byte of [0, 1, 8, 11, 12, 14, 31, 127]) {
      const got = survey(`${crlf}x${String.fromCharCode(byte)}y${crlf}`);
      expect(got, `byte ${byte}`).toEqual({ lines: 80, unusual: false, controls: true });
    }
    expect(survey('ab\x00').controls).toBe(true);
  });
});
