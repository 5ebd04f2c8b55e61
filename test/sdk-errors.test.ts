// Errors raised by the real @anthropic-ai/sdk, against a local fake of the API, rendered the ways
// people paste them (console.error, String(err), err.stack), are diagnosed as the right rule.
// Nothing here leaves 127.0.0.1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { diagnose, loadRuleSet } from '../src/index.js';
import { closeAllFakeApis, closedPortUrl, startFakeApi, type FakeApi, type Script } from './helpers/fake-api.js';

const API_KEY = 'sk-ant-api03-test-0000000000000000000000000000000000000000-AAAAAAAA';
const MODEL = 'claude-sonnet-4-6';
const PARAMS = { model: MODEL, max_tokens: 64, messages: [{ role: 'user' as const, content: 'Hello, Claude' }] };
/** Generous for a local answer; the hang case uses HANG_TIMEOUT instead. */
const TIMEOUT = 10_000;
const HANG_TIMEOUT = 300;

type Call = 'create' | 'create-stream' | 'stream-final';
type Rendering = 'util.inspect' | 'String(err)' | 'err.stack';

const RENDER: Record<Rendering, (err: unknown) => string> = {
  // What console.error(err) prints.
  'util.inspect': (err) => inspect(err),
  'String(err)': (err) => String(err),
  'err.stack': (err) => (err instanceof Error ? (err.stack ?? '') : String(err)),
};
const RENDERINGS = Object.keys(RENDER) as Rendering[];

interface Case {
  /** Readable name, used in test titles. */
  name: string;
  /** The rule id it must be diagnosed as. */
  rule: string;
  /** The SDK error class expected, to prove the scenario really produced that error. */
  errorClass: string;
  setup:
    | { kind: 'server'; script: Script; call?: Call }
    | { kind: 'closed-port' }
    | { kind: 'no-credentials' };
  /**
   * Renderings whose text carries the request id the server sent. HTTP errors quote the body (with
   * `request_id`) in their message, so all three do; a mid-stream error's id is only in the 200
   * response's headers, which only util.inspect prints.
   */
  idIn?: Rendering[];
}

function httpError(
  label: string,
  status: number,
  type: string,
  message: string,
  rule: string,
  errorClass: string,
  headers?: Record<string, string>,
): Case {
  return {
    name: `${status} ${type}${label ? ` (${label})` : ''}`,
    rule,
    errorClass,
    setup: { kind: 'server', script: { kind: 'error', status, type, message, ...(headers ? { headers } : {}) } },
    idIn: RENDERINGS,
  };
}

const CASES: Case[] = [
  httpError('invalid list', 400, 'invalid_request_error', 'messages.0.content: Input should be a valid list', 'invalid-request-error', 'BadRequestError'),
  httpError('prompt is too long', 400, 'invalid_request_error', 'prompt is too long: 219898 tokens > 200000 maximum', 'prompt-too-long', 'BadRequestError'),
  httpError(
    'credit balance too low',
    400,
    'invalid_request_error',
    'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
    'billing-error',
    'BadRequestError',
  ),
  httpError('', 401, 'authentication_error', 'invalid x-api-key', 'authentication-error', 'AuthenticationError'),
  httpError(
    '',
    402,
    'billing_error',
    'Your organization has an unpaid invoice. Please update your payment method to continue.',
    'billing-error',
    'PaymentRequiredError',
  ),
  httpError(
    '',
    403,
    'permission_error',
    'Your API key does not have permission to use the specified resource.',
    'permission-error',
    'PermissionDeniedError',
  ),
  httpError('', 404, 'not_found_error', 'model: claude-3-5-sonnet-latest', 'not-found-error', 'NotFoundError'),
  httpError('', 413, 'request_too_large', 'Request exceeds the maximum size', 'request-too-large', 'ContentTooLargeError'),
  httpError(
    '',
    429,
    'rate_limit_error',
    "This request would exceed your organization's rate limit of 30,000 input tokens per minute " +
      `(org: 11111111-2222-3333-4444-555555555555, model: ${MODEL}). For details, refer to: ` +
      'https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. ' +
      'Please reduce the prompt length or the maximum tokens requested, or try again later. ' +
      'You may also contact sales at https://www.anthropic.com/contact-sales to discuss your options for a rate limit increase.',
    'rate-limit-error',
    'RateLimitError',
    { 'retry-after': '7' },
  ),
  httpError('', 500, 'api_error', 'Internal server error', 'api-error', 'InternalServerError'),
  httpError('', 504, 'timeout_error', 'Request timed out', 'timeout-error', 'GatewayTimeoutError'),
  httpError('', 529, 'overloaded_error', 'Overloaded', 'overloaded-error', 'OverloadedError'),
  {
    name: 'mid-stream overloaded_error (messages.create stream: true)',
    rule: 'overloaded-error',
    errorClass: 'APIError',
    setup: { kind: 'server', script: { kind: 'stream-error', type: 'overloaded_error', message: 'Overloaded' }, call: 'create-stream' },
    idIn: ['util.inspect'],
  },
  {
    name: 'mid-stream overloaded_error (messages.stream().finalMessage())',
    rule: 'overloaded-error',
    errorClass: 'APIError',
    setup: { kind: 'server', script: { kind: 'stream-error', type: 'overloaded_error', message: 'Overloaded' }, call: 'stream-final' },
    idIn: ['util.inspect'],
  },
  {
    name: 'server hangs, client timeout',
    rule: 'request-timeout',
    errorClass: 'APIConnectionTimeoutError',
    setup: { kind: 'server', script: { kind: 'hang' } },
  },
  {
    name: 'closed port',
    rule: 'connection-error',
    errorClass: 'APIConnectionError',
    setup: { kind: 'closed-port' },
  },
  {
    name: 'no credentials',
    rule: 'missing-api-key',
    errorClass: 'Error',
    setup: { kind: 'no-credentials' },
  },
];

