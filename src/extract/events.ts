// Turns one block into candidate events: runs every recogniser, merges anchors that describe the
// same error, attaches exception names and markers, and fills in status, request id and timestamp.
import { isWordChar } from '../chars.js';
import type { ErrorEvent } from '../types.js';
import { RANK, type Anchor, type AnchorFields, type Recogniser } from './anchor.js';
import type { Block } from './blocks.js';
import { recogniseBatch } from './recognisers/batch.js';
import { recogniseBedrock } from './recognisers/bedrock.js';
import { recogniseBodies } from './recognisers/body.js';
import { recogniseClaudeCode } from './recognisers/claude-code.js';
import { recogniseExceptions } from './recognisers/exceptions.js';
import { recogniseGoogle } from './recognisers/google.js';
import { recogniseLitellm } from './recognisers/litellm.js';
import { recognisePhrases } from './recognisers/phrases.js';
import { recogniseSdk } from './recognisers/sdk.js';
import { recogniseStatusText } from './recognisers/status-text.js';
import { recogniseTransport } from './recognisers/transport.js';
import { TextSignals } from './signals.js';
import { impliedStatus } from './status.js';

export const RECOGNISERS: Recogniser[] = [
  recogniseBodies,
  recogniseGoogle,
  recogniseBedrock,
  recogniseLitellm,
  recogniseClaudeCode,
  recognisePhrases,
  recogniseSdk,
  recogniseStatusText,
  recogniseTransport,
  recogniseExceptions,
  recogniseBatch,
];

/** An event before we know whether it is Claude's: `evidence` is the text judged for that. */
export interface Candidate {
  event: ErrorEvent;
  strength: 'strong' | 'weak';
  evidence: string;
  /** What `evidence` says of whose error it is. */
  signals: TextSignals;
}

interface Merged {
  start: number;
  /** Where the error itself starts, before exception names in front of it were attached. */
  bodyStart: number;
  end: number;
  rank: number;
  strength: 'strong' | 'weak';
  wantsStatus: boolean;
  fields: AnchorFields;
}

