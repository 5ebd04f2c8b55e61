// The interactive doctor, driven in a real terminal: tmux runs the binary, send-keys types,
// capture-pane reads the screen.
import { afterEach, describe, expect, it } from 'vitest';
import { closeTerminals, exitCode, hasTmux, screen, start, tmux, waitFor } from './helpers/terminal.js';

afterEach(closeTerminals);

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
