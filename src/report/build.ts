// Assembles the Report value from findings: summary counts and the exit code the gate decides.
import type { FailOn, Finding, Report } from '../types.js';

/** Findings that trip the gate, for renderers that mark them. */
export function failsGate(f: Finding, failOn: FailOn): boolean {
  if (f.ignored !== undefined) return false;
  return failOn === 'any' || (failOn === 'unknown' && !f.recognised);
}

export function exitCodeFor(findings: Finding[], failOn: FailOn): 0 | 1 {
  return findings.some((f) => failsGate(f, failOn)) ? 1 : 0;
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
