// The default command: read files or stdin, diagnose, print the report, exit with the gate's code.
import { scan } from '../index.js';
import { resolveSources } from '../input/sources.js';
import { renderJson } from '../report/json.js';
import { renderText } from '../report/text.js';
import type { FailOn } from '../types.js';
import type { Lang } from '../engine/code.js';
import { colorLevel } from './color.js';
import type { ProbeFlags } from './probe.js';

export interface ScanFlags extends ProbeFlags {
  probe?: boolean;
  format: 'text' | 'json';
  failOn: FailOn;
  lang?: Lang;
  rules: string[];
  color?: boolean;
}

export async function runScan(files: string[], flags: ScanFlags): Promise<number> {
  const sources = resolveSources(files);
  const report = await scan(sources, { failOn: flags.failOn, ruleDirs: flags.rules, ...(flags.lang ? { lang: flags.lang } : {}) });
  const out =
    flags.format === 'json'
      ? renderJson(report)
      : renderText(report, {
          colorLevel: colorLevel(flags.color, process.stdout),
          width: Math.min(process.stdout.columns || 100, 120),
          failOn: flags.failOn,
        });
  process.stdout.write(out);
  if (flags.probe) {
    const { probeAfterDiagnosis } = await import('./probe.js');
    const probed = await probeAfterDiagnosis(report.findings, { ...flags, format: 'text' });
    return Math.max(report.exitCode, probed);
  }
  return report.exitCode;
}
