// `--format junit`: one test case per finding; the ones that trip the gate are failures.
import type { FailOn, Report } from '../types.js';
import { failsGate } from './build.js';

const xml = (s: string) =>
  s
    // Characters XML 1.0 cannot hold at all.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

export function renderJunit(report: Report, failOn: FailOn): string {
  const failing = report.findings.filter((f) => failsGate(f, failOn));
  const cases = report.findings.map((f) => {
    const name = `${f.rule ?? 'unrecognised'}: ${f.title} (×${f.count})`;
    const where = f.occurrences.map((o) => `${o.source}:${o.line}${o.requestId ? ` ${o.requestId}` : ''}`).join('\n');
    // GitLab shows the body rather than the message attribute, so the body says everything.
    const body = `${f.cause}\n\nFix:\n${f.fix.map((s, i) => `${i + 1}. ${s}`).join('\n')}\n\nWhere:\n${where}`;
    const inner = failsGate(f, failOn) ? `<failure message="${xml(f.title)}" type="${xml(f.rule ?? 'unrecognised')}">${xml(body)}</failure>` : `<system-out>${xml(body)}</system-out>`;
    return `    <testcase classname="claude-doctor.${xml(f.category ?? 'unrecognised')}" name="${xml(name)}">${inner}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="claude-doctor" tests="${report.findings.length}" failures="${failing.length}">`,
    `  <testsuite name="Claude API errors" tests="${report.findings.length}" failures="${failing.length}" errors="0" skipped="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
