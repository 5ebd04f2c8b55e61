// The candidates of a block whose text was read a moment ago, reused: a log repeats its errors (a
// retry loop, an outage, a batch), and recognising the same text again finds the same things. The
// same error with another request id is a repeat too: that is how an outage's errors differ.
import { isAlnum, isWordChar, occurrences } from '../chars.js';
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
 * Lookups in a row that found nothing, after which the memory rests for REST blocks, then twice as
 * many each time it wakes to find nothing again, up to MAX_REST. A log whose every line carries
 * its own time repeats no text, and a lookup hashes the whole of one: always looking cost such a
 * log 20% of its scan.
 */
const FRUITLESS = 64;
const REST = 1024;
const MAX_REST = 1 << 16;

/**
 * A request id's characters after `req_` (or `req_vrtx_`). Recognisers and signals read an id as a
 * run of letters and digits: its length, whether it starts `01` (Anthropic's), and whether it is
 * 32 hex digits (OpenAI's). The key keeps those and nothing else of it. (A vendor's name spelt by
 * chance inside a random id, one in many millions, is read from the first such text only.)
 */
const HEX32 = /^[0-9a-f]{32}$/;
const MIN_RUN = 20;

// What a run's characters after its first two become, cut to length: no string is built for each id.
const HEX_FILL = '0'.repeat(MAX_TEXT);
const FILL = 'x'.repeat(MAX_TEXT);

function placeholder(run: string): string {
  return run.slice(0, 2) + (run.length === 32 && HEX32.test(run) ? HEX_FILL : FILL).slice(0, run.length - 2);
}

/**
 * The text with its request ids' characters blanked out as above, and the ids, in order. An id is
 * what `\breq_(?:vrtx_)?[A-Za-z0-9]{20,}` matches, looked for by hand: this runs for every block
 * with a trigger word, and a replace with a callback cost four times as much.
 */
function keyOf(text: string): { key: string; ids: string[] | undefined } {
  let at = text.indexOf('req_');
  if (at === -1) return { key: text, ids: undefined };
  const ids: string[] = [];
  let key = '';
  let done = 0;
  for (; at !== -1; at = text.indexOf('req_', at + 1)) {
    if (at > 0 && isWordChar(text.charCodeAt(at - 1))) continue;
    let from = at + 4;
    if (text.startsWith('vrtx_', from)) from += 5;
    let end = from;
    while (end < text.length && isAlnum(text.charCodeAt(end))) end++;
    if (end - from < MIN_RUN) continue;
    ids.push(text.slice(at, end));
    key += text.slice(done, from) + placeholder(text.slice(from, end));
    done = end;
    at = end - 1;
  }
  return ids.length > 0 ? { key: key + text.slice(done), ids } : { key: text, ids: undefined };
}

