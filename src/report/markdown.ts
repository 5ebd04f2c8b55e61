// `--format markdown` (and the GitHub step summary): one section per finding, a table of where.
import type { FailOn, Finding, Report } from '../types.js';
import { failsGate } from './build.js';
import { WHOSE } from './text.js';

/** Text from a scanned log, made inert in Markdown: no HTML, no links, no closing the code span. */
function inline(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|#!]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

function code(text: string): string {
  const fence = '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `${fence}text\n${text}\n${fence}`;
}

function section(f: Finding, failOn: FailOn): string {
  const mark = failsGate(f, failOn) ? '❌' : f.recognised ? '⚠️' : '❓';
  const lines = [`### ${mark} \`${f.rule ?? 'unrecognised'}\`: ${inline(f.title)} (×${f.count})`, ''];
  lines.push(`**Whose problem:** ${f.category ? WHOSE[f.category] : 'unknown: no rule explains this error yet'}${f.retry ? ` · retry: ${f.retry}` : ''}`, '');
  lines.push(`**Cause:** ${inline(f.cause)}`, '');
  lines.push('**Fix:**', ...f.fix.map((s, i) => `${i + 1}. ${inline(s)}`), '');
  lines.push('| where | request id |', '|---|---|');
  for (const o of f.occurrences.slice(0, 20)) lines.push(`| ${inline(`${o.source}:${o.line}`)} | ${o.requestId ? `\`${o.requestId}\`` : ''} |`);
  if (f.count > 20) lines.push(`| … ${f.count - 20} more | |`);
  lines.push('');
  if (!f.recognised && f.occurrences[0]) lines.push(code(f.occurrences[0].excerpt), '');
  if (f.docs.length) lines.push(`Docs: ${f.docs.map((d) => `<${d}>`).join(' · ')}`, '');
  return lines.join('\n');
}

export function renderMarkdown(report: Report, failOn: FailOn): string {
  const s = report.summary;
  if (report.findings.length === 0) return '## claude-doctor\n\n✅ No Claude API error found.\n';
  const head = [
    '## claude-doctor',
    '',
    `${s.events} Claude API error${s.events === 1 ? '' : 's'} in ${s.findings} finding${s.findings === 1 ? '' : 's'}, ${s.unrecognised} unrecognised. ${report.exitCode === 1 ? `**The gate tripped** (\`--fail-on ${failOn}\`).` : 'The gate passed.'}`,
    '',
  ];
  return `${[...head, ...report.findings.map((f) => section(f, failOn))].join('\n')}\n`;
}
