// The CI formats from the real binary: GitHub annotations (escaped, capped, no injection, step
// summary), Markdown, JUnit XML that parses, and SARIF 2.1.0's required structure.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvDraft04Module from 'ajv-draft-04';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';

// ajv-draft-04 is CommonJS whose default export is the class; TypeScript's NodeNext view of it is
// the module object.
const AjvDraft04 = AjvDraft04Module as unknown as typeof AjvDraft04Module.default;

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function run(args: string[], env: Record<string, string | undefined> = {}) {
  const e: NodeJS.ProcessEnv = { ...process.env, GITHUB_ACTIONS: undefined, GITHUB_STEP_SUMMARY: undefined, NO_COLOR: '1', ...env };
  for (const k of Object.keys(e)) if (e[k] === undefined) delete e[k];
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/claude-doctor.js'), ...args], { cwd: ROOT, env: e, encoding: 'utf8', input: '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function logWith(lines: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'cd-ci-')), 'ci.log');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const unknown = (i: number, extra = '') =>
  `{"type":"error","error":{"type":"novel_error_${i}","message":"Something new ${i}${extra}"},"request_id":"req_011CWci${String(i).padStart(2, '0')}abcdefghijklmnopqr"}`;
const overloaded = '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}';
const COMMAND = /^::(error|warning|notice)(?: [A-Za-z]+=[^,:\r\n]*(?:,[A-Za-z]+=[^,:\r\n]*)*)?::[^\r\n]*$/;

describe('--format github', () => {
  it('writes well-formed, escaped annotations with file and line, and exits 1 on an unknown error', () => {
    const file = logWith(['started', overloaded, unknown(1, '\\nsecond line 100%')]);
    const summary = join(mkdtempSync(join(tmpdir(), 'cd-sum-')), 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const r = run([file, '--format', 'github', '--lang', 'none'], { GITHUB_STEP_SUMMARY: summary });
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    const commands = lines.slice(0, -1);
    for (const l of commands) expect(l).toMatch(COMMAND);
    expect(commands.filter((l) => l.startsWith('::error'))).toHaveLength(1);
    expect(commands.find((l) => l.startsWith('::error'))).toContain(`file=${file.replace(/:/g, '%3A').replace(/,/g, '%2C')},line=3`);
    expect(commands.find((l) => l.startsWith('::error'))).toContain('100%25');
    expect(commands.filter((l) => l.startsWith('::notice'))).toHaveLength(1);
    const written = readFileSync(summary, 'utf8');
    expect(written.startsWith('# earlier step\n')).toBe(true);
    expect(written).toContain('## claude-doctor');
    expect(written).toContain('`overloaded-error`');
  });

  it('shows at most 10 annotations of a level, then says how many more', () => {
    const file = logWith(Array.from({ length: 15 }, (_, i) => unknown(i)));
    const r = run([file, '--format', 'github']);
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => l.startsWith('::error'))).toHaveLength(10);
    expect(lines.find((l) => l.startsWith('::notice'))).toMatch(/5 more errors not shown as annotations/);
  });

  it('no text from the log can become a workflow command', () => {
    const file = logWith([
      unknown(1, ' ::set-output name=token::stolen'),
      '::add-mask::plain log line',
      `{"type":"error","error":{"type":"novel_error_9","message":"x\\n::add-mask::injected\\r\\n::set-output name=a::b"}}`,
    ]);
    const r = run([file, '--format', 'github']);
    for (const l of r.stdout.split(/\r?\n/)) {
      expect(l).not.toMatch(/^::(set-output|add-mask|stop-commands|set-env|add-path)/);
      if (l.startsWith('::')) expect(l).toMatch(COMMAND);
    }
  });

  it('is the default format under GitHub Actions', () => {
    const r = run([logWith([overloaded])], { GITHUB_ACTIONS: 'true' });
    expect(r.stdout.split('\n')[0]).toMatch(/^::notice /);
  });
});

