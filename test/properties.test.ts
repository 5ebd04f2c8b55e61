// Property-based tests of the extractors (fast-check): random garbage around a real Claude error
// still yields that error; garbage alone yields nothing a rule recognises, and nothing throws.
// Runs are reproducible: the seed is fixed (FC_SEED overrides it to explore), and a failure
// prints the seed and the shrunk counterexample.
import fc from 'fast-check';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { matchEvent } from '../src/engine/compile.js';
import { loadRuleSet } from '../src/engine/ruleset.js';
import { extractEvents, extractEventsSync } from '../src/extract/extract.js';
import { readCandidateLines } from '../src/input/candidates.js';
import { stringLines } from '../src/input/lines.js';
import type { ErrorEvent } from '../src/types.js';

fc.configureGlobal({ seed: Number(process.env.FC_SEED) || 20_251_124 });
/** Runs per property; FC_RUNS raises them all to explore. */
const runs = (n: number) => ({ numRuns: Number(process.env.FC_RUNS) || n });

/** Real errors as users paste them, and what must be read out of each. */
const KNOWN = [
  {
    name: 'a 529 body',
    text: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011CWprop1234567890abcd"}',
    type: 'overloaded_error',
    status: 529,
  },
  {
    name: 'a 429 rate_limit body',
    text: '{"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed the rate limit for your organization (f3a1) of 50,000 input tokens per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits."},"request_id":"req_011CWprop2234567890abcd"}',
    type: 'rate_limit_error',
    status: 429,
  },
  {
    name: 'a Claude Code API Error: 401 line',
    text: '  ⎿  API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_011CWprop3234567890abcd"} · Please run /login',
    type: 'authentication_error',
    status: 401,
  },
  {
    name: 'a Python SDK exception line',
    text: "anthropic.BadRequestError: Error code: 400 - {'type': 'error', 'error': {'type': 'invalid_request_error', 'message': 'prompt is too long: 210094 tokens > 200000 maximum'}, 'request_id': 'req_011CWprop4234567890abcd'}",
    type: 'invalid_request_error',
    status: 400,
  },
] as const;

/** Pieces of JSON and Python reprs, none of which names an error: the shapes that trip parsers. */
const FRAGMENTS = [
  '{', '}', '[', ']', '"', "'", ':', ',', '\\', '\\"', "\\'", '\\\\', '{"', '":', '":"', "{'", "': '", '"type":', "'type': ",
  '"error":{', "'error': {", '"message":"', "'message': '", '"request_id":', 'null', 'None', 'true', '0', '-1', '1e999',
  '{"type":"', '{"type":"error","error":{', '"}}', "'}}", '\\u00', '\\x', 'b\'', 'u"',
];

const control = fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c));
const ansi = fc.constantFrom('\x1b[31m', '\x1b[0m', '\x1b[2K', '\x1b]0;t\x07', '\x1b[', '\x1b');

/** Random garbage: unicode, control characters, terminal escapes, braces, quotes and partial JSON. */
const garbage = fc
  .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom(...FRAGMENTS), control, ansi, fc.constantFrom('\n', '\r\n', '\r', ' ', '\t')), {
    maxLength: 30,
  })
  .map((parts) => parts.join(''));

/** What separates the error from the garbage: a line end, a blank, or nothing at all. */
const separator = fc.constantFrom('\n', '\r\n', '\r', ' ', '\n\n', '');

const plain = (text: string): ErrorEvent[] => extractEventsSync(stringLines(text, 'x'));

async function fast(text: string): Promise<ErrorEvent[]> {
  const buf = Buffer.from(text);
  // Small chunks put chunk boundaries inside the error as well.
  const chunks = Array.from({ length: Math.ceil(buf.length / 61) }, (_, i) => buf.subarray(i * 61, (i + 1) * 61));
  const out: ErrorEvent[] = [];
  for await (const events of extractEvents(readCandidateLines(Readable.from(chunks), 'x'))) out.push(...events);
  return out;
}

