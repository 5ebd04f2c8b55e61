// Input nobody should have to think about: binary junk, broken encodings, huge lines and documents,
// files that vanish mid-read, a reader that leaves early. Each runs through the real binary, with
// real Claude errors planted, and must end with every planted error reported and no stack trace.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, requestIds, runCli, STACK, type CliRun } from './helpers/run-cli.js';

const DIR = mkdtempSync(join(tmpdir(), 'cd-hostile-input-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

/** A 529 body as the API sends it, with a request id that names where it was planted. */
const E = (tag: string) => `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011CW${tag.padEnd(20, '0')}"}`;
const ID = (tag: string) => `req_011CW${tag.padEnd(20, '0')}`;

/** Issue 8's budget for a scan is 150 MB; the bound here is looser so that a busy machine's GC does not fail it. */
const RSS_BOUND_MIB = 200;

function file(name: string, content: string | Buffer): string {
  const path = join(DIR, name);
  writeFileSync(path, content);
  return path;
}

/** Deterministic bytes of every value, NUL, ESC, CR and invalid UTF-8 included. */
function junk(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

/** The run ended normally, said nothing on stderr, and reported exactly these request ids. */
function reports(r: CliRun, ids: string[], code = 0): void {
  expect(r.signal).toBeNull();
  expect(r.stderr).not.toMatch(STACK);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(code);
  expect(requestIds(r.stdout).sort()).toEqual([...ids].sort());
}

/** The same input as a named file and through a pipe on stdin. */
async function both(path: string, extra: string[] = []): Promise<[CliRun, CliRun]> {
  return [await runCli([path, '--format', 'json', ...extra]), await runCli(['--format', 'json', ...extra], { inputFile: path })];
}

describe('bytes that are not text', () => {
  it('binary junk around errors: the errors are still found, in the file and on stdin', async () => {
    const path = file(
      'binary.bin',
      Buffer.concat([
        Buffer.from(`${E('BinaryFirst')}\n`),
        junk(300_000, 1),
        Buffer.from(`\n${E('BinaryMiddle')}\n`),
        junk(300_000, 2),
        // Junk right up to the error on its line, separated by a space only.
        Buffer.from(` ${E('BinaryGlued')}\n`),
        junk(1000, 3),
      ]),
    );
    for (const r of await both(path)) reports(r, [ID('BinaryFirst'), ID('BinaryMiddle'), ID('BinaryGlued')]);
  });

  it('invalid UTF-8 before, inside and after an error', async () => {
    const bad = [Buffer.from([0xff, 0xfe]), Buffer.from([0xc3]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80])];
    const path = file(
      'bad-utf8.log',
      Buffer.concat([
        ...bad,
        Buffer.from(`\n${E('Utf8First')}`),
        ...bad,
        Buffer.from('\n'),
        // A UTF-16 surrogate encoded as UTF-8, which UTF-8 forbids, inside the message.
        Buffer.from(`${E('Utf8Inside').split('Overloaded')[0]!}Over`),
        Buffer.from([0xed, 0xb0, 0x80]),
        Buffer.from(`loaded${E('Utf8Inside').split('Overloaded')[1]!}`),
        Buffer.from([0xe2, 0x82, 0x0a]), // a euro sign cut short by the line end
        Buffer.from(`${E('Utf8Last')}`),
        Buffer.from([0xe2, 0x82]), // and at the very end of the input
      ]),
    );
    for (const r of await both(path)) reports(r, [ID('Utf8First'), ID('Utf8Inside'), ID('Utf8Last')]);
  });

  it('NUL bytes: padding, between lines and right against an error', async () => {
    const nul = (n: number) => Buffer.alloc(n);
    const path = file(
      'nul.log',
      Buffer.concat([nul(65_536), Buffer.from(`\n${E('NulAfterPad')}\n`), nul(3), Buffer.from(E('NulGlued')), nul(1), Buffer.from(`\n${E('NulLast')}\n`), nul(100_000)]),
    );
    for (const r of await both(path)) reports(r, [ID('NulAfterPad'), ID('NulGlued'), ID('NulLast')]);
  });

  it('UTF-16 with a byte order mark (PowerShell’s `>`, Python’s utf-16): decoded, not read as NUL-riddled bytes', async () => {
    const text = `INFO starting\r\n${E('Utf16First')}\r\nanthropic.RateLimitError: Error code: 429 - {'type': 'error', 'error': {'type': 'rate_limit_error', 'message': 'Number of request tokens has exceeded your per-minute rate limit'}, 'request_id': '${ID('Utf16Second')}'}\r\n`;
    const le = file('utf16le.log', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const be = file('utf16be.log', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]));
    for (const path of [le, be]) {
      for (const r of await both(path)) {
        reports(r, [ID('Utf16First'), ID('Utf16Second')]);
        expect(JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule).sort()).toEqual(['overloaded-error', 'rate-limit-error']);
      }
    }
  });
});

