// `claude-doctor probe`, and `--probe` after a diagnosis: is it me or them?
import { loadRuleSet } from '../engine/ruleset.js';
import { matchIncidents } from '../probe/incidents.js';
import { runProbe } from '../probe/run.js';
import { DEFAULT_STATUS_URL, recentIncidents } from '../probe/status-page.js';
import { renderProbeJson, renderProbeText } from '../report/probe.js';
import type { Finding } from '../types.js';
import { colorLevel } from './color.js';
import { UsageError } from './errors.js';

export interface ProbeFlags {
  statusUrl?: string;
  allowBaseUrl?: boolean;
  timeout?: string;
  format?: 'text' | 'json';
  color?: boolean;
  rules?: string[];
}

function options(flags: ProbeFlags) {
  const timeoutMs = flags.timeout === undefined ? 5000 : Number(flags.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new UsageError(`--timeout must be a positive number of milliseconds, not '${flags.timeout}'`);
  const statusUrl = flags.statusUrl ?? DEFAULT_STATUS_URL;
  try {
    new URL(statusUrl);
  } catch {
    throw new UsageError(`--status-url is not a URL: '${statusUrl}'`);
  }
  return { env: process.env, statusUrl, allowBaseUrl: Boolean(flags.allowBaseUrl), timeoutMs, deadlineMs: timeoutMs * 3 };
}

export async function runProbeCommand(flags: ProbeFlags): Promise<number> {
  const o = options(flags);
  const report = await runProbe(o, await loadRuleSet({ ruleDirs: flags.rules ?? [] }));
  process.stdout.write(flags.format === 'json' ? renderProbeJson(report) : renderProbeText(report, colorLevel(flags.color, process.stdout), Math.min(process.stdout.columns || 100, 120)));
  return report.exitCode;
}

/** After a diagnosis: the probe, then the findings' times against the incident history. */
export async function probeAfterDiagnosis(findings: Finding[], flags: ProbeFlags): Promise<number> {
  const o = options(flags);
  process.stdout.write('\nLive probe\n');
  const code = await runProbeCommand({ ...flags, format: 'text' });
  if (findings.some((f) => f.occurrences.some((x) => x.timestamp))) {
    try {
      const lines = matchIncidents(findings, await recentIncidents(o.statusUrl, o.timeoutMs));
      if (lines.length) process.stdout.write(`\nIncidents\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
    } catch (err) {
      process.stdout.write(`\nIncidents: could not read the incident history (${(err as Error).message})\n`);
    }
  }
  return code;
}
