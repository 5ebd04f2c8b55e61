# Stream a reply and, when the stream fails midway (event: error after HTTP 200), restart the whole call with backoff
import random
import sys
import time

import anthropic

MODEL = "claude-sonnet-4-6"
MAX_ATTEMPTS = 4
BASE_DELAY = 1.0  # seconds
MAX_DELAY = 30.0

client = anthropic.Anthropic()


def stream_once() -> str:
    """One complete streamed call; raises if the stream breaks before the message ends."""
    parts = []
    with client.messages.stream(
        model=MODEL,
        max_tokens=1024,
        messages=[{"role": "user", "content": "Write a haiku about retries."}],
    ) as stream:
        for text in stream.text_stream:
            parts.append(text)
        # get_final_message() returns only once message_stop has arrived, so reaching it means
        # the reply is whole, not cut off.
        stream.get_final_message()
    return "".join(parts)


for attempt in range(1, MAX_ATTEMPTS + 1):
    try:
        print(stream_once())
        sys.exit(0)
    except anthropic.APIStatusError as err:
        # status_code 200 means the HTTP response had started and an `event: error` arrived
        # mid-stream (usually overloaded_error or api_error). Errors before the stream began
        # with 408/409/429/5xx are worth another try too; other 4xx will fail the same way again.
        retryable = err.status_code == 200 or err.status_code in (408, 409, 429) or err.status_code >= 500
        if not retryable:
            print(f"giving up: {err.status_code} {err.message} (request-id {err.request_id or 'none'})", file=sys.stderr)
            sys.exit(1)
        reason = f"{err.status_code} {err.message} (request-id {err.request_id or 'none'})"
    except anthropic.APIConnectionError as err:
        # The connection dropped or timed out during the stream.
        reason = f"connection: {err.message}"
    # The partial text is deliberately thrown away: a restarted call generates a new reply from
    # the start, and gluing its beginning onto the old fragment would duplicate or garble text.
    # (If you need what arrived, keep it for display, but do not send it back as the answer.)
    print(f"stream failed on attempt {attempt}: {reason}; restarting the whole call", file=sys.stderr)
    if attempt == MAX_ATTEMPTS:
        break
    # Exponential backoff with full jitter, so many clients cut off together do not retry together.
    time.sleep(random.uniform(0, min(MAX_DELAY, BASE_DELAY * 2 ** (attempt - 1))))

print(f"giving up: the stream failed {MAX_ATTEMPTS} times", file=sys.stderr)
sys.exit(1)
