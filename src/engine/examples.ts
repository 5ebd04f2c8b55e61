// Runs every rule's examples against the whole rule set, the way ESLint's RuleTester checks rules:
// a `match` example must be won by its rule, a `no-match` must not be, a `todo` is only reported.
import { FindingCollector } from './findings.js';
import { extractEventsSync } from '../extract/extract.js';
import { stringLines } from '../input/lines.js';
import type { RuleSet } from './ruleset.js';

export interface ExampleResult {
  rule: string;
  kind: 'match' | 'no-match' | 'todo';
  index: number;
  ok: boolean;
  /** What happened instead, for a failure; for a todo, whether it now passes. */
  detail: string;
}

function winners(set: RuleSet, text: string): { rules: string[]; unresolved: string[] } {
  const collector = new FindingCollector(set.compiled);
  for (const e of extractEventsSync(stringLines(text, 'example'))) collector.add(e);
  const findings = collector.findings();
  return { rules: findings.map((f) => f.rule ?? 'unrecognised'), unresolved: collector.unresolved() };
}

function describe(rules: string[]): string {
  return rules.length === 0 ? 'no Claude error was found in it' : `it was diagnosed as ${rules.join(', ')}`;
}

export function testRuleExamples(set: RuleSet, only?: (id: string) => boolean): ExampleResult[] {
  const results: ExampleResult[] = [];
  for (const rule of set.rules) {
    if (only && !only(rule.id)) continue;
    rule.examples.match.forEach((text, index) => {
      const got = winners(set, text);
      const won = got.rules.includes(rule.id);
      const ok = won && got.unresolved.length === 0;
      const detail = !won ? describe(got.rules) : got.unresolved.length ? `template placeholders left unfilled: ${got.unresolved.join(', ')}` : '';
      results.push({ rule: rule.id, kind: 'match', index, ok, detail });
    });
    rule.examples['no-match'].forEach((text, index) => {
      const got = winners(set, text);
      const ok = !got.rules.includes(rule.id);
      results.push({ rule: rule.id, kind: 'no-match', index, ok, detail: ok ? '' : `the rule matched a near miss (${describe(got.rules)})` });
    });
    rule.examples.todo.forEach((text, index) => {
      const got = winners(set, text);
      const passes = got.rules.includes(rule.id);
      results.push({ rule: rule.id, kind: 'todo', index, ok: true, detail: passes ? 'now passes: move it to match' : describe(got.rules) });
    });
  }
  return results;
}
