// Lines in, Claude error events out, in input order. Decides which candidates are Claude's: by their
// own text, or for words any client prints (`Connection error.`), by what surrounds them.
import type { Gap } from '../input/candidates.js';
import type { ErrorEvent, Line } from '../types.js';
import { BlockBuilder, type Block } from './blocks.js';
import type { Candidate } from './events.js';
import { gap, nearest } from './nearest.js';
import { RepeatedBlocks } from './repeats.js';
import { TextSignals } from './signals.js';

/** How many lines either side of a weak candidate are searched for Claude context. */
const CONTEXT_LINES = 20;
/**
 * Hints kept: as many blocks as the line horizon below keeps when each block is a line of its own.
 * Pieces of one endless line share its number, so without a count they would pile up; and no
 * more text than this, which no window of ordinary lines comes near.
 */
const MAX_HINTS = 3 * CONTEXT_LINES + 1;
const MAX_HINT_CHARS = 1 << 20;
/** Hints that have left the window are dropped this many at a time. */
const HINT_BATCH = 256;

interface Pending {
  candidate: Candidate;
  verdict: boolean | undefined;
  /** Claude's unless its context names another vendor (see ownVerdict). */
  presumed: boolean;
  /** How many blocks had closed when it was found. */
  block: number;
}

/** Lines to the nearest hint within the context window that `pick` accepts, else Infinity. */
function distance(hints: Block[], first: number, c: ErrorEvent, pick: (h: Block) => boolean): number {
  const h = nearest(hints, first, c, CONTEXT_LINES, pick);
  return h ? gap(h, c) : Infinity;
}

/**
 * Judge a candidate on its own text: `undefined` means its context must decide, `presumed` that it
 * is Claude's unless its context names another vendor.
 */
function ownVerdict(c: Candidate): boolean | 'presumed' | undefined {
  if (c.strength === 'strong' || c.signals.saysAnthropic(c.evidence)) return true;
  if (c.signals.namesOtherVendor(c.evidence)) return false;
  // Bedrock serves Llama, Titan and others with the same errors: a model named nearby says whose.
  if (c.signals.namesBedrock(c.evidence)) return 'presumed';
  return undefined;
}

function pending(candidate: Candidate, block: number): Pending {
  const own = ownVerdict(candidate);
  return { candidate, verdict: own === 'presumed' ? undefined : own, presumed: own === 'presumed', block };
}

/** Lines apart within which a lower-level failure and the exception that wraps it are one error. */
const CHAIN_LINES = CONTEXT_LINES;
const CHAIN_FIELDS = ['message', 'code', 'client', 'stream'] as const;

/**
 * A network failure is often printed as a chain: `httpx.ConnectError: [SSL: …]`, a traceback, then
 * `anthropic.APIConnectionError: Connection error.`. Two transport-level events (no status, no API
 * type) whose facts complement each other without contradicting are one error. Identical repeats
 * are not merged: they are retries.
 */
function chained(a: Candidate, b: Candidate): boolean {
  const x = a.event;
  const y = b.event;
  if (x.source !== y.source || y.line - x.endLine > CHAIN_LINES) return false;
  if (x.status !== undefined || y.status !== undefined || x.type || y.type) return false;
  let adds = false;
  // A headline with no code, then the failure that names it (Claude Code: `Unable to connect to
  // Anthropic services`, a blank line, `Failed to connect to api.anthropic.com: CERT_…`).
  const headline = x.code === undefined && y.code !== undefined;
  for (const f of CHAIN_FIELDS) {
    if (f === 'message' && headline) continue;
    if (x[f] !== undefined && y[f] !== undefined && x[f] !== y[f]) return false;
    if (x[f] === undefined && y[f] !== undefined) adds = true;
    if (y[f] === undefined && x[f] !== undefined) adds = true;
  }
  return adds;
}

function mergeInto(a: Candidate, b: Candidate): void {
  const x = a.event;
  const y = b.event;
  for (const f of CHAIN_FIELDS) if (x[f] === undefined && y[f] !== undefined) Object.assign(x, { [f]: y[f] });
  // The outermost exception, printed last, names the SDK's class.
  if (y.errorClass) x.errorClass = y.errorClass;
  x.requestId ??= y.requestId;
  x.timestamp ??= y.timestamp;
  x.endLine = y.endLine;
  x.text = `${x.text}\n…\n${y.text}`;
  a.evidence = `${a.evidence}\n${b.evidence}`;
  a.signals = new TextSignals();
  if (b.strength === 'strong') a.strength = 'strong';
}

