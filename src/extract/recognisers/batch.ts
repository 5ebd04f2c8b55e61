// Message Batches results (.jsonl): `{"custom_id": …, "result": {"type": "errored" | "expired", …}}`.
// An errored result holds an API error body, which the body recogniser reads; this adds the
// custom_id and the outcome. An expired result has no body: it is an event of its own.
import { RANK, type Anchor } from '../anchor.js';
import { readValue } from '../values.js';

const RESULT = /(\\*["'])custom_id\1\s*:\s*(\\*["'][^"'\\]+\\*["'])[\s\S]{0,80}?\1result\1\s*:\s*\{\s*\1type\1\s*:\s*\1(errored|expired)\1/g;

export function recogniseBatch(text: string): Anchor[] {
  if (!text.includes('custom_id')) return [];
  const anchors: Anchor[] = [];
  RESULT.lastIndex = 0;
  for (let m = RESULT.exec(text); m; m = RESULT.exec(text)) {
    const id = readValue(text, m.index + m[0].indexOf(m[2]!))?.value;
    const outcome = m[3] as 'errored' | 'expired';
    const fields = { batchResult: outcome, ...(id ? { customId: id } : {}) };
    anchors.push(
      outcome === 'expired'
        ? { start: m.index, end: m.index + m[0].length, rank: RANK.wrapper, strength: 'strong', fields }
        : { start: m.index, end: m.index + m[0].length, rank: RANK.enrich, strength: 'enrich', fields },
    );
  }
  return anchors;
}
