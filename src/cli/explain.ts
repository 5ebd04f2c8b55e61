// `claude-doctor explain <rule-id | status | error.type>`: a rule's long form, with a worked example.
import { Chalk } from 'chalk';
import { diagnose } from '../pipeline.js';
import { closestId, lookupRules } from '../engine/lookup.js';
import { redact } from '../input/redact.js';
import { loadRuleSet } from '../engine/ruleset.js';
import type { Condition } from '../engine/schema.js';
import type { LoadedRule } from '../engine/load.js';
import { RETRY, WHOSE, wrap } from '../report/text.js';
import { colorLevel } from './color.js';
import { UsageError } from './errors.js';

function describeCondition(field: string, c: Condition): string {
  if (Array.isArray(c)) return `${field} is one of ${c.join(', ')}`;
  if (typeof c === 'object') return `${field} matches /${c.regex}/${c.flags ?? ''}`;
  return `${field} is ${String(c)}`;
}

export async function runExplain(query: string, flags: { rules: string[]; color?: boolean }): Promise<number> {
  const set = await loadRuleSet({ ruleDirs: flags.rules });
  const { rule, related } = lookupRules(set.rules, query);
  const c = new Chalk({ level: colorLevel(flags.color, process.stdout) });
  const out: string[] = [];
  const label = (l: string) => c.dim(l.padEnd(9));
  if (!rule && related.length === 0) {
    const near = closestId(set.rules, query);
    throw new UsageError(`no rule, status or error type called '${query}'${near ? ` (did you mean '${near}'?)` : ''}; see 'claude-doctor rules list'`);
  }
  if (rule) out.push(...(await longForm(rule, set, label, c)));
  if (related.length > 0) {
    out.push(rule ? '' : `${related.length} rules cover '${query}':`);
    if (rule) out.push(`Also for '${query}':`);
    for (const r of related) out.push(`  ${c.bold(r.id)}  ${c.dim(r.category)}  ${r.title.replace(/\s*\([^)]*\{\{[^)]*\)/g, '')}`);
    out.push(c.dim(`\nclaude-doctor explain <id> shows one in full.`));
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

async function longForm(rule: LoadedRule, set: Awaited<ReturnType<typeof loadRuleSet>>, label: (l: string) => string, c: InstanceType<typeof Chalk>): Promise<string[]> {
  const example = rule.examples.match[0]!;
  const report = await diagnose(example, { ruleSet: set });
  const f = report.findings.find((x) => x.rule === rule.id);
  const out = [`${c.bold(rule.id)}: ${f?.title ?? rule.title}`, ''];
  out.push(`${label('whose')}${WHOSE[rule.category]} (${rule.category})`);
  out.push(`${label('retry')}${RETRY[rule.retry]} (${rule.retry})`);
  out.push(`${label('matches')}${rule.match.map((alt) => Object.entries(alt).filter(([, v]) => v !== undefined).map(([k, v]) => describeCondition(k, v as Condition)).join(' and ')).join('\n' + ' '.repeat(9) + 'or ')}`);
  // A rule author may have pasted a log with its key in it; the example is input like any other.
  out.push('', c.dim('For example, this text:'), ...redact(example.trimEnd()).split('\n').map((l) => `  ${l}`), '', c.dim('is diagnosed as:'));
  const width = Math.min(process.stdout.columns || 100, 120);
  const indent = (first: string, text: string, hang = 0) =>
    wrap(text, width, 9 + hang).map((l, i) => (i === 0 ? first : ' '.repeat(9 + hang)) + l);
  if (f) {
    out.push(...indent(label('cause'), f.cause));
    f.fix.forEach((s, i) => out.push(...indent(`${i === 0 ? label('fix') : ' '.repeat(9)}`, `${i + 1}. ${s}`, 3)));
  }
  rule.docs.forEach((d, i) => out.push(`${i === 0 ? label('docs') : ' '.repeat(9)}${d}`));
  out.push(`${label('file')}${rule.file}`);
  return out;
}
