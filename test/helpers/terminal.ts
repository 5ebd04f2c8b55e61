// The real binary in a real terminal: tmux runs it, send-keys types, capture-pane reads the screen.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const sessions: string[] = [];

// A server of our own: another suite's tmux (or the user's) cannot end it under these tests.
const SOCKET = `claude-doctor-test-${process.pid}`;

export function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

/**
 * Start the real binary in a 120×50 terminal; its exit code lands in a file. `wrapper` runs in
 * front of node (a tracer, say).
 */
export function start(env: Record<string, string> = {}, wrapper = ''): { name: string; exitFile: string } {
  const name = `cd-${process.pid}-${sessions.length}`;
  const exitFile = join(mkdtempSync(join(tmpdir(), 'cd-tty-')), 'exit');
  const vars = Object.entries({ NO_COLOR: '1', ...env }).map(([k, v]) => `${k}=${v}`).join(' ');
  const unset = 'CI' in env ? '' : '-u CI';
  tmux('new-session', '-d', '-s', name, '-x', '120', '-y', '50', `env ${unset} ${vars} sh -c '${wrapper} node ${join(ROOT, 'bin/claude-doctor.js')}; echo $? > ${exitFile}; sleep 60'`);
  sessions.push(name);
  return { name, exitFile };
}

export const screen = (name: string) => tmux('capture-pane', '-p', '-J', '-S', '-500', '-t', name);

export async function waitFor(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export const exitCode = async (file: string) => {
  await waitFor(() => existsSync(file) && readFileSync(file, 'utf8').trim() !== '', 'the process to exit');
  return Number(readFileSync(file, 'utf8').trim());
};

/** Close every terminal this file started (call it in afterEach). */
export function closeTerminals(): void {
  for (const s of sessions.splice(0)) spawnSync('tmux', ['-L', SOCKET, 'kill-session', '-t', s]);
}
