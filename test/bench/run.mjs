// `npm run bench`: claude-doctor against ripgrep and bare node, side by side in one run.
// Generates its inputs in the system temp directory; prints medians, ratios and peak RSS.
// Sizes: BENCH_MB (default 500) for the scan, BENCH_RUNS (default 5) runs of each.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SHARED = join(ROOT, '..', 'shared', 'bench');
const BIN = join(ROOT, 'bin/claude-doctor.js');
const MB = Number(process.env.BENCH_MB ?? 500);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const DIR = join(tmpdir(), 'claude-doctor-bench');
mkdirSync(DIR, { recursive: true });

function generate(mb, rate) {
  const file = join(DIR, `gen-${mb}mb-${rate}.log`);
  const countFile = `${file}.events`;
  if (!existsSync(file) || !existsSync(countFile)) {
    // Straight into the file: the log is far larger than any pipe buffer.
    const out = openSync(file, 'w');
    const r = spawnSync(process.execPath, [join(SHARED, 'gen-log.mjs'), String(mb), String(rate)], { stdio: ['ignore', out, 'pipe'], encoding: 'utf8' });
    closeSync(out);
    writeFileSync(countFile, String(/(\d+) error events/.exec(r.stderr)?.[1] ?? '0'));
  }
  return { file, events: Number(execFileSync('cat', [countFile]).toString()) };
}

/**
 * Wall seconds (timed here: GNU time's %e has 10 ms resolution, too coarse for start-up) and peak
 * RSS (MB, from GNU time) of one command.
 */
function measure(cmd, args, input) {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { input, maxBuffer: 1 << 30, encoding: 'utf8' });
  const secs = (performance.now() - t0) / 1000;
  const kb = Number(r.stderr.trim().split('\n').pop());
  return { secs, rssMb: kb / 1024, stdout: r.stdout };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function alternate(named, runs) {
  const results = Object.fromEntries(named.map(([n]) => [n, []]));
  for (let i = 0; i < runs; i++) for (const [n, cmd, args, input] of named) results[n].push(measure(cmd, args, input));
  return results;
}

const rows = [];
const row = (what, med, base, rss, note = '') => rows.push(`| ${what} | ${med.toFixed(3)} s | ${base ? `${(med / base).toFixed(2)}×` : ''} | ${rss ? `${rss.toFixed(0)} MB` : ''} | ${note} |`);

// Start-up, against bare node.
const one = '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n';
const start = alternate(
  [
    ['node -e 0', process.execPath, ['-e', '0']],
    ['--version', process.execPath, [BIN, '--version']],
    ['--help', process.execPath, [BIN, '--help']],
    ['one pasted 529, --format json', process.execPath, [BIN, '--format', 'json'], one],
  ],
  Math.max(RUNS, 10),
);
const base = median(start['node -e 0'].map((r) => r.secs));
for (const [name, rs] of Object.entries(start)) row(`start-up: ${name}`, median(rs.map((r) => r.secs)), name === 'node -e 0' ? 0 : base, median(rs.map((r) => r.rssMb)), name === '--version' ? 'budget 1.3×' : name === 'node -e 0' ? 'baseline' : 'budget 2×');

/** claude-doctor and ripgrep on one log, alternately: two rows, the scan's ratio against rg's. */
function versusRg(log, label, runs, note) {
  const r = alternate(
    [
      ['claude-doctor', process.execPath, [BIN, '--format', 'json', '--fail-on', 'never', '--no-config', log.file]],
      ['rg', 'rg', ['-c', '-f', join(SHARED, 'patterns.txt'), log.file]],
    ],
    runs,
  );
  const found = JSON.parse(r['claude-doctor'][0].stdout).summary.events;
  const rg = median(r.rg.map((x) => x.secs));
  const cd = median(r['claude-doctor'].map((x) => x.secs));
  row(`scan ${label}: rg -c -f patterns.txt`, rg, 0, median(r.rg.map((x) => x.rssMb)), 'yardstick');
  row(`scan ${label}: claude-doctor --format json`, cd, rg || 0.01, Math.max(...r['claude-doctor'].map((x) => x.rssMb)), `${note}; ${found} of ${log.events} events found; ${(statSync(log.file).size / 1e6 / cd).toFixed(0)} MB/s`);
}

