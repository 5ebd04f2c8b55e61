// Secret redaction, applied to every line before anything else sees it (DESIGN §2).

// Patterns follow gitleaks/secretlint (peers-and-conventions §3.1) with a catch-all for future
// `sk-ant-<kind><NN>-` prefixes. What stays is the kind and the last four characters, which
// tell two keys apart without making either usable.
const ANTHROPIC_KEY = /\bsk-ant-([a-z]+\d{2})-[A-Za-z0-9_-]{8,}/g;
// Header and assignment forms: the value is whatever token follows the separator.
const HEADER_OR_ASSIGNMENT =
  /\b(x-api-key|api[-_]key|authorization|ANTHROPIC_API_KEY|ANTHROPIC_AUTH_TOKEN|CLAUDE_CODE_OAUTH_TOKEN|AWS_SECRET_ACCESS_KEY|aws_secret_access_key|AWS_SESSION_TOKEN)(\\*["']?\s*[:=]\s*\\*["']?)(?:(Bearer|Basic)\s+)?([^\s"'\\,;}]{8,})/gi;
const BEARER = /\b(Bearer)\s+([A-Za-z0-9._~+/=-]{12,})/g;
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/]+):([^\s@/]+)@/gi;
const AWS_ACCESS_KEY = /\b((?:AKIA|ASIA)[A-Z0-9]{12})([A-Z0-9]{4})\b/g;
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g;

// Cheap gate so the common line (no secret-looking text at all) costs one scan.
const MAYBE_SECRET = /sk-ant-|key|bearer|token|authorization|:\/\/[^\s/@]*@|AKIA|ASIA|PRIVATE KEY/i;

function tail(value: string): string {
  return value.length > 12 ? value.slice(-4) : '';
}

function mask(kind: string, value: string): string {
  const last = tail(value);
  return last ? `${kind}…[redacted]…${last}` : `${kind}[redacted]`;
}

/** Replace every credential in `text` with a marker that keeps its kind and last four characters. */
export function redact(text: string): string {
  if (!MAYBE_SECRET.test(text)) return text;
  return text
    .replace(PRIVATE_KEY, '[redacted private key]')
    .replace(ANTHROPIC_KEY, (whole, kind: string) => mask(`sk-ant-${kind}-`, whole))
    .replace(HEADER_OR_ASSIGNMENT, (whole, name: string, sep: string, scheme: string | undefined, value: string) => {
      if (value.includes('[redacted')) return whole;
      return `${name}${sep}${scheme ? `${scheme} ` : ''}${mask('', value)}`;
    })
    .replace(BEARER, (whole, scheme: string, value: string) =>
      value.includes('[redacted') ? whole : `${scheme} ${mask('', value)}`,
    )
    .replace(URL_CREDENTIALS, (_whole, scheme: string, user: string) => `${scheme}${user}:[redacted]@`)
    .replace(AWS_ACCESS_KEY, (_whole, _head: string, last: string) => `AKIA…[redacted]…${last}`);
}
