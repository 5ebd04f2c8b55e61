// `api` and `clock`: one authenticated request that spends no tokens (GET /v1/models) through the
// real SDK, diagnosed with the same rules as a pasted error; clock skew from the answer's Date header.
import { inspect } from 'node:util';
import { diagnose } from '../pipeline.js';
import { redact } from '../input/redact.js';
import type { RuleSet } from '../engine/ruleset.js';
import type { Finding } from '../types.js';
import { isAnthropicHost } from './config.js';
import type { CheckResult } from './types.js';

export interface ApiOutcome {
  check: CheckResult;
  /** The server's Date header, for the clock check. */
  date?: string;
  finding?: Finding;
}

function pickHeaders(headers: Headers | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  headers?.forEach((v, k) => {
    if (k === 'request-id' || k === 'retry-after' || k.startsWith('anthropic-ratelimit-')) out[k] = v;
  });
  return out;
}

export async function checkApi(env: NodeJS.ProcessEnv, base: URL, allowBaseUrl: boolean, timeoutMs: number, rules: RuleSet): Promise<ApiOutcome> {
  const title = `API: GET ${base.origin}${base.pathname.replace(/\/$/, '')}/v1/models`;
  const apiKey = env.ANTHROPIC_API_KEY?.trim() || null;
  const authToken = env.ANTHROPIC_AUTH_TOKEN?.trim() || null;
  if (!apiKey && !authToken) {
    return { check: { id: 'api', title, status: 'skipped', detail: 'no ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN is set, so there is nothing to test' } };
  }
  if (!isAnthropicHost(base) && !allowBaseUrl) {
    return {
      check: {
        id: 'api',
        title,
        status: 'skipped',
        detail: `ANTHROPIC_BASE_URL points at ${base.host}, not Anthropic: your key is not sent there unless you pass --allow-base-url`,
      },
    };
  }
  const { default: Anthropic } = await import('@anthropic-ai/sdk');
  const client = new Anthropic({
    apiKey,
    authToken,
    baseURL: base.toString().replace(/\/$/, ''),
    maxRetries: 0,
    timeout: timeoutMs,
    // The credential never follows a redirect to another host.
    fetch: (url: string | URL | Request, init?: RequestInit) => fetch(url, { ...init, redirect: 'manual' }),
  });
  const started = Date.now();
  try {
    const { data, response } = await client.models.list({ limit: 1 }).withResponse();
    const ms = Date.now() - started;
    const headers = pickHeaders(response.headers);
    const limits = Object.entries(headers).filter(([k]) => k.startsWith('anthropic-ratelimit-'));
    const first = data.data[0]?.id;
    return {
      date: response.headers.get('date') ?? undefined,
      check: {
        id: 'api',
        title,
        status: 'ok',
        detail: [
          `200 in ${ms} ms`,
          headers['request-id'] ? `request-id ${headers['request-id']}` : '',
          first ? `first model: ${first}` : '',
          limits.length ? `rate limits: ${limits.map(([k, v]) => `${k.replace('anthropic-ratelimit-', '')}=${v}`).join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('; '),
        data: { latencyMs: ms, headers },
      },
    };
  } catch (err) {
    // The same rules as a pasted error decide what it means.
    const report = await diagnose(inspect(err, { depth: 4 }), { ruleSet: rules, presumeClaude: true, lang: 'none' });
    const finding = report.findings[0];
    const e = err as { status?: number; headers?: Headers };
    // A gateway's error message can echo the key it was sent.
    const what = finding ? `${finding.rule ?? 'unrecognised'}: ${finding.title}` : redact((err as Error).message);
    return {
      ...(e.headers?.get?.('date') ? { date: e.headers.get('date')! } : {}),
      ...(finding ? { finding } : {}),
      check: {
        id: 'api',
        title,
        status: 'fail',
        detail: `${e.status ?? 'no HTTP response'} after ${Date.now() - started} ms: ${what}`,
        ...(finding?.fix[0] ? { fix: finding.fix[0] } : {}),
        data: { rule: finding?.rule ?? null, category: finding?.category ?? null, headers: pickHeaders(e.headers) },
      },
    };
  }
}

export function checkClock(date: string | undefined): CheckResult {
  const title = 'Clock';
  const server = date ? Date.parse(date) : NaN;
  if (!Number.isFinite(server)) return { id: 'clock', title, status: 'skipped', detail: 'no Date header from the API to compare with' };
  const skew = Math.round((Date.now() - server) / 1000);
  const detail = `this machine is ${Math.abs(skew)} s ${skew >= 0 ? 'ahead of' : 'behind'} the API`;
  if (Math.abs(skew) <= 60) return { id: 'clock', title, status: 'ok', detail };
  return {
    id: 'clock',
    title,
    status: 'warn',
    detail,
    fix: 'Sync the clock (NTP): a skewed clock breaks TLS certificate checks, signed requests (Bedrock SigV4) and rate-limit reset times.',
  };
}
