// Pace requests under a 429 rate limit: wait out retry-after or the ratelimit reset, and stop on a spend cap
import Anthropic, { type APIError } from '@anthropic-ai/sdk';

const MODEL = 'claude-sonnet-4-6';
const CONCURRENCY = 2; // requests in flight at once; lower it if 429s keep coming
const MAX_ATTEMPTS = 6; // per prompt
const MAX_WAIT_MS = 120_000; // a longer wait than this means the limit is not per-minute: stop and look

// maxRetries: 0 so that the waiting below is the only waiting: the SDK would otherwise spend its
// retries on a 429 that may never clear (a spend cap) before our code even sees it.
const client = new Anthropic({ maxRetries: 0 });

// These 429s are monthly or contract spend caps: no retry-after, and nothing clears them until
// the limit is raised or the month turns. Retrying only adds more 429s.
const SPEND_CAPS = new Set(['enforced_spend_limit_reached', 'contract_spend_limit_reached']);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long the server told us to wait: retry-after, else the latest reset of an exhausted limit. */
function waitMs(err: APIError): number | undefined {
  const h = err.headers;
  if (!h) return undefined;
  const secs = Number(h.get('retry-after'));
  if (secs > 0) return secs * 1000;
  let until = 0;
  for (const kind of ['requests', 'tokens', 'input-tokens', 'output-tokens']) {
    const reset = h.get(`anthropic-ratelimit-${kind}-reset`); // RFC 3339
    if (reset && h.get(`anthropic-ratelimit-${kind}-remaining`) === '0') until = Math.max(until, Date.parse(reset) || 0);
  }
  return until > Date.now() ? until - Date.now() : undefined;
}

// One shared gate: when any request is rate limited, every worker holds off, not only the one that
// got the 429, or the others would keep hitting the same limit.
let pausedUntil = 0;

async function ask(prompt: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const pause = pausedUntil - Date.now();
    if (pause > 0) await sleep(pause);
    try {
      const msg = await client.messages.create({
        model: MODEL,
        max_tokens: 256,
        messages: [{ role: 'user', content: prompt }],
      });
      return msg.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    } catch (err) {
      if (!(err instanceof Anthropic.RateLimitError)) throw err;
      if (err.errorCode && SPEND_CAPS.has(err.errorCode)) {
        console.error(`giving up: spend limit reached (${err.errorCode}); raise it in Console → Billing, retrying will not help (request-id ${err.requestID ?? 'none'})`);
        process.exit(1);
      }
      const wait = waitMs(err) ?? 1000 * 2 ** (attempt - 1); // no header: plain backoff
      if (attempt >= MAX_ATTEMPTS || wait > MAX_WAIT_MS) {
        console.error(`giving up: still rate limited after ${attempt} attempts (next wait ${Math.round(wait / 1000)} s, request-id ${err.requestID ?? 'none'})`);
        process.exit(1);
      }
      console.error(`429 rate limited, waiting ${(wait / 1000).toFixed(1)} s (request-id ${err.requestID ?? 'none'})`);
      pausedUntil = Math.max(pausedUntil, Date.now() + wait);
    }
  }
}

/** A tiny semaphore: at most `n` calls of `fn` run at once. */
function limiter(n: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((r) => queue.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

const prompts = ['Name a colour.', 'Name a fruit.', 'Name a planet.'];
const limit = limiter(CONCURRENCY);
try {
  // Send one request on its own first: if the account cannot send at all (spend cap, bad key),
  // that costs one request rather than a burst.
  const first = await ask(prompts[0]!);
  const rest = await Promise.all(prompts.slice(1).map((p) => limit(() => ask(p))));
  for (const answer of [first, ...rest]) console.log(answer);
  process.exit(0);
} catch (err) {
  const e = err as Partial<APIError>;
  console.error(`giving up: ${e.message ?? String(err)} (request-id ${e.requestID ?? 'none'})`);
  process.exit(1);
}
