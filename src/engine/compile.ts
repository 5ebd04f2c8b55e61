// Compiles a rule's conditions into predicates. Rule regexes run in RE2 (re2js): linear time on any
// input, so a rule file from a pull request cannot hang a CI job.
import { createRequire } from 'node:module';
import type { RE2JS as RE2JSType } from 're2js';
import type { ErrorEvent, MatchableField } from '../types.js';
import { literalTest } from './literal.js';
import type { Alternative, Condition, Rule } from './schema.js';

export type Vars = Record<string, string>;

/** Tests one event field; returns the named groups it captured, or undefined when it does not hold. */
type Test = (value: unknown) => Vars | undefined;

export interface CompiledAlternative {
  tests: { field: MatchableField; test: Test }[];
  specificity: number;
  /** Its place among the rule's alternatives: the first of equals wins. */
  index: number;
}

export interface CompiledRule {
  rule: Rule;
  order: number;
  alternatives: CompiledAlternative[];
}

const NONE: Vars = Object.freeze({}) as Vars;

function scalarTest(expected: string | number | boolean): Test {
  return (value) => {
    if (value === undefined) return undefined;
    if (typeof expected === 'number') return Number(value) === expected ? NONE : undefined;
    return value === expected || String(value) === String(expected) ? NONE : undefined;
  };
}

export class RuleCompileError extends Error {
  constructor(
    message: string,
    readonly path: (string | number)[],
  ) {
    super(message);
  }
}

type RE2JS = RE2JSType;
let re2: typeof RE2JSType | undefined;

/** re2js loads on the first rule read from a file: runs with only the built-in rules never pay for it. */
function engine(): typeof RE2JSType {
  re2 ??= (createRequire(import.meta.url)('re2js') as { RE2JS: typeof RE2JSType }).RE2JS;
  return re2;
}

/**
 * RE2's time is linear in the input but also in the size of the compiled program: a few wide
 * counted repetitions (`\w{999}` three times) cost seconds per tested value. The largest built-in
 * rule compiles to under 800 instructions.
 */
const MAX_PROGRAM_SIZE = 2000;
/**
 * A value longer than this is tested on its first characters only, so that one test costs at most
 * program size × this. Quoted values are already read up to this length (extract/values.ts).
 */
export const MAX_SUBJECT_CHARS = 16_000;

