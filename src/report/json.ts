// `--format json`: the DESIGN §6 document, one per run.
import type { Report } from '../types.js';
import type { ReportDocument } from './schema.js';
import { VERSION } from './version.js';

export function toDocument(report: Report): ReportDocument {
  return {
    schemaVersion: 1,
    tool: { name: 'claude-doctor', version: VERSION },
    findings: report.findings,
    summary: report.summary,
    exitCode: report.exitCode,
  };
}

export function renderJson(report: Report): string {
  return `${JSON.stringify(toDocument(report), null, 2)}\n`;
}