export interface ExtractOptions {
  /**
   * Treat words any client prints (`Connection error.`) as Claude's unless another vendor is named
   * nearby. Right for a paste into claude-doctor, whose user says it came from Claude; wrong for
   * a log, where other services fail too.
   */
  presumeClaude?: boolean;
}

class Extractor {
  constructor(private readonly options: ExtractOptions = {}) {}

  private builder = new BlockBuilder();
  private repeats = new RepeatedBlocks();
  /** Recent blocks, as context for candidates nearby (see Block's evidence). */
  private hints: Block[] = [];
  /**
   * Hints before this index have left the window. They leave the array in batches: taking one off
   * its front for every line read would copy the rest every time.
   */
  private firstHint = 0;
  /** The text length of the hints before `firstHint`. */
  private deadChars = 0;
  /** The text length of all hints, kept as they come and go. */
  private hintChars = 0;
  private queue: Pending[] = [];
  private source: string | undefined;
  private lastLine = 0;
  private blocks = 0;
  /** Errors already reported in this source, by exception class and status, for bare repeats. */
  private reported = new Map<string, Set<number | undefined>>();

  // Events go into `out` rather than out of generators: this runs once per line of a long log.
  line(line: Line, out: ErrorEvent[]): void {
    if (this.source !== undefined && line.source !== this.source) this.end(out);
    this.source = line.source;
    this.lastLine = line.line;
    const block = this.builder.push(line);
    if (block) this.block(block);
    this.release(line.line, out);
  }

  /**
   * The input paused (a live log): the block in progress is complete as far as anyone knows, so
   * close it and emit what is decided. Weak events keep waiting for their context.
   */
  idle(out: ErrorEvent[]): void {
    const block = this.builder.flush();
    if (block) this.block(block);
    this.release(this.lastLine, out);
  }

  end(out: ErrorEvent[]): void {
    const block = this.builder.flush();
    if (block) this.block(block);
    this.release(Infinity, out);
    this.hints = [];
    this.firstHint = 0;
    this.deadChars = 0;
    this.hintChars = 0;
    this.reported.clear();
  }

  private block(block: Block): void {
    this.hints.push(block);
    this.hintChars += block.text.length;
    this.blocks++;
    // Most blocks are context around a candidate: no recogniser looks at them.
    if (block.hit === false) return;
    const found = this.repeats.candidates(block);
    for (let i = 0; i < found.length; i++) {
      const candidate = found[i]!;
      // Not queue[length - 1] of an empty queue: a read past the end takes V8's slow path.
      const last = this.queue.length > 0 ? this.queue[this.queue.length - 1] : undefined;
      if (last && chained(last.candidate, candidate)) {
        mergeInto(last.candidate, candidate);
        const merged = pending(last.candidate, last.block);
        last.verdict = merged.verdict;
        last.presumed = merged.presumed;
        continue;
      }
      this.queue.push(pending(candidate, this.blocks));
    }
  }

  /**
   * Nothing more can join it or give it context: `reach` lines came after it, or as many blocks
   * (the pieces of an endless line share its number, so lines alone would hold it, and all behind it, forever).
   */
  private closed(p: Pending, currentLine: number, reach: number): boolean {
    return currentLine === Infinity || currentLine > p.candidate.event.endLine + reach || this.blocks - p.block > reach;
  }

