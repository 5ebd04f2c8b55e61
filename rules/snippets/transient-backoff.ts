// Retry overloaded (529), 500, 503, 504 and connection errors with exponential backoff, full jitter and retry-after
import Anthropic, { type APIError } from '@anthropic-ai/sdk';

const MODEL = 'claude-sonnet-4-6';
const MAX_ATTEMPTS = 5; // outer attempts; each one already includes the SDK's own retries
const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000; // cap on a single wait
const MAX_TOTAL_WAIT_MS = 120_000; // give up rather than hang a caller forever

// The SDK retries 408/409/429/5xx and connection errors itself (with backoff and retry-after);
// raising maxRetries covers short blips without any code of ours. Those retries are silent, so
// the fetch wrapper logs each failed attempt's request-id: it is what support needs to trace one.
const client = new Anthropic({
  maxRetries: 4,
  fetch: async (input, init) => {
    const res = await fetch(input, init);
    if (!res.ok) console.error(`HTTP ${res.status} (request-id ${res.headers.get('request-id') ?? 'none'})`);
    return res;
  },
});

function isRetryable(err: unknown): err is APIError {
  // Both of these extend APIError with status undefined, so sort them out first.
  if (err instanceof Anthropic.APIUserAbortError) return false; // we cancelled it ourselves
  if (err instanceof Anthropic.APIConnectionError) return true; // includes APIConnectionTimeoutError
  if (!(err instanceof Anthropic.APIError)) return false;
  const s = err.status;
  // status undefined: the error arrived inside a 200 response (mid-stream), so the call can be redone.
  return s === undefined || s === 408 || s === 409 || s === 429 || s >= 500;
}

/** Milliseconds the server asked us to wait, if it said. */
function retryAfterMs(err: APIError): number | undefined {
  const h = err.headers;
  if (!h) return undefined;
  const ms = Number(h.get('retry-after-ms'));
  if (ms > 0) return ms;
  const v = h.get('retry-after');
  if (!v) return undefined;
  const secs = Number(v);
  if (secs > 0) return secs * 1000;
  const date = Date.parse(v); // retry-after may also be an HTTP date
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let waited = 0;
for (let attempt = 1; ; attempt++) {
  try {
    const msg = await client.messages.create({
      model: MODEL,
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Say hello.' }],
    });
    const text = msg.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    console.log(text);
    process.exit(0);
  } catch (err) {
    if (!isRetryable(err)) {
      // A 4xx like 400/401/403/404/413 fails the same way every time: retrying only burns quota.
      const e = err as Partial<APIError>;
      console.error(`giving up: not retryable: ${e.message ?? String(err)} (request-id ${e.requestID ?? 'none'})`);
      process.exit(1);
    }
    console.error(`attempt ${attempt} failed: ${err.status ?? 'connection'} ${err.type ?? err.name} (request-id ${err.requestID ?? 'none'})`);
    // Full jitter spreads out many clients that failed at the same moment, so they don't retry in lockstep.
    const backoff = Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
    // Never wait less than the server asked for; the total cap below bounds a huge retry-after.
    const delay = Math.max(backoff, retryAfterMs(err) ?? 0);
    if (attempt >= MAX_ATTEMPTS || waited + delay > MAX_TOTAL_WAIT_MS) {
      console.error(`giving up after ${attempt} attempts: ${err.message}`);
      process.exit(1);
    }
    waited += delay;
    await sleep(delay);
  }
}
