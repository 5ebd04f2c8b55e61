// Fills `{{name}}` in a rule's cause and fix from the event and the rule's named regex groups.
import type { ErrorEvent } from '../types.js';
import type { Vars } from './compile.js';

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

const EVENT_FIELDS = ['status', 'type', 'message', 'errorCode', 'errorClass', 'code', 'platform', 'client', 'requestId', 'timestamp'] as const;

export function templateValues(event: ErrorEvent, vars: Vars): Record<string, string> {
  const values: Record<string, string> = {};
  for (const f of EVENT_FIELDS) {
    const v = event[f];
    if (v !== undefined) values[f] = String(v);
  }
  return { ...values, ...vars };
}

/** Render a template; a placeholder with no value shows as `<name>` so the gap is visible, not silent. */
export function render(template: string, values: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (_m, name: string) => values[name] ?? `<${name}>`).trim();
}

/** Placeholders a template uses that `values` cannot fill. */
export function unresolved(template: string, values: Record<string, string>): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((n) => values[n] === undefined);
}
