// Build step: validate the built-in rules once and write them as JSON, so start-up needs no YAML or zod.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadRuleDirs, RuleFileError } from './load.js';
import { BUILTIN_RULES_DIR } from './ruleset.js';

const out = fileURLToPath(new URL('../builtin-rules.json', import.meta.url));
try {
  const rules = loadRuleDirs([BUILTIN_RULES_DIR]).map(({ file: _file, ...rule }) => ({ ...rule, file: `rules/${rule.id}.yaml` }));
  writeFileSync(out, JSON.stringify(rules));
  console.error(`built ${rules.length} rules`);
} catch (err) {
  console.error(err instanceof RuleFileError ? `claude-doctor: ${err.message}` : err);
  process.exit(2);
}