describe('line ends and terminal captures', () => {
  it('CRLF, lone CR and progress-bar redraws count as line ends, the same in the file and on stdin', async () => {
    const path = file('crlf.log', `one\r\n${E('CrlfSecond')}\r\nthree\rfour\r${E('CrFifth')}\rsix\r\n[====    ] 50%\r[========] 100%\r${E('CrLast')}`);
    const [fromFile, fromPipe] = await both(path);
    for (const r of [fromFile, fromPipe]) reports(r, [ID('CrlfSecond'), ID('CrFifth'), ID('CrLast')]);
    const lines = (r: CliRun) => JSON.parse(r.stdout).findings.flatMap((f: { occurrences: { line: number }[] }) => f.occurrences.map((o) => o.line));
    expect(lines(fromFile)).toEqual([2, 5, 9]);
    expect(lines(fromPipe)).toEqual(lines(fromFile));
  });

  it('ANSI colour, cursor and title sequences are stripped before matching and never reach the report', async () => {
    const red = (s: string) => `\x1b[1;31m${s}\x1b[0m`;
    const coloured = E('AnsiInside').replace('"overloaded_error"', `"${red('overloaded')}_error"`).replace('{', red('{'));
    const cc = `\x1b]0;claude\x07\x1b[2K\x1b[1G  ⎿  ${red('API Error (529 ')}${E('AnsiClaudeCode')}) · Retrying in 4 seconds… (attempt 4/10)`;
    const link = `\x1b]8;;https://status.claude.com\x1b\\status\x1b]8;;\x1b\\ ${E('AnsiHyperlink')}`;
    const path = file('ansi.log', `${coloured}\n${cc}\n${link}\n`);
    for (const r of await both(path)) {
      reports(r, [ID('AnsiInside'), ID('AnsiClaudeCode'), ID('AnsiHyperlink')]);
      expect(r.stdout).not.toMatch(/\\u001b|\x1b/);
    }
    const text = await runCli([path]);
    expect(text.stdout).not.toMatch(/\x1b/);
    expect(text.stdout).toMatch(/overloaded-error: .*×3/);
  });

  it('an empty file and empty stdin: nothing found, exit 0, and said so', async () => {
    const path = file('empty.log', '');
    for (const r of [await runCli([path]), await runCli([])]) {
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('✓ no Claude API error found\n');
    }
  });
});

