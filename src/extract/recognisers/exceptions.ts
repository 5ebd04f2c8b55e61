// Exception names (Python tracebacks, Node stacks, wrappers) and the SSE `event: error` marker.
// They add facts to the error they sit next to; alone they are an event only when unmistakable.
import { RANK, type Anchor } from '../anchor.js';

const ANTHROPIC_PY = /\banthropic\.(?:_exceptions\.)?([A-Z]\w*(?:Error|Exception))\b/g;
const SDK_CLASS =
  /\b(APIStatusError|APIConnectionError|APIConnectionTimeoutError|APITimeoutError|APIUserAbortError|APIError|BadRequestError|AuthenticationError|PermissionDeniedError|NotFoundError|ConflictError|UnprocessableEntityError|RateLimitError|InternalServerError|OverloadedError|ServiceUnavailableError|GatewayTimeoutError|RequestTooLargeError|ContentTooLargeError|PaymentRequiredError|DeadlineExceededError|ConnectError)\b/g;
const SSE_ERROR = /event:\s*error\b/g;
const AI_SDK = /\bAI_(?:RetryError|APICallError)\b|Failed after \d+ attempts\. Last error:/g;

export function recogniseExceptions(text: string): Anchor[] {
  const anchors: Anchor[] = [];
  const seen = new Set<number>();
  if (text.includes('anthropic.')) {
    ANTHROPIC_PY.lastIndex = 0;
    for (let m = ANTHROPIC_PY.exec(text); m; m = ANTHROPIC_PY.exec(text)) {
      seen.add(m.index + m[0].length - m[1]!.length);
      anchors.push({
        start: m.index,
        end: m.index + m[0].length,
        rank: RANK.enrich,
        strength: 'enrich',
        wantsStatus: true,
        promote: true,
        fields: { errorClass: m[1]!, client: 'python' },
      });
    }
  }
  SDK_CLASS.lastIndex = 0;
  for (let m = SDK_CLASS.exec(text); m; m = SDK_CLASS.exec(text)) {
    if (seen.has(m.index)) continue;
    anchors.push({ start: m.index, end: m.index + m[0].length, rank: RANK.enrich, strength: 'enrich', fields: { errorClass: m[1]! } });
  }
  SSE_ERROR.lastIndex = 0;
  for (let m = SSE_ERROR.exec(text); m; m = SSE_ERROR.exec(text)) {
    anchors.push({ start: m.index, end: m.index + m[0].length, rank: RANK.enrich, strength: 'enrich', fields: { stream: true } });
  }
  AI_SDK.lastIndex = 0;
  for (let m = AI_SDK.exec(text); m; m = AI_SDK.exec(text)) {
    anchors.push({ start: m.index, end: m.index + m[0].length, rank: RANK.enrich, strength: 'enrich', fields: { client: 'ai-sdk' } });
  }
  return anchors;
}
