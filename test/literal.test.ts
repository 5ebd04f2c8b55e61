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
    // A literal's character that is no letter is looked for first, as it is in the text.
    expect(literalTest('<html', true)('502 <HTML><HEAD>')).toBe(true);
    expect(literalTest('<html', true)('HTML without a tag')).toBe(false);
    expect(literalTest('max retries: 3', true)('Reached MAX RETRIES: 3')).toBe(true);
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