async function callApi(client: Anthropic, call: Call): Promise<void> {
  switch (call) {
    case 'create':
      await client.messages.create(PARAMS);
      return;
    case 'create-stream': {
      const stream = await client.messages.create({ ...PARAMS, stream: true });
      for await (const _event of stream) {
        // drain until the error event throws
      }
      return;
    }
    case 'stream-final':
      await client.messages.stream(PARAMS).finalMessage();
      return;
  }
}

async function expectThrow(fn: () => Promise<void>): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected the SDK call to throw, but it succeeded');
}

/** Environment variables the SDK reads to find credentials; all unset for the no-credentials case. */
const CREDENTIAL_ENV = [
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'ANTHROPIC_PROFILE',
  'ANTHROPIC_CONFIG_DIR',
  'ANTHROPIC_FEDERATION_RULE_ID',
  'ANTHROPIC_ORGANIZATION_ID',
  'ANTHROPIC_IDENTITY_TOKEN',
  'ANTHROPIC_IDENTITY_TOKEN_FILE',
  'ANTHROPIC_CUSTOM_HEADERS',
];

/** Run `fn` with no credentials in the environment and an empty config dir (no profile to fall back on). */
async function withoutCredentials<T>(fn: () => Promise<T>): Promise<T> {
  const saved = new Map(CREDENTIAL_ENV.map((k) => [k, process.env[k]] as const));
  const configDir = mkdtempSync(join(tmpdir(), 'claude-doctor-sdk-'));
  try {
    for (const k of CREDENTIAL_ENV) delete process.env[k];
    process.env['ANTHROPIC_CONFIG_DIR'] = configDir;
    return await fn();
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(configDir, { recursive: true, force: true });
  }
}

interface Outcome {
  error: unknown;
  /** The request id the fake API answered with, if it answered. */
  requestId: string | undefined;
  /** Requests the fake API received, when there was one. */
  requests: number | undefined;
}

async function provoke(c: Case): Promise<Outcome> {
  const setup = c.setup;
  switch (setup.kind) {
    case 'server': {
      const api: FakeApi = await startFakeApi(setup.script);
      try {
        const client = new Anthropic({
          apiKey: API_KEY,
          baseURL: api.url,
          maxRetries: 0,
          timeout: setup.script.kind === 'hang' ? HANG_TIMEOUT : TIMEOUT,
        });
        const error = await expectThrow(() => callApi(client, setup.call ?? 'create'));
        return { error, requestId: api.requestId, requests: api.requests };
      } finally {
        await api.close();
      }
    }
    case 'closed-port': {
      const client = new Anthropic({ apiKey: API_KEY, baseURL: await closedPortUrl(), maxRetries: 0, timeout: TIMEOUT });
      return { error: await expectThrow(() => callApi(client, 'create')), requestId: undefined, requests: undefined };
    }
    case 'no-credentials': {
      // A live server, so that a request sent by mistake would be counted rather than refused.
      const api = await startFakeApi({ kind: 'error', status: 500, type: 'api_error', message: 'should not be reached' });
      try {
        const error = await withoutCredentials(async () => {
          const client = new Anthropic({ apiKey: null, authToken: null, baseURL: api.url, maxRetries: 0, timeout: TIMEOUT });
          return expectThrow(() => callApi(client, 'create'));
        });
        return { error, requestId: undefined, requests: api.requests };
      } finally {
        await api.close();
      }
    }
  }
}

const ruleSet = await loadRuleSet();

afterEach(async () => {
  await closeAllFakeApis();
});
afterAll(async () => {
  await closeAllFakeApis();
});

describe.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  let outcome: Outcome;

  beforeAll(async () => {
    outcome = await provoke(c);
  });

  it(`the SDK throws ${c.errorClass}`, () => {
    const err = outcome.error;
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe(c.errorClass);
    if (c.setup.kind === 'server') expect(outcome.requests).toBe(1);
    if (c.setup.kind === 'no-credentials') expect(outcome.requests).toBe(0);
  });

  it.each(RENDERINGS.map((r) => [`${c.name} via ${r} → ${c.rule}`, r] as const))('%s', async (_title, rendering) => {
    const text = RENDER[rendering](outcome.error);
    const expectedId = c.idIn?.includes(rendering) ? outcome.requestId : undefined;
    if (expectedId) expect(text, 'the rendering carries the request id').toContain(expectedId);

    const report = await diagnose(text, { ruleSet });
    const context = `rendered text:\n${text}\n\nreport:\n${JSON.stringify(report.findings, null, 2)}`;

    expect(report.findings.map((f) => f.rule), context).toEqual([c.rule]);
    const finding = report.findings[0]!;
    expect(finding.recognised, context).toBe(true);
    expect(finding.occurrences[0]?.requestId, context).toBe(expectedId);
  });
});
