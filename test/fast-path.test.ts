// The scan's fast path (candidate lines and their windows) finds exactly what the plain path finds.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES_DIR, loadRuleSet } from '../src/engine/ruleset.js';
import { extractEvents, extractEventsSync } from '../src/extract/extract.js';
import { readCandidateLines } from '../src/input/candidates.js';
import { stringLines } from '../src/input/lines.js';
import type { ErrorEvent } from '../src/types.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CORPUS = join(ROOT, '..', 'shared', 'corpus', 'dev');
const GEN = join(ROOT, '..', 'shared', 'bench', 'gen-log.mjs');

const key = (e: ErrorEvent) => JSON.stringify([e.line, e.endLine, e.status, e.type, e.message, e.code, e.errorClass, e.requestId, e.customId]);

async function fast(text: string, chunk = 1 << 16): Promise<string[]> {
  const buf = Buffer.from(text);
  // Small chunks put chunk boundaries everywhere, windows across them included.
  const chunks = Array.from({ length: Math.ceil(buf.length / chunk) }, (_, i) => buf.subarray(i * chunk, (i + 1) * chunk));
  const out: string[] = [];
  for await (const events of extractEvents(readCandidateLines(Readable.from(chunks), 'x'))) out.push(...events.map(key));
  return out;
}
const plain = (text: string) => extractEventsSync(stringLines(text, 'x')).map(key);

const set = await loadRuleSet({ builtin: false, ruleDirs: [BUILTIN_RULES_DIR] });
const examples = set.rules.flatMap((r) => [...r.examples.match, ...r.examples['no-match']].map((t, i) => [`${r.id} #${i}`, t] as const));

describe('the fast path', () => {
  it.each(examples)('rule example %s', async (_name, text) => {
    expect(await fast(text, 37)).toEqual(plain(text));
  });

  it.skipIf(!existsSync(CORPUS)).each(existsSync(CORPUS) ? readdirSync(CORPUS).filter((f) => f.endsWith('.txt')) : [])('corpus sample %s', async (file) => {
    const text = readFileSync(join(CORPUS, file), 'utf8');
    expect(await fast(text, 101)).toEqual(plain(text));
  });

  it.skipIf(!existsSync(GEN))('generated logs, sparse and dense, across chunk boundaries', async () => {
    for (const [mb, rate] of [[1, 0.002], [1, 0.1]] as const) {
      const text = spawnSync(process.execPath, [GEN, String(mb), String(rate)], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout;
      expect(await fast(text, 4093)).toEqual(plain(text));
    }
  }, 60_000);

  it.skipIf(!existsSync(GEN))('a generated log in large chunks, once the prefilter has chosen its grams for it', async () => {
    // The first 64 KiB or more tune the prefilter to the input; the chunks after it use the tuning.
    const text = spawnSync(process.execPath, [GEN, '3', '0.002'], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout;
    const got = await fast(text, 1 << 18);
    expect(got).toEqual(plain(text));
    expect(got.length).toBeGreaterThan(50);
  }, 60_000);

  it('CRLF split across chunks and lone CRs number lines as the plain path does', async () => {
    const err = '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}';
    const text = `one\r\ntwo\rthree\r\n${err}\r${err}\r\nend\r`;
    for (const size of [1, 2, 3, 7, 64]) expect(await fast(text, size)).toEqual(plain(text));
  });

  it('an endless line keeps every error in it, in every piece', async () => {
    const err = '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011CWend1234567890abcdefg"}';
    const pad = 'x'.repeat(400_000);
    const text = `start\n${err}${pad}${err.replace('end1', 'end2')}${pad}${pad}${err.replace('end1', 'end3')}\nafter\n`;
    const got = await fast(text, 1 << 16);
    expect(got.map((k) => JSON.parse(k)[7])).toEqual(['req_011CWend1234567890abcdefg', 'req_011CWend2234567890abcdefg', 'req_011CWend3234567890abcdefg']);
    // Multi-byte characters, with chunk ends falling inside them: pieces still fall where the plain path cuts.
    const wide = text.replaceAll('x'.repeat(1000), '€'.repeat(1000));
    expect(await fast(wide, 4093)).toEqual(plain(wide));
  });

  it('a file with errors far apart, and one right at the end without a newline', async () => {
    const noise = Array.from({ length: 300 }, (_, i) => `INFO request ${i} ok`).join('\n');
    const err = '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}';
    const text = `${err}\n${noise}\n${err}\n${noise}\nError: Connection error.\n    at Anthropic.makeRequest (/app/node_modules/@anthropic-ai/sdk/client.js:1:1)\n${noise}\n${err}`;
    const got = await fast(text, 512);
    expect(got).toEqual(plain(text));
    expect(got).toHaveLength(4);
  });

  it('reads non-ASCII text as UTF-8, in chunks of plain ASCII and not', async () => {
    const noise = Array.from({ length: 100 }, (_, i) => `INFO request ${i} ok`).join('\n');
    const err = 'API Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":"Überschreitung — prompt zu lang…"}}';
    const text = `${noise}\n${err}\n${noise}\n${err.replace('Ü', 'U')}\n`;
    const got = await fast(text, 2048);
    expect(got).toEqual(plain(text));
    expect(got.map((k) => JSON.parse(k)[4])).toEqual(['Überschreitung — prompt zu lang…', 'Uberschreitung — prompt zu lang…']);
  });

  it('a line whose every trigger word is split by colour codes is still a candidate', async () => {
    // As a captured terminal prints it: the plain path strips the codes, so the fast path must too.
    const noise = Array.from({ length: 100 }, (_, i) => `INFO request ${i} ok`).join('\n');
    const text = `${noise}\n\x1b[31mAPI Err\x1b[1mor: 529 {"type":"err\x1b[0mor","err\x1b[0mor":{"type":"overlo\x1b[0maded_err\x1b[0mor"}}\x1b[0m\n${noise}\n`;
    const got = await fast(text, 1 << 16);
    expect(got).toEqual(plain(text));
    expect(got.map((k) => JSON.parse(k)[3])).toEqual(['overloaded_error']);
  });
});
