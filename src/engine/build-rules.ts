// Build step: validate the built-in rules once and write them as JSON, so start-up needs no YAML or zod.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isRegex } from './compile.js';
import { literalEntries } from './literal.js';
import { loadRuleDirs, RuleFileError } from './load.js';
import { BUILTIN_RULES_DIR } from './ruleset.js';

const out = fileURLToPath(new URL('../builtin-rules.json', import.meta.url));
try {
  const rules = loadRuleDirs([BUILTIN_RULES_DIR]).map(({ file: _file, ...rule }) => ({ ...rule, file: `rules/${rule.id}.yaml` }));
  // Built-in regexes were just compiled in RE2; at run time they use V8's engine (compile.ts), so
  // they must compile there too. The text each cannot match without is read off its source now
  // rather than at every start.
  const regexes: { source: string; caseless: boolean }[] = [];
  for (const rule of rules) {
    for (const [i, alt] of rule.match.entries()) {
      for (const [field, c] of Object.entries(alt)) {
        if (!isRegex(c)) continue;
        try {
          new RegExp(c.regex.replace(/\(\?P</g, '(?<'), c.flags ?? '');
        } catch (err) {
          throw new RuleFileError(`rules/${rule.id}.yaml: match[${i}].${field}.regex: does not compile in V8 (${(err as Error).message})`);
        }
        regexes.push({ source: c.regex, caseless: c.flags === 'i' });
      }
    }
  }
  writeFileSync(out, JSON.stringify({ rules, literals: literalEntries(regexes) }));
  console.error(`built ${rules.length} rules`);
} catch (err) {
  console.error(err instanceof RuleFileError ? `claude-doctor: ${err.message}` : err);
  process.exit(2);
}
