// Restart a streamed call when it fails mid-stream (event: error after HTTP 200), which SDK retries do not cover
import Anthropic, { type APIError } from '@anthropic-ai/sdk';

const MODEL = 'claude-sonnet-4-6';
const MAX_ATTEMPTS = 4;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;

// The SDK retries errors that arrive as an HTTP status before the stream starts. Once the 200 and
// the first events have gone out, an `event: error` (overloaded_error, api_error) is thrown to us
// as an APIError with status undefined, and only restarting the whole call recovers from it.
const client = new Anthropic();

function isRetryable(err: unknown): err is APIError {
  if (err instanceof Anthropic.APIUserAbortError) return false;
  if (err instanceof Anthropic.APIConnectionError) return true; // dropped mid-stream or before it
  if (!(err instanceof Anthropic.APIError)) return false;
  const s = err.status;
  return s === undefined || s === 408 || s === 409 || s === 429 || s >= 500;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (let attempt = 1; ; attempt++) {
  let text = '';
  try {
    const stream = client.messages.stream({
      model: MODEL,
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Write a haiku about retries.' }],
    });
    stream.on('text', (delta) => {
      text += delta;
    });
    await stream.finalMessage(); // rejects if the stream ends in an error event
    console.log(text);
    process.exit(0);
  } catch (err) {
    if (!isRetryable(err)) {
      const e = err as Partial<APIError>;
      console.error(`giving up: not retryable: ${e.message ?? String(err)} (request-id ${e.requestID ?? 'none'})`);
      process.exit(1);
    }
    // Discard the partial text on purpose: the restarted call generates a fresh answer, and gluing
    // two different generations together would produce text the model never wrote. (If you show
    // output live, clear it here; if you must keep it, save it separately, do not concatenate.)
    console.error(
      `attempt ${attempt} failed mid-stream after ${text.length} chars: ${err.type ?? err.status ?? err.name} (request-id ${err.requestID ?? 'none'}); discarding partial output`,
    );
    text = '';
    if (attempt >= MAX_ATTEMPTS) {
      console.error(`giving up after ${attempt} attempts: ${err.message}`);
      process.exit(1);
    }
    // Exponential backoff with full jitter: a mid-stream overloaded_error means the service is busy.
    await sleep(Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt));
  }
}
