// `--format github`: workflow-command annotations, escaped per the Actions toolkit, capped per level.
import type { FailOn, Finding, Report } from '../types.js';
import { failsGate } from './build.js';

/** Annotations GitHub shows per level in a step; past that they are dropped, so we say how many more. */
export const MAX_PER_LEVEL = 10;

// The toolkit's escaping (actions/toolkit packages/core/src/command.ts). With CR and LF escaped,
// nothing from a scanned log can start a line of its own, so it cannot become a workflow command.
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

type Level = 'error' | 'warning' | 'notice';

function level(f: Finding, failOn: FailOn): Level {
  if (!f.recognised || failsGate(f, failOn)) return 'error';
  return f.category === 'server' ? 'notice' : 'warning';
}

function command(l: Level, props: Record<string, string | number | undefined>, message: string): string {
  const p = Object.entries(props)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${l}${p ? ` ${p}` : ''}::${escapeData(message)}`;
}

export function renderGithub(report: Report, failOn: FailOn): string {
  const counts: Record<Level, number> = { error: 0, warning: 0, notice: 0 };
  const dropped: Record<Level, number> = { error: 0, warning: 0, notice: 0 };
  const out: string[] = [];
  for (const f of report.findings) {
    const l = level(f, failOn);
    for (const o of f.occurrences) {
      if (counts[l] >= MAX_PER_LEVEL) {
        dropped[l]++;
        continue;
      }
      counts[l]++;
      const file = o.source === 'stdin' ? undefined : o.source;
      const title = `claude-doctor ${f.rule ?? 'unrecognised'}: ${f.title}`;
      const message = `${f.cause}\nFix: ${f.fix[0] ?? ''}${o.requestId ? `\nRequest id: ${o.requestId}` : ''}`;
      out.push(command(l, { file, line: file ? o.line : undefined, endLine: file ? o.endLine : undefined, title }, message));
    }
    dropped[l] += Math.max(0, f.count - f.occurrences.length);
  }
  const more = Object.entries(dropped).filter(([, n]) => n > 0);
  if (more.length) out.push(command('notice', { title: 'claude-doctor' }, `${more.map(([l, n]) => `${n} more ${l}${n === 1 ? '' : 's'}`).join(', ')} not shown as annotations: see the job summary.`));
  const s = report.summary;
  out.push(`claude-doctor: ${s.events} Claude API errors in ${s.findings} findings, ${s.unrecognised} unrecognised; exit ${report.exitCode}`);
  return `${out.join('\n')}\n`;
}
