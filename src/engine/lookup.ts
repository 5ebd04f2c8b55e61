// Finds the rules a user means by an id, an HTTP status or an API error type (for `explain`).
import { closest } from './closest.js';
import type { LoadedRule } from './load.js';
import type { Condition } from './schema.js';

export interface Lookup {
  /** The rule to explain in full, when the query points at one. */
  rule?: LoadedRule;
  /** Other rules that also cover the query. */
  related: LoadedRule[];
}

function holds(condition: Condition | undefined, value: string | number): boolean {
  if (condition === undefined) return false;
  if (Array.isArray(condition)) return condition.some((c) => String(c) === String(value));
  if (typeof condition === 'object') return false;
  return String(condition) === String(value);
}

export function lookupRules(rules: LoadedRule[], query: string): Lookup {
  const q = query.trim();
  const byId = rules.find((r) => r.id === q);
  if (byId) return { rule: byId, related: [] };
  const field = /^\d{3}$/.test(q) ? 'status' : 'type';
  const covering = rules.filter((r) => r.match.some((alt) => holds(alt[field], q)));
  // The rule with a one-condition alternative on exactly this value is the general one.
  const general = covering.filter((r) => r.match.some((alt) => holds(alt[field], q) && Object.values(alt).filter((v) => v !== undefined).length === 1));
  const rule = general.length === 1 ? general[0] : covering.length === 1 ? covering[0] : undefined;
  return { ...(rule ? { rule } : {}), related: covering.filter((r) => r !== rule) };
}

/** The closest rule id, for "did you mean". */
export function closestId(rules: LoadedRule[], query: string): string | undefined {
  return closest(query.toLowerCase().replace(/_/g, '-'), rules.map((r) => r.id));
}
