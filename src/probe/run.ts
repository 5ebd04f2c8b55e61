// Runs the checks in their fixed order within one overall deadline, then says whose problem it is.
import type { RuleSet } from '../engine/ruleset.js';
import { checkApi, checkClock } from './api.js';
import { checkConfig } from './config.js';
import { checkDns, checkTls } from './network.js';
import { checkStatusPage } from './status-page.js';
import type { CheckResult, ProbeOptions, ProbeReport, Verdict } from './types.js';

/** A check that outlives the deadline is reported as "could not check", never as a failure. */
async function bounded(work: Promise<CheckResult>, id: CheckResult['id'], title: string, ms: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ id, title, status: 'error', detail: `not finished within the probe's deadline (${ms} ms)` }), Math.max(0, ms));
  });
  try {
    return await Promise.race([work.catch((err: Error) => ({ id, title, status: 'error' as const, detail: `could not check: ${err.message}` })), late]);
  } finally {
    clearTimeout(timer);
  }
}

export function verdictFor(checks: CheckResult[]): Verdict {
  const by = (id: CheckResult['id']) => checks.find((c) => c.id === id);
  const status = by('status-page');
  const api = by('api');
  const net = [by('dns'), by('tls')].filter((c): c is CheckResult => c?.status === 'fail');
  const category = api?.data?.category as string | null | undefined;
  if (status?.status === 'warn' || (api?.status === 'fail' && category === 'server')) {
    return {
      side: 'anthropic',
      summary: "Anthropic's side: the status page reports a problem, or the API answered with a server error",
      evidence: [status?.status === 'warn' ? status.detail : '', api?.status === 'fail' && category === 'server' ? api.detail : ''].filter(Boolean),
    };
  }
  if (net.length > 0 || (api?.status === 'fail' && category === 'network')) {
    return { side: 'network', summary: 'your network: the API could not be reached from this machine', evidence: [...net.map((c) => `${c.title}: ${c.detail}`), api?.status === 'fail' ? api.detail : ''].filter(Boolean) };
  }
  if (api?.status === 'fail') {
    return { side: 'credentials-or-limits', summary: 'your credentials, limits or configuration: the API is up and answered, but refused this request', evidence: [api.detail] };
  }
  if (checks.some((c) => c.status === 'error')) {
    return { side: 'unknown', summary: 'could not tell: some checks could not run', evidence: checks.filter((c) => c.status === 'error').map((c) => `${c.title}: ${c.detail}`) };
  }
  return { side: 'all-clear', summary: 'all clear: the API is reachable and Anthropic reports no problem', evidence: checks.filter((c) => c.status === 'ok').map((c) => c.title) };
}

export async function runProbe(o: ProbeOptions, rules: RuleSet): Promise<ProbeReport> {
  const deadline = Date.now() + o.deadlineMs;
  const left = () => Math.min(o.timeoutMs, deadline - Date.now());
  const config = checkConfig(o.env);
  const base = new URL(String(config.data?.baseUrl));
  // DNS, TLS and the status page are independent: run them side by side.
  const [dns, tls, status] = await Promise.all([
    bounded(checkDns(base, left()), 'dns', `DNS: ${base.hostname}`, deadline - Date.now()),
    bounded(checkTls(base, left()), 'tls', `TLS: ${base.host}`, deadline - Date.now()),
    bounded(checkStatusPage(o.statusUrl, left()), 'status-page', 'Status page', deadline - Date.now()),
  ]);
  let date: string | undefined;
  const api = await bounded(
    checkApi(o.env, base, o.allowBaseUrl, Math.max(1, left()), rules).then((r) => {
      date = r.date;
      return r.check;
    }),
    'api',
    'API',
    deadline - Date.now(),
  );
  const clock = checkClock(date);
  const checks = [config, dns, tls, status, api, clock];
  return { checks, verdict: verdictFor(checks), exitCode: checks.some((c) => c.status === 'fail') ? 1 : 0 };
}
