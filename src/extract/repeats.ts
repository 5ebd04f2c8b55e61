// The candidates of a block whose text was read a moment ago, reused: a log repeats its errors (a
// retry loop, an outage, a batch), and recognising the same text again finds the same things. The
// same error with another request id is a repeat too: that is how an outage's errors differ.
import type { ErrorEvent } from '../types.js';
import type { Block } from './blocks.js';
import { blockCandidates, type Candidate } from './events.js';

/**
 * Texts remembered, in each of two generations: a text read again moves to the new one, and when
 * that fills, the old one is dropped. A text may be a slice of a stretch of input that it keeps
 * alive (8 KiB at most), so the two hold a few megabytes at worst.
 */
const GENERATION = 256;
/** Longer texts are not remembered: a block that long is rare, and rarely read twice. */
const MAX_TEXT = 4096;

/**
 * A request id's characters after `req_` (or `req_vrtx_`). Recognisers and signals read an id as a
 * run of letters and digits: its length, whether it starts `01` (Anthropic's), and whether it is
 * 32 hex digits (OpenAI's). The key keeps those and nothing else of it. (A vendor's name spelt by
 * chance inside a random id, one in many millions, is read from the first such text only.)
 */
const REQUEST_ID = /\breq_(?:vrtx_)?([A-Za-z0-9]{20,})/g;
const HEX32 = /^[0-9a-f]{32}$/;

function placeholder(run: string): string {
  return run.slice(0, 2) + (HEX32.test(run) ? '0' : 'x').repeat(run.length - 2);
}

/** The text with its request ids' characters blanked out as above, and the ids, in order. */
function keyOf(text: string): { key: string; ids: string[] | undefined } {
  if (!text.includes('req_')) return { key: text, ids: undefined };
  const ids: string[] = [];
  const key = text.replace(REQUEST_ID, (id: string, run: string) => {
    ids.push(id);
    return id.slice(0, id.length - run.length) + placeholder(run);
  });
  return { key, ids: ids.length > 0 ? ids : undefined };
}

interface Seen {
  starts: readonly number[];
  /** Each piece's line, counted from the block's first; undefined for a block of one line. */
  lines: number[] | undefined;
  line: number;
  /** The request ids of the text it was found in, in order. */
  ids: string[] | undefined;
  /** Whether its strings hold those ids only whole, so that another text's ids can take their place. */
  swappable: boolean;
  found: readonly Candidate[];
}

/** Lines of `b` counted from its first, as `seen` holds them: equal, the events' lines map across. */
function sameShape(seen: Seen, b: Block): boolean {
  if (seen.starts.length !== b.starts.length) return false;
  for (let i = 0; i < b.starts.length; i++) if (seen.starts[i] !== b.starts[i]) return false;
  if (seen.lines === undefined || b.lines === undefined) return seen.lines === b.lines;
  for (let i = 0; i < b.lines.length; i++) if (seen.lines[i]! - seen.line !== b.lines[i]! - b.line) return false;
  return true;
}

const sameIds = (a: string[] | undefined, b: string[] | undefined) => a === b || (a !== undefined && b !== undefined && a.every((id, i) => id === b[i]));

/** Each old id to the new one in its place, or undefined if one old id would need two new ones. */
function swaps(from: string[], to: string[]): Map<string, string> | undefined {
  const map = new Map<string, string>();
  for (let i = 0; i < from.length; i++) {
    const was = map.get(from[i]!);
    if (was !== undefined && was !== to[i]) return undefined;
    map.set(from[i]!, to[i]!);
  }
  return map;
}

/** `s` with each old id replaced by its new one, all at once (one text's ids may be another's). */
function swapped(s: string, map: Map<string, string> | undefined): string {
  if (!map || !s.includes('req_')) return s;
  let out = '';
  let done = 0;
  for (let at = s.indexOf('req_'); at !== -1; at = s.indexOf('req_', at + 1)) {
    let from = '';
    for (const id of map.keys()) if (id.length > from.length && s.startsWith(id, at)) from = id;
    if (!from) continue;
    out += s.slice(done, at) + map.get(from)!;
    done = at + from.length;
    at = done - 1;
  }
  return out + s.slice(done);
}

function count(s: string, part: string): number {
  let n = 0;
  for (let at = s.indexOf(part); at !== -1; at = s.indexOf(part, at + 1)) n++;
  return n;
}

/** Every `req_` in `s` starts one of `ids`, whole. */
function holdsWhole(s: string, ids: string[]): boolean {
  for (let at = s.indexOf('req_'); at !== -1; at = s.indexOf('req_', at + 1)) {
    if (!ids.some((id) => s.startsWith(id, at))) return false;
  }
  return true;
}

function eachString(c: Candidate, f: (s: string) => boolean): boolean {
  if (!f(c.evidence)) return false;
  for (const v of Object.values(c.event)) if (typeof v === 'string' && !f(v)) return false;
  return true;
}

/** A fresh copy of what `seen`'s block gave, moved to `b`'s lines and ids: candidates are completed in place downstream. */
function moved(found: readonly Candidate[], from: number, b: Block, map?: Map<string, string>): Candidate[] {
  const out: Candidate[] = [];
  const shift = b.line - from;
  for (let i = 0; i < found.length; i++) {
    const c = found[i]!;
    const event: ErrorEvent = { ...c.event, source: b.source, line: c.event.line + shift, endLine: c.event.endLine + shift };
    if (map) for (const k in event) {
      const v = (event as unknown as Record<string, unknown>)[k];
      if (typeof v === 'string') (event as unknown as Record<string, unknown>)[k] = swapped(v, map);
    }
    // Its signals are shared: they read nothing of an id that the memory's key does not keep.
    out.push({ event, strength: c.strength, evidence: swapped(c.evidence, map), signals: c.signals });
  }
  return out;
}

export class RepeatedBlocks {
  private recent = new Map<string, Seen>();
  private older = new Map<string, Seen>();
  /** Blocks answered from memory so far. */
  reused = 0;

  /** blockCandidates(b), from memory when `b` repeats a block read a moment ago. */
  candidates(b: Block): readonly Candidate[] {
    if (b.text.length > MAX_TEXT) return blockCandidates(b);
    const { key, ids } = keyOf(b.text);
    const seen = this.recent.get(key) ?? this.older.get(key);
    if (seen && sameShape(seen, b)) {
      const same = sameIds(seen.ids, ids);
      const map = same ? undefined : seen.swappable ? swaps(seen.ids!, ids!) : undefined;
      if (same || map) {
        if (!this.recent.has(key)) this.remember(key, seen);
        this.reused++;
        return seen.found.length === 0 ? seen.found : moved(seen.found, seen.line, b, map);
      }
    }
    const found = blockCandidates(b);
    // Another text's ids can take the places of these only where the text has no other `req_`
    // (one the key kept as it is), and its candidates hold no id cut short (an excerpt's end).
    const swappable = ids === undefined || (count(b.text, 'req_') === ids.length && found.every((c) => eachString(c, (s) => holdsWhole(s, ids))));
    // Kept as copies: the extractor completes the ones it hands on in place.
    this.remember(key, { starts: b.starts, lines: b.lines, line: b.line, ids, swappable, found: found.length === 0 ? found : moved(found, b.line, b) });
    return found;
  }

  private remember(key: string, seen: Seen): void {
    if (this.recent.size >= GENERATION) {
      this.older = this.recent;
      this.recent = new Map();
    }
    this.recent.set(key, seen);
  }
}
