// The default command: read files or stdin, diagnose, print the report, exit with the gate's code.
import { scan } from '../pipeline.js';
import { resolveSources } from '../input/sources.js';
import { appendFileSync } from 'node:fs';
import type { FailOn, Format, Report } from '../types.js';
import type { Lang } from '../engine/code.js';
import { colorLevel } from './color.js';
import { EXIT } from './errors.js';
import type { ProbeFlags } from './probe.js';


export interface ScanFlags extends Omit<ProbeFlags, 'format'> {
  probe?: boolean;
  format?: Format;
  failOn: FailOn;
  ignore?: Map<string, string>;
  lang?: Lang;
  rules: string[];
  color?: boolean;
}

// Each renderer loads only when its format is asked for: one pasted error should start fast.
async function render(report: Report, format: Format, flags: ScanFlags): Promise<string> {
  switch (format) {
    case 'json':
      return (await import('../report/json.js')).renderJson(report);
    case 'github':
      return (await import('../report/github.js')).renderGithub(report, flags.failOn);
    case 'markdown':
      return (await import('../report/markdown.js')).renderMarkdown(report, flags.failOn);
    case 'sarif':
      return (await import('../report/sarif.js')).renderSarif(report, flags.failOn);
    case 'junit':
      return (await import('../report/junit.js')).renderJunit(report, flags.failOn);
    default: {
      const { renderText } = await import('../report/text.js');
      return renderText(report, { colorLevel: colorLevel(flags.color, process.stdout), width: Math.min(process.stdout.columns || 100, 120), failOn: flags.failOn });
    }
  }
}

export async function runScan(files: string[], flags: ScanFlags): Promise<number> {
  const sources = resolveSources(files);
  const unreadable: string[] = [];
  const report = await scan(sources, {
    failOn: flags.failOn,
    ruleDirs: flags.rules,
    ...(flags.lang ? { lang: flags.lang } : {}),
    ...(flags.ignore ? { ignore: flags.ignore } : {}),
    unreadable: (err) => unreadable.push(err.message),
  });
  // In a GitHub Actions job, annotations are what people see; elsewhere, text.
  const format: Format = flags.format ?? (process.env.GITHUB_ACTIONS === 'true' ? 'github' : 'text');
  // A reader that leaves early (`| head`) ends the process from the EPIPE handler, with this code.
  const exitCode = unreadable.length > 0 ? EXIT.usage : report.exitCode;
  process.exitCode = exitCode;
  process.stdout.write(await render(report, format, flags));
  if (format === 'github' && process.env.GITHUB_STEP_SUMMARY) {
    // The full report, for what the annotation cap leaves out.
    appendFileSync(process.env.GITHUB_STEP_SUMMARY, (await import('../report/markdown.js')).renderMarkdown(report, flags.failOn));
  }
  // What could be read is reported above; an input that could not be is still a failed run.
  for (const message of unreadable) process.stderr.write(`claude-doctor: ${message}\n`);
  if (flags.probe) {
    const { probeAfterDiagnosis } = await import('./probe.js');
    const probed = await probeAfterDiagnosis(report.findings, { ...flags, format: 'text' });
    return Math.max(exitCode, probed);
  }
  return exitCode;
}
