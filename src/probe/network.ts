// `dns` and `tls`: does the API host resolve, and does a TLS handshake with it succeed?
import { lookup } from 'node:dns/promises';
import { connect } from 'node:tls';
import type { CheckResult } from './types.js';

export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what} did not answer within ${ms} ms`), { code: 'PROBE_TIMEOUT' })), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export async function checkDns(base: URL, timeoutMs: number): Promise<CheckResult> {
  const title = `DNS: ${base.hostname}`;
  try {
    const found = await withTimeout(lookup(base.hostname, { all: true }), timeoutMs, 'DNS');
    return { id: 'dns', title, status: 'ok', detail: `resolves to ${found.map((a) => a.address).slice(0, 3).join(', ')}` };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'PROBE_TIMEOUT') return { id: 'dns', title, status: 'error', detail: (err as Error).message, fix: 'Could not check: DNS is slow or unreachable from here.' };
    return {
      id: 'dns',
      title,
      status: 'fail',
      detail: `${base.hostname} does not resolve (${code})`,
      fix: 'Check the network and DNS (nslookup the host), the VPN, and whether ANTHROPIC_BASE_URL names the right host.',
    };
  }
}

const TLS_FIX: Record<string, string> = {
  SELF_SIGNED_CERT_IN_CHAIN:
    'A TLS-inspecting proxy (corporate proxy, antivirus, VPN) re-signs the connection. Give Node its root certificate with NODE_EXTRA_CA_CERTS=/path/to/ca.pem (Python: SSL_CERT_FILE); never turn verification off.',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'The server presents a self-signed certificate: trust it with NODE_EXTRA_CA_CERTS if it is your own gateway; never turn verification off.',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    'The certificate chain ends in a root this machine does not trust, usually a TLS-inspecting proxy: set NODE_EXTRA_CA_CERTS (Python: SSL_CERT_FILE) to its root certificate.',
  CERT_HAS_EXPIRED: 'The certificate presented has expired: a proxy in the path, or the clock of this machine is wrong.',
  ERR_TLS_CERT_ALTNAME_INVALID: 'The certificate is for another host name: a proxy or DNS override is intercepting the connection.',
};

export async function checkTls(base: URL, timeoutMs: number): Promise<CheckResult> {
  const title = `TLS: ${base.host}`;
  if (base.protocol !== 'https:') return { id: 'tls', title, status: 'skipped', detail: `${base.protocol}// base URL: no TLS to check` };
  const port = Number(base.port || 443);
  const started = Date.now();
  let socket: ReturnType<typeof connect> | undefined;
  try {
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        socket = connect({ host: base.hostname, port, servername: base.hostname, ALPNProtocols: ['http/1.1'] }, () => resolve());
        socket.once('error', reject);
      }),
      timeoutMs,
      'The TLS handshake',
    );
    const cert = socket?.getPeerCertificate();
    const issuer = cert?.issuer?.O ?? cert?.issuer?.CN ?? 'unknown issuer';
    return { id: 'tls', title, status: 'ok', detail: `handshake in ${Date.now() - started} ms, certificate issued by ${issuer}` };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'PROBE_TIMEOUT') return { id: 'tls', title, status: 'fail', detail: (err as Error).message, fix: 'Packets to the host are dropped: a firewall, or a proxy that must be configured (HTTPS_PROXY).' };
    return {
      id: 'tls',
      title,
      status: 'fail',
      detail: `${code}: ${(err as Error).message}`,
      fix: TLS_FIX[code] ?? 'The connection failed before any HTTP: check the network path, proxy and firewall (curl -I the base URL).',
      data: { code },
    };
  } finally {
    socket?.destroy();
  }
}
