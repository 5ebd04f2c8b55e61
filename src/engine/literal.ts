// The plain text every match of a rule regex must contain, read off its source. A substring search
// for it rules out most values before the regex is built or run: of the rules' patterns, one error
// meets a handful, yet each would otherwise be compiled and tried.

/** Escapes that stand for a single character of their own: `\.`, `\(`, `\/` and the like. */
const PUNCTUATION = /[^A-Za-z0-9]/;

/** Where the escape at `i` ends: `\x41`, `\u{1F600}`, `\p{L}`, `\k<name>` and `\12` run past their letter. */
function escapeEnd(source: string, i: number): number {
  const e = source[i + 1];
  const after = i + 2;
  const through = (close: string) => {
    const j = source.indexOf(close, after);
    return j === -1 ? source.length : j + 1;
  };
  if (e === 'x') return after + 2;
  if (e === 'u') return source[after] === '{' ? through('}') : after + 4;
  if (e === 'p' || e === 'P') return source[after] === '{' ? through('}') : after + 1;
  if (e === 'k' && source[after] === '<') return through('>');
  if (e === 'c') return after + 1;
  if (e !== undefined && e >= '0' && e <= '9') {
    let j = after;
    while (j < source.length && source[j]! >= '0' && source[j]! <= '9') j++;
    return j;
  }
  return after;
}

