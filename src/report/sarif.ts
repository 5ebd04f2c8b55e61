// `--format sarif`: SARIF 2.1.0, with each rule's help text and docs, and results with locations.
import type { FailOn, Finding, Report } from '../types.js';
import { VERSION } from './version.js';
import { failsGate } from './build.js';

export function renderSarif(report: Report, failOn: FailOn): string {
  const ruleIds = [...new Set(report.findings.map((f) => f.rule ?? 'unrecognised'))];
  const first = (id: string) => report.findings.find((f) => (f.rule ?? 'unrecognised') === id)!;
  const rules = ruleIds.map((id) => {
    const f = first(id);
    return {
      id,
      name: id.replace(/(^|-)(\w)/g, (_m, _d, ch: string) => ch.toUpperCase()),
      shortDescription: { text: f.title },
      fullDescription: { text: f.cause },
      help: { text: f.fix.map((s, i) => `${i + 1}. ${s}`).join('\n'), markdown: f.fix.map((s, i) => `${i + 1}. ${s}`).join('\n') },
      ...(f.docs[0] ? { helpUri: f.docs[0] } : {}),
      properties: { category: f.category ?? 'unrecognised', tags: ['claude-api', f.category ?? 'unrecognised'] },
    };
  });
  const level = (f: Finding) => (failsGate(f, failOn) ? 'error' : f.category === 'server' ? 'note' : 'warning');
  const results = report.findings.flatMap((f) =>
    f.occurrences.map((o) => ({
      ruleId: f.rule ?? 'unrecognised',
      ruleIndex: ruleIds.indexOf(f.rule ?? 'unrecognised'),
      level: level(f),
      message: { text: `${f.title}: ${f.cause}${o.requestId ? ` (request id ${o.requestId})` : ''}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: o.source }, region: { startLine: o.line, endLine: o.endLine } } }],
      partialFingerprints: { 'claudeDoctor/v1': `${f.rule ?? 'unrecognised'}:${o.requestId ?? `${o.source}:${o.line}`}` },
    })),
  );
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'claude-doctor', version: VERSION, informationUri: 'https://github.com/claude-doctor/claude-doctor', rules } }, results }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
