// The leak test's data (issue 9): every kind of secret a user may paste, every form it is pasted
// in, each next to a Claude error, and a check that finds any usable piece of a secret in output.
import { inspect } from 'node:util';

// Seeded, so a failing case names the same secret on every run.
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const next = random(9);
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const pick = (n: number, chars: string) => Array.from({ length: n }, () => chars[Math.floor(next() * chars.length)]).join('');
const KEY_CHARS = `${ALNUM}-_`;
const B64 = `${ALNUM}+/`;
const B64URL = `${ALNUM}-_`;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const HEX = '0123456789abcdef';
const b64url = (s: string) => Buffer.from(s).toString('base64url');

export interface Kind {
  id: string;
  /** The field, header or keyword the secret travels under in a document. */
  name: string;
  /** Its value there (`Bearer …` under Authorization). */
  value: string;
  env: string;
  envValue: string;
  /** A request-dump line carrying it, where it travels in an HTTP request. */
  header?: string;
  /** The bare secret, for the URL forms; none where it has no place in a URL. */
  token?: string;
  /** Fixed length and alphabet: a copy cut by a terminal wrap can still be recognised. */
  fixedShape?: boolean;
  /** What must never be shown: no 8-character piece of these may appear in any output. */
  material: string[];
}

/** The kind prefix and the last four characters may be shown; everything between is material. */
const middle = (secret: string, prefix: number) => secret.slice(prefix, -4);

function anthropic(id: string, prefix: string, bodyLength: number, env: string, asBearer = false): Kind {
  const key = `${prefix}${pick(bodyLength - 2, KEY_CHARS)}${prefix.includes('api') || prefix.includes('admin') ? 'AA' : pick(2, KEY_CHARS)}`;
  return {
    id,
    name: asBearer ? 'Authorization' : 'x-api-key',
    value: asBearer ? `Bearer ${key}` : key,
    env,
    envValue: key,
    header: asBearer ? `Authorization: Bearer ${key}` : `x-api-key: ${key}`,
    token: key,
    fixedShape: true,
    material: [middle(key, prefix.length)],
  };
}

function awsKeyId(prefix: 'AKIA' | 'ASIA'): Kind {
  const id = `${prefix}${pick(16, BASE32)}`;
  return {
    id: `aws-${prefix.toLowerCase()}`,
    name: 'AccessKeyId',
    value: id,
    env: 'AWS_ACCESS_KEY_ID',
    envValue: id,
    header: `Authorization: AWS4-HMAC-SHA256 Credential=${id}/20260302/us-east-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${pick(64, HEX)}`,
    token: id,
    fixedShape: true,
    material: [middle(id, 4)],
  };
}

function privateKey(): Kind {
  // A 2048-bit RSA key in PKCS#8 is 1,218 bytes: 25 full lines of base64 and a short one.
  const body = `MIIEvQIBADANBgkqhkiG9w0BAQEFAASC${pick(1592, B64)}`;
  const lines = body.match(/.{1,64}/g)!;
  lines[lines.length - 1] = `${lines[lines.length - 1]!.slice(0, -2)}==`;
  const pem = `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n`;
  return { id: 'gcp-private-key', name: 'private_key', value: pem, env: 'GOOGLE_PRIVATE_KEY', envValue: pem, material: lines };
}

const jwt = `${b64url('{"alg":"RS256","kid":"3b1f0c","typ":"JWT"}')}.${b64url(`{"sub":"svc-claude","aud":"llm-gateway","exp":1772454000,"jti":"${pick(40, HEX)}"}`)}.${pick(342, B64URL)}`;
const gatewayKey = `sk-${pick(22, ALNUM)}`;
const proxyPassword = pick(18, ALNUM);
const basic = Buffer.from(`alice:${proxyPassword}`).toString('base64');
const awsSecret = pick(40, B64);
const sessionToken = `IQoJb3JpZ2luX2VjE${pick(700, B64)}`;
const googleKey = `AIza${pick(35, B64URL)}`;