interface Seen {
  starts: readonly number[];
  /** Each piece's line, counted from the block's first; undefined for a block of one line. */
  lines: number[] | undefined;
  line: number;
  /** The request ids of the text it was found in, in order. */
  ids: string[] | undefined;
  /**
   * For each candidate, the event fields that hold those ids, all of them whole; undefined when
   * another text's ids cannot take their place (see candidates()).
   */
  holders: (keyof ErrorEvent)[][] | undefined;
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

function sameIds(a: string[] | undefined, b: string[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether the ids `from` can each become the one in its place in `to`: no old id needs two new ones. */
function swappable(from: string[], to: string[]): boolean {
  for (let i = 1; i < from.length; i++) for (let j = 0; j < i; j++) if (from[i] === from[j] && to[i] !== to[j]) return false;
  return true;
}

/** `s` with each id of `from` replaced by the one in its place in `to`, all at once (one text's ids may be another's). */
function swapped(s: string, from: string[], to: string[]): string {
  let out = '';
  let done = 0;
  for (let at = s.indexOf('req_'); at !== -1; at = s.indexOf('req_', at + 1)) {
    let k = -1;
    for (let i = 0; i < from.length; i++) if ((k === -1 || from[i]!.length > from[k]!.length) && s.startsWith(from[i]!, at)) k = i;
    if (k === -1) continue;
    out += s.slice(done, at) + to[k]!;
    done = at + from[k]!.length;
    at = done - 1;
  }
  return out + s.slice(done);
}

/** Every `req_` in `s` starts one of `ids`, whole. */
function holdsWhole(s: string, ids: string[]): boolean {
  for (let at = s.indexOf('req_'); at !== -1; at = s.indexOf('req_', at + 1)) {
    if (!ids.some((id) => s.startsWith(id, at))) return false;
  }
  return true;
}

/** The event fields of `c` that hold an id, or undefined if one holds an id cut short (an excerpt's end). */
function holdersOf(c: Candidate, ids: string[]): (keyof ErrorEvent)[] | undefined {
  if (!holdsWhole(c.evidence, ids)) return undefined;
  const keys: (keyof ErrorEvent)[] = [];
  for (const k of Object.keys(c.event) as (keyof ErrorEvent)[]) {
    const v = c.event[k];
    if (typeof v !== 'string' || !v.includes('req_')) continue;
    if (!holdsWhole(v, ids)) return undefined;
    keys.push(k);
  }
  return keys;
}

/**
 * A fresh copy of what `seen`'s block gave, moved to `b`'s lines and, given `ids`, to those ids:
 * candidates are completed in place downstream.
 */
function moved(seen: Seen, b: Block, ids?: string[]): Candidate[] {
  const out: Candidate[] = [];
  const shift = b.line - seen.line;
  for (let i = 0; i < seen.found.length; i++) {
    const c = seen.found[i]!;
    const event: ErrorEvent = { ...c.event, source: b.source, line: c.event.line + shift, endLine: c.event.endLine + shift };
    let evidence = c.evidence;
    if (ids) {
      // One id, the usual case: each `req_` of these strings starts it (see holdersOf), so every
      // occurrence of it is one to replace. Ids are letters, digits and `_`: no `$` pattern.
      const swap = ids.length === 1 ? (v: string) => v.replaceAll(seen.ids![0]!, ids[0]!) : (v: string) => swapped(v, seen.ids!, ids);
      const write = event as unknown as Record<string, string>;
      for (const k of seen.holders![i]!) write[k] = swap(write[k]!);
      evidence = swap(evidence);
    }
    // Its signals are shared: they read nothing of an id that the memory's key does not keep.
    out.push({ event, strength: c.strength, evidence, signals: c.signals });
  }
  return out;
}

export class RepeatedBlocks {
  private recent = new Map<string, Seen>();
  private older = new Map<string, Seen>();
  /**
   * The last key seen of each length: a repeat is found by comparing one text, where a Map lookup
   * hashed every character of a text that was new each time (a third of a microsecond).
   */
  private lastOfLength = new Map<number, { key: string; seen: Seen }>();
  /** Blocks answered from memory so far. */
  reused = 0;
  /** Lookups in a row that found nothing; blocks left to pass by while resting; the next rest. */
  private fruitless = 0;
  private resting = 0;
  private rest = REST;

  /** blockCandidates(b), from memory when `b` repeats a block read a moment ago. */
  candidates(b: Block): readonly Candidate[] {
    if (b.text.length > MAX_TEXT) return blockCandidates(b);
    if (this.resting > 0) {
      this.resting--;
      return blockCandidates(b);
    }
    const { key, ids } = keyOf(b.text);
    const last = this.lastOfLength.get(key.length);
    let seen = last !== undefined && last.key === key ? last.seen : this.recent.get(key);
    if (seen === undefined && (seen = this.older.get(key)) !== undefined) this.remember(key, seen);
    if (seen && sameShape(seen, b)) {
      const same = sameIds(seen.ids, ids);
      if (same || (seen.holders && swappable(seen.ids!, ids!))) {
        this.reused++;
        this.fruitless = 0;
        this.rest = REST;
        return seen.found.length === 0 ? seen.found : moved(seen, b, same ? undefined : ids);
      }
    }
    if (++this.fruitless >= FRUITLESS) {
      this.resting = this.rest;
      this.rest = Math.min(2 * this.rest, MAX_REST);
      this.fruitless = 0;
    }
    const found = blockCandidates(b);
    // Another text's ids can take the places of these only where the text has no other `req_`
    // (one the key kept as it is), and its candidates hold no id cut short.
    let holders: (keyof ErrorEvent)[][] | undefined;
    if (ids && occurrences(b.text, 'req_') === ids.length) {
      holders = [];
      for (let i = 0; i < found.length && holders; i++) {
        const h = holdersOf(found[i]!, ids);
        if (h) holders.push(h);
        else holders = undefined;
      }
    }
    // Kept as copies: the extractor completes the ones it hands on in place.
    const fresh: Seen = { starts: b.starts, lines: b.lines, line: b.line, ids, holders, found };
    this.remember(key, found.length === 0 ? fresh : { ...fresh, found: moved(fresh, b) });
    return found;
  }

  private remember(key: string, seen: Seen): void {
    if (this.lastOfLength.size >= GENERATION) this.lastOfLength.clear();
    this.lastOfLength.set(key.length, { key, seen });
    if (this.recent.size >= GENERATION) {
      this.older = this.recent;
      this.recent = new Map();
    }
    this.recent.set(key, seen);
  }
}
