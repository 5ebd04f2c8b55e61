// One test runs every built-in rule's examples (semgrep/ESLint style); the rule format is checked too.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Matcher, matchEvent } from '../src/engine/compile.js';
import { testRuleExamples } from '../src/engine/examples.js';
import { extractEventsSync } from '../src/extract/extract.js';
import { stringLines } from '../src/input/lines.js';
import { loadRuleDirs, parseRuleFile, RuleFileError } from '../src/engine/load.js';
import { BUILTIN_RULES_DIR, loadRuleSet } from '../src/engine/ruleset.js';
import { diagnose } from '../src/pipeline.js';
import { ruleJsonSchema } from '../src/engine/schema.js';
import { RULE_SCHEMA_FILE, schemaText } from '../src/engine/write-schemas.js';

const set = await loadRuleSet({ builtin: false, ruleDirs: [BUILTIN_RULES_DIR] });
const results = testRuleExamples(set);

describe('every built-in rule', () => {
  it.each(results.filter((r) => r.kind !== 'todo').map((r) => [`${r.rule} ${r.kind}[${r.index}]`, r] as const))('%s', (_name, r) => {
    expect(r.detail, r.detail).toBe('');
    expect(r.ok).toBe(true);
  });

  it.each(set.rules.map((r) => [r.id, r] as const))('%s has two match examples and a near miss', (_id, rule) => {
    expect(rule.examples.match.length).toBeGreaterThanOrEqual(2);
    expect(rule.examples['no-match'].length).toBeGreaterThanOrEqual(1);
    expect(rule.docs.length).toBeGreaterThanOrEqual(1);
  });

  it("every example's diagnosis reads cleanly: a section left empty leaves no stray space", async () => {
    // Outside code spans, whose own spacing is code's.
    const stray = /\s[.,;:)]|\(\s|\S\s{2,}\S/;
    const found: string[] = [];
    for (const rule of set.rules) {
      for (const text of rule.examples.match) {
        const report = await diagnose(text, { ruleSet: set, presumeClaude: false });
        for (const f of report.findings) for (const line of [f.title, f.cause, ...f.fix]) if (stray.test(line.replace(/`[^`]*`/g, '``'))) found.push(`${f.rule}: ${line}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('the issue-2 contract ids all exist', () => {
    const ids = set.rules.map((r) => r.id);
    for (const id of [
      'overloaded-error', 'api-error', 'rate-limit-error', 'authentication-error', 'permission-error', 'not-found-error',
      'request-too-large', 'billing-error', 'timeout-error', 'invalid-request-error', 'prompt-too-long', 'connection-error',
      'request-timeout', 'ssl-certificate-error', 'missing-api-key',
    ]) expect(ids).toContain(id);
  });

  it('every rule file starts with the schema modeline', () => {
    for (const f of readdirSync(BUILTIN_RULES_DIR).filter((x) => x.endsWith('.yaml'))) {
      expect(readFileSync(join(BUILTIN_RULES_DIR, f), 'utf8').split('\n')[0], f).toBe('# yaml-language-server: $schema=./rule.schema.json');
    }
  });
});

describe('rule file format', () => {
  it('the committed JSON Schema is generated from the zod schema (run `npm run schemas` after changing it)', () => {
    expect(readFileSync(RULE_SCHEMA_FILE, 'utf8')).toBe(schemaText(ruleJsonSchema()));
  });

  const valid = readFileSync(join(BUILTIN_RULES_DIR, 'overloaded-error.yaml'), 'utf8');
  const fail = (text: string, file = '/x/overloaded-error.yaml') => {
    try {
      parseRuleFile(text, file);
    } catch (err) {
      expect(err).toBeInstanceOf(RuleFileError);
      return (err as Error).message;
    }
    throw new Error('expected the rule file to be rejected');
  };

  it('accepts the built-in example', () => {
    expect(parseRuleFile(valid, '/x/overloaded-error.yaml').id).toBe('overloaded-error');
  });

  it('names file, line and field for an unknown key', () => {
    const msg = fail(valid.replace('retry: backoff', 'retry: backoff\nretries: 3'));
    expect(msg).toMatch(/overloaded-error\.yaml:\d+: .*unknown key 'retries'/);
    const line = Number(/yaml:(\d+):/.exec(msg)![1]);
    expect(valid.replace('retry: backoff', 'retry: backoff\nretries: 3').split('\n')[line - 1]).toMatch(/retries|id:/);
  });

  it('names the line of a bad value and says why the field matters', () => {
    const text = valid.replace('category: server', 'category: servers');
    const msg = fail(text);
    const line = Number(/yaml:(\d+):/.exec(msg)![1]);
    expect(text.split('\n')[line - 1]).toContain('category: servers');
    expect(msg).toMatch(/category: .*whose problem/);
  });

  it('rejects invalid YAML with its line', () => {
    expect(fail('id: x\ntitle: [unclosed\n')).toMatch(/yaml:\d+: invalid YAML/);
  });

  it('rejects a regex RE2 cannot run in linear time', () => {
    const text = valid.replace('  - type: overloaded_error', "  - message: {regex: '(?=look)ahead'}");
    const msg = fail(text);
    expect(msg).toMatch(/match\[0\]\.message\.regex: regex does not compile/);
    const line = Number(/yaml:(\d+):/.exec(msg)![1]);
    expect(text.split('\n')[line - 1]).toContain('(?=look)ahead');
  });

  it('rejects an id that is not the file name', () => {
    expect(fail(valid, '/x/other-name.yaml')).toMatch(/id: 'overloaded-error' must equal the file name 'other-name'/);
  });

  it('rejects duplicate ids across directories', () => {
    const a = mkdtempSync(join(tmpdir(), 'cd-rules-'));
    const b = mkdtempSync(join(tmpdir(), 'cd-rules-'));
    writeFileSync(join(a, 'overloaded-error.yaml'), valid);
    writeFileSync(join(b, 'overloaded-error.yaml'), valid);
    expect(() => loadRuleDirs([a, b])).toThrow(/already defined/);
  });

  it('named regex groups fill templates, and sections without a value drop out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cd-rules-'));
    writeFileSync(
      join(dir, 'org-window.yaml'),
      `id: org-window
title: Org limit {{limit}}
category: rate-limit
retry: after-header
priority: 50
match:
  - status: 429
    message: {regex: 'rate limit of (?P<limit>[0-9,]+) (?P<unit>input tokens|requests)'}
cause: Your limit is {{limit}} {{unit}} per minute.{{#model}} Model {{model}}.{{/model}}
fix: [Wait.]
docs: ['https://platform.claude.com/docs/en/api/rate-limits']
examples:
  match: ['{"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed your organization''s rate limit of 40,000 input tokens per minute."}}']
`,
    );
    const custom = await loadRuleSet({ ruleDirs: [dir] });
    const { diagnose } = await import('../src/index.js');
    const report = await diagnose(
      `anthropic.RateLimitError: Error code: 429 - {'type': 'error', 'error': {'type': 'rate_limit_error', 'message': "This request would exceed your organization's rate limit of 40,000 input tokens per minute."}}`,
      { ruleSet: custom },
    );
    expect(report.findings[0]!.rule).toBe('org-window');
    expect(report.findings[0]!.title).toBe('Org limit 40,000');
    expect(report.findings[0]!.cause).toBe('Your limit is 40,000 input tokens per minute.');
  });
});

describe('templates', async () => {
  const { render } = await import('../src/engine/template.js');
  it('compute with numbers from the message, ignoring thousands separators', () => {
    expect(render('cut {{tokens - limit}} tokens; room {{limit - input + 0}}', { tokens: '214,873', limit: '200000', input: '199759' })).toBe(
      'cut 14873 tokens; room 241',
    );
  });
  it('show a gap instead of a wrong number when a value is missing or not a number', () => {
    expect(render('{{tokens - limit}} / {{model}}', { tokens: 'many', model: 'x' })).toBe('<tokens - limit> / x');
  });
});

describe('the localtime filter', async () => {
  const { render } = await import('../src/engine/template.js');
  it('shows a Unix time in the local time zone, with the offset', () => {
    const shown = render('resets at {{epoch | localtime}}', { epoch: '1749924000' });
    const d = new Date(1749924000 * 1000);
    expect(shown).toContain(`${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`);
    expect(shown).toMatch(/^resets at \d{4}-\d\d-\d\d \d\d:\d\d \(UTC[+-]\d\d:\d\d\)$/);
  });
});

describe('error.details.error_code', async () => {
  const { diagnose } = await import('../src/index.js');
  const body = (status: number, type: string, message: string, code: string) =>
    `Error: ${status} {"type":"error","error":{"type":"${type}","message":"${message}","details":{"error_code":"${code}"}},"request_id":"req_011CW9aB2cD3eF4gH5iJ6kLm"}`;

  it.each([
    [429, 'rate_limit_error', 'This request would exceed your rate limit.', 'enforced_spend_limit_reached', 'monthly-spend-cap'],
    [429, 'rate_limit_error', 'This request would exceed your rate limit.', 'ramp_limit_exceeded', 'ramp-limit-exceeded'],
    [400, 'invalid_request_error', 'messages.0.content.1: invalid image', 'image_dimensions_too_large', 'image-too-large'],
  ])('%s %s with error_code %s wins over what the message says (%s)', async (status, type, message, code, rule) => {
    const report = await diagnose(body(status, type, message, code));
    expect(report.findings.map((f) => f.rule)).toEqual([rule]);
    expect(report.findings[0]!.errorCode).toBe(code);
  });

  it('the monthly cap says not to retry', async () => {
    const report = await diagnose(body(429, 'rate_limit_error', 'You have reached your API usage limits.', 'enforced_spend_limit_reached'));
    const f = report.findings[0]!;
    expect(f.retryable).toBe(false);
    expect(`${f.title} ${f.cause} ${f.fix[0]}`).toMatch(/do not retry|don't retry/i);
  });
});

describe('retry code references', () => {
  const dir = join(BUILTIN_RULES_DIR, 'snippets');
  const files = readdirSync(dir).filter((f) => /\.(ts|py)$/.test(f));
  const referenced = new Set(set.rules.flatMap((r) => r.code));

  it.each(set.rules.filter((r) => r.code.length > 0).map((r) => [r.id, r.code] as const))('%s names snippets that exist in Python and TypeScript', (_id, ids) => {
    for (const id of ids) {
      expect(files).toContain(`${id}.py`);
      expect(files).toContain(`${id}.ts`);
    }
  });

  it('every snippet is used by some rule', () => {
    for (const f of files) expect(referenced, f).toContain(f.replace(/\.(ts|py)$/, ''));
  });

  it('every rule that says to retry shows code that retries', () => {
    // Bedrock and Vertex use their own clients, and a Claude subscription limit is Claude Code's:
    // the Anthropic-SDK programs would be wrong code for them.
    const exempt = (r: (typeof set.rules)[number]) => r.category === 'platform' || r.id === 'subscription-usage-limit';
    const without = set.rules.filter((r) => r.code.length === 0 && ['backoff', 'after-header'].includes(r.retry) && !exempt(r));
    expect(without.map((r) => r.id)).toEqual([]);
  });
});

describe('the matcher that remembers', () => {
  // Every event of every example, matched one at a time, and again in an order that puts events
  // alike but for their text next to each other (the memory's case).
  const events = set.rules.flatMap((r) => [...r.examples.match, ...r.examples['no-match']].flatMap((t) => extractEventsSync(stringLines(t, 'example'))));

  it('matches every example event as matchEvent does, first time and from memory', () => {
    expect(events.length).toBeGreaterThan(100);
    const matcher = new Matcher(set.compiled);
    for (const round of [1, 2]) {
      for (const e of events) {
        const want = matchEvent(set.compiled, e);
        const got = matcher.match(e);
        expect([round, got?.rule.id, got?.vars], e.text).toEqual([round, want?.rule.id, want?.vars]);
      }
    }
  });

  it('reads the text again for the same text with other fields', () => {
    const matcher = new Matcher(set.compiled);
    // The deny-reason alternative needs a 403: the same words under a 502 are not its.
    const text = '403 Forbidden\nx-deny-reason: host_not_allowed';
    const event = (status: number) => ({ line: 1, endLine: 1, source: 'x', platform: 'anthropic' as const, status, text });
    for (const status of [403, 502, 403, 502]) {
      const want = matchEvent(set.compiled, event(status));
      const got = matcher.match(event(status));
      expect([status, got?.rule.id, got?.vars]).toEqual([status, want?.rule.id, want?.vars]);
    }
    expect(matcher.match(event(403))?.rule.id).toBe('request-forbidden');
    expect(matcher.match(event(502))?.rule.id).not.toBe('request-forbidden');
  });

  it('still reads the text where a rule does: same fields, other text, other rule', () => {
    const matcher = new Matcher(set.compiled);
    // Both are 403s with the same message; only the text names the proxy's deny reason.
    const base = { line: 1, endLine: 1, source: 'x', platform: 'anthropic' as const, status: 403, message: 'Host not in allowlist' };
    const plain = { ...base, text: '403 Forbidden: Host not in allowlist' };
    const denied = { ...base, text: '403 Forbidden: Host not in allowlist\nx-deny-reason: host_not_allowed' };
    for (const e of [plain, denied, plain, denied]) {
      const got = matcher.match(e);
      expect([got?.rule.id, got?.vars]).toEqual(e === plain ? [undefined, undefined] : ['request-forbidden', { hostdeny: 'host_not_allowed' }]);
    }
  });
});
