// Input: streamed line splitting, cleaning, and secret redaction.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MAX_LINE_CHARS, readLines, stringLines } from '../src/input/lines.js';
import { redact } from '../src/input/redact.js';

async function lines(chunks: (string | Buffer)[]): Promise<[number, string][]> {
  const out: [number, string][] = [];
  for await (const l of readLines(Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))), 't')) out.push([l.line, l.text]);
  return out;
}

describe('readLines', () => {
  it('splits LF, CRLF and lone CR, across chunk boundaries', async () => {
    expect(await lines(['a\r', '\nb\nc', '\rd\n', 'e'])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
      [4, 'd'],
      [5, 'e'],
    ]);
  });

  it('keeps a multi-byte character split between chunks, and tolerates invalid UTF-8', async () => {
    const euro = Buffer.from('€ok\n');
    const got = await lines([euro.subarray(0, 1), euro.subarray(1), Buffer.from([0xff, 0x41, 0x0a])]);
    expect(got).toEqual([
      [1, '€ok'],
      [2, '\uFFFDA'],
    ]);
  });

  it('strips ANSI colour codes and NUL bytes so matching still works', async () => {
    const got = await lines(['\x1b[31mAPI Error: 529\x1b[0m\x00{"type":"error"}\n']);
    expect(got[0]![1]).toBe('API Error: 529 {"type":"error"}');
  });

  it('cuts an endless line into pieces that keep its line number', async () => {
    const long = 'x'.repeat(MAX_LINE_CHARS * 5);
    const got = await lines([long.slice(0, 10), long.slice(10), '\nnext\n']);
    expect(got.filter(([n]) => n === 1).map(([, t]) => t.length).reduce((a, b) => a + b, 0)).toBe(long.length);
    expect(got.at(-1)).toEqual([2, 'next']);
  });

  it('treats an empty input as no lines', async () => {
    expect(await lines([])).toEqual([]);
    expect([...stringLines('')].map((l) => l.text)).toEqual(['']);
  });
});

describe('redact', () => {
  const key = `sk-ant-api03-${'A1b2C3d4E5'.repeat(9)}xyzAA`;
  const cases: [string, string][] = [
    ['an API key', `ANTHROPIC key ${key} leaked`],
    ['an admin key', `sk-ant-admin01-${'Z9'.repeat(46)}qAA`],
    ['an OAuth token', `sk-ant-oat01-${'t0k'.repeat(32)}`],
    ['a refresh token', `sk-ant-ort01-${'r3f'.repeat(32)}`],
    ['an x-api-key header', `x-api-key: supersecretvalue123456`],
    ['a JSON header', `{"x-api-key": "supersecretvalue123456"}`],
    ['a bearer token', `Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.signature`],
    ['an env assignment', `ANTHROPIC_API_KEY=notreallyakeybutsecret99`],
    ['an OAuth env assignment', `export CLAUDE_CODE_OAUTH_TOKEN="abcdefghijklmnop1234"`],
    ['URL credentials', `HTTPS_PROXY=http://alice:hunter2hunter2@proxy.corp:8080`],
    ['an AWS access key', `aws key AKIAIOSFODNN7EXAMPLE in env`],
  ];
  const secrets = ['A1b2C3d4E5A1b2C3d4E5', 'Z9Z9Z9Z9Z9Z9Z9', 't0kt0kt0kt0k', 'r3fr3fr3fr3f', 'supersecretvalue', 'eyJhbGciOiJIUzI1NiJ9.payload', 'notreallyakeybut', 'abcdefghijklmnop12', 'hunter2hunter2', 'AKIAIOSFODNN7EXA'];

  it.each(cases)('removes %s', (_name, text) => {
    const out = redact(text);
    for (const s of secrets) expect(out).not.toContain(s);
    expect(out).toContain('[redacted');
  });

  it('keeps the key kind and last four characters, which tell keys apart', () => {
    expect(redact(key)).toBe('sk-ant-api03-…[redacted]…yzAA');
  });

  it('leaves request ids and error text alone', () => {
    const text = `{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_011CXnukXFhq5zC25S7ev2cy"}`;
    expect(redact(text)).toBe(text);
  });
});

describe('the paste echo', async () => {
  const { maskPartial } = await import('../src/cli/paste.js');
  it.each([
    ['a key still being typed', 'key=sk-ant-api03-Q2xhdW', 'sk-ant-Q2xh'],
    ['a bearer token cut short', 'Authorization: Bearer eyJhbGci', 'eyJhbGci'],
    ['an assignment in progress', 'ANTHROPIC_API_KEY=abc123', 'abc123'],
    ['URL credentials', 'https://bob:hunter2@proxy', 'hunter2'],
  ])('hides %s before it is complete', (_name, line, secret) => {
    expect(maskPartial(line)).not.toContain(secret);
  });
  it('leaves error text alone', () => {
    const line = '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}';
    expect(maskPartial(line)).toBe(line);
  });
});
