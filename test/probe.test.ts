// The live probe, run as the real binary against local servers on 127.0.0.1 that play the status
// page and the API, and a local TLS server with a self-signed certificate. Nothing leaves this machine.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KEY = `sk-ant-api03-${'Pr0beK3y'.repeat(11)}xyAA`;
const servers: Server[] = [];
const sockets = new Set<import('node:net').Socket>();

/** Every request any status-page server received, across a test: none may carry a credential. */
const statusRequests: IncomingHttpHeaders[] = [];
const statusPage = (handler: Handler) => serve(handler, statusRequests);

afterEach(async () => {
  for (const h of statusRequests.splice(0)) expect(JSON.stringify(h)).not.toMatch(/Pr0beK3y|x-api-key|authorization/i);
  for (const s of sockets) s.destroy();
  sockets.clear();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

type Handler = (path: string, headers: IncomingHttpHeaders) => { status: number; body: string; headers?: Record<string, string> } | 'hang';

async function serve(handler: Handler, seen: IncomingHttpHeaders[] = [], tls?: { key: string; cert: string }): Promise<string> {
  const onRequest = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    seen.push(req.headers);
    const out = handler(req.url ?? '/', req.headers);
    if (out === 'hang') return;
    res.writeHead(out.status, { 'content-type': 'application/json', date: new Date().toUTCString(), ...out.headers });
    res.end(out.body);
  };
  const server = tls ? createTlsServer(tls, onRequest) : createServer(onRequest);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const STATUS_OK = JSON.stringify({
  status: { indicator: 'none', description: 'All Systems Operational' },
  components: [{ id: 'a', name: 'Claude API (api.anthropic.com)', status: 'operational' }],
  incidents: [],
});
const STATUS_MAJOR = JSON.stringify({
  status: { indicator: 'major', description: 'Partial System Outage' },
  components: [{ id: 'a', name: 'Claude API (api.anthropic.com)', status: 'major_outage' }],
  incidents: [{ name: 'Elevated errors on Claude Sonnet', status: 'investigating', impact: 'major', shortlink: 'https://stspg.io/x' }],
});
const MODELS = JSON.stringify({ data: [{ id: 'claude-sonnet-4-6', type: 'model', display_name: 'Claude Sonnet 4.6', created_at: '2026-01-01T00:00:00Z' }], has_more: false, first_id: 'claude-sonnet-4-6', last_id: 'claude-sonnet-4-6' });
const apiError = (status: number, type: string, message: string) => ({
  status,
  body: JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_011CWprobe1234567890abcde' }),
  headers: { 'request-id': 'req_011CWprobe1234567890abcde' },
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  doc: { checks: { id: string; status: string; detail: string }[]; verdict: { side: string }; exitCode: number };
}

function probe(base: string, statusUrl: string, extra: string[] = [], env: Record<string, string | undefined> = {}, allow = true): Promise<Run> {
  return new Promise((resolve) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: base, NO_COLOR: '1', ...env };
    for (const k of ['ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_OAUTH_TOKEN', 'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']) delete childEnv[k];
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
    const child = spawn(process.execPath, [join(ROOT, 'bin/claude-doctor.js'), 'probe', '--format', 'json', '--status-url', statusUrl, ...(allow ? ['--allow-base-url'] : []), '--timeout', '800', ...extra], { env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      // The key never appears in any output, whatever the case.
      expect(stdout + stderr).not.toContain('Pr0beK3y');
      resolve({ code, stdout, stderr, doc: JSON.parse(stdout || '{}') });
    });
  });
}

const statusOf = (r: Run) => Object.fromEntries(r.doc.checks.map((c) => [c.id, c.status]));

describe('claude-doctor probe', () => {
  it('all clear: the API answers 200 with rate-limit headers and the status page is operational', async () => {
    const status = await statusPage(() => ({ status: 200, body: STATUS_OK }));
    const api = await serve((path) =>
      path.startsWith('/v1/models') ? { status: 200, body: MODELS, headers: { 'request-id': 'req_011CWok12345678901234567', 'anthropic-ratelimit-requests-remaining': '49' } } : { status: 404, body: '{}' },
    );
    const r = await probe(api, status);
    expect(statusOf(r)).toEqual({ config: 'warn', dns: 'ok', tls: 'skipped', 'status-page': 'ok', api: 'ok', clock: 'ok' });
    expect(r.doc.checks.find((c) => c.id === 'api')!.detail).toMatch(/request-id req_011CWok12345678901234567.*requests-remaining=49/);
    expect(r.doc.verdict.side).toBe('all-clear');
    expect(r.code).toBe(0);
    // The key: only its kind and last four characters are shown, and the status page never sees it.
    expect(r.stdout).toContain('API key …xyAA');
    expect(r.stdout + r.stderr).not.toContain('Pr0beK3y');
    expect(statusRequests.length).toBeGreaterThan(0);
  });

  it("a major incident and a 529: Anthropic's side", async () => {
    const status = await statusPage(() => ({ status: 200, body: STATUS_MAJOR }));
    const api = await serve(() => apiError(529, 'overloaded_error', 'Overloaded'));
    const r = await probe(api, status);
    expect(statusOf(r)['status-page']).toBe('warn');
    expect(statusOf(r).api).toBe('fail');
    expect(r.doc.checks.find((c) => c.id === 'api')!.detail).toMatch(/^529 .*overloaded-error/);
    expect(r.doc.verdict.side).toBe('anthropic');
    expect(r.code).toBe(1);
  });

  it('a 401 is diagnosed with the pasted-error rules: your credentials', async () => {
    const status = await statusPage(() => ({ status: 200, body: STATUS_OK }));
    const api = await serve(() => apiError(401, 'authentication_error', 'invalid x-api-key'));
    const r = await probe(api, status);
    expect(r.doc.checks.find((c) => c.id === 'api')!.detail).toMatch(/^401 .*authentication-error/);
    expect(r.doc.verdict.side).toBe('credentials-or-limits');
  });

  it('malformed status JSON and a hanging API are "could not check" and a failure, within the deadline', async () => {
    const status = await statusPage(() => ({ status: 200, body: '<html>maintenance</html>' }));
    const api = await serve(() => 'hang');
    const r = await probe(api, status);
    expect(statusOf(r)['status-page']).toBe('error');
    expect(statusOf(r).api).toBe('fail');
    expect(r.doc.checks.find((c) => c.id === 'api')!.detail).toMatch(/request-timeout/);
    expect(r.doc.verdict.side).toBe('network');
  });

  it('a hanging status page is reported as could not check, not as an outage', async () => {
    const status = await statusPage(() => 'hang');
    const api = await serve(() => ({ status: 200, body: MODELS }));
    const r = await probe(api, status);
    expect(statusOf(r)['status-page']).toBe('error');
    expect(r.doc.verdict.side).toBe('unknown');
    expect(r.code).toBe(0);
  });

  it('a closed port: your network', async () => {
    const status = await statusPage(() => ({ status: 200, body: STATUS_OK }));
    const closed = await serve(() => ({ status: 200, body: '{}' }));
    await new Promise((r) => servers.pop()!.close(r));
    const r = await probe(closed, status);
    expect(statusOf(r).api).toBe('fail');
    expect(r.doc.checks.find((c) => c.id === 'api')!.detail).toMatch(/connection-error/);
    expect(r.doc.verdict.side).toBe('network');
  });

  it('a self-signed certificate fails TLS and names NODE_EXTRA_CA_CERTS, never turning verification off', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cd-tls-'));
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost']);
    expect(made.status, String(made.stderr)).toBe(0);
    const tls = await serve(() => ({ status: 200, body: MODELS }), [], { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') });
    const status = await statusPage(() => ({ status: 200, body: STATUS_OK }));
    const r = await probe(tls.replace('127.0.0.1', 'localhost'), status);
    const check = r.doc.checks.find((c) => c.id === 'tls')!;
    expect(check.status).toBe('fail');
    expect(check.detail).toMatch(/SELF_SIGNED|DEPTH_ZERO/);
    expect(r.stdout).toContain('NODE_EXTRA_CA_CERTS');
    expect(r.stdout).not.toMatch(/NODE_TLS_REJECT_UNAUTHORIZED=0/);
    expect(r.doc.verdict.side).toBe('network');
  });

  it('skips the API check when no credential is set, and when the base URL is not allowed', async () => {
    const status = await statusPage(() => ({ status: 200, body: STATUS_OK }));
    const api = await serve(() => ({ status: 200, body: MODELS }));
    const noKey = await probe(api, status, [], { ANTHROPIC_API_KEY: undefined });
    expect(statusOf(noKey).api).toBe('skipped');
    expect(noKey.code).toBe(0);
    const apiSeen: IncomingHttpHeaders[] = [];
    const gateway = await serve(() => ({ status: 200, body: MODELS }), apiSeen);
    const notAllowed = await probe(gateway, status, [], {}, false);
    expect(statusOf(notAllowed).api).toBe('skipped');
    expect(notAllowed.doc.checks.find((c) => c.id === 'api')!.detail).toMatch(/--allow-base-url/);
    expect(apiSeen).toEqual([]);
  });

  it('--probe after a diagnosis matches the errors\' times against the incident history', async () => {
    const incidents = JSON.stringify({
      incidents: [
        { name: 'Elevated errors on Claude Sonnet', status: 'resolved', impact: 'major', created_at: '2026-11-24T14:01:00Z', resolved_at: '2026-11-24T14:06:30Z', shortlink: 'https://stspg.io/abc' },
        { name: 'Console login issues', status: 'resolved', impact: 'minor', created_at: '2026-11-20T09:00:00Z', resolved_at: '2026-11-20T10:00:00Z' },
      ],
    });
    const status = await statusPage((path) => ({ status: 200, body: path.includes('incidents') ? incidents : STATUS_OK }));
    const api = await serve(() => ({ status: 200, body: MODELS }));
    // Asynchronously: the servers live in this process and must keep answering while it runs.
    const child = spawn(process.execPath, [join(ROOT, 'bin/claude-doctor.js'), join(ROOT, 'fixtures/app.log'), '--lang', 'none', '--probe', '--allow-base-url', '--status-url', status], {
      env: { ...process.env, ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: api, NO_COLOR: '1' },
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    await new Promise((done) => child.on('close', done));
    const r = { stdout };
    expect(r.stdout).toContain("3 overloaded-error errors 14:05–14:06 UTC overlap the incident 'Elevated errors on Claude Sonnet' (14:01–14:06, resolved) https://stspg.io/abc");
    expect(r.stdout).toMatch(/1 authentication-error error 14:07–14:07 UTC: no Anthropic incident covers these times/);
    expect(r.stdout).toMatch(/verdict: /);
    expect(r.stdout).not.toContain('Pr0beK3y');
  });

  it('a bad --timeout is a usage error', async () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/claude-doctor.js'), 'probe', '--timeout', 'soon'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe("claude-doctor: --timeout must be a positive number of milliseconds, not 'soon'");
  });
});