describe('sizes that must not grow memory', () => {
  /** Cuts fall every MAX_LINE_CHARS (256 Ki) characters of a long line; errors are planted across some. */
  const PIECE = 256 * 1024;

  it('a 200 MB single line: every error in it, across piece boundaries too, with bounded memory', async () => {
    const path = join(DIR, 'line.log');
    const fd = openSync(path, 'w');
    const filler = '{"level":"info","msg":"request ok","ms":12},'.repeat(20_000);
    const ids: string[] = [];
    let written = 0;
    const put = (s: string) => {
      writeSync(fd, s);
      written += s.length;
    };
    const plantAt = (offset: number, tag: string) => {
      while (written < offset) put(filler.slice(0, offset - written));
      put(E(tag));
      ids.push(ID(tag));
    };
    put(E('LineStart'));
    ids.push(ID('LineStart'));
    // Straddling the cuts after pieces 1, 2, 3 and 400 (odd and even: blocks join pieces in pairs).
    for (const k of [1, 2, 3, 400]) plantAt(k * PIECE - 50, `LineCut${k}`);
    plantAt(120 * 1024 * 1024, 'LineMiddle');
    plantAt(200 * 1024 * 1024, 'LineEnd');
    writeSync(fd, '\n');
    closeSync(fd);
    for (const r of await both(path)) {
      reports(r, ids);
      expect(JSON.parse(r.stdout).findings[0].occurrences.every((o: { line: number }) => o.line === 1)).toBe(true);
      expect(r.maxRssMiB).toBeLessThan(RSS_BOUND_MIB);
    }
    rmSync(path);
  }, 180_000);

  it('a 100 MB JSON document, pretty-printed errors inside it included', async () => {
    const path = join(DIR, 'doc.json');
    const fd = openSync(path, 'w');
    writeSync(fd, '{"records": [\n');
    const record = (i: number) => `  {"id": ${i}, "level": "info", "msg": "request ok", "detail": {"ms": 12, "path": "/v1/messages"}},\n`;
    const pretty = (tag: string) =>
      `  {\n    "status": 529,\n    "body": {\n      "type": "error",\n      "error": {\n        "type": "overloaded_error",\n        "message": "Overloaded"\n      },\n      "request_id": "${ID(tag)}"\n    }\n  },\n`;
    const ids: string[] = [];
    let written = 0;
    let i = 0;
    for (let chunk = 0; written < 100 * 1024 * 1024; chunk++) {
      let s = '';
      for (let k = 0; k < 997; k++) s += record(i++);
      // Pretty-printed errors land at every offset against the extractor's 200-line blocks.
      if (chunk % 97 === 0) {
        s += pretty(`DocPretty${chunk}`);
        ids.push(ID(`DocPretty${chunk}`));
      }
      if (chunk === 500) {
        s += `  ${E('DocMiddle')},\n`;
        ids.push(ID('DocMiddle'));
      }
      writeSync(fd, s);
      written += s.length;
    }
    writeSync(fd, `  ${E('DocEnd')}\n]}\n`);
    ids.push(ID('DocEnd'));
    closeSync(fd);
    const r = await runCli([path, '--format', 'json']);
    reports(r, ids);
    expect(r.maxRssMiB).toBeLessThan(RSS_BOUND_MIB);
    rmSync(path);
  }, 180_000);

  it('JSON nested 100,000 deep: errors after it, inside it and at the bottom of it, at their own lines', async () => {
    const n = 100_000;
    const arrays = file('deep-arrays.json', `${'['.repeat(n)}1${']'.repeat(n)}\n${E('DeepAfterArrays')}\n`);
    const objects = file('deep-objects.json', `${'{"a":'.repeat(n)}${E('DeepBottom')}${'}'.repeat(n)}\n${E('DeepAfterObjects')}\n`);
    const lines = file('deep-lines.json', `${'{"error":\n'.repeat(n)}${E('DeepLines')}\n${'}\n'.repeat(n)}${E('DeepAfterLines')}\n`);
    const unclosed = file('deep-unclosed.json', `${'[{"a":'.repeat(n)}\n${E('DeepUnclosed')}\n`);
    const where = (r: CliRun) =>
      Object.fromEntries(JSON.parse(r.stdout).findings.flatMap((f: { occurrences: { line: number; requestId: string }[] }) => f.occurrences.map((o) => [o.requestId, o.line])));
    for (const r of await both(arrays)) expect(where(r)).toEqual({ [ID('DeepAfterArrays')]: 2 });
    for (const r of await both(objects)) expect(where(r)).toEqual({ [ID('DeepBottom')]: 1, [ID('DeepAfterObjects')]: 2 });
    const deepLines = await runCli([lines, '--format', 'json']);
    expect(where(deepLines)).toEqual({ [ID('DeepLines')]: n + 1, [ID('DeepAfterLines')]: 2 * n + 2 });
    reports(await runCli([unclosed, '--format', 'json']), [ID('DeepUnclosed')]);
    for (const r of [deepLines, await runCli([objects])]) {
      expect(r.stderr).toBe('');
      expect(r.maxRssMiB).toBeLessThan(RSS_BOUND_MIB);
    }
  }, 60_000);
});