/** Where the group or class opening at `i` ends (the index after it), or -1 if it does not. */
function closing(source: string, i: number): number {
  let depth = 0;
  let inClass = false;
  for (let j = i; j < source.length; j++) {
    const c = source[j];
    if (c === '\\') j = escapeEnd(source, j) - 1;
    else if (inClass) {
      if (c === ']') {
        inClass = false;
        if (depth === 0) return j + 1;
      }
    } else if (c === '[') {
      inClass = true;
      // A `]` first in a class (or after `^`) is a literal in RE2.
      if (source[j + 1] === '^') j++;
      if (source[j + 1] === ']') j++;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j + 1;
  }
  return -1;
}

/** The offsets of the `|`s at the top level of [from, to). */
function bars(source: string, from: number, to: number): number[] {
  const found: number[] = [];
  for (let i = from; i < to; i++) {
    const c = source[i];
    if (c === '\\') i = escapeEnd(source, i) - 1;
    else if (c === '|') found.push(i);
    else if (c === '[' || c === '(') i = closing(source, i) - 1;
  }
  return found;
}

/** A repetition at `i` (`?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}`): its length and whether it allows none. */
function quantifier(source: string, i: number): { length: number; optional: boolean } | undefined {
  const c = source[i];
  let length: number;
  let optional: boolean;
  if (c === '?' || c === '*') [length, optional] = [1, true];
  else if (c === '+') [length, optional] = [1, false];
  else if (c === '{') {
    const m = /^\{(\d+)(?:,\d*)?\}/.exec(source.slice(i));
    if (!m) return undefined;
    [length, optional] = [m[0].length, Number(m[1]) === 0];
  } else return undefined;
  // A lazy or possessive mark after it.
  if (source[i + length] === '?' || source[i + length] === '+') length++;
  return { length, optional };
}

/** Where a group's pattern starts after its opening `(`: past `?:`, `?P<name>`, `?<name>`; -1 for a lookaround. */
function groupBody(source: string, open: number): number {
  if (source[open + 1] !== '?') return open + 1;
  const rest = source.slice(open + 1);
  const named = /^\?P?<[A-Za-z_]\w*>/.exec(rest);
  if (named) return open + 1 + named[0].length;
  if (rest.startsWith('?:')) return open + 3;
  return -1;
}

/**
 * The runs of characters that every match of [from, to) holds in a row, in `runs`; `run` is the run
 * still open at its end. Groups without alternatives are read through; anything else that stands
 * for more than one text (a class, an escape for a kind of character, `.`, an anchor, a group of
 * alternatives) ends a run, and so does a repetition: after its character when it takes at least
 * one, before it when it may take none.
 */
function read(source: string, from: number, to: number, runs: string[], run: string): string {
  const end = () => {
    if (run) runs.push(run);
    run = '';
  };
  for (let i = from; i < to; ) {
    const c = source[i]!;
    let next = i + 1;
    const q = () => quantifier(source, next);
    if (c === '(') {
      next = closing(source, i);
      const body = groupBody(source, i);
      const rep = q();
      if (body === -1 || rep?.optional || bars(source, body, next - 1).length > 0) end();
      else {
        run = read(source, body, next - 1, runs, run);
        if (rep) end();
      }
      i = next + (rep?.length ?? 0);
      continue;
    }
    let char: string | undefined;
    if (c === '\\') {
      const e = source[i + 1] ?? '';
      if (PUNCTUATION.test(e)) char = e;
      next = escapeEnd(source, i);
    } else if (c === '[') next = closing(source, i);
    else if (c !== '.' && c !== '^' && c !== '$') char = c;
    const rep = q();
    if (char === undefined || rep?.optional) end();
    else {
      run += char;
      if (rep) end();
    }
    i = next + (rep?.length ?? 0);
  }
  return run;
}

/**
 * Text of which every match of `source` holds at least one: the longest run of each of its top-level
 * alternatives. Undefined when some alternative has none, or the source cannot be read this way
 * (inline flags, RE2's `\Q…\E`, unbalanced or empty brackets): then nothing is ruled out.
 */
export function requiredLiterals(source: string): string[] | undefined {
  if (/\(\?[a-zA-Z-]+\)|\\Q|\[\]|\[\^\]/.test(source) || closing(`(${source})`, 0) !== source.length + 2) return undefined;
  return alternatives(source, 0, source.length);
}

function alternatives(source: string, from: number, to: number): string[] | undefined {
  const cuts = [from - 1, ...bars(source, from, to), to];
  const literals: string[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const [start, end] = [cuts[k]! + 1, cuts[k + 1]!];
    const runs: string[] = [];
    const last = read(source, start, end, runs, '');
    if (last) runs.push(last);
    const longest = runs.reduce((a, b) => (b.length > a.length ? b : a), '');
    if (longest) literals.push(longest);
    else {
      // No run of its own: a group of alternatives it cannot do without (`^(?:A|B)`) names its own.
      const inner = requiredGroup(source, start, end);
      if (!inner) return undefined;
      literals.push(...inner);
    }
  }
  return literals;
}

/** The literals of the first group at the top of [from, to) that every match passes through, if any. */
function requiredGroup(source: string, from: number, to: number): string[] | undefined {
  for (let i = from; i < to; ) {
    const c = source[i];
    if (c === '\\') i = escapeEnd(source, i);
    else if (c === '[') i = closing(source, i);
    else if (c === '(') {
      const next = closing(source, i);
      const body = groupBody(source, i);
      if (body !== -1 && !quantifier(source, next)?.optional) return alternatives(source, body, next - 1);
      i = next;
    } else i++;
  }
  return undefined;
}

/** Literals worked out when the built-in rules were built (build-rules.ts), by flags and source. */
const known = new Map<string, string[] | null>();
const keyOf = (source: string, caseless: boolean) => `${caseless ? 'i' : ''}/${source}`;

/** The entries for `knownLiterals`, for a rule set's regexes: null where none can be read. */
export function literalEntries(regexes: { source: string; caseless: boolean }[]): [string, string[] | null][] {
  return regexes.map((r) => [keyOf(r.source, r.caseless), requiredLiterals(r.source) ?? null]);
}

/** Take literals worked out at build time, so that a start-up does not read the patterns again. */
export function knownLiterals(entries: [string, string[] | null][]): void {
  for (const [key, literals] of entries) known.set(key, literals);
}

/** The literals taken so far, to hand to another thread. */
export function takenLiterals(): [string, string[] | null][] {
  return [...known];
}

/**
 * A cheap first test of a regex: false only when `text` cannot match `source`. Without case, only
 * ASCII literals are used, and the text is folded as RE2 and V8 fold: to lower case, and the long s
 * (ſ) to s, the one character besides the Kelvin sign that folds into ASCII.
 */
export function literalTest(source: string, caseless: boolean): (text: string) => boolean {
  const built = known.get(keyOf(source, caseless));
  const literals = built === undefined ? requiredLiterals(source) : (built ?? undefined);
  if (!literals) return () => true;
  if (!caseless) return (text) => literals.some((l) => text.includes(l));
  if (literals.some((l) => /[^\x00-\x7f]/.test(l))) return () => true;
  const folded = literals.map((l) => l.toLowerCase());
  // Of each literal, an ASCII character that is no letter: folding changes no such character and
  // makes none (a non-ASCII character folds to letters), so a text without it cannot hold the
  // literal, and is not folded. A rule's text test runs on every event of a log; folding a copy of
  // each excerpt was 2% of a scan dense with errors. A space, the commonest, is the last choice.
  const anchors = folded.map((l) => [...l].filter((c) => !/[a-z]/.test(c)).sort((a, b) => Number(a === ' ') - Number(b === ' '))[0]);
  return (text) => {
    let t: string | undefined;
    for (let i = 0; i < folded.length; i++) {
      const anchor = anchors[i];
      if (anchor !== undefined && !text.includes(anchor)) continue;
      t ??= text.toLowerCase().replaceAll('ſ', 's');
      if (t.includes(folded[i]!)) return true;
    }
    return false;
  };
}
