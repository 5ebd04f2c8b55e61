// The real binary, as users run it: inputs, formats, colour, exit codes and error messages.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/claude-doctor.js');
const APP_LOG = join(ROOT, 'fixtures/app.log');
const ANSI = /\x1b\[[0-9;]*m/;

function run(args: string[], opts: { input?: string; env?: Record<string, string | undefined> } = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, CI: 'true', ...opts.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, input: opts.input ?? '', env, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const json = (args: string[], input?: string) => JSON.parse(run([...args, '--format', 'json'], { input }).stdout);

describe('diagnosing a log', () => {
  it('groups findings by rule with counts, lines and request ids', () => {
    const doc = json([APP_LOG, '--fail-on', 'never']);
    const overloaded = doc.findings.find((f: { rule: string }) => f.rule === 'overloaded-error');
    expect(overloaded.count).toBe(3);
    expect(overloaded.occurrences.map((o: { line: number }) => o.line)).toEqual([15, 16, 17]);
    expect(overloaded.occurrences[0].requestId).toBe('req_011CVz9aB4cD5eF6gH7iJ8kL');
    expect(overloaded.occurrences[0].timestamp).toBe('2026-11-24T14:05:40.117Z');
    expect(overloaded).toMatchObject({ category: 'server', retryable: true, status: 529, type: 'overloaded_error' });
    const rules = doc.findings.map((f: { rule: string | null }) => f.rule);
    expect(rules).toEqual(expect.arrayContaining(['rate-limit-error', 'authentication-error', null]));
    // The OpenAI 429 on line 21 is another vendor's error: not reported.
    expect(doc.findings.flatMap((f: { occurrences: { line: number }[] }) => f.occurrences.map((o) => o.line))).not.toContain(21);
  });

  it('prints JSON that validates against the shipped schema', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'src/report/report.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    for (const input of [APP_LOG, join(ROOT, 'fixtures/no-claude-errors.log')]) {
      const doc = json([input]);
      expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
      expect(doc.schemaVersion).toBe(1);
      expect(doc.summary.events).toBe(doc.findings.reduce((n: number, f: { count: number }) => n + f.count, 0));
    }
  });

  it('reads stdin from a pipe and from -, the same as the file', () => {
    const text = readFileSync(APP_LOG, 'utf8');
    const fromFile = json([APP_LOG]).summary;
    expect(json([], text).summary).toEqual(fromFile);
    expect(json(['-'], text).summary).toEqual(fromFile);
  });

  it('scans several files and names each in its occurrences', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cd-cli-'));
    const b = join(dir, 'b.log');
    writeFileSync(b, 'x\n{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n');
    const doc = json([APP_LOG, b]);
    const sources = doc.findings.find((f: { rule: string }) => f.rule === 'overloaded-error').occurrences.map((o: { source: string }) => o.source);
    expect(sources).toContain(b);
    expect(sources).toContain(APP_LOG);
  });

  it('never prints a key from the input, in any format', () => {
    for (const format of ['text', 'json']) {
      const r = run([APP_LOG, '--format', format]);
      expect(r.stdout + r.stderr).not.toMatch(/sk-ant-api03-Q2xh/);
    }
    const pasted = `Error code: 401 - {'type': 'error', 'error': {'type': 'authentication_error', 'message': 'invalid x-api-key'}} sent x-api-key: sk-ant-api03-${'k'.repeat(93)}AA`;
    const r = run(['--format', 'json'], { input: pasted });
    expect(r.stdout).not.toContain('kkkkkkkk');
    expect(r.stdout).toContain('[redacted]');
  });

  it('says so when there is no Claude error, and exits 0', () => {
    const r = run([join(ROOT, 'fixtures/no-claude-errors.log')]);
    expect(r.stdout.trim()).toBe('✓ no Claude API error found');
    expect(r.code).toBe(0);
  });
});

