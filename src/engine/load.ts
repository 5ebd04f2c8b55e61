// Reads rule files (YAML) from directories and validates them, reporting errors as file:line: field.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';
import { isMap, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { MATCHABLE_FIELDS } from '../types.js';
import { closest } from './closest.js';
import { compileRule } from './compile.js';
import { RuleSchema, type Rule } from './schema.js';

export interface LoadedRule extends Rule {
  /** Where the rule came from, for messages. */
  file: string;
}

/** A rule file that cannot be used; `message` is one line naming file, line and field. */
export class RuleFileError extends Error {
  override name = 'RuleFileError';
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

const WHY: Record<string, string> = {
  id: 'the id is what JSON output, scripts and `explain` refer to',
  title: 'the title is the headline users see first',
  category: 'the category tells users whose problem it is',
  retry: 'the retry policy decides whether users are told to retry',
  match: 'without a valid match the rule can never fire',
  cause: 'the cause explains why it happened',
  fix: 'the fix tells users what to do now',
  docs: 'docs links must be absolute URLs',
  examples: 'examples are how the rule is tested',
};

function locate(doc: ReturnType<typeof parseDocument>, counter: LineCounter, path: PropertyKey[]): number {
  // The deepest node that exists on the path gives the line; a missing key points at its parent.
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth) as (string | number)[], true) as Node | undefined;
    const at = node && typeof node === 'object' && 'range' in node ? node.range?.[0] : undefined;
    if (at !== undefined) return counter.linePos(at).line;
    if (depth === 0 && doc.contents?.range) return counter.linePos(doc.contents.range[0]).line;
  }
  return 1;
}

/** The keys allowed where an unknown one was found, for saying what was meant. */
function allowedKeys(path: PropertyKey[]): readonly string[] {
  if (path.length === 0) return Object.keys(RuleSchema.shape);
  if (path[0] === 'match') return path.length === 2 ? MATCHABLE_FIELDS : ['regex', 'flags'];
  if (path[0] === 'examples') return ['match', 'no-match', 'todo'];
  return [];
}

function unknownKeyHint(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'unrecognized_keys') return '';
  const allowed = allowedKeys(issue.path);
  if (allowed.length === 0) return '';
  // Keys are short: `body` is two edits from `code` without being meant for it, so a suggestion
  // must also start with the same letter.
  const key = issue.keys[0]!;
  const meant = closest(key, allowed.filter((k) => k[0] === key[0]), Math.ceil(key.length / 3));
  return meant ? ` (did you mean '${meant}'?)` : ` (the keys here are: ${allowed.join(', ')})`;
}

function fieldPath(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('') || '(top level)';
}

/**
 * The document's value, or where and why it cannot be had: a billion-laughs file, whose aliases
 * yaml refuses to expand past a limit, is pointed at its first alias.
 */
export function expandYaml(doc: ReturnType<typeof parseDocument>, text: string): { data: unknown } | { line: number; message: string } {
  try {
    return { data: doc.toJS() };
  } catch (err) {
    const at = text.search(/(?:^|[\s[{,])\*[^\s,\]}]/m);
    const line = at < 0 ? 1 : text.slice(0, at + 1).split('\n').length;
    return { line, message: `${(err as Error).message}; write the values out instead of through aliases` };
  }
}

/** The line a validation issue is about: an unknown key's own line, else the deepest part of its path. */
export function issueLine(doc: ReturnType<typeof parseDocument>, counter: LineCounter, issue: z.core.$ZodIssue): number {
  return locate(doc, counter, issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path);
}

export function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) return 'is required';
  return issue.message.replace(/^Invalid input: /, '');
}

