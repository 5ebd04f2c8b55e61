// Entry point: answers --version before loading anything else, then hands over to the program.
import { VERSION } from '../report/version.js';

const args = process.argv.slice(2);
const COMMANDS = new Set(['explain', 'probe', 'rules', 'help', '--help', '-h']);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  // A diagnosis is the usual run: its modules load while the program (commander) does, not after.
  if (!args.some((a) => COMMANDS.has(a))) void import('./scan.js').catch(() => undefined);
  // No top-level await: the bundle is CommonJS (src/cli/build-bundle.ts).
  void import('./program.js').then((program) => program.run());
}
