// Runs the real binary as a child process and reports its exit, output, CPU time and peak memory.
import { spawn, type StdioOptions } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin/claude-doctor.js');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** User + system CPU time of the child, from its own process.resourceUsage(). */
  cpuMs: number;
  /** Peak resident set size of the child (getrusage ru_maxrss), in MiB. */
  maxRssMiB: number;
  wallMs: number;
}

export interface CliOptions {
  /** Text for stdin (a pipe). */
  input?: string;
  /** A file streamed into stdin through a pipe, as `cat FILE | claude-doctor` does. */
  inputFile?: string;
  env?: Record<string, string | undefined>;
  /** Called once the child has started, e.g. to change files under it. */
  started?: () => void | Promise<void>;
}

// The binary is imported from a small wrapper so that the child's own CPU time and peak RSS can be
// read on exit, whatever exits it (a normal end, process.exit in an error path, EPIPE).
const WRAPPER = `
const { writeFileSync } = require('node:fs');
const { pathToFileURL } = require('node:url');
const [out, bin, ...args] = process.argv.slice(1);
process.argv = [process.argv[0], bin, ...args];
process.on('exit', () => {
  const r = process.resourceUsage();
  writeFileSync(out, JSON.stringify({ cpuMs: (r.userCPUTime + r.systemCPUTime) / 1000, maxRssKiB: r.maxRSS }));
});
import(pathToFileURL(bin).href);
`;

export async function runCli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  const dir = mkdtempSync(join(tmpdir(), 'cd-run-'));
  const usage = join(dir, 'usage.json');
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, CI: 'true', ...opts.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const stdio: StdioOptions = ['pipe', 'pipe', 'pipe'];
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', WRAPPER, usage, BIN, ...args], { cwd: ROOT, env, stdio });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (b: Buffer) => out.push(b));
  child.stderr!.on('data', (b: Buffer) => err.push(b));
  // The child may stop reading (an error exit); that is not the test's failure.
  child.stdin!.on('error', () => {});
  if (opts.inputFile) createReadStream(opts.inputFile).pipe(child.stdin!);
  else child.stdin!.end(opts.input ?? '');
  const done = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (code, signal) => resolve([code, signal])));
  await opts.started?.();
  const [code, signal] = await done;
  const wallMs = performance.now() - started;
  let measured = { cpuMs: NaN, maxRssKiB: NaN };
  try {
    measured = JSON.parse(readFileSync(usage, 'utf8')) as typeof measured;
  } catch {
    // Killed by a signal: nothing was written.
  }
  rmSync(dir, { recursive: true, force: true });
  return {
    code,
    signal,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
    cpuMs: measured.cpuMs,
    maxRssMiB: measured.maxRssKiB / 1024,
    wallMs,
  };
}

/** A JS stack frame or a Node crash banner: what a user must never see for bad input. */
export const STACK = /^\s+at .+[(:]\d+|\bnode:internal\b|Error: .*\n\s+at |FATAL ERROR|Uncaught/m;

/** The request ids of every occurrence in a JSON report, in order. */
export function requestIds(stdout: string): string[] {
  const doc = JSON.parse(stdout) as { findings: { occurrences: { requestId?: string }[] }[] };
  return doc.findings.flatMap((f) => f.occurrences.map((o) => o.requestId ?? '(none)'));
}
