// The extractor asks context blocks nearest first (src/extract/nearest.ts); it must find the block a
// plain scan of them all finds: the nearest accepted within reach, the earlier of two as near.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gap, nearest, type Span } from '../src/extract/nearest.js';

type Block = Span & { ok: boolean };

/** The plain scan: every block in order, the first at the least distance wins. */
function scan(blocks: Block[], first: number, to: Span, within: number): Block | undefined {
  let best: Block | undefined;
  let bestGap = Infinity;
  for (let i = first; i < blocks.length; i++) {
    const d = gap(blocks[i]!, to);
    if (d <= within && d < bestGap && blocks[i]!.ok) [best, bestGap] = [blocks[i], d];
  }
  return best;
}

// Blocks in line order: each starts after the last one ends, or on the same line (the pieces of an
// endless line share its number).
const row = fc.array(fc.record({ step: fc.nat(2), span: fc.nat(3), samePiece: fc.boolean(), ok: fc.boolean() }), { maxLength: 70 }).map((specs) => {
  const blocks: Block[] = [];
  let line = 1;
  for (const s of specs) {
    const start = s.samePiece && blocks.length > 0 ? blocks[blocks.length - 1]!.endLine : line + s.step;
    const block = { line: start, endLine: start + (s.samePiece ? 0 : s.span), ok: s.ok };
    blocks.push(block);
    line = block.endLine + 1;
  }
  return blocks;
});

describe('the nearest context block', () => {
  it('is the one a plain scan of every block finds', () => {
    fc.assert(
      fc.property(row, fc.nat(250), fc.nat(4), fc.nat(30), fc.nat(25), (blocks, at, span, first, within) => {
        const to = { line: at, endLine: at + span };
        const start = Math.min(first, blocks.length);
        expect(nearest(blocks, start, to, within, (b) => b.ok)).toBe(scan(blocks, start, to, within));
      }),
      { numRuns: 5000 },
    );
  });

  it('asks only blocks nearer than the one it returns, and that one', () => {
    const blocks = Array.from({ length: 41 }, (_, i) => ({ line: i + 1, endLine: i + 1, ok: i === 22 || i === 30 }));
    const asked: number[] = [];
    const got = nearest(blocks, 0, { line: 21, endLine: 21 }, 20, (b) => (asked.push(b.line), b.ok));
    expect(got?.line).toBe(23);
    expect(asked.sort((a, b) => a - b)).toEqual([19, 20, 21, 22, 23]);
  });
});
