// Fail fast on errors a retry cannot fix (400, 401, 403, 404, 413): check key and model, then one call, no retries
import Anthropic from '@anthropic-ai/sdk';

const MODEL = 'claude-sonnet-4-6';

// The SDK reads ANTHROPIC_API_KEY itself, but only complains when the first request is made;
// checking up front gives a clear message instead.
if (!process.env['ANTHROPIC_API_KEY']?.trim()) {
  console.error('giving up: ANTHROPIC_API_KEY is not set; create a key in Console → API keys and export it');
  process.exit(1);
}

// maxRetries: 0 because these errors come back identical on every attempt: retrying only delays
// the message you need to read.
const client = new Anthropic({ maxRetries: 0 });

function report(err: unknown): never {
  if (err instanceof Anthropic.APIError) {
    // status, type and request-id say whose problem it is; quote the request-id to support.
    console.error(
      `giving up: ${err.status ?? 'no status'} ${err.type ?? err.name}: ${err.apiMessage ?? err.message} (request-id ${err.requestID ?? 'none'})`,
    );
  } else {
    console.error(`giving up: ${err instanceof Error ? err.message : String(err)}`);
  }
  process.exit(1);
}

// A retired or misspelled model id is a 404 on every call; catch it before doing real work.
try {
  await client.models.retrieve(MODEL);
} catch (err) {
  if (err instanceof Anthropic.NotFoundError) {
    console.error(`giving up: model "${MODEL}" does not exist for this key; use a current id such as claude-sonnet-4-6 (request-id ${err.requestID ?? 'none'})`);
    process.exit(1);
  }
  report(err);
}

try {
  const msg = await client.messages.create({
    model: MODEL,
    max_tokens: 1024,
    messages: [{ role: 'user', content: 'Say hello.' }],
  });
  console.log(msg.content.map((b) => (b.type === 'text' ? b.text : '')).join(''));
  process.exit(0);
} catch (err) {
  report(err);
}
