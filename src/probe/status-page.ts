// `status-page`: Anthropic's Statuspage (v2 JSON). No credential is ever sent here.
import type { CheckResult } from './types.js';

export const DEFAULT_STATUS_URL = 'https://status.claude.com';

interface Summary {
  status?: { indicator?: string; description?: string };
  components?: { id?: string; name?: string; status?: string }[];
  incidents?: { name?: string; status?: string; impact?: string; shortlink?: string }[];
}

export interface Incident {
  name: string;
  status: string;
  impact: string;
  link?: string;
  start: number;
  end?: number;
}

async function getJson(url: string, timeoutMs: number): Promise<unknown> {
  // A plain fetch: no headers of ours, no credential, nothing that identifies the user.
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  if (!res.ok) throw new Error(`HTTP ${res.status} from ${url}`);
  return res.json();
}

export async function checkStatusPage(statusUrl: string, timeoutMs: number): Promise<CheckResult> {
  const title = 'Status page';
  const url = `${statusUrl.replace(/\/+$/, '')}/api/v2/summary.json`;
  let summary: Summary;
  try {
    summary = (await getJson(url, timeoutMs)) as Summary;
  } catch (err) {
    const why = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (err as Error).message;
    return { id: 'status-page', title, status: 'error', detail: `could not read ${url}: ${why}`, fix: 'Could not check; open https://status.claude.com in a browser.' };
  }
  if (!summary || typeof summary !== 'object' || !summary.status) {
    return { id: 'status-page', title, status: 'error', detail: `${url} did not return Statuspage JSON`, fix: 'Could not check; open https://status.claude.com in a browser.' };
  }
  const indicator = summary.status.indicator ?? 'unknown';
  // Component names drift ("Claude API (api.anthropic.com)"), so match by substring.
  const api = (summary.components ?? []).find((c) => /\bAPI\b|api\.anthropic\.com/.test(c.name ?? ''));
  const open = (summary.incidents ?? []).filter((i) => i.status !== 'resolved' && i.status !== 'postmortem');
  const parts = [`${summary.status.description ?? indicator} (indicator: ${indicator})`];
  if (api) parts.push(`${api.name}: ${api.status}`);
  for (const i of open) parts.push(`incident: "${i.name}" (${i.status}, ${i.impact} impact)${i.shortlink ? ` ${i.shortlink}` : ''}`);
  const degraded = (api && api.status !== 'operational') || open.length > 0 || (indicator !== 'none' && indicator !== 'unknown');
  return {
    id: 'status-page',
    title,
    status: degraded ? 'warn' : 'ok',
    detail: parts.join('; '),
    ...(degraded ? { fix: 'Anthropic reports a problem: errors now are likely theirs; back off and watch https://status.claude.com.' } : {}),
    data: { indicator, apiStatus: api?.status, incidents: open.map((i) => i.name) },
  };
}

/** Recent incidents, for matching the times of errors in a log. */
export async function recentIncidents(statusUrl: string, timeoutMs: number): Promise<Incident[]> {
  const body = (await getJson(`${statusUrl.replace(/\/+$/, '')}/api/v2/incidents.json`, timeoutMs)) as {
    incidents?: { name?: string; status?: string; impact?: string; shortlink?: string; created_at?: string; started_at?: string; resolved_at?: string | null }[];
  };
  return (body.incidents ?? []).flatMap((i) => {
    const start = Date.parse(i.started_at ?? i.created_at ?? '');
    if (!Number.isFinite(start)) return [];
    const end = i.resolved_at ? Date.parse(i.resolved_at) : undefined;
    return [{ name: i.name ?? 'unnamed incident', status: i.status ?? 'unknown', impact: i.impact ?? 'unknown', ...(i.shortlink ? { link: i.shortlink } : {}), start, ...(end && Number.isFinite(end) ? { end } : {}) }];
  });
}
