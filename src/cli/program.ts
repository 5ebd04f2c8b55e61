// The command line: parses flags with commander and hands off to one module per command.
// Only commander loads up front: each command's module (and with it the engine, the SDK, the
// prompts) loads when that command runs, so --help and --version start like bare node.
import { Command, CommanderError, Option } from 'commander';
import { FAIL_ON, FORMATS, LANGS, type FailOn } from '../types.js';
import { VERSION } from '../report/version.js';
import { EXIT, fail, writeError } from './errors.js';
import type { ProbeFlags } from './probe.js';
import type { ScanFlags } from './scan.js';

const EXAMPLES = `
Examples:
  $ claude-doctor                          paste an error in a terminal, then pick what next
  $ claude-doctor app.log worker.log       scan log files
  $ cat app.log | claude-doctor            scan a pipe (- also means stdin)
  $ claude-doctor ci.log --format json     machine-readable report
  $ claude-doctor ci.log --fail-on any     exit 1 on any Claude error
  $ claude-doctor rules list               every rule, with whose problem it is
  $ claude-doctor explain 529              what a status, error type or rule means
  $ claude-doctor probe                    is it me or them? live checks, then a verdict

Exit codes:
  0  nothing tripped the gate   1  the gate tripped (--fail-on)
  2  bad usage, unreadable input or invalid rule file   130  interrupted
`;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

// Commander's own error message, held back to be written redacted: it repeats the offending argument.
let commanderError = '';

function program(): Command {
  const p = new Command('claude-doctor')
    .description('Diagnose Claude API errors: what happened, whose problem it is, and what to do now.')
    .version(VERSION, '-V, --version')
    .argument('[files...]', 'log files to scan; - or nothing reads stdin')
    .addOption(new Option('-f, --format <format>', 'output format (default: github under GitHub Actions, else text)').choices([...FORMATS]))
    .addOption(
      new Option('--fail-on <when>', 'exit 1 when: unknown = an unrecognised Claude error, any = any Claude error, never')
        .choices([...FAIL_ON]),
    )
    .option('--config <file>', 'read options from this file (default: .claude-doctor.yml or package.json "claude-doctor", from here upward)')
    .option('--no-config', 'ignore config files')
    .addOption(new Option('--lang <language>', 'retry code language (default: the one the error came from, else both)').choices([...LANGS]))
    .option('--rules <dir>', 'also load rule files from DIR (repeatable)', collect, [])
    .option('--color', 'force colour')
    .option('--no-color', 'no colour (also: NO_COLOR=1, or when output is not a terminal)')
    .option('--no-interactive', 'never prompt, even in a terminal (also when CI is set)')
    .option('--follow', 'a live log: print each finding as soon as it is complete, the summary at the end or on Ctrl-C')
    .option('--probe', 'after the diagnosis, run the live probe and match error times against Anthropic incidents')
    .option('--status-url <url>', 'Statuspage base URL for --probe')
    .option('--allow-base-url', 'with --probe: send your key to a non-Anthropic ANTHROPIC_BASE_URL')
    .addHelpText('after', EXAMPLES)
    .showSuggestionAfterError()
    // `claude-doctor probe --format json`: options after a subcommand belong to it, not to the scan.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ outputError: (str) => (commanderError += `claude-doctor: ${str.replace(/^error: /, '')}`) })
    .action(async (files: string[], given: Omit<ScanFlags, 'failOn'> & { failOn?: FailOn; interactive: boolean; config?: string | false; follow?: boolean }) => {
      // Flags beat the config file, which beats the defaults.
      const { loadConfig } = await import('./config.js');
      const config = await loadConfig(typeof given.config === 'string' ? given.config : undefined, given.config !== false);
      const flags = {
        ...given,
        failOn: given.failOn ?? config?.failOn ?? 'unknown',
        rules: [...(config?.rules ?? []), ...given.rules],
        ...(config?.ignore.size ? { ignore: config.ignore } : {}),
      };
      const terminal = files.length === 0 && process.stdin.isTTY === true;
      if (terminal && flags.interactive && process.stdout.isTTY && !process.env.CI) {
        // The prompts load only here, so pipes and CI never pay for them.
        const { runInteractive } = await import('./interactive.js');
        process.exitCode = await runInteractive(flags);
        return;
      }
      if (terminal) {
        // Nothing to read and no one to ask: show how to use it rather than wait forever.
        p.outputHelp({ error: true });
        process.exitCode = EXIT.usage;
        return;
      }
      if (given.follow) {
        const { runFollow } = await import('./follow.js');
        const { resolveSources } = await import('../input/sources.js');
        process.exitCode = await runFollow(resolveSources(files), flags);
        return;
      }
      const { runScan } = await import('./scan.js');
      process.exitCode = await runScan(files, flags);
    });

  p.command('explain')
    .description("a rule's long form: by rule id (overloaded-error), HTTP status (529) or error type (rate_limit_error)")
    .argument('<what>', 'rule id, HTTP status or API error type')
    .option('--rules <dir>', 'also load rule files from DIR (repeatable)', collect, [])
    .option('--color', 'force colour')
    .option('--no-color', 'no colour')
    .exitOverride()
    .action(async (what: string, flags: { rules: string[]; color?: boolean }) => {
      const { runExplain } = await import('./explain.js');
      process.exitCode = await runExplain(what, flags);
    });

  p.command('probe')
    .description('live checks: configuration, DNS, TLS, the status page, the API (no tokens spent), the clock; then whose problem it is')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--status-url <url>', 'Statuspage base URL (default https://status.claude.com)')
    .option('--allow-base-url', 'send your key to a non-Anthropic ANTHROPIC_BASE_URL (a gateway you trust)')
    .option('--timeout <ms>', 'per-check timeout in milliseconds; the whole probe gets three times that', '5000')
    .option('--color', 'force colour')
    .option('--no-color', 'no colour')
    .exitOverride()
    .action(async (flags: ProbeFlags) => {
      const { runProbeCommand } = await import('./probe.js');
      process.exitCode = await runProbeCommand(flags);
    });

  const rules = p.command('rules').description('list the rules, or run their examples').exitOverride();
  rules
    .command('list')
    .description('list every rule with its category (whose problem it is)')
    .option('--rules <dir>', 'also load rule files from DIR (repeatable)', collect, [])
    .option('--json', 'as JSON')
    .option('--color', 'force colour')
    .option('--no-color', 'no colour')
    .exitOverride()
    .action(async (flags: { rules: string[]; json?: boolean; color?: boolean }) => {
      const { runRulesList } = await import('./rules.js');
      process.exitCode = await runRulesList(flags);
    });
  rules
    .command('test')
    .description("check every rule's examples: match must win, no-match must not (default: the built-in rules)")
    .argument('[dirs...]', 'rule directories to test, against the built-in rules')
    .option('--color', 'force colour')
    .option('--no-color', 'no colour')
    .exitOverride()
    .action(async (dirs: string[], flags: { color?: boolean }) => {
      const { runRulesTest } = await import('./rules.js');
      process.exitCode = await runRulesTest(dirs, flags);
    });
  return p;
}

process.on('SIGINT', () => process.exit(EXIT.interrupted));
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  // `claude-doctor big.log | head`: the reader left; that is not an error of ours.
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

/** Parse the command line and run what it asks for. */
export async function run(): Promise<void> {
  try {
    await program().parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      const fine = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help';
      if (commanderError) await writeError(commanderError);
      process.exit(fine ? EXIT.ok : EXIT.usage);
    }
    await fail(err);
  }
}
