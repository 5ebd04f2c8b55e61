// On a generated application log, every error event the generator wrote is found: no more, no less.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GEN = join(ROOT, '..', 'shared', 'bench', 'gen-log.mjs');

describe.skipIf(!existsSync(GEN))('a generated log', () => {
  it.each([
    [4, 0.005],
    [2, 0.1],
  ])('%s MB with an error rate of %s: the findings count every event', (mb, rate) => {
    const file = join(mkdtempSync(join(tmpdir(), 'cd-gen-')), 'app.log');
    const fd = openSync(file, 'w');
    const gen = spawnSync(process.execPath, [GEN, String(mb), String(rate)], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
    closeSync(fd);
    const expected = Number(/(\d+) error events/.exec(gen.stderr)![1]);
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/claude-doctor.js'), file, '--format', 'json', '--fail-on', 'never', '--no-config'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const doc = JSON.parse(r.stdout);
    expect(doc.summary.events).toBe(expected);
    expect(doc.summary.unrecognised).toBe(0);
  }, 60_000);
});
