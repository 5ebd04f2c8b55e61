// Rejoins the physical lines that belong together: pretty-printed or hard-wrapped JSON, a status
// prefix whose body went to the next line, and `Label: value` paragraphs. A block also says, when
// a candidate nearby asks, whose error its text points to (signals.ts).
import { occurrences } from '../chars.js';
import type { Client, Line } from '../types.js';
import { TextSignals } from './signals.js';

/**
 * Physical lines that belong together. A block is also context for candidates nearby, so it
 * answers what it says about whose error is near (TextSignals); that is worked out only when a
 * candidate asks, as most blocks of a scan are context nobody asks about, and kept in the block
 * rather than in an object of its own: there is a block for every line kept.
 */
export class Block extends TextSignals {
  constructor(
    readonly source: string,
    readonly line: number,
    readonly endLine: number,
    readonly text: string,
    /** Offset in `text` where each physical line (or piece of a long one) starts, for mapping a match back to its line. */
    readonly starts: readonly number[],
    /** False when the prefilter found no trigger in any of its lines: no recogniser need run. */
    readonly hit: boolean | undefined,
    /** The line number of each of those (the pieces of a long line share one); none for a block of one line, which is `line`. */
    readonly lines: number[] | undefined,
  ) {
    super();
  }

  /** It holds text only Anthropic's API, SDKs or platforms produce. */
  get claude(): boolean {
    return this.saysAnthropic(this.text) || this.namesBedrock(this.text);
  }

  /** It names another model vendor. */
  get other(): boolean {
    return this.namesOtherVendor(this.text);
  }

  /** The client that printed it, as far as it tells. */
  get client(): Client | undefined {
    return this.clientOf(this.text);
  }
}

const MAX_BLOCK_LINES = 200;
const MAX_BLOCK_CHARS = 512 * 1024;
/** A wrapped line this long with no break at its end was cut by a terminal, mid-word. */
const HARD_WRAP_WIDTH = 160;

// `API Error: 401 ` / `Error code: 400 - ` / `Body:` / LiteLLM's `AnthropicException - ` at the end
// of a line: the body is on the next one.
const DANGLING = /(?:API Error|Error code|Error|Exception|Body|error)\s*:?\s*(?:\d{3})?\s*-?\s*$/;
// What DANGLING can end with: its last word's last letter, a colon, a status digit or a dash.
const danglingEnd = (c: number) => c === 114 || c === 101 || c === 121 || c === 110 || c === 58 || c === 45 || (c >= 48 && c <= 57);

/** DANGLING, after looks that rule out most lines: its last visible character, and its words. */
function dangling(text: string): boolean {
  // trimEnd drops what `\s` matches, so the character left is the one DANGLING must end with.
  const visible = text.trimEnd();
  // By code, not `visible[visible.length - 1]`: reading past the end of an empty string (or array)
  // takes V8's slow path, four times the cost of the read, and this runs for every line kept.
  return danglingEnd(visible.charCodeAt(visible.length - 1)) && (text.includes('rror') || text.includes('Body') || text.includes('xception')) && DANGLING.test(text);
}
// `Type: ValidationException` / `Details: …` / `Request ID: …`: one record written as labelled lines.
const LABEL = /^\s*\[?[A-Z][A-Za-z ]{1,24}\]?:\s+\S/;

/**
 * The code of the first character of `text` that is not a space or a tab, or -1. The line tests
 * below are anchored regexes that start with `\s*`; a look at this character rules most lines out
 * before a regex runs (for any other kind of space, the regex is left to say).
 */
export function firstVisible(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return c;
  }
  return -1;
}
/** A character `\s` may match besides a space or a tab: a control character or any non-ASCII one. */
const mayBeOtherSpace = (c: number) => c < 32 || c >= 128;
const mayBeLabel = (c: number) => c === 91 || (c >= 65 && c <= 90) || mayBeOtherSpace(c);
const mayBeSse = (c: number) => c === 100 || c === 101 || mayBeOtherSpace(c);
/**
 * `text` starts, after any spaces, with what a body does (`{`, `[`, a quote, an escape): asked
 * before whether the line above left a status dangling, which takes a look at its words, since most
 * lines start with neither. `visible`: firstVisible(text).
 */
