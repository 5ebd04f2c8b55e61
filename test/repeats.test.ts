// The memory of recent blocks (src/extract/repeats.ts) gives exactly what recognising the block
// again gives: for every rule example and corpus sample, read again, at other lines, and with
// other request ids in place of its own.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRuleSet } from '../src/engine/ruleset.js';
import { BlockBuilder, type Block } from '../src/extract/blocks.js';
import { blockCandidates, type Candidate } from '../src/extract/events.js';
import { extractEventsSync } from '../src/extract/extract.js';
import { RepeatedBlocks } from '../src/extract/repeats.js';
import { stringLines } from '../src/input/lines.js';
import type { Line } from '../src/types.js';

const CORPUS = fileURLToPath(new URL('../../shared/corpus/dev/', import.meta.url));
const set = await loadRuleSet();
const texts = [
  ...set.rules.flatMap((r) => [...r.examples.match, ...r.examples['no-match']]),
  ...(existsSync(CORPUS) ? readdirSync(CORPUS).filter((f) => f.endsWith('.txt')).map((f) => readFileSync(CORPUS + f, 'utf8')) : []),
];

/** The blocks of `text`, its lines numbered from `first`. */
function blocksOf(text: string, first = 1): Block[] {
  const b = new BlockBuilder();
  const out: Block[] = [];
  for (const l of stringLines(text, 'r')) {
    const block = b.push({ ...l, line: l.line + first - 1 } as Line);
    if (block) out.push(block);
  }
  const last = b.flush();
  if (last) out.push(last);
  return out;
}

const ID = /\breq_(?:vrtx_)?([A-Za-z0-9]{20,})/g;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';

/** `text` with each request id's characters replaced by `make(old run, index)`. */
function withIds(text: string, make: (run: string, i: number) => string): string {
  let i = 0;
  return text.replace(ID, (id: string, run: string) => id.slice(0, id.length - run.length) + make(run, i++));
}

/** Another id as one service's ids differ: Anthropic's all start `01`, OpenAI's are all hex. */
function sameKind(run: string, i: number): string {
  const alphabet = /^[0-9a-f]{32}$/.test(run) ? HEX : ALNUM;
  return run.slice(0, 2) + [...run.slice(2)].map((c, k) => alphabet[(c.charCodeAt(0) + k * 7 + i * 13 + 5) % alphabet.length]).join('');
}

// Other ids of the same length (the memory's case) and of other kinds: Anthropic's, OpenAI's hex,
// longer, and ids that trade places with each other.
const VARIANTS: [string, (run: string, i: number) => string][] = [
  ['another id of the same kind', sameKind],
  ['another id of the same length', (run, i) => [...run].map((_, k) => ALNUM[(k * 7 + i * 13 + 5) % ALNUM.length]).join('')],
  ["Anthropic's 01 prefix", (run, i) => `01${'Q'.repeat(run.length - 3)}${i % 10}`],
  ["OpenAI's 32 hex digits", (_, i) => `${'0a1b2c3d4e5f6789'.repeat(2).slice(0, 31)}${i % 10}`],
  ['a longer id', (run) => `${run}XYZ`],
  ['the same ids in the other order', (run) => [...run].reverse().join('')],
];

/** What the extractor reads of a candidate. */
const read = (cs: readonly Candidate[]) => cs.map((c) => ({ event: c.event, strength: c.strength, evidence: c.evidence }));
const plain = (blocks: Block[]) => blocks.map((b) => read(blockCandidates(b)));
const remembered = (memory: RepeatedBlocks, blocks: Block[]) => blocks.map((b) => read(memory.candidates(b)));

describe('the memory of recent blocks', () => {
  it('gives every example and sample what recognising it gives, the first time, again, and at other lines', () => {
    expect(texts.length).toBeGreaterThan(150);
    const memory = new RepeatedBlocks();
    for (const text of texts) {
      for (const first of [1, 1, 40]) {
        const blocks = blocksOf(text, first);
        expect(remembered(memory, blocks), text).toEqual(plain(blocks));
      }
    }
  });

  it.each(VARIANTS)('gives what recognising gives with %s', (name, make) => {
    const withId = texts.filter((t) => ID.test(t));
    expect(withId.length).toBeGreaterThan(20);
    const memory = new RepeatedBlocks();
    let reused = 0;
    for (const text of withId) {
      for (const b of blocksOf(text)) memory.candidates(b);
      const other = blocksOf(withIds(text, make), 7);
      const before = memory.reused;
      expect(remembered(memory, other), text).toEqual(plain(other));
      reused += memory.reused - before;
    }
    // Ids of the same length and kind are the memory's case: most such texts are not recognised again.
    if (name === 'another id of the same kind') expect(reused).toBeGreaterThan(withId.length * 0.8);
  });

  it('rests while every text is new, and wakes to answer repeats again', () => {
    const memory = new RepeatedBlocks();
    const at = (t: number) => `2026-11-24T17:22:${String(t % 60).padStart(2, '0')}.${String(t % 1000).padStart(3, '0')}Z Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`;
    const timed = Array.from({ length: 3000 }, (_, t) => blocksOf(at(t))[0]!);
    expect(remembered(memory, timed)).toEqual(plain(timed));
    expect(memory.reused).toBe(0);
    const same = Array.from({ length: 3000 }, (_, t) => blocksOf(at(0), t + 1)[0]!);
    expect(remembered(memory, same)).toEqual(plain(same));
    // It sleeps out the rest it is in (2,048 blocks here), then remembers again.
    expect(memory.reused).toBeGreaterThan(1000);
  });

  it('reports each repeat of an error with its own request id and line', () => {
    const line = (id: string) => `API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"${id}"}`;
    const ids = ['req_011CWaaaaaaaaaaaaaaaaaaaa', 'req_011CWbbbbbbbbbbbbbbbbbbbb', 'req_011CWaaaaaaaaaaaaaaaaaaaa', 'req_011CWcccccccccccccccccccc'];
    const events = extractEventsSync(stringLines(ids.map(line).join('\n'), 'log'));
    expect(events.map((e) => [e.line, e.requestId, e.status])).toEqual(ids.map((id, i) => [i + 1, id, 529]));
    expect(events.map((e) => e.text)).toEqual(ids.map(line));
  });

  it('never shows an old id where an excerpt cut a new one short', () => {
    // The excerpt ends 600 characters in, inside the second id: it holds only part of it.
    const text = (a: string, b: string) => `Error: 500 {"type":"error","error":{"type":"api_error","message":"${'x'.repeat(520)}"},"request_id":"${a}","trace":"${b}"}`;
    const memory = new RepeatedBlocks();
    const first = blocksOf(text('req_011CWaaaaaaaaaaaaaaaaaaaa', 'req_011CWbbbbbbbbbbbbbbbbbbbb'));
    const second = blocksOf(text('req_011CWcccccccccccccccccccc', 'req_011CWdddddddddddddddddddd'));
    memory.candidates(first[0]!);
    const got = remembered(memory, second)[0]!;
    expect(got).toEqual(plain(second)[0]);
    expect(got[0]!.event.text).not.toMatch(/req_011CWb/);
  });
});
