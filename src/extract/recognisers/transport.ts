// Failures with no HTTP response: connection, DNS, TLS, timeouts, cut streams, aborts.
// Every HTTP client prints these words, so they are weak: Claude context must be nearby.
import { RANK, type Anchor } from '../anchor.js';
import { gateOf } from '../gate.js';

interface Form {
  re: RegExp;
  fields: (m: RegExpExecArray) => Anchor['fields'];
}

const TLS_CODES =
  'SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_GET_ISSUER_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_HAS_EXPIRED|ERR_TLS_CERT_ALTNAME_INVALID|CERTIFICATE_VERIFY_FAILED';
const NET_CODES =
  'ECONNRESET|ECONNREFUSED|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE|ECONNABORTED|UND_ERR_CONNECT_TIMEOUT|UND_ERR_SOCKET|UND_ERR_HEADERS_TIMEOUT';

const FORMS: Form[] = [
  { re: new RegExp(String.raw`\b(${TLS_CODES}|${NET_CODES})\b`, 'g'), fields: (m) => ({ code: m[1]! }) },
  { re: /unable to get local issuer certificate/gi, fields: () => ({ code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' }) },
  // OpenSSL's words for the other two issuer failures, as Node prints them.
  { re: /unable to get issuer certificate/gi, fields: () => ({ code: 'UNABLE_TO_GET_ISSUER_CERT' }) },
  { re: /unable to verify the first certificate/gi, fields: () => ({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }) },
  { re: /self[- ]signed certificate(?: in certificate chain| detected)?/gi, fields: () => ({ code: 'SELF_SIGNED_CERT_IN_CHAIN' }) },
  { re: /certificate has expired/gi, fields: () => ({ code: 'CERT_HAS_EXPIRED' }) },
  { re: /Name or service not known|nodename nor servname provided|No address associated with hostname/g, fields: () => ({ code: 'ENOTFOUND' }) },
  { re: /Temporary failure in name resolution/g, fields: () => ({ code: 'EAI_AGAIN' }) },
  // Go and Rust spell the same failures in words.
  { re: /\bno such host\b|failed to lookup address information/g, fields: () => ({ code: 'ENOTFOUND' }) },
  { re: /\bconnection reset by peer\b/gi, fields: () => ({ code: 'ECONNRESET' }) },
  { re: /\bdial tcp [^:]*:?\S* i\/o timeout|\bi\/o timeout\b/g, fields: () => ({ code: 'ETIMEDOUT' }) },
  { re: /x509: certificate signed by unknown authority|invalid peer certificate: UnknownIssuer/g, fields: () => ({ code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' }) },
  { re: /\bConnection error\.?/g, fields: () => ({ message: 'Connection error.' }) },
  { re: /\bfetch failed\b/g, fields: () => ({ message: 'fetch failed' }) },
  { re: /\bConnection refused\b/gi, fields: () => ({ code: 'ECONNREFUSED' }) },
  // The operating system's words (Python's `[Errno 101] Network is unreachable`, Go's `connect: …`).
  { re: /\bNetwork is unreachable\b/gi, fields: () => ({ code: 'ENETUNREACH' }) },
  { re: /\bNo route to host\b/gi, fields: () => ({ code: 'EHOSTUNREACH' }) },
  { re: /\bRequest timed out(?: or interrupted)?\.?/g, fields: (m) => ({ message: m[0] }) },
  { re: /\b(?:ReadTimeout|ConnectTimeout|APITimeoutError|APIConnectionTimeoutError)\b/g, fields: (m) => ({ errorClass: m[0] }) },
  {
    re: /peer closed connection without sending complete message body[^"'\n\\]*|\bincomplete chunked read\b|Server disconnected without sending a response|terminated: other side closed|\bother side closed\b|\bTypeError: terminated\b/g,
    fields: (m) => ({ message: m[0].replace(/^TypeError: /, '') }),
  },
  { re: /\bRemoteProtocolError\b/g, fields: () => ({ errorClass: 'RemoteProtocolError' }) },
  { re: /\bRequest was aborted\.?|\bOperation aborted\b|\bAPIUserAbortError\b/g, fields: (m) => ({ message: m[0] }) },
];

const ANY = gateOf(FORMS.map((f) => f.re));

export function recogniseTransport(text: string): Anchor[] {
  if (!ANY.test(text)) return [];
  const anchors: Anchor[] = [];
  for (let i = 0; i < FORMS.length; i++) {
    const form = FORMS[i]!;
    form.re.lastIndex = 0;
    for (let m = form.re.exec(text); m; m = form.re.exec(text)) {
      anchors.push({ start: m.index, end: m.index + m[0].length, rank: RANK.transport, strength: 'weak', fields: form.fields(m) });
    }
  }
  return anchors;
}
