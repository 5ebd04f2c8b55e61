// No secret leaks (issue 9): every kind of secret, planted in every form a user pastes it in next to
// a Claude error, must be gone from every line the tool reads and from every output it makes:
// each report format, the step summary, stderr with debug on, the interactive echo and error messages.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PasteEcho } from '../src/cli/paste.js';
import { readCandidateLines } from '../src/input/candidates.js';
import { readLines, stringLines } from '../src/input/lines.js';
import { fileCandidates } from '../src/input/sources.js';
import { findCut } from '../src/input/split.js';
import type { Line } from '../src/types.js';
import { CASES, KINDS, leaks, REQUEST_529, type Case } from './helpers/secret-matrix.js';
import { closeTerminals, exitCode, hasTmux, start, tmux, waitFor } from './helpers/terminal.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/claude-doctor.js');
const hasStrace = spawnSync('strace', ['-V']).status === 0;

function run(args: string[], opts: { env?: Record<string, string>; cwd?: string; wrapper?: string[] } = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', CLAUDE_DOCTOR_DEBUG: '1', ...opts.env };
  for (const k of ['GITHUB_ACTIONS', 'GITHUB_STEP_SUMMARY', 'FORCE_COLOR']) if (!opts.env?.[k]) delete env[k];
  const [cmd, ...pre] = [...(opts.wrapper ?? []), process.execPath];
  const r = spawnSync(cmd!, [...pre, BIN, ...args], { cwd: opts.cwd ?? ROOT, env, input: '', encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const chunks = (text: string, size: number) => {
  const buf = Buffer.from(text);
  return Readable.from(Array.from({ length: Math.ceil(buf.length / size) }, (_, i) => buf.subarray(i * size, (i + 1) * size)));
};

/** The lines the scan's fast path keeps, as it hands them to the extractor in batches. */
async function fastLines(text: string, size: number): Promise<Line[]> {
  const kept: Line[] = [];
  for await (const batch of readCandidateLines(chunks(text, size), 'x')) for (const l of batch) if (!('gap' in l)) kept.push(l);
  return kept;
}

describe('the leak matrix', () => {
  it(`plants a usable secret in each of its ${CASES.length} cases, which the leak check sees`, () => {
    expect(new Set(CASES.map((c) => c.kind.id)).size).toBe(KINDS.length);
    for (const c of CASES) expect(leaks(c.text, [c.kind]), c.id).not.toEqual([]);
  });
});

describe('every line the tool reads is redacted', () => {
  it.each(CASES.map((c) => [c.id, c] as const))('%s', async (_id, c: Case) => {
    const plain = [...stringLines(c.text)];
    const streamed = [];
    for await (const l of readLines(chunks(c.text, 61), 'x')) streamed.push(l);
    const fast = await fastLines(c.text, 37);
    expect(leaks(plain.map((l) => l.text).join('\n'), [c.kind])).toEqual([]);
    expect(streamed.map((l) => l.text)).toEqual(plain.map((l) => l.text));
    // The fast path keeps only some lines; each must read as the plain path reads it.
    expect(fast.length).toBeGreaterThan(0);
    for (const l of fast) expect(l.text, `line ${l.line}`).toBe(plain[l.line - 1]!.text);
    // A whole key keeps its kind and last four characters, which tell two keys apart.
    const key = c.kind.token;
    if (c.kind.id.startsWith('anthropic') && key && !/wrap|url/.test(c.form)) {
      expect(plain.map((l) => l.text).join('\n')).toContain(`${key.slice(0, key.indexOf('-', 7) + 1)}…[redacted]…${key.slice(-4)}`);
    }
  });

  // The fast path reads only the lines around a candidate, so its window can open in the middle of
  // a private key's body or on the second half of a wrapped key, whose start it never read.
  it.each([
    ['a private key', KINDS.find((k) => k.id === 'gcp-private-key')!.value.trimEnd()],
    ['a key cut by a narrow terminal', `export CLAUDE_KEY="${KINDS[0]!.token!}"`.match(/.{1,24}/g)!.join('\n')],
  ])('the fast path redacts %s that starts before its window', async (_what, secret) => {
    const noise = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `INFO ${tag} request ${i} ok`);
    const secretLines = secret.split('\n');
    // The window, 25 lines before the error, opens a few lines into the secret.
    const text = [...noise(60, 'a'), ...secretLines, ...noise(25 - secretLines.length + 3, 'b'), `API Error: 529 ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })}`, ''].join('\n');
    const plain = [...stringLines(text)];
    for (const size of [53, 4096]) {
      const fast = await fastLines(text, size);
      expect(fast[0]!.line).toBeGreaterThan(60);
      expect(fast[0]!.line).toBeLessThanOrEqual(60 + secretLines.length);
      for (const l of fast) expect(l.text, `line ${l.line}`).toBe(plain[l.line - 1]!.text);
      expect(leaks(fast.map((l) => l.text).join('\n'))).toEqual([]);
    }
  });
});

describe('a key glued to a word and wrapped inside its prefix', () => {
  // The whole key's rule finds `sk-ant-` wherever it starts, so the rule that follows a key across a
  // wrap must take any piece of the prefix at a line's end, a lone `s` glued to a word included.
  it.each(KINDS.filter((k) => k.id.startsWith('anthropic')).flatMap((k) => [1, 2, 5].map((n) => [k.id, n, k] as const)))('%s, cut after %i characters', (_id, n, k) => {
    const lines = [`export ${k.env}="prod_${k.token!.slice(0, n)}`, `${k.token!.slice(n)}"`];
    const plain = [...stringLines(lines.join('\n'))].map((l) => l.text).join('\n');
    expect(leaks(plain, [k])).toEqual([]);
  });
});

describe('an access key id wrapped inside its prefix', () => {
  // No word on the first line lets the secrets gate through: only the id's own shape (an `A`
  // starting a run of capitals and digits at a line's end) says that a key may go on below.
  it.each(KINDS.filter((k) => k.id.startsWith('aws-a')).flatMap((k) => [1, 2, 3].map((n) => [k.id, n, k] as const)))('%s, cut after %i characters', (_id, n, k) => {
    const lines = [`id: prod-${k.token!.slice(0, n)}`, k.token!.slice(n)];
    const plain = [...stringLines(lines.join('\n'))].map((l) => l.text).join('\n');
    expect(leaks(plain, [k])).toEqual([]);
  });
});

describe('a large file scanned in two halves', () => {
  // The second half is read by a worker thread from the cut on, with no memory of the first: its
  // lines must still read as one pass reads them, a private key's body near the cut included.
  const pem = KINDS.find((k) => k.id === 'gcp-private-key')!.value.trimEnd();
  const error = `API Error: 529 ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })}`;
  const noise = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `INFO ${tag} req ${String(i).padStart(6, '0')} ok`);
  const collect = async (gen: AsyncGenerator<(Line | { gap: true })[], number>) => {
    const kept = new Map<number, string>();
    for await (const batch of gen) for (const l of batch) if (!('gap' in l)) kept.set(l.line, l.text);
    return kept;
  };

  it.each([-1, 0, 1])('with the middle of the file %s lines from the key, the halves read its lines as one pass does', async (shift) => {
    // An error a few lines after the key opens a window inside its body, yet leaves the lines
    // around the key's start quiet enough for a cut.
    const before = `${noise(8000, 'a').join('\n')}\n`;
    const block = `${[...pem.split('\n'), ...noise(4, 'b'), error].join('\n')}\n`;
    const middle = before.length + shift * 65;
    const after = `${noise(Math.ceil((2 * middle - before.length - block.length) / 21), 'c').join('\n')}\n`;
    const file = join(mkdtempSync(join(tmpdir(), 'cd-secrets-halves-')), 'app.log');
    writeFileSync(file, before + block + after);
    const whole = await collect(fileCandidates('app.log', file));
    expect(leaks([...whole.values()].join('\n'))).toEqual([]);
    const cut = findCut(file, statSync(file).size);
    if (cut === undefined) return;
    const linesBefore = readFileSync(file).subarray(0, cut).toString().split('\n').length - 1;
    const second = await collect(fileCandidates('app.log', file, cut));
    for (const [n, text] of second) expect(text, `line ${n + linesBefore}`).toBe(whole.get(n + linesBefore));
  });
});

describe('the paste echo', () => {
  it('never shows a secret, at any moment while a line arrives or once it is done', () => {
    for (const c of CASES) {
      const echo = new PasteEcho();
      const shown: string[] = [];
      for (const line of c.text.trimEnd().split('\n')) {
        // Frames of a line that holds no piece of the secret cannot show one.
        const risky = leaks(line, [c.kind]).length > 0;
        for (let i = 1; risky && i < line.length; i++) {
          const frame = echo.partial(line.slice(0, i));
          shown.push(frame);
          // Showing the last four characters that have arrived so far would reveal the whole
          // secret, four at a time, to anyone recording the screen.
          for (const m of c.kind.material) {
            const at = line.indexOf(m);
            if (at !== -1 && i - at >= 5 && i <= at + m.length) expect(frame, `${c.id}: ${frame}`).not.toContain(line.slice(i - 4, i));
          }
        }
        shown.push(echo.finish(line));
      }
      expect(leaks(shown.join('\n'), [c.kind]), c.id).toEqual([]);
    }
  }, 120_000);
});

describe('the real binary', () => {
  let dir: string;
  let files: string[];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cd-secrets-'));
    files = CASES.map((c) => {
      const file = join(dir, `${c.id}.log`);
      writeFileSync(file, c.text);
      return file;
    });
    // A file whose name holds a secret: the name is in every finding's location.
    for (const k of KINDS) {
      if (/[/\n]/.test(k.envValue) || k.envValue.length > 200) continue;
      const file = join(dir, `${k.env}=${k.envValue}.log`);
      writeFileSync(file, `API Error: 418 {"type":"error","error":{"type":"named_${k.id.replace(/-/g, '_')}_error","message":"refused"}}\n`);
      files.push(file);
    }
  });

  it.each(['text', 'json', 'markdown', 'sarif', 'junit'])('--format %s shows no secret, nor does stderr with debug on', (format) => {
    const r = run([...files, '--format', format]);
    expect(r.stderr).toBe('');
    expect(leaks(r.stdout)).toEqual([]);
    if (format === 'json') {
      // Every case was diagnosed: its secret really sat next to a known and an unknown Claude error.
      const doc = JSON.parse(r.stdout) as { findings: { rule: string | null; occurrences: { source: string; requestId?: string }[] }[] };
      const overloaded = doc.findings.find((f) => f.rule === 'overloaded-error')!;
      for (const [i, c] of CASES.entries()) {
        expect(overloaded.occurrences.some((o) => o.source === files[i] && o.requestId === REQUEST_529), `${c.id}: the 529`).toBe(true);
        expect(doc.findings.some((f) => f.rule === null && f.occurrences.some((o) => o.source === files[i])), `${c.id}: the unknown error`).toBe(true);
      }
      expect(r.stdout).toContain('[redacted');
    }
  }, 60_000);

  it('--follow, which prints each finding as it is complete, shows no secret', () => {
    const r = run([...files, '--follow']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('unrecognised');
    expect(leaks(r.stdout)).toEqual([]);
  }, 60_000);

  it('--format github shows no secret in annotations or the step summary', () => {
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '');
    // GitHub shows ten error annotations per step; each run gets as many files as fit under that.
    const doc = JSON.parse(run([...files, '--format', 'json']).stdout) as { findings: { rule: string | null; occurrences: { source: string }[] }[] };
    const unknown = new Map<string, number>();
    for (const f of doc.findings) if (f.rule === null) for (const o of f.occurrences) unknown.set(o.source, (unknown.get(o.source) ?? 0) + 1);
    const groups: string[][] = [[]];
    let room = 10;
    for (const file of files) {
      // A file named with a secret shows under its redacted name; it holds one unknown error.
      const n = unknown.get(file) ?? 1;
      if (n > room) {
        groups.push([]);
        room = 10;
      }
      groups.at(-1)!.push(file);
      room -= n;
    }
    for (const group of groups) {
      const r = run([...group, '--format', 'github'], { env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } });
      expect(r.stderr).toBe('');
      expect(r.stdout).not.toMatch(/more errors? /);
      expect(leaks(r.stdout)).toEqual([]);
    }
    const written = readFileSync(summary, 'utf8');
    expect(written.match(/^## claude-doctor$/gm)).toHaveLength(groups.length);
    expect(leaks(written)).toEqual([]);
  }, 120_000);

  it.skipIf(!hasStrace)('opens no network socket while it reads secrets and diagnoses them', () => {
    const trace = join(dir, 'trace');
    const r = run([...files, '--format', 'json'], { wrapper: ['strace', '-f', '-qq', '-e', 'trace=socket,connect', '-o', trace] });
    expect(r.code).toBe(1);
    expect(readFileSync(trace, 'utf8')).not.toMatch(/AF_INET/);
  }, 60_000);
});