const ENRICH_REACH = 400;
const STATUS_REACH = 300;
// Status prefixes, nearest to the body wins: `Error code: 529 - `, `API Error (529 `, `529 {`,
// `404 Not Found Body:`, `"code": 400`, `Status Code: 429`, `status code 500`. Three digits after
// `.`, `,` or `:` end a time, as Python's logging prints it (`17:22:01,553 ERROR {…`): no status.
const STATUS_BEFORE =
  /(?:Error code|API Error|[Ss]tatus(?: [Cc]ode)?|HTTP(?:\/[\d.]+)?(?: status code)?|response from anthropic|Error)\W{0,3}(\d{3})\b|(?<![.,:])\b(\d{3})(?: [A-Z][A-Za-z]+)*(?: Body:)?\s*[-:]?\s*b?\\*["']?[{[]|\\*["']?(?:code|status|status_code|statusCode)\\*["']?\s*[:=]\s*\\*["']?(\d{3})\b/g;
const STATUS_AFTER_CLASS = /^:\s*Error code: (\d{3})\b/;
const REQUEST_ID = /\breq_(?:vrtx_)?[A-Za-z0-9]{20,40}\b/;
const TIMESTAMP = /\b(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)/;

/** `req_…` ids are Anthropic's; OpenAI's `req_` + 32 hex digits are not, and masked ids are nobody's. */
function anthropicRequestId(id: string | undefined): string | undefined {
  if (!id) return undefined;
  const m = /^req_(?:vrtx_)?([A-Za-z0-9]{20,40})$/.exec(id.trim());
  if (!m) return undefined;
  if (/^[0-9a-f]{32}$/.test(m[1]!)) return undefined;
  return id.trim();
}

function fill(target: AnchorFields, from: AnchorFields): void {
  const to = target as Record<string, unknown>;
  const source = from as Record<string, unknown>;
  for (const k in source) if (source[k] !== undefined && to[k] === undefined) to[k] = source[k];
}

/**
 * Sort in place, stably, as Array.prototype.sort does. A block has a handful of anchors, and
 * V8's sort allocates its own work area for every call: in a log dense with errors those areas
 * were a tenth of everything the scan allocated. Long arrays still go to it.
 */
export function sortFew<T>(xs: T[], order: (a: T, b: T) => number): T[] {
  if (xs.length > 16) return xs.sort(order);
  for (let i = 1; i < xs.length; i++) {
    const x = xs[i]!;
    let j = i - 1;
    for (; j >= 0 && order(xs[j]!, x) > 0; j--) xs[j + 1] = xs[j]!;
    xs[j + 1] = x;
  }
  return xs;
}

const onlyTransport = (x: Anchor[]) => x.every((a) => a.rank === RANK.transport);

/** Whether `text` breaks its line in [from, to), looked for without a copy of that stretch. */
function breakBetween(text: string, from: number, to: number): boolean {
  const at = text.indexOf('\n', from);
  return at !== -1 && at < to;
}

function mergeOverlapping(anchors: Anchor[], text: string): Merged[] {
  const primary = sortFew(
    anchors.filter((a) => a.strength !== 'enrich'),
    (a, b) => a.start - b.start || b.rank - a.rank,
  );
  const groups: Anchor[][] = [];
  let groupEnd = -1;
  for (let i = 0; i < primary.length; i++) {
    const a = primary[i]!;
    // Guarded reads: one past the end of an array takes V8's slow path.
    const current = groups.length > 0 ? groups[groups.length - 1] : undefined;
    if (current && a.start < groupEnd) {
      current.push(a);
      groupEnd = Math.max(groupEnd, a.end);
    } else {
      groups.push([a]);
      groupEnd = a.end;
    }
  }
  // Transport facts on one physical line (`ConnectError: [SSL: …] unable to get local issuer
  // certificate`) describe one failure, unless an API error sits between them.
  const joined: Anchor[][] = [];
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    const prev = joined.length > 0 ? joined[joined.length - 1] : undefined;
    const lastOfPrev = prev?.[prev.length - 1];
    if (prev && lastOfPrev && onlyTransport(prev) && onlyTransport(g) && !breakBetween(text, lastOfPrev.end, g[0]!.start)) for (let j = 0; j < g.length; j++) prev.push(g[j]!);
    else joined.push(g);
  }
  return joined.map((g): Merged => {
    // The highest rank's fields win.
    const byRank = g.length === 1 ? g : sortFew([...g], (a, b) => b.rank - a.rank);
    const fields: AnchorFields = {};
    let start = Infinity;
    let end = -Infinity;
    let strong = false;
    let wantsStatus = false;
    for (let i = 0; i < byRank.length; i++) {
      const a = byRank[i]!;
      fill(fields, a.fields);
      start = Math.min(start, a.start);
      end = Math.max(end, a.end);
      strong ||= a.strength === 'strong';
      wantsStatus ||= Boolean(a.wantsStatus);
    }
    return { start, bodyStart: start, end, rank: byRank[0]!.rank, strength: strong ? 'strong' : 'weak', wantsStatus, fields };
  });
}

function distance(a: { start: number; end: number }, b: { start: number; end: number }): number {
  if (a.end < b.start) return b.start - a.end;
  if (b.end < a.start) return a.start - b.end;
  return 0;
}

function lookBackStatus(text: string, from: number, to: number): number | undefined {
  const window = text.slice(from, to);
  let found: number | undefined;
  STATUS_BEFORE.lastIndex = 0;
  for (let m = STATUS_BEFORE.exec(window); m; m = STATUS_BEFORE.exec(window)) {
    const n = Number(m[1] ?? m[2] ?? m[3]);
    if (n >= 200 && n <= 599) found = n;
  }
  return found;
}