// The scan, against ripgrep with the yardstick patterns.
versusRg(generate(MB, 0.001), `${MB} MB (1 error line in 1000)`, RUNS, 'budget ≤ 1.0× rg, < 150 MB');

// Many errors: one line in ten.
const dense = generate(Math.max(10, Math.round(MB / 5)), 0.1);
const d = alternate([['dense', process.execPath, [BIN, '--format', 'json', '--fail-on', 'never', '--no-config', dense.file]]], Math.min(RUNS, 3));
const dm = median(d.dense.map((r) => r.secs));
row(`scan ${Math.max(10, Math.round(MB / 5))} MB, 1 error line in 10`, dm, 0, Math.max(...d.dense.map((r) => r.rssMb)), `${(statSync(dense.file).size / 1e6 / dm).toFixed(0)} MB/s (budget ≥ 100 MB/s)`);

// Memory as the input grows, and inputs built to strain it: one run each, peak RSS is the point.
const BIG_MB = Number(process.env.BENCH_BIG_MB ?? 2048);
const once = (what, file, events, extra = '') => {
  const r = measure(process.execPath, [BIN, '--format', 'json', '--fail-on', 'never', '--no-config', file]);
  const got = JSON.parse(r.stdout).summary.events;
  row(what, r.secs, 0, r.rssMb, `${got} of ${events} events found; ${(statSync(file).size / 1e6 / r.secs).toFixed(0)} MB/s${extra}`);
};
if (BIG_MB > 0) {
  // Against ripgrep too: the scan's fixed costs (start-up, the worker's boot, the JIT's warm-up)
  // weigh less on a longer log.
  versusRg(generate(BIG_MB, 0.001), `${BIG_MB} MB (1 error line in 1000)`, Math.min(RUNS, 3), 'budget < 150 MB, flat');
}
const error = '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011CWbench0000000000000001"}';
const oneLine = join(DIR, 'one-line-200mb.log');
if (!existsSync(oneLine)) {
  // No newline anywhere: an error at the start, the middle and the end of one 200 MB line.
  const pad = Buffer.alloc(100 * 1024 * 1024 - error.length, 'x');
  writeFileSync(oneLine, Buffer.concat([Buffer.from(error), pad, Buffer.from(error), pad, Buffer.from(error)]));
}
once('one 200 MB line, no newline', oneLine, 3);
const doc = join(DIR, 'document-100mb.json');
let docEvents = 0;
{
  // One pretty-printed JSON document: an array of batch-like records, one in a thousand an error body.
  const out = openSync(doc, 'w');
  const records = [];
  let bytes = 0;
  writeFileSync(out, '[\n');
  for (let i = 0; bytes < 100 * 1024 * 1024; i++) {
    const record = i % 1000 === 999 ? (docEvents++, JSON.parse(error)) : { custom_id: `req-${i}`, result: { type: 'succeeded', message: { id: `msg_${i}`, usage: { input_tokens: i % 5000, output_tokens: 17 } } } };
    records.push(JSON.stringify(record, null, 2).replace(/^/gm, '  '));
    if (records.length === 1000) {
      const text = `${records.join(',\n')},\n`;
      writeFileSync(out, text);
      bytes += text.length;
      records.length = 0;
    }
  }
  writeFileSync(out, `  {}\n]\n`);
  closeSync(out);
}
once('one 100 MB JSON document, pretty-printed', doc, docEvents);

console.log(`\nclaude-doctor bench: median of ${RUNS} runs (start-up: ${Math.max(RUNS, 10)}), run alternately, ${new Date().toISOString()}\n`);
console.log('| what | median | ratio | peak RSS | note |\n|---|---|---|---|---|');
console.log(rows.join('\n'));
