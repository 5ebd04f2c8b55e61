// Assembles the Report value from findings: summary counts and the exit code the gate decides.
import type { FailOn, Finding, Report } from '../types.js';

export function exitCodeFor(findings: Finding[], failOn: FailOn): 0 | 1 {
  if (failOn === 'never') return 0;
  if (failOn === 'any') return findings.length > 0 ? 1 : 0;
  return findings.some((f) => !f.recognised) ? 1 : 0;
}

/** Findings that trip the gate, for renderers that mark them. */
export function failsGate(f: Finding, failOn: FailOn): boolean {
  return failOn === 'any' || (failOn === 'unknown' && !f.recognised);
}

export function buildReport(findings: Finding[], failOn: FailOn, warnings: string[] = []): Report {
  const events = findings.reduce((n, f) => n + f.count, 0);
  const unrecognised = findings.filter((f) => !f.recognised).reduce((n, f) => n + f.count, 0);
  // Unrecognised first: they are what nobody has explained yet.
  const ordered = [...findings].sort((a, b) => Number(a.recognised) - Number(b.recognised));
  return {
    findings: ordered,
    summary: { events, findings: findings.length, recognised: events - unrecognised, unrecognised },
    exitCode: exitCodeFor(findings, failOn),
    warnings,
  };
}