describe.skipIf(!hasTmux)('the interactive doctor in a terminal', () => {
  afterEach(closeTerminals);

  it('echoes the whole matrix, pasted at once, without a secret; the diagnosis shows none either', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cd-secrets-tty-'));
    const stream = join(dir, 'stream');
    const trace = join(dir, 'trace');
    const { name, exitFile } = start({ CLAUDE_DOCTOR_DEBUG: '1' }, hasStrace ? `strace -f -qq -e trace=socket,connect -o ${trace}` : '');
    // Every byte written to the terminal, the masked line in progress included.
    tmux('pipe-pane', '-o', '-t', name, `cat >> ${stream}`);
    await waitFor(() => readFileSync(stream, { flag: 'a+', encoding: 'utf8' }).includes('Paste the error') || tmux('capture-pane', '-p', '-t', name).includes('Paste the error'), 'the paste prompt');
    // One blank line between cases; two end the paste.
    writeFileSync(join(dir, 'paste'), `${CASES.map((c) => c.text.trimEnd()).join('\n\n')}\n\n\n`);
    tmux('load-buffer', '-b', name, join(dir, 'paste'));
    tmux('paste-buffer', '-d', '-b', name, '-t', name);
    await waitFor(() => readFileSync(stream, 'utf8').includes('What next?'), 'the diagnosis', 120_000);
    tmux('send-keys', '-t', name, 'Up', 'Enter');
    expect(await exitCode(exitFile)).toBe(1);
    const shown = readFileSync(stream, 'utf8').replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]/g, '');
    expect(shown).toContain('overloaded-error');
    expect(shown).toContain('[redacted');
    expect(leaks(shown)).toEqual([]);
    if (hasStrace) expect(readFileSync(trace, 'utf8')).not.toMatch(/AF_INET/);
  }, 240_000);
});

