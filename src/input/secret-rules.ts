// What a secret looks like within one line, and the marker that replaces it (peers-and-conventions §3).

/**
 * Every Anthropic key and token measured so far has 95 characters after its `sk-ant-<kind>-`
 * prefix (§3.1). A shorter one was cut off (a wrap, a truncated paste), so its last four
 * characters are not the key's and are not shown.
 */
const ANTHROPIC_BODY = 95;

// gitleaks and secretlint match `sk-ant-api03-`/`admin01-` keys, PRs add `oat01-`/`ort01-`; any
// `sk-ant-` credential is covered here, so a kind no scanner knows yet is too. Wherever it starts:
// gitleaks wants a word boundary before it, and so let `prod_sk-ant-…` through whole.
const ANTHROPIC_KEY = /sk-ant-(?:([a-z]+\d{2})-)?([A-Za-z0-9_-]+)/g;
// A credential under a name that says what it is: headers, assignments, JSON and dict keys,
// `secretAccessKey: '…'`. `tokens` (counts: `max_tokens`, rate-limit headers) is not one.
const NAMED =
  /(api[-_ ]?key|apikey|token(?!s)|secret|passw(?:or)?d|authorization|credentials?|private[-_]?key|access[-_]?key)([\w.-]{0,40}?)(\\*["']?\s*[:=]\s*\\*["']?)(?:(Bearer|Basic|Token|Digest|AWS4-HMAC-SHA256)\s+)?([^\s"'\\,;}&)\]>]{8,})/gi;
// The token must end where its characters do: `Bearer sk-ant-oat01-…[redacted]…` is done already.
const BEARER = /\b(Bearer)\s+([A-Za-z0-9._~+/=-]{12,})(?![A-Za-z0-9._~+/=…-])/g;
// `Basic <base64 of user:password>`; a word ("Basic authentication") is not one.
const BASIC = /\b(Basic)\s+(?=[A-Za-z0-9+/]*(?:[0-9+/=]|[a-z][A-Z]))([A-Za-z0-9+/]{8,}={0,2})/g;
// The scheme is bounded so that a long dotted word costs a scan, not a scan per dot.
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]{0,30}:(?:\\?\/){2})([^\s:@/\\]+):([^\s@/\\]+)@/gi;
// `?key=` (Google-style API keys); other names in a query string are covered by NAMED.
const QUERY_KEY = /([?&]key=)([^&#\s"'\\,;)]{8,})/g;
// gitleaks' AWS access key id prefixes.
const AWS_ACCESS_KEY = /\b(A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)([A-Z0-9]{16})\b/g;
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g;

// Cheap gate so the common line (no secret-looking text at all) costs one scan. It holds a word of
// every rule below, and no more: `tokens` and a bare `key` are everywhere in logs.
const MAYBE_SECRET =
  /sk-ant-|api[-_ ]?key|apikey|access[-_]?key|private[-_]?key|[?&]key=|token(?!s)|secret|passw|bearer|basic|authoriz|credential|:\\?\/\\?\/[^\s/@]*@|A(?:KIA|SIA|BIA|CCA|3T)|PRIVATE KEY/i;

/** Whether `text` may hold a secret at all. */
export function mayHoldSecret(text: string): boolean {
  return MAYBE_SECRET.test(text);
}

export const MARK = '[redacted]';

/** The kind, and the last four characters where they help tell keys apart without making one usable. */
function mask(kind: string, value: string, tail: boolean): string {
  return tail && value.length > 12 ? `${kind}…${MARK}…${value.slice(-4)}` : `${kind}${MARK}`;
}

// A value that is already a marker (a key found by an earlier rule) is left as it is.
const done = (value: string) => value.includes('[redacted');

/**
 * Replace every credential in one line with a marker. `tails: false` hides the last four characters
 * too: while a line is still arriving, its last four are not a key's last four.
 */
export function redactLine(text: string, tails = true, maybe = MAYBE_SECRET.test(text)): string {
  if (!maybe) return text;
  // Each rule's literal is looked for first: most lines past the gate hold one kind of secret at most.
  let out = text;
  if (out.includes('PRIVATE KEY')) out = out.replace(PRIVATE_KEY, '[redacted private key]');
  if (out.includes('sk-ant-')) {
    out = out.replace(ANTHROPIC_KEY, (whole, kind: string | undefined, body: string) => {
      // A bare prefix (`sk-ant-api03-` in prose) holds nothing.
      if (!kind && /^[a-z]+\d{2}-?$/.test(body)) return whole;
      return mask(`sk-ant-${kind ? `${kind}-` : ''}`, body, tails && body.length >= ANTHROPIC_BODY);
    });
  }
  out = out.replace(NAMED, (whole, word: string, rest: string, sep: string, scheme: string | undefined, value: string) => {
    if (done(value) || /^\d+$/.test(value)) return whole;
    // A password, or Basic credentials that encode one, keep nothing.
    const tail = tails && !/^passw/i.test(word) && scheme !== 'Basic';
    return `${word}${rest}${sep}${scheme ? `${scheme} ` : ''}${mask('', value, tail)}`;
  });
  if (out.includes('Bearer')) out = out.replace(BEARER, (whole, scheme: string, value: string) => (done(value) ? whole : `${scheme} ${mask('', value, tails)}`));
  if (out.includes('Basic')) out = out.replace(BASIC, (whole, scheme: string, value: string) => (done(value) ? whole : `${scheme} ${MARK}`));
  if (out.includes('@')) out = out.replace(URL_CREDENTIALS, (_whole, scheme: string, user: string) => `${scheme}${user}:${MARK}@`);
  if (out.includes('key=')) out = out.replace(QUERY_KEY, (whole, name: string, value: string) => (done(value) ? whole : `${name}${mask('', value, tails)}`));
  return out.replace(AWS_ACCESS_KEY, (_whole, prefix: string, rest: string) => mask(prefix, rest, tails));
}