describe('exit codes', () => {
  const recognisedOnly = '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}';
  const unknown = '{"type":"error","error":{"type":"brand_new_error","message":"Something new"},"request_id":"req_011CVzB7xY8zA9bC1dE2fG3h"}';

  it.each([
    ['unknown', recognisedOnly, 0],
    ['unknown', unknown, 1],
    ['any', recognisedOnly, 1],
    ['any', 'all good\n', 0],
    ['never', unknown, 0],
  ])('--fail-on %s exits as the gate says', (failOn, input, code) => {
    expect(run(['--fail-on', String(failOn)], { input: String(input) }).code).toBe(code);
  });

  it('an unrecognised Claude error is reported with what was extracted, not dropped', () => {
    const doc = json([], unknown);
    expect(doc.findings[0]).toMatchObject({ rule: null, recognised: false, type: 'brand_new_error', message: 'Something new' });
    expect(doc.findings[0].occurrences[0].requestId).toBe('req_011CVzB7xY8zA9bC1dE2fG3h');
    expect(doc.exitCode).toBe(1);
  });

  it.each([
    [['--bogus'], /^claude-doctor: unknown option '--bogus'/],
    [['--format', 'xml'], /^claude-doctor: option .*--format.* argument 'xml' is invalid/],
    [['--fail-on', 'sometimes'], /^claude-doctor: option .*--fail-on.* argument 'sometimes' is invalid/],
    [['missing.log'], /^claude-doctor: cannot read 'missing.log': no such file$/],
    [['fixtures'], /^claude-doctor: cannot read 'fixtures': is a directory$/],
  ])('%j is a usage error: exit 2 and one line on stderr', (args, message) => {
    const r = run(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
  });

  it('an invalid user rule file is exit 2, naming file, line and field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cd-rules-'));
    writeFileSync(join(dir, 'my-rule.yaml'), 'id: my-rule\ntitle: Mine\ncategory: server\nretry: sometimes\nmatch: [{status: 500}]\ncause: because of reasons\nfix: [x y z]\nexamples: {match: [a]}\n');
    const r = run(['--rules', dir], { input: 'x' });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^claude-doctor: .*my-rule\.yaml:4: retry: .*never.*backoff/);
  });
});

describe('colour', () => {
  const input = '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}';
  it('is off when output is not a terminal', () => {
    expect(run([], { input }).stdout).not.toMatch(ANSI);
  });
  it('FORCE_COLOR turns it on, NO_COLOR and --no-color turn it off', () => {
    expect(run([], { input, env: { FORCE_COLOR: '1' } }).stdout).toMatch(ANSI);
    expect(run(['--color'], { input }).stdout).toMatch(ANSI);
    expect(run([], { input, env: { NO_COLOR: '1' } }).stdout).not.toMatch(ANSI);
    expect(run(['--no-color'], { input, env: { FORCE_COLOR: '1' } }).stdout).not.toMatch(ANSI);
  });
  it('never appears in JSON', () => {
    expect(run(['--format', 'json'], { input, env: { FORCE_COLOR: '1' } }).stdout).not.toMatch(ANSI);
  });
});