/** Which of the block's lines (or pieces of a long line) holds `offset`. */
function pieceAt(block: Block, offset: number): number {
  let lo = 0;
  let hi = block.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (block.starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The line number at `offset`: pieces of one long line share its number. */
function lineAt(block: Block, offset: number): number {
  return block.lines?.[pieceAt(block, offset)] ?? block.line;
}

/** Where in the block's text the physical lines that `[start, end)` touches begin and end. */
function linesSpan(block: Block, start: number, end: number): [from: number, to: number] {
  const first = pieceAt(block, start);
  const last = pieceAt(block, Math.max(start, end - 1));
  return [block.starts[first]!, last + 1 < block.starts.length ? block.starts[last + 1]! : block.text.length];
}

const EXCERPT_CHARS = 600;

function excerpt(text: string): string {
  const t = text.trim();
  return t.length > EXCERPT_CHARS ? `${t.slice(0, EXCERPT_CHARS)}…` : t;
}

/** What most blocks hold: shared, as no one writes to it. */
const NONE: readonly Candidate[] = Object.freeze([]);

/** The candidate events of a block (the extractor asks only for blocks the prefilter hit). */
export function blockCandidates(block: Block): readonly Candidate[] {
  const text = block.text;
  // Indexed loops and plain property sets rather than for-of, flatMap and spreads of temporary
  // objects: this runs for every block with a trigger word, in a sparse log too rarely for V8 to
  // optimise it (and its iterators away), and in a log dense with errors it is most of the work.
  const anchors: Anchor[] = [];
  for (let r = 0; r < RECOGNISERS.length; r++) {
    const found = RECOGNISERS[r]!(text);
    for (let i = 0; i < found.length; i++) anchors.push(found[i]!);
  }
  if (anchors.length === 0) return NONE;
  const merged = mergeOverlapping(anchors, text);

  // Exception names and SSE markers join the nearest error; promoted ones stand alone.
  for (let i = 0; i < anchors.length; i++) {
    const e = anchors[i]!;
    if (e.strength !== 'enrich') continue;
    let best: Merged | undefined;
    let bestDistance = ENRICH_REACH;
    for (let j = 0; j < merged.length; j++) {
      const m = merged[j]!;
      const d = distance(e, m);
      if (d <= bestDistance) {
        best = m;
        bestDistance = d;
      }
    }
    if (best) {
      fill(best.fields, e.fields);
      best.start = Math.min(best.start, e.start);
      best.wantsStatus ||= Boolean(e.wantsStatus);
    } else if (e.promote) {
      merged.push({ start: e.start, bodyStart: e.start, end: e.end, rank: e.rank, strength: 'weak', wantsStatus: Boolean(e.wantsStatus), fields: { ...e.fields } });
    }
  }
  sortFew(merged, (a, b) => a.start - b.start);

  const built: { event: ErrorEvent; strength: Merged['strength']; evidence: string; start: number; end: number }[] = [];
  for (let i = 0; i < merged.length; i++) {
    const m = merged[i]!;
    const prevEnd = i > 0 ? merged[i - 1]!.end : 0;
    const nextStart = i + 1 < merged.length ? merged[i + 1]!.start : text.length;
    const f = m.fields;
    let status = f.status;
    // The status sits between an exception name and its body (`anthropic.X: Error code: 429 - {`),
    // so look back from where the error itself starts, not from the exception name.
    if (status === undefined && m.wantsStatus) status = lookBackStatus(text, Math.max(prevEnd, m.bodyStart - STATUS_REACH), m.bodyStart + 1);
    // `anthropic.BadRequestError: Error code: 400 - …` with the body cut off: the status follows the class.
    const after = status === undefined ? STATUS_AFTER_CLASS.exec(text.slice(m.end, m.end + 40)) : null;
    if (after) status = Number(after[1]);
    // An error body with no HTTP status, raised as Python's `APIStatusError` or TypeScript's bare
    // `APIError`, or behind an SSE `event: error`, arrived mid-stream after a 200.
    const stream = f.stream ?? (status === undefined && (f.errorClass === 'APIStatusError' || f.errorClass === 'APIError') && f.type ? true : undefined);
    // A wrapper's class says nothing of a status when the call never got a response (LiteLLM files
    // `[Errno 101] Network is unreachable` under InternalServerError).
    status ??= impliedStatus(f.type, f.code ? undefined : f.errorClass);

    const [from, to] = linesSpan(block, m.start, m.end);
    const own = text.slice(from, to);
    const segment = text.slice(prevEnd, nextStart);
    const requestId = anthropicRequestId(f.requestId) ?? anthropicRequestId(REQUEST_ID.exec(text.slice(m.start, nextStart))?.[0]);
    // Its own lines hold no timestamp the segment lacks when the segment holds them, and a word
    // boundary at their start is one in both (usually both are the whole of a one-line block).
    const ownInSegment = from >= prevEnd && to <= nextStart && (from === prevEnd || !isWordChar(text.charCodeAt(from - 1)));
    const rawTime = TIMESTAMP.exec(segment)?.[1] ?? (ownInSegment ? undefined : TIMESTAMP.exec(own)?.[1]);
    const timestamp = rawTime?.replace(' ', 'T').replace(',', '.');

    // Every field set, in one order, undefined where there is nothing: events of one shape keep
    // the code that reads them (the extractor, the rule engine) on V8's fast path, where fields
    // added one by one gave each combination a shape of its own.
    const event: ErrorEvent = {
      source: block.source,
      line: lineAt(block, m.start),
      endLine: lineAt(block, Math.max(m.start, m.end - 1)),
      text: excerpt(own),
      platform: f.platform ?? 'unknown',
      status,
      type: f.type || undefined,
      message: f.message || undefined,
      errorCode: f.errorCode || undefined,
      errorClass: f.errorClass || undefined,
      code: f.code || undefined,
      client: f.client || undefined,
      stream: stream || undefined,
      requestId: requestId || undefined,
      timestamp: timestamp || undefined,
      headers: undefined,
      customId: f.customId || undefined,
      batchResult: f.batchResult || undefined,
    };
    built.push({ event, strength: m.strength, evidence: own, start: m.start, end: m.end });
  }

  const candidates: (Candidate & { end: number })[] = [];
  for (let i = 0; i < built.length; i++) {
    const b = built[i]!;
    const prev = candidates.length > 0 ? candidates[candidates.length - 1] : undefined;
    // A repeat counts as the same error only inside one record: on the same line, or nested in the
    // structure printed after it (util.inspect's property dump). Identical errors on lines of their
    // own are separate occurrences, even when the block joined their lines.
    const sameRecord = prev !== undefined && (prev.event.endLine >= b.event.line || nestedAt(text, b.start));
    if (prev && ((sameRecord && sameError(prev.event, b.event)) || causeOf(prev, b, text))) {
      absorb(prev, b);
      continue;
    }
    candidates.push({ event: b.event, strength: b.strength, evidence: b.evidence, signals: new TextSignals(), end: b.end });
  }
  // Handed over as they are: the extractor reads `event`, `strength`, `evidence` and `signals`, not `end`.
  return candidates;
}

/** Inside an open brace or bracket at this offset of the block. */
function nestedAt(text: string, offset: number): boolean {
  let depth = 0;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 123 || c === 91) depth++;
    else if ((c === 125 || c === 93) && depth > 0) depth--;
  }
  return depth > 0;
}