export const KINDS: Kind[] = [
  anthropic('anthropic-api03', 'sk-ant-api03-', 95, 'ANTHROPIC_API_KEY'),
  anthropic('anthropic-admin01', 'sk-ant-admin01-', 95, 'ANTHROPIC_ADMIN_KEY'),
  anthropic('anthropic-oat01', 'sk-ant-oat01-', 95, 'CLAUDE_CODE_OAUTH_TOKEN', true),
  { ...anthropic('anthropic-ort01', 'sk-ant-ort01-', 95, 'CLAUDE_CODE_OAUTH_REFRESH_TOKEN'), name: 'refreshToken' },
  // A prefix no scanner knows yet: the catch-all must cover it.
  anthropic('anthropic-future', 'sk-ant-api04-', 95, 'ANTHROPIC_API_KEY'),
  {
    id: 'gateway-key',
    name: 'x-api-key',
    value: gatewayKey,
    env: 'ANTHROPIC_AUTH_TOKEN',
    envValue: gatewayKey,
    header: `x-api-key: ${gatewayKey}`,
    token: gatewayKey,
    material: [middle(gatewayKey, 3)],
  },
  { id: 'bearer-jwt', name: 'Authorization', value: `Bearer ${jwt}`, env: 'ANTHROPIC_AUTH_TOKEN', envValue: jwt, header: `Authorization: Bearer ${jwt}`, token: jwt, material: [middle(jwt, 0)] },
  {
    id: 'basic-auth',
    name: 'Proxy-Authorization',
    value: `Basic ${basic}`,
    env: 'PROXY_AUTHORIZATION',
    envValue: `Basic ${basic}`,
    header: `Proxy-Authorization: Basic ${basic}`,
    material: [middle(basic, 0), proxyPassword],
  },
  awsKeyId('AKIA'),
  awsKeyId('ASIA'),
  { id: 'aws-secret-key', name: 'SecretAccessKey', value: awsSecret, env: 'AWS_SECRET_ACCESS_KEY', envValue: awsSecret, token: awsSecret, fixedShape: true, material: [middle(awsSecret, 0)] },
  {
    id: 'aws-session-token',
    name: 'SessionToken',
    value: sessionToken,
    env: 'AWS_SESSION_TOKEN',
    envValue: sessionToken,
    header: `X-Amz-Security-Token: ${sessionToken}`,
    token: sessionToken,
    material: [middle(sessionToken, 0)],
  },
  privateKey(),
  {
    id: 'url-credentials',
    name: 'proxy',
    value: `http://alice:${proxyPassword}@proxy.corp.example:3128`,
    env: 'HTTPS_PROXY',
    envValue: `http://alice:${proxyPassword}@proxy.corp.example:3128`,
    material: [proxyPassword],
  },
  {
    id: 'url-query-key',
    name: 'url',
    value: `https://llm-gateway.corp.example/anthropic/v1/messages?key=${googleKey}`,
    env: 'ANTHROPIC_BASE_URL',
    envValue: `https://llm-gateway.corp.example/anthropic?key=${googleKey}`,
    material: [middle(googleKey, 4)],
  },
];

type Body = Record<string, unknown>;
export const REQUEST_529 = 'req_011CSecretMatrix529abcd';
const OVERLOADED: Body = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: REQUEST_529 };

/** An error no rule knows, one type per case, so each case is its own unrecognised finding with its own excerpt. */
function unknownError(caseId: string, message = 'the upstream refused the call'): Body {
  return { type: 'error', error: { type: `${caseId.replace(/-/g, '_')}_error`, message }, request_id: 'req_011CSecretMatrix418wxyz' };
}

