// A large file is scanned as two halves at once; the report is the one a single pass gives.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findCut } from '../src/input/split.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GEN = join(ROOT, '..', 'shared', 'bench', 'gen-log.mjs');
const BIN = join(ROOT, 'bin/claude-doctor.js');

function generate(mb: number, rate: number): string {
  const file = join(mkdtempSync(join(tmpdir(), 'cd-halves-')), 'app.log');
  const fd = openSync(file, 'w');
  spawnSync(process.execPath, [GEN, String(mb), String(rate)], { stdio: ['ignore', fd, 'ignore'] });
  closeSync(fd);
  return file;
}

/** The JSON report, with files split from `splitFrom` bytes up (0: never split). */
function report(file: string, splitFrom: number): string {
  const env = { ...process.env, CLAUDE_DOCTOR_SPLIT_MIN_BYTES: String(splitFrom || Number.MAX_SAFE_INTEGER) };
  const r = spawnSync(process.execPath, [BIN, file, '--format', 'json', '--fail-on', 'never', '--no-config'], { env, encoding: 'utf8', maxBuffer: 1 << 28 });
  expect(r.stderr).toBe('');
  return r.stdout;
}

describe.skipIf(!existsSync(GEN))('a file scanned in two halves', () => {
  it.each([
    [3, 0.002],
    [2, 0.008],
    [2, 0.1],
  ])('%s MB, error rate %s: the same report as one pass, events numbered from the top of the file', (mb, rate) => {
    const file = generate(mb, rate);
    expect(findCut(file, statSync(file).size)).toBeGreaterThan(0);
    const whole = report(file, 0);
    expect(report(file, 1)).toBe(whole);
    expect(JSON.parse(whole).summary.events).toBeGreaterThan(10);
  }, 60_000);

  it('is cut past its middle, where the worker has less to do, unless every line is kept', () => {
    // The first half leads by an eighth of the file here (16 MB in a large one): the worker starts later.
    const sparse = generate(8, 0.002);
    const s = statSync(sparse).size;
    expect(findCut(sparse, s)!).toBeGreaterThanOrEqual(s / 2 + s / 8);
    // With an error on every tenth line, that lead would be seconds of work for the first half.
    const dense = generate(8, 0.1);
    const d = statSync(dense).size;
    const cut = findCut(dense, d)!;
    expect(cut).toBeGreaterThanOrEqual(d / 2);
    expect(cut).toBeLessThan(d / 2 + d / 8);
  }, 60_000);

  it('is left whole below the minimum for sparse logs when few of its lines are near an error', () => {
    // 1 in 500 lines and 1 in 10: 10% and all of their lines are kept around errors.
    const sparse = generate(4, 0.002);
    const s = statSync(sparse).size;
    expect(findCut(sparse, s, s + 1)).toBeUndefined();
    expect(findCut(sparse, s, s)).toBeGreaterThan(0);
    const dense = generate(4, 0.1);
    const d = statSync(dense).size;
    expect(findCut(dense, d, d + 1)).toBeGreaterThan(0);
  }, 60_000);

  it('from the default minimums, a dense 33 MB log (split, its thread booted once the cut is found) reads as one pass', () => {
    const dense = generate(33, 0.1);
    const env = { ...process.env };
    delete env.CLAUDE_DOCTOR_SPLIT_MIN_BYTES;
    const r = spawnSync(process.execPath, [BIN, dense, '--format', 'json', '--fail-on', 'never', '--no-config'], { env, encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(report(dense, 0));
  }, 120_000);

  it('is cut further on when no stretch near its middle is quiet', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cd-halves-')), 'band.log');
    const quiet = (n: number, from: number) => Array.from({ length: n }, (_, i) => `INFO worker processed job ${from + i}\n`).join('');
    const error = 'Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n';
    // An error on every fifth line from a little before the middle to 3 MB past it: no line there is
    // far enough from an error to cut at, and a quiet stretch after it.
    const band = Array.from({ length: 20_000 }, (_, i) => quiet(4, i * 4) + error).join('');
    const before = quiet(90_000, 0);
    writeFileSync(file, before + band + quiet(60_000, 1e6));
    const size = statSync(file).size;
    const cut = findCut(file, size)!;
    expect(cut).toBeGreaterThan(before.length + band.length);
    expect(cut).toBeLessThan(size);
    expect(report(file, 1)).toBe(report(file, 0));
  }, 60_000);

  it('is not cut where there is no quiet line: one long line, an error on every line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cd-halves-'));
    const long = join(dir, 'long.log');
    writeFileSync(long, 'x'.repeat(3 << 20));
    expect(findCut(long, statSync(long).size)).toBeUndefined();
    const dense = join(dir, 'dense.log');
    writeFileSync(dense, 'Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n'.repeat(40_000));
    expect(findCut(dense, statSync(dense).size)).toBeUndefined();
  });

  it('a file the scan would split but cannot cut is read in one pass, with the worker booted for it ended', () => {
    const dense = join(mkdtempSync(join(tmpdir(), 'cd-halves-')), 'dense.log');
    writeFileSync(dense, 'Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n'.repeat(5_000));
    const r = spawnSync(process.execPath, [BIN, dense, '--format', 'json', '--fail-on', 'never', '--no-config'], { env: { ...process.env, CLAUDE_DOCTOR_SPLIT_MIN_BYTES: '1' }, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).summary.events).toBe(5_000);
  });

  it("findings merge across the cut: counts past the occurrence cap, a kind only the second half holds, a stream error first seen there", () => {
    const overloaded = 'anthropic.InternalServerError: Error code: 529 - {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n';
    const quiet = (n: number) => Array.from({ length: n }, (_, i) => `INFO worker processed job ${i}\n`).join('');
    const half = (n: number) => Array.from({ length: n }, () => quiet(3) + overloaded).join('');
    const later =
      'Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}\n' +
      'event: error\ndata: {"type": "error", "error": {"type": "api_error", "message": "Internal server error"}}\n';
    const file = join(mkdtempSync(join(tmpdir(), 'cd-halves-')), 'app.log');
    // 1,200 of one error in each half (the report keeps 1,000 occurrences), a quiet middle to cut at.
    writeFileSync(file, half(1200) + quiet(20_000) + half(1200) + quiet(100) + later + quiet(100));
    expect(findCut(file, statSync(file).size)).toBeGreaterThan(0);
    const whole = report(file, 0);
    expect(report(file, 1)).toBe(whole);
    const findings = JSON.parse(whole).findings as { type?: string; count: number; occurrences: unknown[] }[];
    expect(findings.map((f) => [f.type, f.count, f.occurrences.length])).toEqual([
      ['overloaded_error', 2400, 1000],
      ['authentication_error', 1, 1],
      ['api_error', 1, 1],
    ]);
  }, 60_000);

  it("a file that cannot be read once the halves start is a clear input error, not a worker's stack", async () => {
    const { scanHalves } = await import('../dist/halves.js');
    const { FindingCollector } = await import('../dist/engine/findings.js');
    const { loadRuleSet } = await import('../dist/engine/ruleset.js');
    const set = await loadRuleSet();
    const source = { name: 'gone.log', open: () => Readable.from([]), file: { path: join(tmpdir(), 'cd-no-such-file.log'), size: 0 } };
    await expect(scanHalves(source, 0, new FindingCollector(set.compiled), set)).rejects.toThrow("cannot read 'gone.log': no such file");
  });
});