const has = (events: ErrorEvent[], k: { type: string; status: number }) => events.some((e) => e.type === k.type && e.status === k.status);

describe('garbage around a known error', () => {
  it.each(KNOWN)('still yields $name, on both read paths', async (known) => {
    await fc.assert(
      fc.asyncProperty(garbage, separator, separator, garbage, async (before, s1, s2, after) => {
        const text = `${before}${s1}${known.text}${s2}${after}`;
        expect(has(plain(text), known), JSON.stringify(plain(text))).toBe(true);
        expect(has(await fast(text), known)).toBe(true);
      }),
      // Found by earlier seeds: a dangling key inside an error object read the real body as its value.
      { ...runs(150), examples: [["'error': {\"type\":", '\n', '\n', ''], ['{"type":"error","error":{\'type\': ', ' ', '', '']] },
    );
  });
});

describe('garbage alone', async () => {
  const rules = await loadRuleSet();

  it('yields no finding a rule recognises, and never throws', async () => {
    await fc.assert(
      fc.asyncProperty(garbage, async (text) => {
        const events = [...plain(text), ...(await fast(text))];
        const recognised = events.filter((e) => matchEvent(rules.compiled, e));
        expect(recognised, JSON.stringify(recognised)).toEqual([]);
      }),
      runs(500),
    );
  });

  it('of any bytes at all (decoded as UTF-8 the way files are) never throws', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (bytes) => {
        const text = Buffer.from(bytes).toString('utf8');
        plain(text);
        await fast(text);
      }),
      runs(300),
    );
  });
});

describe('the small sort blocks use', () => {
  it('orders exactly as Array.prototype.sort (stable), ties included, short arrays and long', async () => {
    const { sortFew } = await import('../src/extract/events.js');
    // Few distinct keys, so that ties are common: their order decides which anchor's fields win.
    const items = fc.array(fc.record({ key: fc.integer({ min: 0, max: 3 }), id: fc.nat() }), { maxLength: 40 });
    fc.assert(
      fc.property(items, (xs) => {
        const order = (a: { key: number }, b: { key: number }) => a.key - b.key;
        expect(sortFew([...xs], order)).toEqual([...xs].sort(order));
      }),
      runs(500),
    );
  });
});

