// Fills a rule's title, cause and fix from the event and the rule's named regex groups.
//
// `{{name}}` is a value; `{{#name}}…{{/name}}` is kept only when `name` has a value, and
// `{{^name}}…{{/name}}` only when it has none, so a rule can use a number when the message
// gave one and fall back to plain words when it did not.
import type { ErrorEvent } from '../types.js';
import type { Vars } from './compile.js';

const SECTION = /\{\{([#^])\s*([A-Za-z_]\w*)\s*\}\}([\s\S]*?)\{\{\/\s*\2\s*\}\}/g;
// `{{name}}`, arithmetic on numbers from the message (`{{limit - input}}`), or a filter:
// `{{epoch | localtime}}` shows a Unix time as a date and time in the user's own time zone.
const PLACEHOLDER = /\{\{\s*([A-Za-z_]\w*(?:\s*[-+]\s*(?:[A-Za-z_]\w*|\d+))*(?:\s*\|\s*localtime)?)\s*\}\}/g;
const TERM = /([-+])?\s*([A-Za-z_]\w*|\d+)/g;

const EVENT_FIELDS = ['status', 'type', 'message', 'errorCode', 'errorClass', 'code', 'platform', 'client', 'requestId', 'timestamp', 'customId'] as const;

export function templateValues(event: ErrorEvent, vars: Readonly<Vars>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const f of EVENT_FIELDS) {
    const v = event[f];
    if (v !== undefined && v !== '') values[f] = String(v);
  }
  for (const [k, v] of Object.entries(vars)) if (v !== '') values[k] = v;
  return values;
}

function sections(template: string, values: Record<string, string>): string {
  return template.replace(SECTION, (_m, kind: string, name: string, body: string) =>
    (values[name] !== undefined) === (kind === '#') ? sections(body, values) : '',
  );
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A Unix time (seconds or milliseconds) as `2025-06-14 20:00 (UTC+02:00)` in the local time zone. */
export function localTime(epoch: string): string | undefined {
  const n = Number(epoch);
  if (!Number.isFinite(n) || n <= 0) return undefined;
  const d = new Date(n > 1e12 ? n : n * 1000);
  const off = -d.getTimezoneOffset();
  const zone = `UTC${off >= 0 ? '+' : '-'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())} (${zone})`;
}

/** The value of a placeholder, or undefined when a name in it has no (numeric) value. */
function evaluate(expr: string, values: Record<string, string>): string | undefined {
  const filtered = /^(.*?)\s*\|\s*localtime$/.exec(expr);
  if (filtered) {
    const v = evaluate(filtered[1]!, values);
    return v === undefined ? undefined : localTime(v);
  }
  if (!/[-+]/.test(expr.replace(/^\s*[A-Za-z_]\w*\s*$/, ''))) return values[expr.trim()];
  let total = 0;
  for (const m of expr.matchAll(TERM)) {
    const raw = /^\d+$/.test(m[2]!) ? m[2]! : values[m[2]!]?.replace(/,/g, '');
    const n = raw === undefined ? NaN : Number(raw);
    if (!Number.isFinite(n)) return undefined;
    total += m[1] === '-' ? -n : n;
  }
  return String(total);
}

/** Render a template; a value that is missing shows as `<name>` so the gap is visible, never silent. */
export function render(template: string, values: Record<string, string>): string {
  return sections(template, values)
    .replace(PLACEHOLDER, (_m, expr: string) => evaluate(expr, values) ?? `<${expr.trim()}>`)
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}

/** Placeholders a template would leave unfilled with these values. */
export function unresolved(template: string, values: Record<string, string>): string[] {
  return [...sections(template, values).matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((e) => evaluate(e, values) === undefined);
}