  /** Decide what the context window now covers and emit, in order, everything decided. */
  private release(currentLine: number, out: ErrorEvent[]): void {
    // Indexed loops here and below: these run for every line, and for-of allocates an iterator
    // until V8 optimises the code, which in a short scan is much of the run.
    for (let i = 0; i < this.queue.length; i++) {
      const p = this.queue[i]!;
      if (p.verdict !== undefined) continue;
      if (!this.closed(p, currentLine, CONTEXT_LINES)) continue;
      const e = p.candidate.event;
      const other = distance(this.hints, this.firstHint, e, (h) => h.other);
      if (p.presumed) {
        // Its own Bedrock words are no evidence against a vendor named beside them: Anthropic's are.
        const anthropic = distance(this.hints, this.firstHint, e, (h) => h.saysAnthropic(h.text));
        p.verdict = !(other <= CONTEXT_LINES && other < anthropic);
        continue;
      }
      const claude = distance(this.hints, this.firstHint, e, (h) => h.claude);
      p.verdict = this.options.presumeClaude ? !(other <= CONTEXT_LINES && other < claude) : claude <= CONTEXT_LINES && claude <= other;
    }
    while (this.queue.length > 0 && this.queue[0]!.verdict !== undefined) {
      const head = this.queue[0]!;
      // A transport-level event waits for the rest of its exception chain before it is final.
      const e = head.candidate.event;
      if (e.status === undefined && !e.type && !this.closed(head, currentLine, CHAIN_LINES)) break;
      const p = this.queue.shift()!;
      if (!p.verdict) continue;
      const event = this.finish(p.candidate);
      if (this.isBareRepeat(event)) continue;
      out.push(event);
    }
    // Hints arrive in line order: the old ones are at the front.
    const horizon = currentLine - 3 * CONTEXT_LINES;
    let old = this.firstHint;
    while (old < this.hints.length && this.hints[old]!.endLine < horizon) old++;
    // The pieces of one endless line all carry its number, so lines alone would never let go of
    // them: a 200 MB line would be held whole.
    old = Math.max(old, this.hints.length - MAX_HINTS);
    let dropped = 0;
    for (let i = this.firstHint; i < old; i++) dropped += this.hints[i]!.text.length;
    while (this.hintChars - dropped > MAX_HINT_CHARS && old < this.hints.length) dropped += this.hints[old++]!.text.length;
    this.hintChars -= dropped;
    this.deadChars += dropped;
    this.firstHint = old;
    // Also soon when the hints gone hold much text (the pieces of an endless line).
    if (old >= HINT_BATCH || this.deadChars > MAX_HINT_CHARS) {
      this.hints = this.hints.slice(old);
      this.firstHint = 0;
      this.deadChars = 0;
    }
  }

  /**
   * A bare mention of an error already reported (`FAILED test_x - anthropic.BadRequestError: Error
   * code: 400 - ...` in pytest's summary) adds nothing: no type, no message. It is the same error.
   */
  private isBareRepeat(e: ErrorEvent): boolean {
    if (e.errorClass === undefined) return false;
    // By class, then status: no key string is made for every event of a log dense with errors.
    let statuses = this.reported.get(e.errorClass);
    if (e.type || e.message) {
      if (!statuses) this.reported.set(e.errorClass, (statuses = new Set()));
      statuses.add(e.status);
      return false;
    }
    return statuses !== undefined && statuses.has(e.status);
  }

  private finish(c: Candidate): ErrorEvent {
    const e = c.event;
    const client = e.client ?? c.signals.clientOf(c.evidence) ?? nearest(this.hints, this.firstHint, e, CONTEXT_LINES, (h) => h.client !== undefined)?.client;
    // The candidate is done with: its event is completed in place rather than copied.
    if (e.platform === 'unknown') e.platform = c.signals.platformOf(c.evidence);
    if (client) e.client = client;
    return e;
  }
}

/**
 * Stream events out of batches of lines, a batch of events per batch of lines; the lines may come
 * from several sources, one after another.
 */
export async function* extractEvents(batches: AsyncIterable<readonly (Line | Gap)[]>, options: ExtractOptions = {}): AsyncGenerator<ErrorEvent[]> {
  const x = new Extractor(options);
  for await (const batch of batches) {
    const events: ErrorEvent[] = [];
    for (let i = 0; i < batch.length; i++) {
      const item = batch[i]!;
      // Lines were skipped here: nothing before can join or give context to anything after.
      if ('gap' in item) x.end(events);
      else x.line(item, events);
    }
    if (events.length > 0) yield events;
  }
  const last: ErrorEvent[] = [];
  x.end(last);
  if (last.length > 0) yield last;
}

/** An extractor fed by hand, for a live log: lines as they come, `idle()` when the input pauses. */
export function createExtractor(options: ExtractOptions = {}): { line(l: Line): ErrorEvent[]; idle(): ErrorEvent[]; end(): ErrorEvent[] } {
  const x = new Extractor(options);
  const collect = (f: (out: ErrorEvent[]) => void) => {
    const out: ErrorEvent[] = [];
    f(out);
    return out;
  };
  return { line: (l) => collect((out) => x.line(l, out)), idle: () => collect((out) => x.idle(out)), end: () => collect((out) => x.end(out)) };
}

/** The same, synchronously, for text already in memory. */
export function extractEventsSync(lines: Iterable<Line>, options: ExtractOptions = {}): ErrorEvent[] {
  const x = new Extractor(options);
  const out: ErrorEvent[] = [];
  for (const line of lines) x.line(line, out);
  x.end(out);
  return out;
}
