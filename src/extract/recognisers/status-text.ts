// An HTTP status with a body that is not an API error envelope: a proxy's or gateway's plain-text
// or HTML answer (`Error code: 503 - upstream connect error…`, `404 404 page not found`,
// `<title>413 Request Entity Too Large</title>`). Seen through the SDKs' own message formats.
import { RANK, type Anchor, type AnchorFields } from '../anchor.js';
import { messageAt, squeeze } from '../values.js';
import { gateOf } from '../gate.js';
import { detectPlatform } from '../signals.js';
import type { Platform } from '../../types.js';

// Python SDK: `Error code: 404 - <body>`; TypeScript SDK: `<status> <body>` at the start of the message.
// Also `RateLimitError: 429 {…}` and google-cloud's `ResourceExhausted: 429 Quota exceeded…`.
const SDK_FORM =
  /(?:\bError code: ([1-5]\d\d) - |(?:^|\n|\b(?:Error|[A-Z]\w*(?:Error|Exception)|ResourceExhausted|NotFound|PermissionDenied|ServiceUnavailable|InvalidArgument|FailedPrecondition|DeadlineExceeded|Unauthenticated)(?: \[\w+\])?: )([45]\d\d) (?=\S))([^\n]{0,2000})/g;
const HTML_TITLE = /<title>\s*([1-5]\d\d)\s+([^<]{1,80})<\/title>/gi;
const CANNOT = /\bCannot (?:POST|GET) (\/\S*)/g;
// The AI SDK's APICallError carries the response's status text when its body was not an error it
// knows: `AI_APICallError: Not Found`.
const REASONS: Record<string, number> = {
  'Bad Request': 400, Unauthorized: 401, Forbidden: 403, 'Not Found': 404, 'Method Not Allowed': 405,
  'Payload Too Large': 413, 'Request Entity Too Large': 413, 'Too Many Requests': 429,
  'Internal Server Error': 500, 'Bad Gateway': 502, 'Service Unavailable': 503, 'Gateway Timeout': 504,
};
const AI_SDK_REASON = new RegExp(String.raw`\bAI_APICallError: (${Object.keys(REASONS).join('|')})\b`, 'g');
// httpx logs every request the Python SDK sends, retried ones too:
// `HTTP Request: POST https://api.anthropic.com/v1/messages "HTTP/1.1 429 Too Many Requests"`.
const HTTPX = /\bHTTP Request: [A-Z]+ (https?:\/\/[^\s"]+) "HTTP\/[\d.]+ ([45]\d\d)\b[^"\n]*"/g;
// Envoy's plain-text 503 with its status in front and no SDK wording around it (under Claude Code's ⎿).
const ENVOY = /\b(5\d\d) (upstream connect error or disconnect\/reset before headers[^"'\n\\]*)/g;
// Anthropic's edge explains a 403 in a header: `x-deny-reason: host_not_allowed`.
const DENY = /\bx-deny-reason:\s*([\w-]+)/gi;
// The SDKs' debug log (`logLevel: 'debug'`, Claude Code's --debug): `[log_5efd4d] post
// https://…/v1/messages failed with status 429 in 179ms`. The URL says where the call went.
// Other clients say it alike without the URL (goose: `Request failed with status: 529 <unknown status code>`).
const FAILED_WITH_STATUS = /(?:\b(?:post|get|put|patch|delete) (https?:\/\/[^\s'"]+) )?\bfailed with status(?: code)?:? ([1-5]\d\d)\b/gi;
const PAGES = gateOf([HTML_TITLE, CANNOT, DENY]);

/** The platform a request's URL names; none for Anthropic's own API, which the evidence decides as usual. */
function platformOf(url: string): Platform | undefined {
  const platform = detectPlatform(url);
  return platform === 'anthropic' ? undefined : platform;
}

/** A status the recogniser's words state, weak: the words around it say whose it is. */
function stated(m: RegExpExecArray, status: number, fields: AnchorFields, url?: string): Anchor {
  const platform = url ? platformOf(url) : undefined;
  return { start: m.index, end: m.index + m[0].length, rank: RANK.sdk, strength: 'weak', fields: platform ? { status, ...fields, platform } : { status, ...fields } };
}

function plain(body: string): string {
  return squeeze(body.replace(/<[^>]+>/g, ' ').replace(/\\[rn]/g, ' '));
}

export function recogniseStatusText(text: string): Anchor[] {
  const anchors: Anchor[] = [];
  const add = (start: number, end: number, status: number, message: string) =>
    anchors.push({ start, end, rank: RANK.sdk, strength: 'weak', fields: message ? { status, message } : { status } });

  SDK_FORM.lastIndex = 0;
  for (let m = SDK_FORM.exec(text); m; m = SDK_FORM.exec(text)) {
    const body = m[3] ?? '';
    // Only a body the status applies to: a word, a tag or a JSON object (a body recogniser may claim it).
    if (!/^\s*(?:[A-Za-z<{'"]|\d{3} )/.test(body)) continue;
    const bodyStart = m.index + m[0].length - body.length;
    const status = Number(m[1] ?? m[2]);
    if (/^\s*b?\\*['"]?\{/.test(body)) {
      // A JSON body: an API envelope is the body recogniser's; with none (Bedrock's `{"message": …}`)
      // its message is the message. Either way the anchor ends with the body, not the line.
      const inner = messageAt(text, bodyStart);
      // No `message` key (`{'detail': 'Not Found'}`): the small object itself says what happened.
      const raw = inner ? undefined : /^[^}]{0,200}\}/.exec(body)?.[0];
      add(m.index, inner ? inner.end : bodyStart + (raw?.length ?? 1), status, inner?.value ?? raw?.trim() ?? '');
      continue;
    }
    // A text body ends where the text that quotes it does (a JSON string in a log record).
    const own = body.split(/\\[nr]|\\?"|'\s*[,}]/)[0]!;
    const title = /<title>\s*(?:\d{3}\s+)?([^<]+)<\/title>/i.exec(body)?.[1];
    add(m.index, bodyStart + own.length, status, plain(title ?? own).slice(0, 200));
  }
  // Each look for a form's fixed words spares most blocks its regex.
  if (text.includes('ailed with status')) failedWithStatus(text, anchors);
  if (text.includes('AI_APICallError: ')) {
    AI_SDK_REASON.lastIndex = 0;
    for (let m = AI_SDK_REASON.exec(text); m; m = AI_SDK_REASON.exec(text)) {
      anchors.push(stated(m, REASONS[m[1]!]!, { message: m[1]!, client: 'ai-sdk' }));
    }
  }
  if (text.includes('HTTP Request: ')) {
    HTTPX.lastIndex = 0;
    for (let m = HTTPX.exec(text); m; m = HTTPX.exec(text)) {
      anchors.push(stated(m, Number(m[2]), { client: 'python' }, m[1]));
    }
  }
  if (text.includes('upstream connect error')) {
    ENVOY.lastIndex = 0;
    for (let m = ENVOY.exec(text); m; m = ENVOY.exec(text)) {
      // The SDK forms above took it already when it follows `Error code: 503 - ` or `Error: 503 `.
      if (anchors.some((a) => a.start <= m!.index && a.end > m!.index)) continue;
      add(m.index, m.index + m[0].length, Number(m[1]), plain(m[2]!).slice(0, 200));
    }
  }
  if (!PAGES.test(text)) return anchors;
  HTML_TITLE.lastIndex = 0;
  for (let m = HTML_TITLE.exec(text); m; m = HTML_TITLE.exec(text)) {
    add(m.index, m.index + m[0].length, Number(m[1]), `${m[1]} ${plain(m[2]!)}`);
  }
  DENY.lastIndex = 0;
  for (let m = DENY.exec(text); m; m = DENY.exec(text)) {
    // Only Anthropic's edge and Claude Code's sandbox proxy send this header: it is evidence on its own.
    anchors.push({ start: m.index, end: m.index + m[0].length, rank: RANK.sdk, strength: 'strong', fields: { status: 403, message: m[0] } });
  }
  CANNOT.lastIndex = 0;
  for (let m = CANNOT.exec(text); m; m = CANNOT.exec(text)) {
    add(m.index, m.index + m[0].length, 404, m[0]);
  }
  return anchors;
}

function failedWithStatus(text: string, anchors: Anchor[]): void {
  FAILED_WITH_STATUS.lastIndex = 0;
  for (let m = FAILED_WITH_STATUS.exec(text); m; m = FAILED_WITH_STATUS.exec(text)) {
    anchors.push(stated(m, Number(m[2]), {}, m[1]));
  }
}
