// The default command: read files or stdin, diagnose, print the report, exit with the gate's code.
import { scan } from '../index.js';
import { resolveSources } from '../input/sources.js';
import { renderJson } from '../report/json.js';
import { renderText } from '../report/text.js';
import type { FailOn } from '../types.js';
import type { Lang } from '../engine/code.js';
import { colorLevel } from './color.js';

export interface ScanFlags {
  format: 'text' | 'json';
  failOn: FailOn;
  lang?: Lang;
  rules: string[];
  color?: boolean;
}

export async function runScan(files: string[], flags: ScanFlags): Promise<number> {
  const sources = resolveSources(files);
  // Someone pasting into a terminal is telling us the error came from Claude.
  const pasting = files.length === 0 && Boolean(process.stdin.isTTY);
  if (pasting) process.stderr.write('Paste the error, then press Ctrl-D on an empty line (Ctrl-Z then Enter on Windows).\n');
  const report = await scan(sources, { failOn: flags.failOn, ruleDirs: flags.rules, presumeClaude: pasting, ...(flags.lang ? { lang: flags.lang } : {}) });
  const out =
    flags.format === 'json'
      ? renderJson(report)
      : renderText(report, {
          colorLevel: colorLevel(flags.color, process.stdout),
          width: Math.min(process.stdout.columns || 100, 120),
          failOn: flags.failOn,
        });
  process.stdout.write(out);
  return report.exitCode;
}
