// The pipeline end to end: sources or text in, a Report out (input → extract → engine → report).
import { loadRuleSet, type RuleSet } from './engine/ruleset.js';
import { FindingCollector } from './engine/findings.js';
import { extractEvents, extractEventsSync } from './extract/extract.js';
import { stringLines } from './input/lines.js';
import { sourceCandidates, type InputError, type Source } from './input/sources.js';
import { buildReport } from './report/build.js';
import { attachCode, type Lang } from './engine/code.js';
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
  /** Retry code language: python, typescript, all, none; default: the input's own, else both. */
  lang?: Lang;
  /** Rule id → reason, from the config file: such findings are reported but never trip the gate. */
  ignore?: Map<string, string>;
  /**
   * scan(): a source that fails while being read is passed here and the scan goes on with the
   * rest, so what was read is still reported. Without it, the scan throws the InputError.
   */
  unreadable?: (err: InputError) => void;
}

function report(collector: FindingCollector, set: RuleSet, o: DiagnoseOptions): Report {
  const findings = collector.findings();
  for (const f of findings) if (f.rule && o.ignore?.has(f.rule)) f.ignored = o.ignore.get(f.rule)!;
  attachCode(findings, new Map(set.rules.map((r) => [r.id, r])), o.lang, collector.streamed);
  return buildReport(findings, o.failOn ?? 'unknown');
}

async function rulesFor(o: DiagnoseOptions): Promise<RuleSet> {
  return o.ruleSet ?? loadRuleSet({ ruleDirs: o.ruleDirs ?? [] });
}

/**
 * Below these sizes a second thread costs more than it saves: it starts late, and its V8 compiles
 * the scan's code again, on the cores both threads read on. Measured on this machine, a log with
 * an error on every tenth line pays that back from about 35 MB; one with an error in a thousand
 * lines, read ten times faster, only from about 200 MB (findCut tells them apart). Tests set both lower.
 */
function splitMinimums(): { any: number; sparse: number } {
  const set = Number(process.env.CLAUDE_DOCTOR_SPLIT_MIN_BYTES);
  return set ? { any: set, sparse: set } : { any: 32 << 20, sparse: 192 << 20 };
}

/**
 * Scan sources one after another, in batches of candidate lines; a large file in two halves at
 * once. Memory does not grow with input size.
 */
export async function scan(sources: Source[], o: DiagnoseOptions = {}): Promise<Report> {
  const set = await rulesFor(o);
  const collector = new FindingCollector(set.compiled);
  const options = { presumeClaude: o.presumeClaude ?? false };
  const minimum = splitMinimums();
  for (const source of sources) {
    // Only a large file is worth a second thread; the machinery for it loads for such files alone.
    const halves = source.file && source.file.size >= minimum.any ? await import('./halves.js') : undefined;
    const cut = halves ? await halves.planCut(source, minimum.sparse) : undefined;
    if (halves && cut !== undefined && source.file) {
      await halves.scanHalves({ ...source, file: source.file }, cut, collector, set, options, o.unreadable);
      continue;
    }
    for await (const batch of extractEvents(sourceCandidates([source], o.unreadable), options)) for (const e of batch) collector.add(e);
  }
  return report(collector, set, o);
}

/** Diagnose text already in memory: a paste, an error string. */
export async function diagnose(text: string, o: DiagnoseOptions & { source?: string } = {}): Promise<Report> {
  const set = await rulesFor(o);
  const collector = new FindingCollector(set.compiled);
  for (const event of extractEventsSync(stringLines(text, o.source ?? 'stdin'), { presumeClaude: o.presumeClaude ?? true })) collector.add(event);
  return report(collector, set, o);
}
