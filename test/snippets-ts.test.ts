// The TypeScript retry snippets in rules/snippets/ are real programs: compile them against the real
// SDK's types, then run each against a local server that plays the API and fails the way the API does.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedApi, type ScriptedApi, type ScriptedApiOptions, type Step } from './helpers/fake-api-script.js';

const ROOT = join(import.meta.dirname, '..');
const SNIPPETS = join(ROOT, 'rules', 'snippets');
const OUT = join(ROOT, 'node_modules', '.cache', 'claude-doctor-snippets');
const IDS = readdirSync(SNIPPETS)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3));

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  api: ScriptedApi;
}

const apis = new Set<ScriptedApi>();
afterAll(async () => {
  await Promise.all([...apis].map((a) => a.close()));
});

/** Run a compiled snippet against a fresh scripted API; resolves when the child exits. */
async function run(id: string, opts: ScriptedApiOptions, env: Record<string, string> = {}): Promise<Run> {
  const api = await startScriptedApi(opts);
  apis.add(api);
  const child = spawn(process.execPath, [join(OUT, `${id}.js`)], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      ANTHROPIC_BASE_URL: api.url,
      ANTHROPIC_API_KEY: 'sk-ant-api03-test-0000000000000000000000000000000000000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (c, s) => resolve([c, s])),
  );
  clearTimeout(timer);
  await api.close();
  apis.delete(api);
  const result = { code, signal, stdout, stderr, api };
  if (process.env['SNIPPET_DEBUG']) console.log(`--- ${id}\n${explain(result)}`);
  return result;
}

