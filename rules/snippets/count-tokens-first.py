# Count tokens before sending: trim the oldest turns and lower max_tokens so the prompt fits the context window
import sys

import anthropic

MODEL = "claude-sonnet-4-6"
CONTEXT_WINDOW = 200_000  # input + max_tokens must fit in this
WANTED_MAX_TOKENS = 4096
MIN_MAX_TOKENS = 512  # an answer shorter than this is not worth sending for

client = anthropic.Anthropic()

system = "You are a concise assistant."
# Older turns first. In a real program this is your stored conversation.
history = [
    {"role": "user", "content": "Summarise chapter 1."},
    {"role": "assistant", "content": "Chapter 1 introduces the crew."},
    {"role": "user", "content": "And chapter 2?"},
    {"role": "assistant", "content": "Chapter 2 is the storm."},
]
question = {"role": "user", "content": "What happens in chapter 3?"}

try:
    # A prompt that is too long fails the same way on every retry, so measure instead of retrying.
    while True:
        count = client.messages.count_tokens(model=MODEL, system=system, messages=history + [question])
        room = CONTEXT_WINDOW - count.input_tokens
        if room >= MIN_MAX_TOKENS:
            break
        if not history:
            print(
                f"giving up: the latest message alone is {count.input_tokens} tokens, "
                f"too long for a {CONTEXT_WINDOW}-token context; shorten it",
                file=sys.stderr,
            )
            sys.exit(1)
        # Drop a whole user/assistant pair: dropping one message breaks role alternation, and
        # splitting a tool_use from its tool_result is itself a 400.
        history = history[2:]
        print(f"prompt is {count.input_tokens} tokens; dropped the oldest turn pair ({len(history) // 2} left)", file=sys.stderr)

    # Input plus max_tokens must fit too ("input length and `max_tokens` exceed context limit").
    max_tokens = min(WANTED_MAX_TOKENS, room)
    message = client.messages.create(model=MODEL, system=system, max_tokens=max_tokens, messages=history + [question])
    print("".join(block.text for block in message.content if block.type == "text"))
    sys.exit(0)
except anthropic.APIStatusError as err:
    print(f"giving up: {err.status_code} {err.message} (request-id {err.request_id or 'none'})", file=sys.stderr)
    sys.exit(1)
except anthropic.APIConnectionError as err:
    print(f"giving up: cannot reach the API: {err.message}", file=sys.stderr)
    sys.exit(1)