describe('the quick no before a list of regexes', () => {
  // Pieces of the patterns below, so that generated text meets them, near misses and overlaps.
  const pieces = ['Connection', 'connection', ' error', '.', 'Err', 'or', 'API Error', ': ', '529', 'x', '[', ' ', 'Retrying in', 'ECONNRESET', 'econnreset', 'reset by peer', '\n'];
  const text = fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((xs) => xs.join(''));
  const lists: RegExp[][] = [
    [/\bConnection error\.?/g, /\b(ECONNRESET|EPIPE)\b/g, /(?<!\[)\bAPI Error(?::\s*|\s*\()(\d{3})?/g],
    [/\bconnection reset by peer\b/gi, /Retrying in \d+/g, /\bErr(?:or)?\b/g],
  ];

  it('says no exactly where no regex of the list matches', async () => {
    const { gateOf } = await import('../src/extract/gate.js');
    for (const list of lists) {
      const gate = gateOf(list);
      fc.assert(
        fc.property(text, (s) => {
          const any = list.some((re) => new RegExp(re.source, re.flags.replace('g', '')).test(s));
          expect(gate.test(s)).toBe(any);
        }),
        runs(500),
      );
    }
  });

  it('refuses a pattern whose back-reference would point at another pattern once joined', async () => {
    const { gateOf } = await import('../src/extract/gate.js');
    expect(() => gateOf([/(a)b/g, /(["'])x\1/g])).toThrow(/back-reference/);
  });
});

describe('a key looked for in place', () => {
  const pieces = ['"message": ', "'message': ", 'message=', 'message: ', '"type":', '\\"message\\": ', '{', '}', '"x"', ' ', 'a', ',', ':'];
  const text = fc.array(fc.constantFrom(...pieces), { maxLength: 14 }).map((xs) => xs.join(''));

  it('finds what findKeys finds in a copy of the stretch', async () => {
    const { findKeys, firstKey } = await import('../src/extract/values.js');
    fc.assert(
      fc.property(text, fc.nat(), (s, n) => {
        // From a place a key can start at in the copy as in the whole: after a character that is not a word's.
        const starts = [0, ...[...s].flatMap((c, i) => (/\W/.test(c) ? [i + 1] : []))];
        const from = starts[n % starts.length]!;
        const copy = findKeys(s.slice(from)).find((k) => k.key === 'message');
        const found = firstKey(s, 'message', from, s.length);
        expect(found && { ...found, start: found.start - from, valueStart: found.valueStart - from }).toEqual(copy);
      }),
      runs(500),
    );
  });
});

describe('keys read without their regex', () => {
  const pieces = [
    'type', 'message', 'request_id', 'request-id', 'requestId', 'error_code', 'code', 'status', 'statusCode', 'status_code', 'custom_id',
    'x', '_', 'error', '"', "'", '\\', '\\"', '\\\\\\"', ':', '=', ' ', '\t', '\n', '\u00a0', '\u2003', '{', '}', ',', '1', ':=', '=>', '>', '": ', "': ",
  ];
  const text = fc.array(fc.constantFrom(...pieces), { maxLength: 20 }).map((xs) => xs.join(''));

  it('are the matches of KEYS, global, from anywhere: the same keys, starts and value starts', async () => {
    const { findKeys, firstKey, KEYS } = await import('../src/extract/values.js');
    const byRegex = (s: string, from: number) => {
      const re = new RegExp(KEYS.source, 'g');
      re.lastIndex = from;
      const found: { name: string; start: number; end: number; key: boolean }[] = [];
      for (let m = re.exec(s); m; m = re.exec(s)) found.push({ name: m[2]!, start: m.index, end: m.index + m[0].length, key: m[1] !== '' || m[0].includes(':') || /["']/.test(s[m.index + m[0].length] ?? '') });
      return found;
    };
    const norm = (n: string) => ({ 'request-id': 'request_id', requestId: 'request_id', statusCode: 'status', status_code: 'status' })[n] ?? n;
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(), (s, a, b) => {
        expect(findKeys(s)).toEqual(byRegex(s, 0).filter((m) => m.key).map((m) => ({ key: norm(m.name), start: m.start, valueStart: m.end })));
        const from = a % (s.length + 1);
        const to = from + (b % (s.length - from + 1));
        for (const key of ['message', 'type', 'status', 'request_id']) {
          const first = byRegex(s, from).find((m, i, all) => all.slice(0, i + 1).every((x) => x.end <= to) && m.key && norm(m.name) === key);
          expect(firstKey(s, key, from, to)).toEqual(first && { key, start: first.start, valueStart: first.end });
        }
      }),
      runs(3000),
    );
  });
});

describe('whitespace squeezed only where it needs it', () => {
  it('reads as every run replaced by one space and the ends trimmed', async () => {
    const { squeeze } = await import('../src/extract/values.js');
    const text = fc.array(fc.constantFrom('a', 'bc', ' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u2003', '.'), { maxLength: 16 }).map((xs) => xs.join(''));
    fc.assert(
      fc.property(text, (s) => {
        expect(squeeze(s)).toBe(s.replace(/\s+/g, ' ').trim());
      }),
      runs(500),
    );
  });
});

describe('a body looked for at a line start by its first character', () => {
  it('reads as the regex it replaces, whatever spaces come first', async () => {
    const { firstVisible, opensBody } = await import('../src/extract/blocks.js');
    const text = fc.array(fc.constantFrom('', ' ', '\t', '\v', '\r', '\u00a0', '\u2003', '\ufeff', '{', '[', '"', "'", '\\', 'a', 'E', '1', '\x01'), { maxLength: 6 }).map((xs) => xs.join(''));
    fc.assert(
      fc.property(text, (s) => {
        expect(opensBody(firstVisible(s), s)).toBe(/^\s*[{[\\'"]/.test(s));
      }),
      runs(2000),
    );
  });
});