/**
 * One record that states its error twice (`message` and `stack` of a log entry, a Node error's
 * message and its `error` property) is one event; two different request ids are two errors.
 */
function sameError(a: ErrorEvent, b: ErrorEvent): boolean {
  for (const f of ['status', 'type', 'code', 'requestId'] as const) {
    if (a[f] !== undefined && b[f] !== undefined && a[f] !== b[f]) return false;
  }
  if (a.message && b.message && a.message.slice(0, 120) !== b.message.slice(0, 120)) return false;
  return Boolean((a.type && a.type === b.type) || (a.message && a.message === b.message) || (a.code && a.code === b.code));
}

// Node's `[cause]:`, Python's "The above exception was the direct cause", Go/Rust/Java "caused by".
const CAUSE = /\bcause\b|caused by|direct cause|during handling/i;

/** A transport failure and the lower-level failure printed as its cause are one event. */
function causeOf(prev: Candidate & { end: number }, next: { event: ErrorEvent; start: number }, text: string): boolean {
  const a = prev.event;
  const b = next.event;
  if (a.status !== undefined || b.status !== undefined || a.type || b.type) return false;
  if (a.code && b.code && a.code !== b.code) return false;
  return CAUSE.test(text.slice(prev.end, next.start));
}

function absorb(into: Candidate & { end: number }, from: { event: ErrorEvent; strength: Candidate['strength']; evidence: string; end: number }): void {
  for (const [k, v] of Object.entries(from.event)) {
    if (v !== undefined && (into.event as unknown as Record<string, unknown>)[k] === undefined) Object.assign(into.event, { [k]: v });
  }
  into.event.endLine = Math.max(into.event.endLine, from.event.endLine);
  if (from.evidence !== into.evidence) into.evidence = `${into.evidence}\n${from.evidence}`;
  into.signals = new TextSignals();
  if (from.strength === 'strong') into.strength = 'strong';
  into.end = Math.max(into.end, from.end);
}