/** Parse and validate one rule file's text. Throws RuleFileError naming file:line. */
export function parseRuleFile(text: string, file: string): LoadedRule {
  const shown = displayPath(file);
  const counter = new LineCounter();
  // yaml's warnings reach stderr through Node unredacted, quoting the file (which may hold a key);
  // what matters in a rule file is reported below as an error.
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: false, logLevel: 'error' });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    // Without prettyErrors the parser gives only offsets.
    const line = e.linePos?.[0]?.line ?? counter.linePos(e.pos[0]).line;
    throw new RuleFileError(`${shown}:${line}: invalid YAML: ${e.message.split('\n')[0]}`);
  }
  if (!isMap(doc.contents)) throw new RuleFileError(`${shown}:1: a rule file must be a YAML mapping (id, title, match, ...)`);
  const expanded = expandYaml(doc, text);
  if ('line' in expanded) throw new RuleFileError(`${shown}:${expanded.line}: invalid YAML: ${expanded.message}`);
  const data = expanded.data;
  const parsed = RuleSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const top = String(issue.path[0] ?? '');
    const why = WHY[top] ? ` (${WHY[top]})` : '';
    throw new RuleFileError(`${shown}:${issueLine(doc, counter, issue)}: ${fieldPath(issue.path)}: ${describeIssue(issue)}${unknownKeyHint(issue)}${why}`);
  }
  const rule = parsed.data;
  const stem = basename(file, extname(file));
  if (stem !== rule.id) {
    throw new RuleFileError(`${shown}:${locate(doc, counter, ['id'])}: id: '${rule.id}' must equal the file name '${stem}'`);
  }
  try {
    compileRule(rule);
  } catch (err) {
    const at = (err as { path?: PropertyKey[] }).path ?? ['match'];
    throw new RuleFileError(`${shown}:${locate(doc, counter, at)}: ${fieldPath(at)}: ${(err as Error).message}`);
  }
  return { ...rule, file };
}

function ruleFiles(dir: string): string[] {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new RuleFileError(`${displayPath(dir)}: not a directory of rule files`);
    entries = readdirSync(dir);
  } catch (err) {
    if (err instanceof RuleFileError) throw err;
    throw new RuleFileError(`${displayPath(dir)}: cannot read rule directory (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return entries
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * A rule is a page of YAML; the largest built-in one is 14 KiB. The bound also bounds what a
 * template can cost to render (an unclosed section is scanned to the end of the template).
 */
const MAX_RULE_FILE_BYTES = 64 * 1024;

/** `file:line` of a rule file's id, for messages about the id (a modeline may come first). */
function idAt(file: string, text: string): string {
  const at = text.search(/^id\s*:/m);
  return `${displayPath(file)}:${at < 0 ? 1 : text.slice(0, at).split('\n').length}`;
}

/**
 * Load every rule in the given directories; ids must be unique across all of them and must not be
 * one of `reserved` (the built-in ids: a user rule never replaces a built-in one).
 */
export function loadRuleDirs(dirs: string[], reserved: ReadonlySet<string> = new Set()): LoadedRule[] {
  const rules: LoadedRule[] = [];
  const seen = new Map<string, string>();
  for (const dir of dirs) {
    for (const file of ruleFiles(dir)) {
      let text: string;
      try {
        // A link in a pull request can point a rule file at /dev/zero or a FIFO: never read those.
        const st = statSync(file);
        if (!st.isFile()) throw new RuleFileError(`${displayPath(file)}: not a regular file; a rule file is a YAML file (not a device, FIFO or directory)`);
        if (st.size > MAX_RULE_FILE_BYTES) throw new RuleFileError(`${displayPath(file)}: ${st.size} bytes is too large for a rule file (at most 64 KiB)`);
        text = readFileSync(file, 'utf8');
      } catch (err) {
        if (err instanceof RuleFileError) throw err;
        throw new RuleFileError(`${displayPath(file)}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      const rule = parseRuleFile(text, file);
      if (reserved.has(rule.id)) {
        throw new RuleFileError(`${idAt(file, text)}: id: '${rule.id}' is a built-in rule id; choose another, and rename the file to match`);
      }
      const earlier = seen.get(rule.id);
      if (earlier) {
        throw new RuleFileError(`${idAt(file, text)}: id: '${rule.id}' is already defined in ${displayPath(earlier)}; rename one of them (the file name must match the id)`);
      }
      seen.set(rule.id, file);
      rules.push(rule);
    }
  }
  return rules;
}

