// Matches the times of a log's errors against Anthropic's incident history: "is it them?"
import type { Finding } from '../types.js';
import type { Incident } from './status-page.js';

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** One sentence per finding with timestamps: the incidents that overlap its errors, or none. */
export function matchIncidents(findings: Finding[], incidents: Incident[]): string[] {
  const out: string[] = [];
  for (const f of findings) {
    const times = f.occurrences.map((o) => (o.timestamp ? Date.parse(o.timestamp.endsWith('Z') || /[+-]\d\d:?\d\d$/.test(o.timestamp) ? o.timestamp : `${o.timestamp}Z`) : NaN)).filter(Number.isFinite);
    if (times.length === 0) continue;
    const from = Math.min(...times);
    const to = Math.max(...times);
    const what = `${f.count} ${f.rule ?? 'unrecognised'} error${f.count === 1 ? '' : 's'} ${clock(from)}–${clock(to)} UTC`;
    const hits = incidents.filter((i) => i.start <= to && (i.end ?? Date.now()) >= from);
    if (hits.length === 0) out.push(`${what}: no Anthropic incident covers these times`);
    for (const i of hits) {
      out.push(`${what} ${f.count === 1 ? 'overlaps' : 'overlap'} the incident '${i.name}' (${clock(i.start)}–${i.end ? clock(i.end) : 'ongoing'}, ${i.status})${i.link ? ` ${i.link}` : ''}`);
    }
  }
  return out;
}
