// Google-style envelopes `{"error": {"code": 429, "message": ..., "status": "RESOURCE_EXHAUSTED"}}`:
// Vertex AI's own errors, and Vertex wrapping an Anthropic body as a string in `message`.
import { RANK, type Anchor } from '../anchor.js';
import { findKeys, readValue, squeeze } from '../values.js';

const GOOGLE_STATUS = /^(?:RESOURCE_EXHAUSTED|INVALID_ARGUMENT|FAILED_PRECONDITION|PERMISSION_DENIED|NOT_FOUND|UNAVAILABLE|DEADLINE_EXCEEDED|INTERNAL|UNAUTHENTICATED|ABORTED|OUT_OF_RANGE|UNIMPLEMENTED|CANCELLED)$/;

export function recogniseGoogle(text: string): Anchor[] {
  if (!/[A-Z]_[A-Z]|UNAVAILABLE|INTERNAL|UNAUTHENTICATED/.test(text)) return [];
  const keys = findKeys(text);
  const anchors: Anchor[] = [];
  keys.forEach((hit, i) => {
    if (hit.key !== 'status') return;
    const read = readValue(text, hit.valueStart);
    if (!read?.quoted || !GOOGLE_STATUS.test(read.value)) return;
    // The code and message come before the status in Google's envelope.
    let code: number | undefined;
    let message: string | undefined;
    let start = hit.start;
    for (let k = i - 1; k >= 0 && hit.start - keys[k]!.start < 6000; k--) {
      const prior = keys[k]!;
      if (prior.key === 'status') break;
      if (prior.key === 'code' && code === undefined) {
        const v = readValue(text, prior.valueStart);
        const n = v ? Number.parseInt(v.value, 10) : NaN;
        if (n >= 100 && n <= 599) {
          code = n;
          start = Math.min(start, prior.start);
        }
      }
      if (prior.key === 'message' && message === undefined) {
        const value = readValue(text, prior.valueStart)?.value;
        message = value && squeeze(value);
        start = Math.min(start, prior.start);
      }
    }
    anchors.push({
      start,
      end: read.end,
      rank: RANK.wrapper,
      strength: 'weak',
      fields: {
        type: read.value,
        ...(code !== undefined ? { status: code } : {}),
        ...(message ? { message } : {}),
      },
    });
  });
  return anchors;
}
