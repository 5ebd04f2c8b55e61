// The trigger words: every recogniser's anchor contains one of them, so a line without any holds
// no error (test/fast-path.test.ts holds the scan to the plain path). prefilter.ts looks for them
// in raw bytes; the regex here judges text, on the scan's text path.

// Claude context words are not needed here: they only matter within the window around a candidate.
export const LITERALS = [
  'rror', 'xception', 'imed out', 'bort', 'ECONN', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH',
  'ENETUNREACH', 'EPIPE', 'UND_ERR', 'CERT', 'ertificate', 'onnection', 'fetch failed', 'imit', 'verloaded',
  'too long', 'too large', 'redit balance', 'custom_id', 'tatus Code', 'tatus code', 'x-deny-reason',
  '<title>', 'Cannot POST', 'Cannot GET', 'token maximum', '/login', 'no such host', 'i/o timeout', 'x509',
  'UnknownIssuer', 'name resolution', 'servname', 'Name or service', '_EXHAUSTED', '_ARGUMENT',
  '_PRECONDITION', '_DENIED', 'NOT_FOUND', '_EXCEEDED', 'UNAVAILABLE', 'UNAUTHENTICATED', 'terminated',
  'other side closed', 'RemoteProtocol', 'event:', 'Retrying in', 'signed', 'proxies', 'Streaming is',
  'browser-like', 'API_KEY', 'authentication method', 'API Key', 'api_key', 'hit your', 'selected model',
  'xpired', 'x-api-key', 'alternate', 'content blocks', 'tool_use', 'ids were found', 'mage exceeds',
  'input length', 'nable to connect', 'ailed to connect', 'Too many', 'model returned', 'API key',
  'Not logged in', 'logged in', 'ramp', 'reset by peer', 'nreachable', 'route to host', 'ailed with status',
  'redacted_thinking', 'ey is not set', 'thinking is disabled', 'provided media type', 'mid-response',
  'Too Many Requests', 'Service Unavailable', 'ad Gateway', 'ateway Timeout', 'TTP/1.1 529', 'TTP/2 529',
  'ccess is denied', 'Request not allowed',
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * One alternation, factored into a trie by common prefix: V8 tries the alternatives of a choice
 * one after another, so `r(?:ror|amp)` costs one test where `rror|ramp` costs two. A literal that
 * is a prefix of another makes the longer one redundant.
 */
function trie(words: string[]): string {
  type Node = Map<string, Node>;
  const root: Node = new Map();
  const END = '';
  for (const w of words) {
    let node = root;
    for (const ch of w) node = node.get(ch) ?? node.set(ch, new Map()).get(ch)!;
    node.set(END, new Map());
  }
  const alternation = (node: Node): string => {
    if (node.has(END)) return '';
    const alts = [...node].map(([ch, child]) => escape(ch) + alternation(child));
    return alts.length === 1 ? alts[0]! : `(?:${alts.join('|')})`;
  };
  return [...root].map(([ch, child]) => escape(ch) + alternation(child)).join('|');
}

// Built on first use: most scans look for the words in bytes (prefilter.ts), not with this.
let source: string | undefined;
let test: RegExp | undefined;

/** A fresh global matcher (it carries `lastIndex`, so each scan owns one). */
export function triggerPattern(): RegExp {
  return new RegExp((source ??= trie(LITERALS)), 'g');
}

/** Whether `text` holds a word some recogniser anchors on. */
export function hasTrigger(text: string): boolean {
  return (test ??= new RegExp((source ??= trie(LITERALS)))).test(text);
}
