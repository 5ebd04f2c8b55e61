// Count tokens before sending: trim the oldest turns and lower max_tokens so the prompt fits the context window
import Anthropic, { type APIError } from '@anthropic-ai/sdk';

const MODEL = 'claude-sonnet-4-6';
const CONTEXT_WINDOW = 200_000; // input + max_tokens must fit in this
const WANTED_MAX_TOKENS = 4096;
const MIN_MAX_TOKENS = 512; // an answer shorter than this is not worth sending for

const client = new Anthropic();

const system = 'You are a concise assistant.';
// Older turns first. In a real program this is your stored conversation.
let history: Anthropic.MessageParam[] = [
  { role: 'user', content: 'Summarise chapter 1.' },
  { role: 'assistant', content: 'Chapter 1 introduces the crew.' },
  { role: 'user', content: 'And chapter 2?' },
  { role: 'assistant', content: 'Chapter 2 is the storm.' },
];
const question: Anthropic.MessageParam = { role: 'user', content: 'What happens in chapter 3?' };

// A prompt that is too long fails the same way on every retry, so measure instead of retrying.
let room = 0;
for (;;) {
  const messages = [...history, question];
  const { input_tokens } = await client.messages.countTokens({ model: MODEL, system, messages });
  room = CONTEXT_WINDOW - input_tokens;
  if (room >= MIN_MAX_TOKENS) break;
  if (history.length === 0) {
    console.error(`giving up: the latest message alone is ${input_tokens} tokens, too long for a ${CONTEXT_WINDOW}-token context; shorten it`);
    process.exit(1);
  }
  // Drop a whole user/assistant pair: dropping one message breaks role alternation, and splitting
  // a tool_use from its tool_result is itself a 400.
  history = history.slice(2);
  console.error(`prompt is ${input_tokens} tokens; dropped the oldest turn pair (${history.length / 2} left)`);
}

// Input plus max_tokens must fit too ("input length and max_tokens exceed context limit").
const max_tokens = Math.min(WANTED_MAX_TOKENS, room);
try {
  const msg = await client.messages.create({ model: MODEL, system, max_tokens, messages: [...history, question] });
  console.log(msg.content.map((b) => (b.type === 'text' ? b.text : '')).join(''));
  process.exit(0);
} catch (err) {
  const e = err as Partial<APIError>;
  console.error(`giving up: ${e.message ?? String(err)} (request-id ${e.requestID ?? 'none'})`);
  process.exit(1);
}