export const opensBody = (visible: number, text: string) =>
  visible === 123 || visible === 91 || visible === 92 || visible === 39 || visible === 34 || (visible !== -1 && mayBeOtherSpace(visible) && /^\s*[{[\\'"]/.test(text));
const mayStartWithSpace = (text: string) => text.charCodeAt(0) === 32 || mayBeOtherSpace(text.charCodeAt(0));

// A line's brackets, counted whatever order they come in: this runs for every line kept, and most
// lines hold none, or a few.
const opening = (text: string) => occurrences(text, '{') + occurrences(text, '[');
const closing = (text: string) => occurrences(text, '}') + occurrences(text, ']');

/** The bracket depth a block starts at after its first line: a line with no opening bracket leaves none open. */
function depthAfterFirst(text: string): number {
  const open = opening(text);
  return open === 0 ? 0 : Math.max(0, open - closing(text));
}

/** How much deeper in brackets the line ends than it starts. */
const depthChange = (text: string) => opening(text) - closing(text);

/** Whether `text` holds an odd number of double quotes not escaped by a backslash: it opens or closes a JSON string. */
function flipsString(text: string): boolean {
  let odd = false;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) if (i === 0 || text.charCodeAt(i - 1) !== 92) odd = !odd;
  return odd;
}

/** Wider than any terminal: such a line was not broken by one, and its quotes are not counted (the pieces of an endless line). */
const TERMINAL_WIDTH = 1024;

/** Whether a block's first line may leave a string open that a terminal broke. */
const brokenString = (text: string) => text.length <= TERMINAL_WIDTH && flipsString(text);

/** The rest of a JSON key, up to its closing quote and colon: what a line goes on with after a terminal broke the key. */
const KEY_TAIL = /^\s*[\w-]*"\s*:/;

/** Where the one line of a one-line block starts: shared, as no one writes to it. */
const ONE_LINE: readonly number[] = Object.freeze([0]);

export class BlockBuilder {
  // Most blocks are one line: it is held on its own, and an array only for lines joined to it.
  private first: Line | undefined;
  private more: Line[] = [];
  /**
   * For each line of `more`, whether it goes on a JSON string the line before left open: a raw
   * line break cannot be in a JSON string, so a narrow terminal broke it (Claude Code wraps an
   * `API Error:` line at the window's width). A broken key (`"mess` / `    age":`) is joined
   * without a gap; a broken value keeps its break, which reads as the space a wrap so often ate.
   */
  private inString: boolean[] = [];
  /** A JSON string is open at the end of the lines so far (worked out once a second line joins). */
  private open = false;
  /** firstVisible() of the last line pushed. */
  private lastVisible = -1;
  private depth = 0;
  private chars = 0;

  /** Feed one line; returns the block it closed, if any. */
  push(line: Line): Block | undefined {
    if (!this.first) {
      this.start(line, firstVisible(line.text));
      return undefined;
    }
    const visible = firstVisible(line.text);
    if (this.continues(line, visible)) {
      if (this.more.length === 0) this.open = brokenString(this.first.text);
      this.inString.push(this.open && this.depth > 0);
      if (line.text.length > TERMINAL_WIDTH) this.open = false;
      else if (flipsString(line.text)) this.open = !this.open;
      this.more.push(line);
      this.depth = Math.max(0, this.depth + depthChange(line.text));
      this.chars += line.text.length;
      this.lastVisible = visible;
      return undefined;
    }
    const done = this.flush();
    this.start(line, visible);
    return done;
  }

  flush(): Block | undefined {
    const first = this.first;
    if (!first) return undefined;
    this.first = undefined;
    this.depth = 0;
    this.chars = 0;
    if (this.more.length === 0) return new Block(first.source, first.line, first.line, first.text, ONE_LINE, first.hit === false ? false : undefined, undefined);
    const lines = [first, ...this.more];
    const inString = this.inString;
    this.more = [];
    this.inString = [];
    const starts: number[] = [];
    let text = '';
    let prev = '';
    // A word the prefilter looked for could straddle a hard wrap, so a joined wrap is never ruled out.
    let hit: boolean | undefined = false;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (hit === false) hit = l.hit === false ? false : l.hit;
      const brokenKey = i > 0 && inString[i - 1]! && KEY_TAIL.test(l.text);
      if (i > 0) {
        // A terminal hard wrap is undone without a gap; any other join keeps the line break.
        const wrapped = brokenKey || (prev.length >= HARD_WRAP_WIDTH && !/\s$/.test(prev) && !/^\s/.test(l.text));
        if (wrapped) hit = undefined;
        else text += '\n';
      }
      starts.push(text.length);
      text += i === 0 ? l.text : l.text.trimStart();
      prev = l.text;
    }
    return new Block(first.source, first.line, lines[lines.length - 1]!.line, text, starts, hit === false ? false : undefined, lines.map((l) => l.line));
  }

  private start(line: Line, visible: number): void {
    this.first = line;
    this.depth = depthAfterFirst(line.text);
    this.chars = line.text.length;
    this.lastVisible = visible;
  }

  /** `visible`: firstVisible() of `next`. */
  private continues(next: Line, visible: number): boolean {
    const first = this.first!;
    const count = this.more.length + 1;
    if (count >= MAX_BLOCK_LINES || this.chars >= MAX_BLOCK_CHARS) return false;
    if (next.source !== first.source) return false;
    const last = this.more.length > 0 ? this.more[this.more.length - 1]!.text : first.text;
    if (this.depth > 0) return true;
    if (opensBody(visible, next.text) && dangling(last)) return true;
    if (mayBeLabel(this.lastVisible) && mayBeLabel(visible) && LABEL.test(last) && LABEL.test(next.text) && count < 12) return true;
    // A Node stack trace belongs to the error line above it; `util.inspect` then prints the
    // error's properties in braces after the last frame.
    if (mayStartWithSpace(next.text) && /^\s+(?:at \S|\.\.\. \d+ (?:more|lines))/.test(next.text)) return true;
    // An SSE frame: `event: error` and its `data:` line(s).
    if (mayBeSse(this.lastVisible) && mayBeSse(visible) && /^\s*(?:event|data):/.test(last) && /^\s*data:/.test(next.text)) return true;
    return false;
  }
}
