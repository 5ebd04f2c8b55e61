// The rules in force: the built-in set (precompiled to JSON at build time) plus any user directories.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileRule, type CompiledRule } from './compile.js';
import { knownLiterals } from './literal.js';
import type { LoadedRule } from './load.js';

export const BUILTIN_RULES_DIR = fileURLToPath(new URL('../../rules', import.meta.url));
const BUILTIN_JSON = fileURLToPath(new URL('../builtin-rules.json', import.meta.url));

export interface RuleSet {
  rules: LoadedRule[];
  compiled: CompiledRule[];
  /** How many of the rules, from the first, are built in (trusted: see compile.ts). */
  builtin: number;
}

/** The rules compiled; the first `builtin` are the built-in ones. */
export function compileRules(rules: LoadedRule[], builtin: number): CompiledRule[] {
  return rules.map((r, i) => compileRule(r, i, i < builtin));
}

async function loadYaml(dirs: string[], reserved?: ReadonlySet<string>): Promise<LoadedRule[]> {
  // yaml and zod load only when rule files are actually read.
  const { loadRuleDirs } = await import('./load.js');
  return loadRuleDirs(dirs, reserved);
}

async function builtinRules(): Promise<LoadedRule[]> {
  if (!existsSync(BUILTIN_JSON)) return loadYaml([BUILTIN_RULES_DIR]);
  const built = JSON.parse(readFileSync(BUILTIN_JSON, 'utf8')) as { rules: LoadedRule[]; literals: [string, string[] | null][] };
  knownLiterals(built.literals);
  return built.rules;
}

/** Built-in rules first, then user rules; a user rule may not reuse a built-in id. */
export async function loadRuleSet(options: { ruleDirs?: string[]; builtin?: boolean } = {}): Promise<RuleSet> {
  const builtin = options.builtin === false ? [] : await builtinRules();
  const rules = [...builtin];
  if (options.ruleDirs && options.ruleDirs.length > 0) {
    rules.push(...(await loadYaml(options.ruleDirs, new Set(builtin.map((r) => r.id)))));
  }
  // Built-in rules were checked in RE2 at build time; user rules run in RE2 (see compile.ts).
  return { rules, compiled: compileRules(rules, builtin.length), builtin: builtin.length };
}