describe('error messages', () => {
  const everySecret = KINDS.map((k) => `${k.env}=${k.envValue}`).join(' ');
  const tmp = () => mkdtempSync(join(tmpdir(), 'cd-secrets-err-'));

  it.each([
    ['a paste given as a file name', [everySecret], /cannot read/],
    ['a secret given to explain', ['explain', everySecret], /no rule, status or error type/],
    ['a secret given as an option value', ['--format', everySecret], /is invalid/],
    ['a secret given as an unknown option', [`--api-key=${everySecret}`], /unknown option/],
  ] as const)('%s: the message does not repeat it', (_what, args, said) => {
    const r = run([...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(said);
    expect(leaks(r.stdout + r.stderr)).toEqual([]);
  });

  it('a config file with a secret in a bad value, or in broken YAML or JSON, is reported without it', () => {
    const key = KINDS[0]!.envValue;
    const configs: [string, string][] = [
      ['.claude-doctor.yml', `fail-on: ${key}\n`],
      ['.claude-doctor.yml', `rules: [./${key}]\n`],
      ['.claude-doctor.yml', `ignore:\n  - rule: overloaded-error\n    reason: "key was ${key}\n  bad: [\n`],
      // yaml throws on an alias it never saw, naming it: a crash, with its stack under debug.
      ['.claude-doctor.yml', `ignore: *${key}\n`],
      // yaml warns through Node about a key that is a list, quoting it.
      ['.claude-doctor.yml', `? [${key}]\n: x\n`],
      ['package.json', `{"name": "app", "claude-doctor": {"fail-on": "any"}, "env": {"ANTHROPIC_API_KEY": ${key}}}\n`],
    ];
    for (const [file, text] of configs) {
      const cwd = tmp();
      writeFileSync(join(cwd, file), text);
      const r = run(['--config', file, join(ROOT, 'fixtures/app.log')], { cwd });
      expect(r.code, text).toBe(2);
      expect(r.stderr).toMatch(/^claude-doctor: /);
      expect(leaks(r.stdout + r.stderr), text).toEqual([]);
    }
  });

  it('a rule file with a secret in a regex that does not compile, or in a key, is reported without it', () => {
    const key = KINDS[0]!.envValue;
    const rule = (match: string) =>
      [
        'id: my-rule',
        'title: Our gateway rejected the key',
        'category: auth',
        'retry: never',
        'match:',
        match,
        'cause: The gateway did not know the key.',
        'fix: [Use the key the gateway issued.]',
        'examples:',
        '  match:',
        `    - 'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"Received API Key = ${key}"}}'`,
      ].join('\n');
    for (const text of [rule(`  - message: {regex: 'Received API Key = ${key}(unclosed'}`), rule(`  - message: {regex: 'Received API Key'}\n? [${key}]\n: x`)]) {
      const rules = tmp();
      writeFileSync(join(rules, 'my-rule.yaml'), text);
      const r = run(['--rules', rules, join(ROOT, 'fixtures/app.log')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/my-rule\.yaml:\d+: /);
      expect(leaks(r.stdout + r.stderr)).toEqual([]);
    }
  });

  it("explain prints a rule's example without the secrets its author pasted into it", () => {
    const rules = tmp();
    // explain shows the first example: a log with every kind of secret around the error.
    const example = [
      'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"Received API Key = sk-…"}}',
      ...KINDS.map((k) => `${k.name}: ${k.value}`),
    ].join('\n');
    writeFileSync(
      join(rules, 'gateway-key-rejected.yaml'),
      [
        'id: gateway-key-rejected',
        'title: Our gateway rejected the key',
        'category: auth',
        'retry: never',
        'match:',
        "  - message: {regex: 'Received API Key'}",
        'cause: The gateway did not know the key.',
        'fix: [Use the key the gateway issued.]',
        'examples:',
        '  match:',
        `    - ${JSON.stringify(example)}`,
      ].join('\n'),
    );
    const r = run(['explain', 'gateway-key-rejected', '--rules', rules]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('For example, this text:');
    expect(leaks(r.stdout + r.stderr)).toEqual([]);
  });
});
