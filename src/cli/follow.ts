// `--follow`: a live log (`tail -f app.log | claude-doctor --follow`). Each finding is printed as
// soon as its error is complete; a repeat adds a count line instead of the whole diagnosis; the
// summary comes at the end of input or on Ctrl-C.
import { Chalk } from 'chalk';
import { loadRuleSet } from '../engine/ruleset.js';
import { FindingCollector } from '../engine/findings.js';
import { createExtractor } from '../extract/extract.js';
import { sourceLines, type Source } from '../input/sources.js';
import { buildReport } from '../report/build.js';
import { renderFinding } from '../report/text.js';
import type { ErrorEvent, FailOn } from '../types.js';
import { colorLevel } from './color.js';
import { EXIT } from './errors.js';

/** How long the input may pause before the error in progress counts as complete. */
const IDLE_MS = 200;

export async function runFollow(sources: Source[], flags: { failOn: FailOn; rules: string[]; color?: boolean; ignore?: Map<string, string> }): Promise<number> {
  const { compiled } = await loadRuleSet({ ruleDirs: flags.rules });
  const collector = new FindingCollector(compiled);
  const extractor = createExtractor();
  const c = new Chalk({ level: colorLevel(flags.color, process.stdout) });
  const text = { colorLevel: c.level as 0 | 1 | 2 | 3, width: Math.min(process.stdout.columns || 100, 120), failOn: flags.failOn };
  const out = process.stdout;

  const emit = (events: ErrorEvent[]) => {
    for (const e of events) {
      const f = collector.add(e);
      if (f.rule && flags.ignore?.has(f.rule)) f.ignored = flags.ignore.get(f.rule)!;
      if (f.count === 1) out.write(`${renderFinding(f, c, text)}\n\n`);
      else out.write(c.dim(`  ↻ ${f.rule ?? 'unrecognised'} again (×${f.count}), ${e.source}:${e.line}${e.requestId ? ` ${e.requestId}` : ''}\n`));
    }
  };
  const summary = () => {
    const report = buildReport(collector.findings(), flags.failOn);
    const s = report.summary;
    out.write(
      s.events === 0
        ? `${c.green('✓')} no Claude API error found\n`
        : `${s.events} Claude API error${s.events === 1 ? '' : 's'} in ${s.findings} finding${s.findings === 1 ? '' : 's'}, ${s.unrecognised} unrecognised · exit ${report.exitCode}\n`,
    );
    return report.exitCode;
  };
  process.removeAllListeners('SIGINT');
  process.on('SIGINT', () => {
    emit(extractor.end());
    summary();
    process.exit(EXIT.interrupted);
  });

  const lines = sourceLines(sources)[Symbol.asyncIterator]();
  let next = lines.next();
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<'idle'>((resolve) => (timer = setTimeout(() => resolve('idle'), IDLE_MS)));
    const got = await Promise.race([next, idle]);
    clearTimeout(timer);
    if (got === 'idle') {
      emit(extractor.idle());
      continue;
    }
    if (got.done) break;
    emit(extractor.line(got.value));
    next = lines.next();
  }
  emit(extractor.end());
  return summary();
}
