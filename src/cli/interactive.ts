// `npx claude-doctor` in a terminal: paste an error, read the diagnosis, pick what to do next.
import { Chalk } from 'chalk';
import { diagnose } from '../pipeline.js';
import { loadRuleSet } from '../engine/ruleset.js';
import { renderText, retryCode } from '../report/text.js';
import type { CodeSample, FailOn, Report } from '../types.js';
import { colorLevel } from './color.js';
import { EXIT } from './errors.js';
import { runExplain } from './explain.js';
import { Interrupted, readPaste } from './paste.js';

const NAMES: Record<CodeSample['language'], string> = { python: 'Python', typescript: 'TypeScript' };

type Choice = { kind: 'code'; language: CodeSample['language'] } | { kind: 'explain'; rule: string } | { kind: 'probe' } | { kind: 'again' } | { kind: 'quit' };

function nextSteps(report: Report): { name: string; value: Choice }[] {
  const steps: { name: string; value: Choice }[] = [];
  const shown = new Set(report.findings.flatMap((f) => f.code.map((c) => c.language)));
  const withCode = report.findings.some((f) => f.recognised && f.code.length > 0);
  for (const language of ['typescript', 'python'] as const) {
    if (withCode && !shown.has(language)) steps.push({ name: `Show the retry code in ${NAMES[language]}`, value: { kind: 'code', language } });
  }
  for (const f of report.findings) if (f.rule) steps.push({ name: `Explain ${f.rule} in full`, value: { kind: 'explain', rule: f.rule } });
  steps.push(
    { name: 'Run the live probe: is it me or them?', value: { kind: 'probe' } },
    { name: 'Diagnose another error', value: { kind: 'again' } },
    { name: 'Quit', value: { kind: 'quit' } },
  );
  return steps;
}

export async function runInteractive(flags: { failOn: FailOn; rules: string[]; color?: boolean }): Promise<number> {
  const { select } = await import('@inquirer/prompts');
  const out = process.stdout;
  const c = new Chalk({ level: colorLevel(flags.color, out) });
  const ruleSet = await loadRuleSet({ ruleDirs: flags.rules });
  let exitCode = 0;
  for (;;) {
    out.write(`${c.bold('Paste the error')} ${c.dim('(finish with two empty lines or Ctrl-D; Ctrl-C quits). It stays on this machine.')}\n`);
    let text: string;
    try {
      text = await readPaste(process.stdin, out);
    } catch (err) {
      if (err instanceof Interrupted) return EXIT.interrupted;
      throw err;
    }
    const report = await diagnose(text, { ruleSet, failOn: flags.failOn, presumeClaude: true });
    exitCode = report.exitCode;
    out.write(`\n${renderText(report, { colorLevel: c.level as 0 | 1 | 2 | 3, width: Math.min(out.columns || 100, 120), failOn: flags.failOn })}\n`);
    for (;;) {
      let choice: Choice;
      try {
        choice = await select({ message: 'What next?', choices: nextSteps(report) });
      } catch (err) {
        if ((err as Error).name === 'ExitPromptError') return EXIT.interrupted;
        throw err;
      }
      if (choice.kind === 'quit') return exitCode;
      if (choice.kind === 'again') break;
      if (choice.kind === 'code') {
        // The same diagnosis with the other language's programs.
        const other = await diagnose(text, { ruleSet, failOn: flags.failOn, presumeClaude: true, lang: choice.language });
        out.write(`\n${retryCode(other.findings, c)}`);
      }
      if (choice.kind === 'probe') {
        const { probeAfterDiagnosis } = await import('./probe.js');
        await probeAfterDiagnosis(report.findings, { ...(flags.color !== undefined ? { color: flags.color } : {}) });
        out.write('\n');
      }
      if (choice.kind === 'explain') {
        await runExplain(choice.rule, { rules: flags.rules, ...(flags.color !== undefined ? { color: flags.color } : {}) });
        out.write('\n');
      }
    }
  }
}
