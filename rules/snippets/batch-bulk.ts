// Send bulk work as a Message Batch: no per-minute rate limits to fight, results by custom_id when it ends
import Anthropic, { type APIError } from '@anthropic-ai/sdk';

const MODEL = 'claude-sonnet-4-6';
const POLL_MS = 500; // real batches take minutes to hours; poll every 30-60 s in production
const MAX_POLL_MS = 24 * 3600_000; // a batch expires 24 h after creation

const client = new Anthropic();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const prompts: Record<string, string> = {
  'colour-1': 'Name a colour.',
  'fruit-1': 'Name a fruit.',
  'planet-1': 'Name a planet.',
};

try {
  // Batched requests are processed asynchronously and do not count against the Messages API's
  // per-minute limits; custom_id is how results come back, since they may arrive in any order.
  const batch = await client.messages.batches.create({
    requests: Object.entries(prompts).map(([custom_id, content]) => ({
      custom_id,
      params: { model: MODEL, max_tokens: 256, messages: [{ role: 'user', content }] },
    })),
  });
  console.error(`created ${batch.id}`);

  const started = Date.now();
  let status = batch.processing_status;
  while (status !== 'ended') {
    if (Date.now() - started > MAX_POLL_MS) {
      console.error(`giving up: batch ${batch.id} has not ended after 24 h`);
      process.exit(1);
    }
    await sleep(POLL_MS);
    status = (await client.messages.batches.retrieve(batch.id)).processing_status;
  }

  for await (const item of await client.messages.batches.results(batch.id)) {
    const r = item.result;
    if (r.type === 'succeeded') {
      console.log(`${item.custom_id}: succeeded: ${r.message.content.map((b) => (b.type === 'text' ? b.text : '')).join('')}`);
    } else if (r.type === 'errored') {
      // invalid_request_error needs a fix before resubmitting; overloaded/api errors can be resubmitted as is.
      console.log(`${item.custom_id}: errored: ${r.error.error.type}: ${r.error.error.message}`);
    } else {
      console.log(`${item.custom_id}: ${r.type}`); // expired or canceled: resubmit in a new batch
    }
  }
  process.exit(0);
} catch (err) {
  const e = err as Partial<APIError>;
  console.error(`giving up: ${e.message ?? String(err)} (request-id ${e.requestID ?? 'none'})`);
  process.exit(1);
}
