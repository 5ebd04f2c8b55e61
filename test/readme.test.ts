// The README shows real output: every `$ npx claude-doctor …` block is run and compared, and its
// rules table lists exactly the rules in rules/.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** `text` blocks that start with a runnable command line: `$ npx claude-doctor ARGS`. */
function examples(): { args: string[]; expected: string }[] {
  const out: { args: string[]; expected: string }[] = [];
  for (const m of README.matchAll(/```(?:text|json)\n\$ npx claude-doctor ([^\n]*)\n([\s\S]*?)```/g)) {
    out.push({ args: m[1]!.split(/\s+/).filter(Boolean), expected: m[2]! });
  }
  return out;
}

export function runForReadme(args: string[]): string {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', CI: 'true' };
  delete env.FORCE_COLOR;
  return spawnSync(process.execPath, [join(ROOT, 'bin/claude-doctor.js'), ...args], { cwd: ROOT, env, encoding: 'utf8', input: '' }).stdout;
}

describe('README', () => {
  it('starts with the install, run and test commands', () => {
    expect(README).toMatch(/^# claude-doctor\n\n```sh\nnpm ci\nnpx claude-doctor fixtures\/[\w.-]+\nnpm test\n```/);
  });

  it.each(examples().map((e) => [e.args.join(' '), e] as const))('shows the real output of `claude-doctor %s`', (_name, e) => {
    expect(e.expected).toBe(runForReadme(e.args));
  });

  it('lists every rule in rules/, and no other', () => {
    const section = README.slice(README.indexOf('\n## Rules\n'), README.indexOf('\n### Writing a rule\n'));
    const listed = [...section.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]);
    const files = readdirSync(join(ROOT, 'rules')).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));
    expect(listed.sort()).toEqual(files.sort());
  });
});
