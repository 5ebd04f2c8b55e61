// Amazon Bedrock errors as botocore, the AWS SDKs and wrappers print them.
import { RANK, type Anchor } from '../anchor.js';

const EXCEPTIONS =
  'Throttling|AccessDenied|Validation|ServiceQuotaExceeded|ResourceNotFound|ModelTimeout|ModelError|ModelNotReady|ModelStreamError|InternalServer|ServiceUnavailable';
// botocore: `An error occurred (ThrottlingException) when calling the InvokeModel operation (reached max retries: 4): Too many tokens…`
const BOTOCORE = new RegExp(
  String.raw`An error occurred \((\w+)\) when calling the (\w+) operation(?: \([^)]*\))?:\s*([^\n"]*)`,
  'g',
);
// `ThrottlingException: msg`, `ThrottlingException(properties: … message: Optional("msg")`, `name: 'ThrottlingException'`.
const NAMED = new RegExp(
  String.raw`(?<!ErrorType:\s?)\b((?:${EXCEPTIONS})Exception)\b(?:\(properties:[^"]*?message: Optional\("([^"]*)"\)|:\s*([^\n"]+))?`,
  'gi',
);
const WRAPPED = /The model returned the following errors:\s*([^\n"\\]*)/g;
// The AWS SDK for Java's form: `<message> (Service: BedrockRuntime, Status Code: 404, Request ID: …)`.
const JAVA = /([^\n(]*[^\n(\s]) \(Service: Bedrock\w*, Status Code: (\d{3}), Request ID:/g;
// Bedrock's own sentences, printed without the exception's name (an AWS SDK v3 error as JSON, a
// CloudTrail record): the name they stand for.
// Each with the fixed words a look for spares a block the regex.
const SENTENCES: [string, RegExp, string][] = [
  ['Input is too long', /Input is too long for requested model[^\n"`\\]*/g, 'ValidationException'],
  ['Model access is denied', /Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace actions[^\n"`\\]*/g, 'AccessDeniedException'],
];

const STATUS: Record<string, number> = {
  ThrottlingException: 429,
  AccessDeniedException: 403,
  ValidationException: 400,
  ServiceQuotaExceededException: 400,
  ResourceNotFoundException: 404,
  ModelTimeoutException: 408,
  ModelErrorException: 424,
  ModelNotReadyException: 429,
  ModelStreamErrorException: 424,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
};

function canonical(name: string): string {
  const n = name[0]!.toUpperCase() + name.slice(1);
  return Object.keys(STATUS).find((k) => k.toLowerCase() === n.toLowerCase()) ?? n;
}

const MENTIONS = /Exception|The model returned|Input is too long|Model access is denied|Service: Bedrock/;

export function recogniseBedrock(text: string): Anchor[] {
  if (!MENTIONS.test(text)) return [];
  const anchors: Anchor[] = [];
  const covered: [number, number][] = [];
  const add = (start: number, end: number, name: string | undefined, message: string | undefined, promote: boolean) => {
    const errorClass = name ? canonical(name) : undefined;
    const status = errorClass ? STATUS[errorClass] : undefined;
    anchors.push({
      start,
      end,
      rank: RANK.platform,
      strength: message || !promote ? 'weak' : 'enrich',
      promote,
      fields: {
        platform: 'bedrock',
        ...(errorClass ? { errorClass } : {}),
        ...(status ? { status } : {}),
        ...(message ? { message: message.trim() } : {}),
      },
    });
    covered.push([start, end]);
  };
  BOTOCORE.lastIndex = 0;
  for (let m = BOTOCORE.exec(text); m; m = BOTOCORE.exec(text)) {
    add(m.index, m.index + m[0].length, m[1], m[3] || undefined, true);
  }
  NAMED.lastIndex = 0;
  for (let m = NAMED.exec(text); m; m = NAMED.exec(text)) {
    const end = m.index + m[0].length;
    if (covered.some(([s, e]) => m!.index < e && end > s)) continue;
    const message = m[2] ?? m[3];
    add(m.index, m.index + m[0].length, m[1], message, true);
  }
  if (text.includes('(Service: Bedrock')) {
    JAVA.lastIndex = 0;
    for (let m = JAVA.exec(text); m; m = JAVA.exec(text)) {
      if (covered.some(([s, e]) => m!.index >= s && m!.index < e)) continue;
      anchors.push({ start: m.index, end: m.index + m[0].length, rank: RANK.platform, strength: 'weak', fields: { platform: 'bedrock', status: Number(m[2]), message: m[1]!.trim() } });
    }
  }
  for (const [words, re, name] of SENTENCES) {
    if (!text.includes(words)) continue;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (covered.some(([s, e]) => m!.index >= s && m!.index < e)) continue;
      add(m.index, m.index + m[0].length, name, m[0], false);
    }
  }
  WRAPPED.lastIndex = 0;
  for (let m = WRAPPED.exec(text); m; m = WRAPPED.exec(text)) {
    if (covered.some(([s, e]) => m!.index >= s && m!.index < e)) continue;
    add(m.index, m.index + m[0].length, undefined, m[1], false);
  }
  return anchors;
}
