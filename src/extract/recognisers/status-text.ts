// An HTTP status with a body that is not an API error envelope: a proxy's or gateway's plain-text
// or HTML answer (`Error code: 503 - upstream connect error…`, `404 404 page not found`,
// `<title>413 Request Entity Too Large</title>`). Seen through the SDKs' own message formats.
import { RANK, type Anchor } from '../anchor.js';

// Python SDK: `Error code: 404 - <body>`; TypeScript SDK: `<status> <body>` at the start of the message.
const SDK_FORM = /(?:\bError code: ([1-5]\d\d) - |(?:^|\n|\bError: )([45]\d\d) (?=[^\s{[]))([^\n]{0,300})/g;
const HTML_TITLE = /<title>\s*([1-5]\d\d)\s+([^<]{1,80})<\/title>/gi;
const CANNOT = /\bCannot (?:POST|GET) (\/\S*)/g;

function plain(body: string): string {
  return body
    .replace(/<[^>]+>/g, ' ')
    .replace(/\\[rn]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function recogniseStatusText(text: string): Anchor[] {
  const anchors: Anchor[] = [];
  const add = (start: number, end: number, status: number, message: string) =>
    anchors.push({ start, end, rank: RANK.sdk, strength: 'weak', fields: { status, ...(message ? { message } : {}) } });

  SDK_FORM.lastIndex = 0;
  for (let m = SDK_FORM.exec(text); m; m = SDK_FORM.exec(text)) {
    const body = m[3] ?? '';
    // Only a body the status applies to: a word, a tag or a JSON object (a body recogniser may claim it).
    if (!/^\s*(?:[A-Za-z<{'"]|\d{3} )/.test(body)) continue;
    const title = /<title>\s*(?:\d{3}\s+)?([^<]+)<\/title>/i.exec(body)?.[1];
    add(m.index, m.index + m[0].length, Number(m[1] ?? m[2]), plain(title ?? body).slice(0, 200));
  }
  HTML_TITLE.lastIndex = 0;
  for (let m = HTML_TITLE.exec(text); m; m = HTML_TITLE.exec(text)) {
    add(m.index, m.index + m[0].length, Number(m[1]), `${m[1]} ${plain(m[2]!)}`);
  }
  CANNOT.lastIndex = 0;
  for (let m = CANNOT.exec(text); m; m = CANNOT.exec(text)) {
    add(m.index, m.index + m[0].length, 404, m[0]);
  }
  return anchors;
}