describe('explain', () => {
  it.each([
    ['overloaded-error', 'overloaded-error'],
    ['529', 'overloaded-error'],
    ['rate_limit_error', 'rate-limit-error'],
  ])('explain %s shows the long form of %s, with a worked example', (query, id) => {
    const r = run(['explain', query]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(new RegExp(`^${id}: `));
    expect(r.stdout).toMatch(/^whose +/m);
    expect(r.stdout).toMatch(/For example, this text:/);
    expect(r.stdout).toMatch(/^fix +1\. /m);
    expect(r.stdout).toContain(`rules/${id}.yaml`);
  });

  it('an unknown name is a usage error with a suggestion', () => {
    const r = run(['explain', 'overloded-error']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("claude-doctor: no rule, status or error type called 'overloded-error' (did you mean 'overloaded-error'?); see 'claude-doctor rules list'");
  });
});

describe('Message Batches results', () => {
  it('reports errored and expired requests by custom_id, grouped by cause, with what can be resubmitted', () => {
    const file = join(ROOT, 'fixtures/batch-results.jsonl');
    const doc = json([file]);
    const ids = (rule: string) => doc.findings.find((f: { rule: string }) => f.rule === rule).occurrences.map((o: { customId: string }) => o.customId);
    expect(ids('batch-request-expired')).toEqual(['invoice-0005', 'invoice-0007']);
    expect(ids('overloaded-error')).toEqual(['invoice-0002']);
    expect(ids('prompt-too-long')).toEqual(['invoice-0003']);
    expect(doc.summary.events).toBe(5); // succeeded and canceled results are not errors
    const text = run([file]).stdout;
    expect(text).toMatch(/^batch: 5 failed requests; resubmit as they are: invoice-0002, invoice-0005, invoice-0007, invoice-0006; fix first: invoice-0003$/m);
  });
});

describe('rules commands and help', () => {
  it('rules list shows every rule with its category', () => {
    const r = run(['rules', 'list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^overloaded-error\s+server\s+/m);
    expect(r.stdout).toMatch(/^ssl-certificate-error\s+network\s+/m);
  });

  it('rules test passes on the built-in rules and fails on a broken user rule', () => {
    const ok = run(['rules', 'test']);
    expect(ok.stdout).toMatch(/^\d+ passed, 0 failed/m);
    expect(ok.code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'cd-rules-'));
    writeFileSync(
      join(dir, 'my-rule.yaml'),
      "id: my-rule\ntitle: Mine\ncategory: server\nretry: backoff\nmatch: [{type: my_error}]\ncause: because of reasons\nfix: [do the thing]\nexamples:\n  match: ['{\"type\":\"error\",\"error\":{\"type\":\"other_error\",\"message\":\"x\"}}']\n",
    );
    const bad = run(['rules', 'test', dir]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/✗ my-rule/);
    expect(bad.stdout).toMatch(/match\[0\]: it was diagnosed as unrecognised/);
    expect(bad.stdout).not.toMatch(/overloaded-error/);
  });

  it('--help leads with what it does and shows examples; --version prints the version', () => {
    const help = run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Examples:/);
    expect(help.stdout).toMatch(/cat app\.log \| claude-doctor/);
    const version = run(['--version']);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });
});

describe('retry code', () => {
  const py = "anthropic.OverloadedError: Error code: 529 - {'type': 'error', 'error': {'type': 'overloaded_error', 'message': 'Overloaded'}}";
  const ts = 'Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n    at Anthropic.makeStatusError (/app/node_modules/@anthropic-ai/sdk/client.js:412:28)';
  const cc = '  ⎿  API Error (529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}) · Retrying in 4 seconds… (attempt 4/10)';
  const langs = (input: string, extra: string[] = []) =>
    json(extra, input).findings[0].code.map((c: { language: string; code: string }) => c.language);

  it('follows the language the error came from, else both', () => {
    expect(langs(py)).toEqual(['python']);
    expect(langs(ts)).toEqual(['typescript']);
    expect(langs(cc)).toEqual(['python', 'typescript']);
  });

  it('--lang overrides it', () => {
    expect(langs(py, ['--lang', 'typescript'])).toEqual(['typescript']);
    expect(langs(py, ['--lang', 'all'])).toEqual(['python', 'typescript']);
    expect(langs(py, ['--lang', 'none'])).toEqual([]);
  });

  it('is the snippet file itself, titled by its first line, printed once per report in text', () => {
    const sample = json([], py).findings[0].code[0];
    expect(sample.code).toBe(readFileSync(join(ROOT, 'rules/snippets/transient-backoff.py'), 'utf8'));
    expect(sample.title).toBe(sample.code.split('\n')[0].replace(/^#\s*/, ''));
    const text = run([], { input: `${py}\n${py}\n` }).stdout;
    expect(text.match(/── Python retry code for overloaded-error ──/g)).toHaveLength(1);
  });

  it('an error that arrived mid-stream gets the stream-restart program', () => {
    const sse = 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}';
    expect(json(['--lang', 'typescript'], sse).findings[0].code[0].code).toBe(readFileSync(join(ROOT, 'rules/snippets/stream-restart.ts'), 'utf8'));
  });
});
