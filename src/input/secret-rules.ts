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
  /sk-ant-|api[-_ ]?key|apikey|access[-_]?key|private[-_]?key|[?&]key=|token(?!s)|secret|passw|bearer|basic|authoriz|credential|:\\?\/\\?\/[^\s/@]*@|A(?:KIA|SIA|BIA|CCA|3T[A-Z0-9])|PRIVATE KEY/i;

/** Bytes `b` at `at` (a word's end) up to `end` (its line's end) go on as the gate's word must. */
type Rest = (b: Uint8Array, at: number, end: number) => boolean;

const lower = (c: number | undefined) => (c === undefined ? -1 : c | 0x20);
// `token(?!s)`: `tokens` are counts, everywhere in logs.
const token: Rest = (b, at, end) => at < end && lower(b[at]) === 110 && (at + 1 >= end || lower(b[at + 1]) !== 115);
// `A3T[A-Z0-9]`.
const alnum: Rest = (b, at, end) => at < end && ((lower(b[at]) >= 97 && lower(b[at]) <= 122) || (b[at]! >= 48 && b[at]! <= 57));
// `:\?\/\?\/[^\s/@]*@`, from wherever the word ended: an `@` before a space or a slash. Where
// the regex's `\s` stops at a space that is not ASCII, this goes on: it may say yes, never no.
const credentials: Rest = (b, at, end) => {
  let i = at;
  if (b[i] === 92) i++;
  if (b[i] === 47) i++;
  for (; i < end; i++) {
    const c = b[i]!;
    if (c === 64) return true;
    if (c === 47 || c === 32 || (c >= 9 && c <= 13)) return false;
  }
  return false;
};

/**
 * Every match of the gate holds one of these words, in any case, and goes on after it as `rest`
 * says: the scan looks for them in raw bytes (prefilter.ts) and runs the gate only on lines that
 * hold one. Four characters where the gate's words allow; three where a word has no fixed fourth.
 * test/prefilter.test.ts holds the two to each other.
 */
export const GATE_WORDS: readonly (readonly [word: string, rest?: Rest])[] = [
  ['sk-a'], ['api-'], ['api_'], ['api '], ['apik'], ['ss-k'], ['ss_k'], ['sske'], ['priv'], ['?key'], ['&key'], ['toke', token],
  ['secr'], ['assw'], ['bear'], ['basi'], ['oriz'], ['cred'], ['akia'], ['asia'], ['abia'], ['acca'], ['a3t', alnum],
  // `://`, `:\//`, `:/\/`, `:\/\/`: each starts with one of these, and the rest is looked at after it.
  ['://', credentials], [':\\/', credentials], [':/\\', credentials],
];

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
