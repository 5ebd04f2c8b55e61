// Every labelled sample of real pasted text in ../shared/corpus/dev is diagnosed as its label says.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diagnose, loadRuleSet } from '../src/index.js';

const DIR = fileURLToPath(new URL('../../shared/corpus/dev/', import.meta.url));
const present = existsSync(`${DIR}labels.jsonl`);

interface Label {
  file: string;
  type: string;
  status: number | null;
  count: number;
  request_id: string | null;
  notes: string;
}

/** Label type → rule id, as ../shared/corpus/README.md defines it. */
function ruleId(type: string): string {
  const special: Record<string, string> = { forbidden: 'request-forbidden', billing: 'billing-error', timeout: 'request-timeout' };
  return special[type] ?? type.replace(/_/g, '-');
}

function alsoTypes(notes: string): string[] {
  const m = /also: ([a-z_, ]+)/.exec(notes);
  return m ? m[1]!.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

const labels: Label[] = present
  ? readFileSync(`${DIR}labels.jsonl`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Label)
  : [];
const ruleSet = await loadRuleSet();
const known = new Set(ruleSet.rules.map((r) => r.id));

describe.skipIf(!present)('dev corpus', () => {
  it('has a label for every sample', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.txt'));
    expect(files.sort()).toEqual(labels.map((l) => l.file).sort());
  });

  for (const label of labels) {
    const text = () => readFileSync(`${DIR}${label.file}`, 'utf8');
    if (label.type === 'none') {
      it(`${label.file}: no Claude error (negative)`, async () => {
        const report = await diagnose(text(), { ruleSet, source: label.file, presumeClaude: false });
        expect(report.findings.map((f) => f.rule ?? 'unrecognised')).toEqual([]);
      });
      continue;
    }
    const expected = [label.type, ...alsoTypes(label.notes)].map(ruleId);
    const testable = expected.filter((id) => known.has(id));
    const pending = expected.filter((id) => !known.has(id));
    // Types whose rules are not written yet are listed as skipped, not silently passed.
    const title = `${label.file}: ${expected.join(' + ')}${label.request_id ? ` (${label.request_id})` : ''}`;
    it.skipIf(testable.length === 0)(title + (pending.length ? ` [pending rules: ${pending.join(', ')}]` : ''), async () => {
      const report = await diagnose(text(), { ruleSet, source: label.file, presumeClaude: false });
      const rules = report.findings.map((f) => f.rule ?? 'unrecognised');
      for (const id of testable) expect(rules, `findings for ${label.file}`).toContain(id);
      const primary = report.findings.find((f) => f.rule === ruleId(label.type));
      if (primary && label.request_id) {
        expect(primary.occurrences.map((o) => o.requestId)).toContain(label.request_id);
      }
      if (primary && label.request_id === null) {
        // Masked, truncated or foreign ids ("x", "req_011", Bedrock UUIDs) are not Anthropic request ids.
        expect(primary.occurrences.flatMap((o) => (o.requestId ? [o.requestId] : []))).toEqual([]);
      }
    });
  }
});
