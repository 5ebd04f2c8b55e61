// `claude-doctor rules list` and `claude-doctor rules test [DIR...]`.
import { resolve } from 'node:path';
import { Chalk } from 'chalk';
import { testRuleExamples } from '../engine/examples.js';
import { BUILTIN_RULES_DIR, loadRuleSet } from '../engine/ruleset.js';
import { WHOSE } from '../report/text.js';
import { colorLevel } from './color.js';

export async function runRulesList(flags: { rules: string[]; json?: boolean; color?: boolean }): Promise<number> {
  const set = await loadRuleSet({ ruleDirs: flags.rules });
  if (flags.json) {
    const rows = set.rules.map((r) => ({ id: r.id, title: r.title, category: r.category, retry: r.retry, file: r.file }));
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  const c = new Chalk({ level: colorLevel(flags.color, process.stdout) });
  const width = Math.max(...set.rules.map((r) => r.id.length));
  const catWidth = Math.max(...set.rules.map((r) => r.category.length));
  for (const r of set.rules) {
    process.stdout.write(`${c.bold(r.id.padEnd(width))}  ${c.dim(r.category.padEnd(catWidth))}  ${r.title}\n`);
  }
  process.stdout.write(c.dim(`\n${set.rules.length} rules. Category = whose problem it is: ${Object.entries(WHOSE).map(([k, v]) => `${k} (${v})`).join(', ')}.\n`));
  return 0;
}

export async function runRulesTest(dirs: string[], flags: { color?: boolean }): Promise<number> {
  const wanted = dirs.map((d) => resolve(d)).filter((d) => d !== resolve(BUILTIN_RULES_DIR));
  const set = await loadRuleSet({ ruleDirs: wanted });
  // With directories given, test their rules (against the built-ins too); otherwise the built-ins.
  const mine = new Set(set.rules.filter((r) => (wanted.length ? wanted.some((d) => resolve(r.file).startsWith(d)) : true)).map((r) => r.id));
  const results = testRuleExamples(set, (id) => mine.has(id));
  const c = new Chalk({ level: colorLevel(flags.color, process.stdout) });
  const failed = results.filter((r) => !r.ok);
  const todos = results.filter((r) => r.kind === 'todo');
  for (const id of mine) {
    const mineResults = results.filter((r) => r.rule === id);
    const bad = mineResults.filter((r) => !r.ok);
    const counts = `${mineResults.filter((r) => r.kind === 'match').length} match, ${mineResults.filter((r) => r.kind === 'no-match').length} no-match`;
    process.stdout.write(`${bad.length ? c.red('✗') : c.green('✓')} ${id} ${c.dim(counts)}\n`);
    for (const r of bad) process.stdout.write(`    ${r.kind}[${r.index}]: ${r.detail}\n`);
    for (const r of mineResults.filter((x) => x.kind === 'todo')) process.stdout.write(c.dim(`    todo[${r.index}]: ${r.detail}\n`));
  }
  const passed = results.filter((r) => r.ok && r.kind !== 'todo').length;
  process.stdout.write(`\n${passed} passed, ${failed.length} failed${todos.length ? `, ${todos.length} todo` : ''}\n`);
  return failed.length > 0 ? 1 : 0;
}
