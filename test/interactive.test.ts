// The interactive doctor, driven in a real terminal: tmux runs the binary, send-keys types,
// capture-pane reads the screen.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const sessions: string[] = [];

// A server of our own: another suite's tmux (or the user's) cannot end it under these tests.
const SOCKET = `claude-doctor-test-${process.pid}`;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

/** Start the real binary in a 120×50 terminal; its exit code lands in a file. */
function start(env: Record<string, string> = {}): { name: string; exitFile: string } {
  const name = `cd-${process.pid}-${sessions.length}`;
  const exitFile = join(mkdtempSync(join(tmpdir(), 'cd-tty-')), 'exit');
  const vars = Object.entries({ NO_COLOR: '1', ...env }).map(([k, v]) => `${k}=${v}`).join(' ');
  const unset = 'CI' in env ? '' : '-u CI';
  tmux('new-session', '-d', '-s', name, '-x', '120', '-y', '50', `env ${unset} ${vars} sh -c 'node ${join(ROOT, 'bin/claude-doctor.js')}; echo $? > ${exitFile}; sleep 60'`);
  sessions.push(name);
  return { name, exitFile };
}

const screen = (name: string) => tmux('capture-pane', '-p', '-J', '-S', '-500', '-t', name);

async function waitFor(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const exitCode = async (file: string) => {
  await waitFor(() => existsSync(file) && readFileSync(file, 'utf8').trim() !== '', 'the process to exit');
  return Number(readFileSync(file, 'utf8').trim());
};

afterEach(() => {
  for (const s of sessions.splice(0)) spawnSync('tmux', ['-L', SOCKET, 'kill-session', '-t', s]);
});

const PASTE = [
  'Traceback (most recent call last):',
  '  File "/home/dev/bot/main.py", line 27, in <module>',
  '    reply = client.messages.create(model="claude-sonnet-4-6", max_tokens=1024, messages=history)',
  "anthropic.OverloadedError: Error code: 529 - {'type': 'error', 'error': {'type': 'overloaded_error', 'message': 'Overloaded'}, 'request_id': 'req_011CVz2kQ8mN4pR6sT1uW3yZ'}",
  `client = Anthropic(api_key="sk-ant-api03-${'Zq7'.repeat(31)}AA")`,
];

describe.skipIf(!hasTmux)('npx claude-doctor in a terminal', () => {
  it('takes a multi-line paste, diagnoses it, shows TypeScript code on request, and quits with 0', async () => {
    const { name, exitFile } = start();
    await waitFor(() => screen(name).includes('Paste the error'), 'the paste prompt');
    for (const line of PASTE) {
      tmux('send-keys', '-t', name, '-l', line);
      tmux('send-keys', '-t', name, 'Enter');
    }
    tmux('send-keys', '-t', name, 'Enter', 'Enter');
    await waitFor(() => screen(name).includes('What next?'), 'the menu');
    const diagnosis = screen(name);
    expect(diagnosis).toContain("overloaded-error: Anthropic's API is overloaded (529 overloaded_error)");
    expect(diagnosis).toContain('req_011CVz2kQ8mN4pR6sT1uW3yZ');
    expect(diagnosis).toContain('── Python retry code for overloaded-error ──');
    expect(diagnosis).not.toContain('Zq7Zq7');
    expect(diagnosis).toContain('sk-ant-api03-…[redacted]…q7AA');
    expect(diagnosis).toMatch(/❯ Show the retry code in TypeScript/);

    tmux('send-keys', '-t', name, 'Enter');
    await waitFor(() => screen(name).includes('── TypeScript retry code for overloaded-error ──'), 'the TypeScript code');
    expect(screen(name)).toContain("import Anthropic");

    await waitFor(() => (screen(name).match(/What next\?/g) ?? []).length >= 2, 'the menu again');
    // The menu wraps: Up from the first entry is the last one, Quit.
    tmux('send-keys', '-t', name, 'Up', 'Enter');
    expect(await exitCode(exitFile)).toBe(0);
  });

  it('Ctrl-C at the paste prompt exits 130', async () => {
    const { name, exitFile } = start();
    await waitFor(() => screen(name).includes('Paste the error'), 'the paste prompt');
    tmux('send-keys', '-t', name, '-l', 'half a line');
    tmux('send-keys', '-t', name, 'C-c');
    expect(await exitCode(exitFile)).toBe(130);
  });

  it('never prompts when CI is set: it prints the help and exits 2 instead of waiting', async () => {
    const { name, exitFile } = start({ CI: 'true' });
    expect(await exitCode(exitFile)).toBe(2);
    expect(screen(name)).toContain('Usage: claude-doctor');
  });
});