describe('inputs that fail while being read', () => {
  /** A FIFO as the first input lets the test act while the run is under way. */
  async function withFifo(first: string, second: string, meanwhile: () => void): Promise<CliRun> {
    const fifo = join(DIR, `fifo-${Math.random().toString(36).slice(2)}`);
    execFileSync('mkfifo', [fifo]);
    const r = await runCli([fifo, second, '--format', 'json'], {
      started: async () => {
        // The FIFO opens for writing once the run has opened it for reading: it is under way.
        let fd: number | undefined;
        for (const until = Date.now() + 30_000; fd === undefined && Date.now() < until; ) {
          try {
            fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
          } catch {
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        }
        if (fd === undefined) throw new Error('the run never opened its first input');
        meanwhile();
        writeSync(fd, first);
        closeSync(fd);
      },
    });
    rmSync(fifo);
    return r;
  }

  it.skipIf(spawnSync('mkfifo', ['--version']).error !== undefined)(
    'a file removed after the run started: a one-line message naming it, what was read still reported, exit 2',
    async () => {
      const second = file('vanishing.log', `${E('VanishedNeverRead')}\n`);
      const r = await withFifo(`${E('FifoBeforeVanish')}\n`, second, () => rmSync(second));
      expect(r.stderr).toBe(`claude-doctor: cannot read '${second}': no such file\n`);
      expect(r.code).toBe(2);
      expect(requestIds(r.stdout)).toEqual([ID('FifoBeforeVanish')]);
      expect(JSON.parse(r.stdout).exitCode).toBe(0);
    },
  );

  it.skipIf(spawnSync('mkfifo', ['--version']).error !== undefined)(
    'a file replaced by a directory, so that reading it fails after it opened: the same',
    async () => {
      const second = file('becomes-dir.log', `${E('BecameDirNeverRead')}\n`);
      const r = await withFifo(`${E('FifoBeforeDir')}\n`, second, () => {
        rmSync(second);
        mkdirSync(second);
      });
      expect(r.stderr).toBe(`claude-doctor: cannot read '${second}': is a directory\n`);
      expect(r.code).toBe(2);
      expect(requestIds(r.stdout)).toEqual([ID('FifoBeforeDir')]);
    },
  );

  it('a directory on stdin is unreadable input: exit 2 with one line, not an empty report', () => {
    const fd = openSync(DIR, 'r');
    const r = spawnSync(process.execPath, [BIN], { cwd: ROOT, stdio: [fd, 'pipe', 'pipe'], env: { ...process.env, CI: 'true' }, encoding: 'utf8' });
    closeSync(fd);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('claude-doctor: cannot read stdin: is a directory\n');
    expect(r.status).toBe(2);
  });
});

describe('a reader that leaves early', () => {
  // Thousands of distinct unrecognised errors: a report far larger than a pipe's buffer.
  const big = () => file('many.log', Array.from({ length: 3000 }, (_, i) => `{"type":"error","error":{"type":"brand_new_${i}_error","message":"Something new ${i}"}}`).join('\n'));

  it.each([
    ['text', 'head -1', /^unrecognised: /],
    ['json', 'head -c 20', /^\{\n {2}"schemaVersion"/],
  ])('`claude-doctor big.log --format %s | %s` ends quietly with the gate’s exit code', (format, head, first) => {
    const log = big();
    const err = join(DIR, `epipe-${format}.err`);
    const r = spawnSync('bash', ['-c', `"$0" "$1" "$2" --format "$3" 2>"$4" | ${head}; s=\${PIPESTATUS[0]}; echo; echo "exit=$s"`, process.execPath, BIN, log, format, err], {
      cwd: ROOT,
      env: { ...process.env, CI: 'true', NO_COLOR: '1' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stdout).toMatch(first);
    expect(readFileSync(err, 'utf8')).toBe('');
    // Unrecognised errors trip the default gate; the reader leaving changes nothing about that.
    expect(r.stdout.trim().split('\n').at(-1)).toBe('exit=1');
  }, 60_000);
});
