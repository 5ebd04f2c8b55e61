// The literal test before a rule regex (src/engine/literal.ts) never turns away a text the regex
// matches: it only spares running regexes that cannot match.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRegex } from '../src/engine/compile.js';
import { literalTest, requiredLiterals } from '../src/engine/literal.js';
import { BUILTIN_RULES_DIR, loadRuleSet } from '../src/engine/ruleset.js';

const set = await loadRuleSet({ builtin: false, ruleDirs: [BUILTIN_RULES_DIR] });
const regexes = set.rules.flatMap((r) =>
  r.match.flatMap((alt) =>
    Object.values(alt).flatMap((c) => (isRegex(c) ? [{ rule: r.id, source: c.regex, caseless: c.flags === 'i' }] : [])),
  ),
);
const native = (source: string, caseless: boolean) => new RegExp(source.replace(/\(\?P</g, '(?<'), caseless ? 'i' : '');

const CORPUS = join(fileURLToPath(new URL('..', import.meta.url)), '..', 'shared', 'corpus', 'dev');
const texts = [
  ...set.rules.flatMap((r) => [...r.examples.match, ...r.examples['no-match']]),
  ...(existsSync(CORPUS) ? readdirSync(CORPUS).filter((f) => f.endsWith('.txt')).map((f) => readFileSync(join(CORPUS, f), 'utf8')) : []),
];

describe('the literal a rule regex needs', () => {
  it.each([
    ['Invalid URL \\((?:POST|GET) (?P<path>[^)]+)\\)', ['Invalid URL (']],
    ['^(?:Connection error\\.?|fetch failed)', ['Connection error', 'fetch failed']],
    ['prompt is too long: \\d+ tokens > \\d+ maximum', ['prompt is too long: ']],
    ['(?P<nodata>Server disconnected)', ['Server disconnected']],
    ['xa+b', ['xa']],
    ['ab?cd', ['cd']],
    ['a{0,3}bcd', ['bcd']],
    ['x(abc)+y', ['xabc']],
    ['x(abc)?yz', ['yz']],
    ['ab(cd|ef)gh', ['ab']],
    ['(?<=abc)def', ['def']],
    ['\\x41BCD', ['BCD']],
    ['[a-z]+ok', ['ok']],
  ])('%s needs one of %j', (source, expected) => {
    expect(requiredLiterals(source)).toEqual(expected);
  });

  it.each(['(?i)hello', '(?:a|b)*', '(?P<said>\\S.*)', 'a|\\d+', '(open', 'a[bc', '\\Qa.b\\E'])('%s needs none that can be read', (source) => {
    expect(requiredLiterals(source)).toBeUndefined();
    expect(literalTest(source, false)('anything')).toBe(true);
  });

  it('folds case as RE2 does, the long s included, and leaves non-ASCII literals to the regex', () => {
    expect(literalTest('Rate Limit', true)('RATE LIMIT reached')).toBe(true);
    expect(literalTest('rate limit', true)('Rate Limit')).toBe(true);
    expect(literalTest('status', true)('ſtatus')).toBe(true);
    expect(literalTest('Überlastet', true)('überlastet')).toBe(true);
    expect(literalTest('rate limit', true)('overloaded')).toBe(false);
    expect(literalTest('rate limit', false)('Rate Limit')).toBe(false);
  });
});

describe('every built-in rule regex', () => {
  const BUILT = join(fileURLToPath(new URL('..', import.meta.url)), 'dist', 'builtin-rules.json');
  it.skipIf(!existsSync(BUILT))('has the literals the build wrote for it, as read now', () => {
    const built = new Map((JSON.parse(readFileSync(BUILT, 'utf8')) as { literals: [string, string[] | null][] }).literals);
    for (const r of regexes) expect(built.get(`${r.caseless ? 'i' : ''}/${r.source}`), r.source).toEqual(requiredLiterals(r.source) ?? null);
  });


  it(`has a literal to look for first (${regexes.length} regexes)`, () => {
    // The three without one capture whatever follows a word of their alternative's other field.
    expect(regexes.filter((r) => !requiredLiterals(r.source)).map((r) => r.source)).toEqual(['(?P<said>\\S.*)', '(?P<said>\\S.*)', '(?P<what>\\S.*)']);
  });

  it.each(regexes.map((r) => [`${r.rule}: ${r.source.slice(0, 60)}`, r] as const))('lets through every text it matches: %s', (_name, r) => {
    const re = native(r.source, r.caseless);
    const may = literalTest(r.source, r.caseless);
    for (const text of texts) if (re.test(text)) expect(may(text), text.slice(0, 200)).toBe(true);
    // And strings made to match it, in upper case too where it ignores case.
    // fast-check makes strings for a pattern without word boundaries and case folding; those the
    // rule's own regex then matches are the ones that count.
    fc.assert(
      fc.property(fc.stringMatching(native(r.source.replace(/\\b/g, ''), false)), (s) => {
        if (re.test(s)) expect(may(s)).toBe(true);
        if (r.caseless && re.test(s.toUpperCase())) expect(may(s.toUpperCase())).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});

describe("the extractor's quick no (src/extract/literals.ts)", async () => {
  // Loading the extractor gives its recognisers' and signals' regexes their quick no.
  await import('../src/extract/extract.js');
  const { gatedPatterns, lookAt, quick, warmLiterals } = await import('../src/extract/literals.js');
  warmLiterals();
  // The scanner is built, and the patterns read, when a block is first looked at.
  lookAt('');
  const FIXTURES = join(fileURLToPath(new URL('..', import.meta.url)), 'fixtures');
  const lines = [...texts, ...readdirSync(FIXTURES).filter((f) => /\.(txt|log|jsonl)$/.test(f)).map((f) => readFileSync(join(FIXTURES, f), 'utf8'))].flatMap((t) => [t, ...t.split('\n')]);
  const patterns = gatedPatterns();

  it(`gates the patterns that have literals to look for (${patterns.length} of them)`, () => {
    expect(patterns.length).toBeGreaterThan(40);
  });

  it.each(patterns.map((re) => [re.source.slice(0, 70), re] as const))('lets through every text it matches: %s', (_name, re) => {
    const plain = new RegExp(re.source, re.flags.replace(/[gy]/g, ''));
    const may = quick(re);
    // Asked about the block looked at, as the recognisers are.
    const asked = (text: string) => {
      lookAt(text);
      return may(text);
    };
    for (const text of lines) if (plain.test(text)) expect(asked(text), text.slice(0, 200)).toBe(true);
    // And strings made to match it, at every offset against the byte pass's even grams, in upper
    // and lower case too where it ignores case.
    let made: fc.Arbitrary<string>;
    try {
      made = fc.stringMatching(new RegExp(re.source.replace(/\\b|\(\?<[!=][^)]*\)/g, ''), ''));
    } catch {
      return;
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 5 }), made, fc.string({ maxLength: 5 }), (before, s, after) => {
        for (const t of [`${before}${s}${after}`, ...(re.ignoreCase ? [`${before}${s.toUpperCase()}${after}`, `${before}${s.toLowerCase()}${after}`] : [])]) {
          if (plain.test(t)) expect(asked(t), t).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('leaves the events found in the corpus and fixtures as they are without it', async () => {
    const { extractEventsSync } = await import('../src/extract/extract.js');
    const { stringLines } = await import('../src/input/lines.js');
    const documents = [...texts, ...readdirSync(FIXTURES).filter((f) => /\.(txt|log|jsonl)$/.test(f)).map((f) => readFileSync(join(FIXTURES, f), 'utf8'))];
    const events = () => documents.map((d) => extractEventsSync(stringLines(d, 'x')));
    warmLiterals(false);
    const without = events();
    warmLiterals();
    const withLook = events();
    expect(without.flat().length).toBeGreaterThan(100);
    expect(withLook).toEqual(without);
  });

  it('says no to the block looked at when it lacks every literal, and nothing of other text', () => {
    const say = (re: RegExp, text: string) => {
      lookAt(text);
      return quick(re)(text);
    };
    expect(say(/Temporary failure in name resolution/, 'getaddrinfo EAI_AGAIN: Temporary failure in name resolution')).toBe(true);
    expect(say(/Temporary failure in name resolution/, 'Temporary failure in name')).toBe(false);
    expect(say(/Connection refused/i, 'upstream: CONNECTION REFUSED by peer')).toBe(true);
    expect(say(/Connection refused/i, 'upstream: connection reset by peer')).toBe(false);
    // Text other than the block looked at (a line of context) is left to the regex.
    lookAt('upstream: connection reset by peer');
    expect(quick(/Connection refused/i)('another line')).toBe(true);
  });
});
