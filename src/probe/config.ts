// `config`: which credentials and endpoints the SDKs would use, shown by kind and last 4 characters only.
import { accessSync, constants } from 'node:fs';
import { redact } from '../input/redact.js';
import type { CheckResult } from './types.js';

export const DEFAULT_BASE_URL = 'https://api.anthropic.com';

function kindOf(value: string): string {
  const m = /^sk-ant-([a-z]+)\d{2}-/.exec(value);
  if (m) return { api: 'API key', admin: 'Admin key (not for the Messages API)', oat: 'OAuth token', ort: 'OAuth refresh token' }[m[1]!] ?? `sk-ant-${m[1]} key`;
  return 'unrecognised format';
}

/** A credential as it may be shown: its kind and its last four characters, nothing more. */
export function describeCredential(value: string): string {
  return `${kindOf(value)} …${value.slice(-4)}`;
}

export function isAnthropicHost(url: URL): boolean {
  return url.hostname === 'api.anthropic.com' || url.hostname.endsWith('.anthropic.com');
}

export function checkConfig(env: NodeJS.ProcessEnv): CheckResult {
  const notes: string[] = [];
  const warnings: string[] = [];
  const key = env.ANTHROPIC_API_KEY?.trim();
  const token = env.ANTHROPIC_AUTH_TOKEN?.trim();
  const oauth = env.CLAUDE_CODE_OAUTH_TOKEN?.trim();
  if (key) notes.push(`ANTHROPIC_API_KEY: ${describeCredential(key)}`);
  if (token) notes.push(`ANTHROPIC_AUTH_TOKEN: ${describeCredential(token)}`);
  if (oauth) notes.push(`CLAUDE_CODE_OAUTH_TOKEN: ${describeCredential(oauth)}`);
  if (key && token) warnings.push('both ANTHROPIC_API_KEY and ANTHROPIC_AUTH_TOKEN are set: the SDKs use the API key');
  if (key && !key.startsWith('sk-ant-api')) warnings.push(`ANTHROPIC_API_KEY holds ${kindOf(key)}, not an API key`);
  if (!key && !token && !oauth) notes.push('no credential variable is set (ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN, CLAUDE_CODE_OAUTH_TOKEN)');
  if (env.CLAUDE_CODE_USE_BEDROCK) notes.push('CLAUDE_CODE_USE_BEDROCK is set: Claude Code calls Amazon Bedrock');
  if (env.CLAUDE_CODE_USE_VERTEX) notes.push('CLAUDE_CODE_USE_VERTEX is set: Claude Code calls Google Vertex AI');

  const rawBase = env.ANTHROPIC_BASE_URL?.trim();
  let base: URL | undefined;
  if (rawBase) {
    try {
      base = new URL(rawBase);
      notes.push(`ANTHROPIC_BASE_URL: ${redact(rawBase)}`);
      if (!isAnthropicHost(base)) {
        const loopback = /^(localhost|127\.|\[::1\])/.test(base.host);
        warnings.push(`ANTHROPIC_BASE_URL points at ${loopback ? 'this machine' : 'a host that is not Anthropic'} (${base.host}): a stale override is a classic cause of connection errors`);
      }
    } catch {
      warnings.push(`ANTHROPIC_BASE_URL is not a URL: ${redact(rawBase)}`);
    }
  }
  for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy']) {
    if (env[name]) notes.push(`${name}: ${redact(env[name]!)}`);
  }
  for (const name of ['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'REQUESTS_CA_BUNDLE']) {
    const file = env[name];
    if (!file) continue;
    try {
      accessSync(file, constants.R_OK);
      notes.push(`${name}: ${file}`);
    } catch {
      warnings.push(`${name} points at ${file}, which cannot be read: TLS through an inspecting proxy will fail`);
    }
  }
  return {
    id: 'config',
    title: 'Configuration',
    status: warnings.length ? 'warn' : 'ok',
    detail: [...warnings, ...notes].join('; '),
    ...(warnings.length ? { fix: 'Check the variables named above in the shell (and .env files) your program really runs with; unset stale overrides.' } : {}),
    data: { baseUrl: (base ?? new URL(DEFAULT_BASE_URL)).toString(), hasCredential: Boolean(key || token) },
  };
}