/** What went on, for a failing assertion. */
function explain(r: Run): string {
  const paths = r.api.requests.map((q) => `${q.method} ${q.path}`).join(', ');
  return `exit ${r.code} signal ${r.signal}\nrequests: ${paths}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}

function fail(status: number, type: string, message: string, headers?: Record<string, string>): Step {
  return { kind: 'error', status, type, message, ...(headers ? { headers } : {}) };
}

/** The first two attempts fail with `step`, then the API answers. */
const twice = (step: Step): Step[] => [step, step, { kind: 'ok' }];

describe('TypeScript retry snippets', () => {
  beforeAll(() => {
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(SNIPPETS, 'tsconfig.json')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(tsc.status, `tsc failed on rules/snippets:\n${tsc.stdout}${tsc.stderr}`).toBe(0);
  }, 60_000);

  it('has the six snippets, each titled by its first comment line, with one MODEL constant', () => {
    expect(IDS.sort()).toEqual(
      ['batch-bulk', 'count-tokens-first', 'fail-fast-config', 'rate-limit-wait', 'stream-restart', 'transient-backoff'].sort(),
    );
    for (const id of IDS) {
      const src = readFileSync(join(SNIPPETS, `${id}.ts`), 'utf8');
      expect(src.split('\n')[0], id).toMatch(/^\/\/ \S/);
      expect(src, id).toContain("const MODEL = 'claude-sonnet-4-6';");
    }
  });

  describe.concurrent('transient errors: the first two attempts fail, then the call succeeds', () => {
    const cases: [string, string, Step][] = [
      ['transient-backoff', '529 overloaded_error', fail(529, 'overloaded_error', 'Overloaded')],
      ['transient-backoff', '500 api_error', fail(500, 'api_error', 'Internal server error')],
      ['transient-backoff', '503', fail(503, 'api_error', 'Service unavailable')],
      ['transient-backoff', '504 timeout_error', fail(504, 'timeout_error', 'Request timed out')],
      ['transient-backoff', 'closed connection', { kind: 'close' }],
      ['transient-backoff', '429 with retry-after: 1', fail(429, 'rate_limit_error', 'Rate limited', { 'retry-after': '1' })],
      ['rate-limit-wait', '429 with retry-after: 1', fail(429, 'rate_limit_error', 'Rate limited', { 'retry-after': '1' })],
      ['stream-restart', '529 overloaded_error before the stream', fail(529, 'overloaded_error', 'Overloaded')],
      ['stream-restart', 'event: error mid-stream', { kind: 'stream-error', type: 'overloaded_error', message: 'Overloaded' }],
      ['stream-restart', 'closed connection', { kind: 'close' }],
    ];
    it.each(cases)('%s recovers from %s', async (id, _name, step) => {
      const r = await run(id, { messages: twice(step) });
      expect(r.code, explain(r)).toBe(0);
      expect(r.api.messageRequests, explain(r)).toBeGreaterThanOrEqual(3);
      // Every failed HTTP attempt is logged with its request id, the SDK's silent retries included.
      if (step.kind === 'error' && id !== 'stream-restart') expect(r.stderr.match(/req_011C\w+/g), explain(r)).toHaveLength(2);
    }, 30_000);
  });

  describe.concurrent('errors a retry cannot fix: fail-fast-config stops after one Messages request', () => {
    const cases: [number, string, string][] = [
      [400, 'invalid_request_error', 'messages: roles must alternate between "user" and "assistant"'],
      [401, 'authentication_error', 'invalid x-api-key'],
      [403, 'permission_error', 'Your API key does not have permission to use the specified resource.'],
      [404, 'not_found_error', 'Not found'],
      [413, 'request_too_large', 'Request exceeds the maximum size'],
    ];
    it.each(cases)('%i %s', async (status, type, message) => {
      const r = await run('fail-fast-config', { messages: [fail(status, type, message)] });
      expect(r.code, explain(r)).toBe(1);
      expect(r.api.messageRequests, explain(r)).toBe(1);
      expect(r.stderr, explain(r)).toContain(String(status));
      expect(r.stderr, explain(r)).toMatch(/req_011C/);
    }, 30_000);

    it('exits 1 without a request when ANTHROPIC_API_KEY is empty', async () => {
      const r = await run('fail-fast-config', {}, { ANTHROPIC_API_KEY: '' });
      expect(r.code, explain(r)).toBe(1);
      expect(r.api.requests, explain(r)).toHaveLength(0);
      expect(r.stderr).toContain('ANTHROPIC_API_KEY');
    }, 30_000);

    it('succeeds when nothing is wrong', async () => {
      const r = await run('fail-fast-config', {});
      expect(r.code, explain(r)).toBe(0);
      expect(r.stdout).toContain('Hello');
    }, 30_000);
  });

  describe.concurrent('single cases', () => {
    it('rate-limit-wait does not retry a 429 enforced_spend_limit_reached', async () => {
      const step: Step = {
        kind: 'error',
        status: 429,
        type: 'rate_limit_error',
        message:
          'You have reached your API usage limits: your organization has crossed its monthly API usage threshold, set based on your organization\'s API tier. You will regain access on 2026-12-01 at 00:00 UTC.',
        errorCode: 'enforced_spend_limit_reached',
      };
      const r = await run('rate-limit-wait', { messages: [step] });
      expect(r.code, explain(r)).toBe(1);
      expect(r.api.messageRequests, explain(r)).toBe(1);
      expect(r.stderr).toContain('enforced_spend_limit_reached');
    }, 30_000);

    it('rate-limit-wait answers all three prompts', async () => {
      const r = await run('rate-limit-wait', {});
      expect(r.code, explain(r)).toBe(0);
      expect(r.api.messageRequests, explain(r)).toBe(3);
    }, 30_000);

    it('transient-backoff keeps going with its own backoff once the SDK has used up its retries', async () => {
      // retry-after-ms: 1 makes the SDK's five attempts quick; the sixth and seventh failures
      // happen inside the snippet's own loop.
      const overloaded = fail(529, 'overloaded_error', 'Overloaded', { 'retry-after-ms': '1' });
      const r = await run('transient-backoff', { messages: [...Array<Step>(7).fill(overloaded), { kind: 'ok' }] });
      expect(r.code, explain(r)).toBe(0);
      expect(r.api.messageRequests, explain(r)).toBe(8);
      expect(r.stderr, explain(r)).toMatch(/attempt 1 failed: 529 overloaded_error \(request-id req_011C/);
    }, 30_000);

    it('transient-backoff exits 1 at once on a 400', async () => {
      const r = await run('transient-backoff', { messages: [fail(400, 'invalid_request_error', 'max_tokens: Field required')] });
      expect(r.code, explain(r)).toBe(1);
      expect(r.api.messageRequests, explain(r)).toBe(1);
    }, 30_000);

    it('stream-restart restarts after message_start then event: error, and prints only the good text', async () => {
      const r = await run('stream-restart', {
        messages: [{ kind: 'stream-error', type: 'overloaded_error', message: 'Overloaded' }, { kind: 'ok' }],
      });
      expect(r.code, explain(r)).toBe(0);
      expect(r.api.messageRequests, explain(r)).toBe(2);
      expect(r.stdout.trim()).toBe('Hello');
      expect(r.api.requests.every((q) => q.path !== '/v1/messages' || (q.body as { stream?: boolean }).stream === true)).toBe(true);
    }, 30_000);

    it('count-tokens-first lowers max_tokens to what fits', async () => {
      const r = await run('count-tokens-first', { inputTokens: 199_000 });
      expect(r.code, explain(r)).toBe(0);
      const sent = r.api.requests.filter((q) => q.method === 'POST' && q.path === '/v1/messages');
      expect(sent, explain(r)).toHaveLength(1);
      const body = sent[0]!.body as { max_tokens: number };
      expect(body.max_tokens).toBeGreaterThan(0);
      expect(body.max_tokens).toBeLessThanOrEqual(1000);
      expect(r.api.requests.some((q) => q.path === '/v1/messages/count_tokens')).toBe(true);
    }, 30_000);

    it('count-tokens-first trims the oldest turns in pairs when the prompt is too long', async () => {
      const r = await run('count-tokens-first', { inputTokens: 199_900 });
      // 100 tokens of room is never enough here, so it trims everything it may and then gives up.
      expect(r.code, explain(r)).toBe(1);
      const counts = r.api.requests.filter((q) => q.path === '/v1/messages/count_tokens');
      const lengths = counts.map((q) => (q.body as { messages: unknown[] }).messages.length);
      expect(lengths).toEqual([5, 3, 1]);
      expect(r.api.messageRequests).toBe(0);
    }, 30_000);

    it('batch-bulk creates a batch, polls until it ends and prints results by custom_id', async () => {
      const r = await run('batch-bulk', { batchPollsInProgress: 1 });
      expect(r.code, explain(r)).toBe(0);
      expect(r.stdout).toMatch(/colour-1: succeeded/);
      expect(r.stdout).toMatch(/planet-1: errored: overloaded_error/);
      expect(r.api.requests.filter((q) => q.method === 'POST' && q.path === '/v1/messages/batches')).toHaveLength(1);
      expect(r.api.requests.some((q) => q.path.endsWith('/results'))).toBe(true);
    }, 30_000);
  });
});