describe('--format markdown, junit, sarif', () => {
  const file = logWith(['x', overloaded, unknown(1), '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}']);

  it('markdown has a section per finding, with log text made inert', () => {
    const md = run([file, '--format', 'markdown']).stdout;
    expect(md).toMatch(/^## claude-doctor/);
    expect(md).toContain('### ❌ `unrecognised`');
    expect(md).toContain('`overloaded-error`');
  });

  it('junit is well-formed XML with one test case per finding and failures for what trips the gate', () => {
    const r = run([file, '--format', 'junit']);
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(r.stdout);
    const suite = doc.testsuites.testsuite;
    expect(suite['@_tests']).toBe('3');
    expect(suite['@_failures']).toBe('1');
    const cases = [suite.testcase].flat();
    expect(cases.filter((c: Record<string, unknown>) => c.failure)).toHaveLength(1);
    expect(run([file, '--format', 'junit', '--fail-on', 'any']).stdout).toContain('failures="3"');
  });

  it('sarif validates against the SARIF 2.1.0 schema, with rules carrying help and docs and results their locations', () => {
    const log = JSON.parse(run([file, '--format', 'sarif']).stdout);
    // The schema as Microsoft's SARIF tooling ships it (@microsoft/jest-sarif), a draft-04 JSON Schema.
    const schema = JSON.parse(readFileSync(join(ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const validate = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false, logger: false }).compile(schema);
    expect(validate(log), JSON.stringify(validate.errors, null, 1)).toBe(true);
    expect(log.version).toBe('2.1.0');
    const run0 = log.runs[0];
    expect(run0.tool.driver.name).toBe('claude-doctor');
    const ruleIds = run0.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ruleIds).toEqual(expect.arrayContaining(['overloaded-error', 'authentication-error', 'unrecognised']));
    for (const r of run0.tool.driver.rules) {
      expect(r.shortDescription.text).toBeTruthy();
      expect(r.help.text).toMatch(/^1\. /);
    }
    expect(run0.tool.driver.rules.find((r: { id: string }) => r.id === 'overloaded-error').helpUri).toMatch(/^https:\/\//);
    for (const res of run0.results) {
      expect(ruleIds[res.ruleIndex]).toBe(res.ruleId);
      expect(['error', 'warning', 'note']).toContain(res.level);
      expect(res.message.text).toBeTruthy();
      expect(res.locations[0].physicalLocation.artifactLocation.uri).toBe(file);
      expect(res.locations[0].physicalLocation.region.startLine).toBeGreaterThanOrEqual(2);
    }
  });
});

describe('the config file', () => {
  const novel = '{"type":"error","error":{"type":"novel_error","message":"new"}}';
  function inDir(files: Record<string, string>): { dir: string; sub: string } {
    const dir = mkdtempSync(join(tmpdir(), 'cd-cfg-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const sub = join(dir, 'deep');
    mkdirSync(sub);
    return { dir, sub };
  }
  const at = (cwd: string, args: string[], input: string) => {
    const env = { ...process.env, NO_COLOR: '1' } as NodeJS.ProcessEnv;
    delete env.GITHUB_ACTIONS;
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/claude-doctor.js'), ...args], { cwd, env, encoding: 'utf8', input });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('is found from the current directory upward: fail-on and ignored rules with their reason', () => {
    const { sub } = inDir({ '.claude-doctor.yml': 'fail-on: any\nignore:\n  - rule: overloaded-error\n    reason: load tests hit 529 on purpose\n' });
    const ignored = at(sub, ['--format', 'json'], overloaded);
    const doc = JSON.parse(ignored.stdout);
    expect(doc.findings[0]).toMatchObject({ rule: 'overloaded-error', ignored: 'load tests hit 529 on purpose' });
    expect(ignored.code).toBe(0);
    expect(at(sub, [], '{"type":"error","error":{"type":"api_error","message":"Internal server error"}}').code).toBe(1); // fail-on: any
    expect(at(sub, ['--no-config'], '{"type":"error","error":{"type":"api_error","message":"Internal server error"}}').code).toBe(0);
    expect(at(sub, ['--fail-on', 'never'], novel).code).toBe(0); // a flag beats the file
  });

  it('can live in package.json, and names extra rule directories relative to itself', () => {
    const { dir, sub } = inDir({ 'package.json': JSON.stringify({ name: 'x', 'claude-doctor': { rules: ['my-rules'] } }) });
    mkdirSync(join(dir, 'my-rules'));
    writeFileSync(
      join(dir, 'my-rules', 'novel-error.yaml'),
      "id: novel-error\ntitle: Our novel error\ncategory: server\nretry: backoff\nmatch: [{type: novel_error}]\ncause: It is new and now explained.\nfix: [Wait a little.]\nexamples: {match: ['" + novel + "']}\n",
    );
    const r = at(sub, ['--format', 'json'], novel);
    expect(JSON.parse(r.stdout).findings[0].rule).toBe('novel-error');
    expect(r.code).toBe(0);
  });

  it('a bad config file is exit 2 with file, line and field', () => {
    const { dir, sub } = inDir({ '.claude-doctor.yml': 'ignore:\n  - rule: overloaded-error\n' });
    const r = at(sub, [], overloaded);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`claude-doctor: ${join(dir, '.claude-doctor.yml')}:2: ignore.0.reason: is required: say why this rule may be ignored`);
    const unknownKey = inDir({ '.claude-doctor.yml': 'fail-on: any\nrun: rm -rf /\n' });
    expect(at(unknownKey.sub, [], overloaded).stderr).toMatch(/\.claude-doctor\.yml:2: \(top level\): unknown key 'run'/);
    // A billion-laughs file is refused at its first alias, as in a rule file; not an internal error.
    const bomb = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) bomb.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]`);
    const laughs = inDir({ '.claude-doctor.yml': `fail-on: any\n${bomb.join('\n')}\n` });
    const r2 = at(laughs.sub, [], overloaded);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/\.claude-doctor\.yml:3: invalid YAML: .*alias/);
    expect(r2.stderr).not.toMatch(/internal error/);
  });
});

describe('--follow', () => {
  it('prints a finding within a second of its line reaching a pipe that stays open, counts repeats, summarises at the end', async () => {
    const { spawn } = await import('node:child_process');
    const env = { ...process.env, NO_COLOR: '1' } as NodeJS.ProcessEnv;
    delete env.GITHUB_ACTIONS;
    const child = spawn(process.execPath, [join(ROOT, 'bin/claude-doctor.js'), '--follow', '--no-config'], { env });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const until = async (what: RegExp, ms: number) => {
      const end = Date.now() + ms;
      while (!what.test(stdout)) {
        if (Date.now() > end) throw new Error(`no ${what} within ${ms} ms; got:\n${stdout}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    child.stdin.write('service started\n');
    await new Promise((r) => setTimeout(r, 700)); // let it start: the second is about the error, not node's start-up
    const written = Date.now();
    child.stdin.write(`${overloaded}\n`);
    await until(/^overloaded-error: /m, 1000);
    expect(Date.now() - written).toBeLessThan(1000);
    child.stdin.write(`${overloaded}\n`);
    await until(/↻ overloaded-error again \(×2\), stdin:3/, 2000);
    expect(stdout.match(/^overloaded-error: /gm)).toHaveLength(1);
    child.stdin.end();
    const code = await new Promise((r) => child.on('close', r));
    expect(stdout).toMatch(/2 Claude API errors in 1 finding, 0 unrecognised · exit 0\n$/);
    expect(code).toBe(0);
  });
});
