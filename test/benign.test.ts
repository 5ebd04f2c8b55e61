// A benign corpus (DESIGN §9): other vendors' look-alike errors and successful Claude logs.
// No rule may match them, and nothing may be reported as an unrecognised Claude error.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diagnose, loadRuleSet } from '../src/index.js';

const DIR = fileURLToPath(new URL('../fixtures/benign/', import.meta.url));
const ruleSet = await loadRuleSet();

describe('benign inputs', () => {
  it.each(readdirSync(DIR).sort())('%s has no Claude error', async (file) => {
    const report = await diagnose(readFileSync(DIR + file, 'utf8'), { ruleSet, presumeClaude: false, source: file });
    expect(report.findings.map((f) => `${f.rule ?? 'unrecognised'}: ${f.occurrences[0]?.excerpt}`)).toEqual([]);
  });
});
