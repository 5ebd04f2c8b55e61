// Renders the live probe as a doctor does: one line per check, the fix where one failed, the verdict.
import { Chalk } from 'chalk';
import type { CheckStatus, ProbeReport } from '../probe/types.js';
import { wrap } from './text.js';

const MARK: Record<CheckStatus, string> = { ok: '✓', warn: '!', fail: '✗', skipped: '-', error: '?' };

export function renderProbeText(report: ProbeReport, colorLevel: 0 | 1 | 2 | 3, width: number): string {
  const c = new Chalk({ level: colorLevel });
  const paint: Record<CheckStatus, (s: string) => string> = { ok: c.green, warn: c.yellow, fail: c.red, skipped: c.dim, error: c.magenta };
  const lines: string[] = [];
  for (const check of report.checks) {
    lines.push(`${paint[check.status](MARK[check.status])} ${c.bold(check.title)} ${c.dim(`(${check.status})`)}`);
    for (const l of wrap(check.detail, width, 4)) lines.push(`    ${l}`);
    if (check.fix && check.status !== 'ok') for (const [i, l] of wrap(check.fix, width, 9).entries()) lines.push(`${i === 0 ? '    fix: ' : '         '}${l}`);
  }
  const counted = report.checks.filter((x) => x.status !== 'skipped');
  const passed = counted.filter((x) => x.status === 'ok').length;
  lines.push('', `${passed}/${counted.length} checks passed · ${c.bold(`verdict: ${report.verdict.summary}`)}`);
  for (const e of report.verdict.evidence) for (const [i, l] of wrap(e, width, 4).entries()) lines.push(`${i === 0 ? '  - ' : '    '}${l}`);
  return `${lines.join('\n')}\n`;
}

export function renderProbeJson(report: ProbeReport): string {
  const doc = {
    schemaVersion: 1,
    checks: report.checks.map(({ id, title, status, detail, fix }) => ({ id, title, status, detail, ...(fix ? { fix } : {}) })),
    verdict: report.verdict,
    exitCode: report.exitCode,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
