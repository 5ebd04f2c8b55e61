// Library API: everything the CLI does is reachable from here.
import { loadRuleSet, type RuleSet } from './engine/ruleset.js';
import { FindingCollector } from './engine/findings.js';
import { extractEvents, extractEventsSync } from './extract/extract.js';
import { stringLines } from './input/lines.js';
import { sourceLines, type Source } from './input/sources.js';
import { buildReport } from './report/build.js';
import type { FailOn, Report } from './types.js';

export interface DiagnoseOptions {
  failOn?: FailOn;
  /** Extra rule directories (`--rules`). */
  ruleDirs?: string[];
  /** A rule set already loaded, to reuse across calls. */
  ruleSet?: RuleSet;
  /**
   * Count `Connection error.`-style lines as Claude's without Claude context nearby (unless
   * another vendor is named). Defaults to false for scan() (logs) and true for diagnose() (a paste).
   */
  presumeClaude?: boolean;
}

async function rulesFor(o: DiagnoseOptions): Promise<RuleSet> {
  return o.ruleSet ?? loadRuleSet({ ruleDirs: o.ruleDirs ?? [] });
}

/** Scan sources as streams, line by line; memory does not grow with input size. */
export async function scan(sources: Source[], o: DiagnoseOptions = {}): Promise<Report> {
  const { compiled } = await rulesFor(o);
  const collector = new FindingCollector(compiled);
  for await (const event of extractEvents(sourceLines(sources), { presumeClaude: o.presumeClaude ?? false })) collector.add(event);
  return buildReport(collector.findings(), o.failOn ?? 'unknown');
}

/** Diagnose text already in memory: a paste, an error string. */
export async function diagnose(text: string, o: DiagnoseOptions & { source?: string } = {}): Promise<Report> {
  const { compiled } = await rulesFor(o);
  const collector = new FindingCollector(compiled);
  for (const event of extractEventsSync(stringLines(text, o.source ?? 'stdin'), { presumeClaude: o.presumeClaude ?? true })) collector.add(event);
  return buildReport(collector.findings(), o.failOn ?? 'unknown');
}

export { loadRuleSet } from './engine/ruleset.js';
export { renderJson } from './report/json.js';
export { renderText } from './report/text.js';
export { resolveSources, stdinSource } from './input/sources.js';
export { redact } from './input/redact.js';
export type { ErrorEvent, Finding, Report } from './types.js';