// What RE2 leaves out on purpose, and what to write instead.
const UNSUPPORTED: [RegExp, string][] = [
  [/\(\?<?[=!]/, 'lookahead and lookbehind are not supported (RE2 matches in linear time): match the text itself, or add a condition on another field'],
  [/\\[1-9]|\\k</, 'backreferences are not supported (RE2 matches in linear time): spell the repeated text out'],
  [/[+*?}]\+|\(\?>/, 'possessive quantifiers and atomic groups are not supported, nor needed: RE2 never backtracks; drop the extra +'],
];

function compileRegex(source: string, flags: string | undefined, path: (string | number)[]): RE2JS {
  const RE2JS = engine();
  let re: RE2JS;
  try {
    re = RE2JS.compile(source, flags === 'i' ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (err) {
    const detail = (err as Error).message.replace(/^error parsing regexp: /, '');
    const hint = UNSUPPORTED.find(([construct]) => construct.test(source))?.[1];
    throw new RuleCompileError(`regex does not compile in RE2 syntax: '${source}' (${detail})${hint ? `; ${hint}` : ''}`, path);
  }
  if (re.programSize() > MAX_PROGRAM_SIZE) {
    throw new RuleCompileError(
      `regex '${source}' is too costly for RE2: it compiles to ${re.programSize()} instructions, more than ${MAX_PROGRAM_SIZE}; use smaller repetition counts ({1,50} rather than {1,999}) or fewer of them`,
      path,
    );
  }
  return re;
}

/**
 * The built-in rules' regexes were compiled in RE2 and V8 at build time and are ours to review, so
 * at run time they use V8's engine. Rules read from files (a user's, a pull request's) always run
 * in RE2: linear time on any input.
 */
function nativeTest(source: string, flags: string | undefined): Test {
  // Built on first use: V8 parses a pattern when it is constructed, and most of a run's rules
  // never see an event (one pasted error tests a handful).
  let re: RegExp | undefined;
  let may: ((text: string) => boolean) | undefined;
  return (value) => {
    if (value === undefined) return undefined;
    const text = String(value);
    may ??= literalTest(source, flags === 'i');
    if (!may(text)) return undefined;
    re ??= new RegExp(source.replace(/\(\?P</g, '(?<'), flags === 'i' ? 'i' : '');
    const m = re.exec(text);
    if (!m) return undefined;
    if (!m.groups) return NONE;
    const vars: Vars = {};
    for (const [k, v] of Object.entries(m.groups)) if (v !== undefined) vars[k] = v;
    return vars;
  };
}

function regexTest(source: string, flags: string | undefined, path: (string | number)[], trusted: boolean): Test {
  if (trusted) return nativeTest(source, flags);
  const re = compileRegex(source, flags, path);
  const names = Object.keys(re.namedGroups());
  const may = literalTest(source, flags === 'i');
  return (value) => {
    if (value === undefined) return undefined;
    const text = String(value);
    if (!may(text)) return undefined;
    const m = re.matcher(text.length > MAX_SUBJECT_CHARS ? text.slice(0, MAX_SUBJECT_CHARS) : text);
    if (!m.find()) return undefined;
    if (names.length === 0) return NONE;
    const vars: Vars = {};
    for (const name of names) {
      const v = m.group(name);
      if (v !== null && v !== undefined) vars[name] = v;
    }
    return vars;
  };
}

function conditionTest(condition: Condition, path: (string | number)[], trusted: boolean): Test {
  if (Array.isArray(condition)) {
    const tests = condition.map(scalarTest);
    return (value) => {
      for (const t of tests) if (t(value)) return NONE;
      return undefined;
    };
  }
  if (isRegex(condition)) return regexTest(condition.regex, condition.flags, [...path, 'regex'], trusted);
  return scalarTest(condition);
}

/** A `{regex, flags}` condition, as opposed to a value or a list of values. */
export function isRegex(condition: Condition | undefined): condition is Extract<Condition, { regex: string }> {
  return typeof condition === 'object' && !Array.isArray(condition);
}

export function compileRule(rule: Rule, order = 0, trusted = false): CompiledRule {
  const alternatives = rule.match.map((alt: Alternative, i) => {
    const tests = (Object.entries(alt) as [MatchableField, Condition | undefined][])
      .filter((entry): entry is [MatchableField, Condition] => entry[1] !== undefined)
      // All must hold, so the order is free: equality tests first, and a regex runs only for an
      // event that already has the right status and type.
      .sort(([, a], [, b]) => Number(isRegex(a)) - Number(isRegex(b)))
      .map(([field, condition]) => ({ field, test: conditionTest(condition, ['match', i, field], trusted) }));
    return { tests, specificity: tests.length, index: i };
  });
  return { rule, order, alternatives };
}

export interface Match {
  rule: Rule;
  vars: Vars;
}

function field(event: ErrorEvent, name: MatchableField): unknown {
  return event[name];
}

interface Best {
  c: CompiledRule;
  alt: CompiledAlternative;
  vars: Vars;
  /** What match() hands out for it, made when first asked. */
  match?: Match;
}

/** Most conditions, then priority, then rule order, then the rule's own order of alternatives. */
function beats(x: Best, y: Best): boolean {
  if (x.alt.specificity !== y.alt.specificity) return x.alt.specificity > y.alt.specificity;
  if (x.c.rule.priority !== y.c.rule.priority) return x.c.rule.priority > y.c.rule.priority;
  if (x.c.order !== y.c.order) return x.c.order < y.c.order;
  return x.alt.index < y.alt.index;
}

function bestOf(rules: CompiledRule[], event: ErrorEvent): Best | undefined {
  let best: Best | undefined;
  // Indexed loops: this runs for every event, and for-of allocates iterators until V8 optimises it.
  for (let r = 0; r < rules.length; r++) {
    const c = rules[r]!;
    for (let a = 0; a < c.alternatives.length; a++) {
      const alt = c.alternatives[a]!;
      if (best && alt.specificity < best.alt.specificity) continue;
      let vars: Vars = NONE;
      let holds = true;
      for (let t = 0; t < alt.tests.length; t++) {
        const { field: name, test } = alt.tests[t]!;
        const got = test(field(event, name));
        if (!got) {
          holds = false;
          break;
        }
        if (got !== NONE) vars = vars === NONE ? { ...got } : Object.assign(vars, got);
      }
      if (!holds) continue;
      const candidate: Best = { c, alt, vars, match: undefined };
      if (!best || beats(candidate, best)) best = candidate;
    }
  }
  return best;
}

/** The most specific rule for an event: most conditions, then priority, then rule order. */
export function matchEvent(rules: CompiledRule[], event: ErrorEvent): Match | undefined {
  const best = bestOf(rules, event);
  return best ? { rule: best.c.rule, vars: best.vars } : undefined;
}

const MEMO_SIZE = 10_000;

/**
 * The fields a match depends on but the text, each read by a function of its own: one reading
 * them all by name, in a loop, made V8 look each name up in every event. The type says when a
 * matchable field is missing.
 */
const KEY_OF: { [F in Exclude<MatchableField, 'text'>]: (e: ErrorEvent) => ErrorEvent[F] } = {
  status: (e) => e.status,
  type: (e) => e.type,
  message: (e) => e.message,
  errorCode: (e) => e.errorCode,
  errorClass: (e) => e.errorClass,
  code: (e) => e.code,
  platform: (e) => e.platform,
  client: (e) => e.client,
  stream: (e) => e.stream,
  batchResult: (e) => e.batchResult,
};
const KEY_READERS: ((e: ErrorEvent) => unknown)[] = Object.values(KEY_OF);

/** A level of the memory: by one field's value, the next level, or at the last the match. */
type Memo = Map<unknown, Memo | Best | null>;

/**
 * matchEvent with a memory, for logs that repeat an error thousands of times: events alike in all
 * but their text (an excerpt with its own request id and time) match alike, except through the
 * few alternatives that read the text, which run for every event. (Remembered by text as well,
 * they cost a log whose every line carries its time 5%, for no gain this machine could measure on
 * one that repeats its errors word for word.) The memory has a level for each field, keyed by its
 * value: a key of them all in one string made a long string to hash for every event.
 */
export class Matcher {
  private readonly plain: CompiledRule[];
  private readonly textual: CompiledRule[];
  private memo: Memo = new Map();
  private size = 0;

  constructor(rules: CompiledRule[]) {
    const reads = (alt: CompiledAlternative) => alt.tests.some((t) => t.field === 'text');
    this.plain = rules.map((c) => ({ ...c, alternatives: c.alternatives.filter((a) => !reads(a)) }));
    this.textual = rules.map((c) => ({ ...c, alternatives: c.alternatives.filter(reads) })).filter((c) => c.alternatives.length > 0);
  }

  /** The memory's match for events with the fields of `event`, computed the first time. */
  private plainMatch(event: ErrorEvent): Best | null {
    if (this.size >= MEMO_SIZE) {
      this.memo = new Map();
      this.size = 0;
    }
    let level = this.memo;
    const last = KEY_READERS.length - 1;
    for (let i = 0; i < last; i++) {
      const v = KEY_READERS[i]!(event);
      let next = level.get(v) as Memo | undefined;
      if (!next) level.set(v, (next = new Map()));
      level = next;
    }
    const v = KEY_READERS[last]!(event);
    let found = level.get(v) as Best | null | undefined;
    if (found === undefined) {
      found = bestOf(this.plain, event) ?? null;
      level.set(v, found);
      this.size++;
    }
    return found;
  }

  match(event: ErrorEvent): Match | undefined {
    const plain = this.plainMatch(event);
    const textual = bestOf(this.textual, event);
    const best = textual && (!plain || beats(textual, plain)) ? textual : plain;
    // One Match per Best: vars are shared anyway, and a log dense with errors made one per event.
    return best ? (best.match ??= { rule: best.c.rule, vars: best.vars }) : undefined;
  }
}