/** Python's repr of a dict of dicts and strings, as `str(err)` prints a response body. */
export function pyRepr(v: unknown): string {
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  if (v && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  return String(v);
}

const json = (v: unknown) => JSON.stringify(v);
const inJson = (s: string) => JSON.stringify(s).slice(1, -1);
const LOG = (t: string, level: string, text: string) => `2026-03-02T10:15:${t}Z ${level.padEnd(5)} [worker-3] ${text}`;

/** Cut a line where a terminal of `width` columns wraps it. */
const hardWrap = (line: string, width: number) => line.match(new RegExp(`.{1,${width}}`, 'g'))!.join('\n');

interface Form {
  id: string;
  render(k: Kind, unknown: (message?: string) => Body): string | undefined;
}

export const FORMS: Form[] = [
  {
    id: 'log-line',
    render: (k, unk) =>
      [
        LOG('04.221', 'INFO', `calling Claude with ${k.name}=${k.value}`),
        LOG('04.998', 'ERROR', `anthropic request failed: 529 ${json(OVERLOADED)}`),
        LOG('05.340', 'ERROR', `anthropic request failed: 418 ${json(unk())} (sent ${k.name}: ${k.value})`),
      ].join('\n'),
  },
  {
    id: 'json-line',
    render: (k, unk) =>
      [
        json({ level: 'error', msg: 'anthropic request failed', status: 529, request: { headers: { [k.name]: k.value } }, error: OVERLOADED }),
        json({ level: 'error', msg: 'anthropic request failed', status: 418, request: { headers: { [k.name]: k.value } }, error: unk() }),
      ].join('\n'),
  },
  {
    id: 'json-pretty',
    render: (k, unk) => [JSON.stringify({ ...OVERLOADED, request: { [k.name]: k.value } }, null, 2), JSON.stringify({ ...unk(), request: { [k.name]: k.value } }, null, 2)].join('\n'),
  },
  {
    id: 'python-repr',
    render: (k, unk) =>
      [
        `DEBUG:anthropic._base_client:Request options: {'method': 'post', 'url': '/v1/messages', 'headers': ${pyRepr({ [k.name]: k.value })}, 'json_data': {'model': 'claude-sonnet-4-6', 'max_tokens': 1024}}`,
        `anthropic.InternalServerError: Error code: 529 - ${pyRepr(OVERLOADED)}`,
        `anthropic.APIStatusError: Error code: 418 - ${pyRepr({ ...unk(), request: { headers: { [k.name]: k.value } } })}`,
      ].join('\n'),
  },
  {
    id: 'json-in-json',
    render: (k, unk) => {
      const inner = json({ ...unk(), request: { headers: { [k.name]: k.value } } });
      const vertex = json({ error: { code: 418, message: inner, status: 'UNKNOWN' } });
      return [vertex, json({ log: vertex, stream: 'stderr' }), `anthropic request failed: 529 ${json(OVERLOADED)}`].join('\n');
    },
  },
  {
    id: 'curl-verbose',
    render: (k, unk) => {
      if (k.value.includes('\n')) return undefined;
      const request = k.header
        ? ['$ curl -v https://api.anthropic.com/v1/messages -H "content-type: application/json" -d @body.json', '> POST /v1/messages HTTP/2', '> Host: api.anthropic.com', `> ${k.header}`]
        : [`$ ${k.env}=${k.envValue} curl -v https://api.anthropic.com/v1/messages -d @body.json`, '> POST /v1/messages HTTP/2', '> Host: api.anthropic.com'];
      if (k.id === 'url-credentials') request.splice(1, 0, `* Uses proxy env variable HTTPS_PROXY == '${k.value}'`);
      const response = (status: number, body: Body) => [...request, '> anthropic-version: 2023-06-01', '>', `< HTTP/2 ${status}`, '< content-type: application/json', `< request-id: ${String(body.request_id)}`, '<', json(body)];
      return [...response(529, OVERLOADED), ...response(418, unk())].join('\n');
    },
  },
  { id: 'env-bare', render: (k, unk) => env(`${k.env}=${k.envValue.replace(/\n/g, '\\n')}`, unk) },
  { id: 'env-quoted', render: (k, unk) => env(`${k.env}="${k.envValue}"`, unk) },
  { id: 'env-export', render: (k, unk) => env(`export ${k.env}='${k.envValue}'`, unk) },
  { id: 'credentials-file', render: (k, unk) => (k.envValue.includes('\n') ? undefined : env(`[default]\n${k.env.toLowerCase()} = ${k.envValue}`, unk)) },
  {
    id: 'python-traceback',
    render: (k, unk) =>
      [
        'Traceback (most recent call last):',
        '  File "/srv/app/main.py", line 14, in <module>',
        `    client = anthropic.Anthropic(default_headers={${pyRepr(k.name)}: ${pyRepr(k.value)}})`,
        '  File "/srv/app/main.py", line 21, in <module>',
        '    reply = client.messages.create(model="claude-sonnet-4-6", max_tokens=1024, messages=history)',
        '            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  File "/srv/app/.venv/lib/python3.12/site-packages/anthropic/_base_client.py", line 1047, in request',
        '    raise self._make_status_error_from_response(err.response) from None',
        `anthropic.InternalServerError: Error code: 529 - ${pyRepr(OVERLOADED)}`,
        `anthropic.APIStatusError: Error code: 418 - ${pyRepr(unk(`rejected ${k.name}: ${k.value}`))}`,
      ].join('\n'),
  },
  {
    id: 'sdk-util-inspect',
    render: (k, unk) => [sdkError(529, OVERLOADED, k), sdkError(418, unk(), k)].join('\n'),
  },
  {
    id: 'claude-code',
    render: (k, unk) =>
      [
        `  ⎿  API Error: 529 ${json(OVERLOADED)} · Retrying in 2 seconds… (attempt 1/10)`,
        // Gateways (LiteLLM) echo the key they rejected in the error message.
        `  ⎿  API Error: 418 ${json(unk(`Authentication Error, Invalid proxy server token passed. Received ${k.name} = ${k.value}, Key Hash (Token) =${'e3b0c442'.repeat(8)}`))}`,
      ].join('\n'),
  },
  {
    id: 'pem-block',
    render: (k, unk) =>
      k.id !== 'gcp-private-key' ? undefined : ['$ cat /etc/vertex/key.pem', k.value.trimEnd(), '$ python vertex_job.py', `anthropic.InternalServerError: Error code: 529 - ${pyRepr(OVERLOADED)}`, `anthropic.APIStatusError: Error code: 418 - ${pyRepr(unk())}`].join('\n'),
  },
  {
    id: 'service-account-json',
    render: (k, unk) =>
      k.id !== 'gcp-private-key'
        ? undefined
        : [
            json({ type: 'service_account', project_id: 'vertex-prod', private_key_id: pick(40, HEX), private_key: k.value, client_email: 'claude@vertex-prod.iam.gserviceaccount.com', token_uri: 'https://oauth2.googleapis.com/token' }),
            json({ error: { code: 529, message: json(OVERLOADED), status: 'UNAVAILABLE' } }),
            `API Error: 418 ${json(unk())}`,
          ].join('\n'),
  },
  {
    id: 'url',
    render: (k, unk) =>
      !k.token || k.token.includes('\n')
        ? undefined
        : [
            `POST https://claude:${encodeURIComponent(k.token)}@llm-gateway.corp.example/v1/messages failed: 529 ${json(OVERLOADED)}`,
            `GET https://llm-gateway.corp.example/v1/models?beta=true&api_key=${encodeURIComponent(k.token)} failed: 418 ${json(unk())}`,
          ].join('\n'),
  },
  {
    // A terminal too narrow for the line cut the secret in two, inside its prefix.
    id: 'hard-wrap-prefix',
    render: (k, unk) => (k.fixedShape && k.token ? env(hardWrap(`export ${k.env}="${k.token}"`, `export ${k.env}="`.length + 5), unk) : undefined),
  },
  {
    // Glued to a word before it, where no word boundary sets it apart.
    id: 'glued-to-a-word',
    render: (k, unk) => (k.token ? env(`export ${k.env}="prod_${k.token}"`, unk) : undefined),
  },
  {
    // …inside its prefix, where the secret follows a dash (a label in front of it) rather than a quote.
    id: 'hard-wrap-after-dash',
    render: (k, unk) => (k.fixedShape && k.token ? env(hardWrap(`export ${k.env}="prod-${k.token}"`, `export ${k.env}="prod-`.length + 5), unk) : undefined),
  },
  {
    // …and in its middle.
    id: 'hard-wrap-middle',
    render: (k, unk) => (k.fixedShape && k.token ? env(hardWrap(`export ${k.env}="${k.token}"`, `export ${k.env}="`.length + Math.floor(k.token.length / 2)), unk) : undefined),
  },
  {
    // Claude Code's own wrap, rejoined by a copy with the indent left in (corpus 009).
    id: 'broken-wrap',
    render: (k, unk) => {
      if (!k.fixedShape || !k.token) return undefined;
      const cut = Math.floor(k.token.length * 0.6);
      return `  ⎿  API Error: 418 ${json(unk(`rejected ${k.env}=${k.token.slice(0, cut)}     ${k.token.slice(cut)}`))}\n  ⎿  API Error: 529 ${json(OVERLOADED)}`;
    },
  },
];

function env(assignment: string, unk: (message?: string) => Body): string {
  return [assignment, '$ python main.py', `anthropic.InternalServerError: Error code: 529 - ${pyRepr(OVERLOADED)}`, `anthropic.APIStatusError: Error code: 418 - ${pyRepr(unk())}`].join('\n');
}

/** What `console.error(err)` prints for an HTTP client error that carries its request config (axios and kin). */
function sdkError(status: number, body: Body, k: Kind): string {
  const err = new Error(`${status} ${json(body)}`);
  err.name = status === 529 ? 'InternalServerError' : 'APIError';
  err.stack = `${err.name}: ${err.message}\n    at APIError.generate (file:///srv/app/node_modules/@anthropic-ai/sdk/core/error.mjs:62:20)\n    at Anthropic.makeStatusError (file:///srv/app/node_modules/@anthropic-ai/sdk/client.mjs:160:32)\n    at Anthropic.makeRequest (file:///srv/app/node_modules/@anthropic-ai/sdk/client.mjs:331:30)`;
  Object.assign(err, {
    status,
    headers: { 'content-type': 'application/json', 'request-id': body.request_id },
    config: { method: 'post', url: 'https://api.anthropic.com/v1/messages', headers: { 'anthropic-version': '2023-06-01', [k.name]: k.value } },
    error: body,
  });
  return inspect(err, { depth: 4 });
}

export interface Case {
  id: string;
  kind: Kind;
  form: string;
  text: string;
}

export const CASES: Case[] = KINDS.flatMap((kind) =>
  FORMS.flatMap((form) => {
    const id = `${kind.id}-${form.id}`;
    const text = form.render(kind, (message) => unknownError(id, message));
    return text === undefined ? [] : [{ id, kind, form: form.id, text: `${text}\n` }];
  }),
);

/** Every usable piece of every secret: the 8-character windows of its material. */
const WINDOW = 8;
function windows(kinds: Kind[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const k of kinds) for (const m of k.material) for (let i = 0; i + WINDOW <= m.length; i++) out.set(m.slice(i, i + WINDOW), k.id);
  return out;
}
const ALL = windows(KINDS);

/**
 * The pieces of secrets that `output` shows, as `kind: …context…`. It is also read with the escapes a
 * format adds (Markdown's `\_`) undone and with its lines joined, so that an escaped copy, or the
 * two halves of a secret a wrap cut apart, are found too.
 */
export function leaks(output: string, kinds: Kind[] = KINDS): string[] {
  const wanted = kinds === KINDS ? ALL : windows(kinds);
  const found: string[] = [];
  for (const text of [output, output.replace(/\\/g, ''), output.replace(/\r?\n\s*/g, '')]) {
    // Overlapping pieces are one leak, shown once with some context.
    let last = -Infinity;
    for (let i = 0; i + WINDOW <= text.length; i++) {
      const kind = wanted.get(text.slice(i, i + WINDOW));
      if (!kind) continue;
      if (i > last + WINDOW) found.push(`${kind}: …${text.slice(Math.max(0, i - 30), i + 40)}…`);
      last = i;
    }
    if (found.length) break;
  }
  return found.slice(0, 10);
}
