# Send bulk work as a Message Batch: no per-minute rate limits to fight, results by custom_id when it ends
import sys
import time

import anthropic

MODEL = "claude-sonnet-4-6"
POLL_SECONDS = 30  # real batches take minutes to hours; there is no point polling faster
MAX_POLL_SECONDS = 24 * 3600  # a batch expires 24 h after creation

client = anthropic.Anthropic()

prompts = {
    "colour-1": "Name a colour.",
    "fruit-1": "Name a fruit.",
    "planet-1": "Name a planet.",
}

try:
    # Batched requests are processed asynchronously and do not count against the Messages API's
    # per-minute limits; custom_id is how results come back, since they may arrive in any order.
    batch = client.messages.batches.create(
        requests=[
            {
                "custom_id": custom_id,
                "params": {
                    "model": MODEL,
                    "max_tokens": 256,
                    "messages": [{"role": "user", "content": content}],
                },
            }
            for custom_id, content in prompts.items()
        ]
    )
    print(f"created {batch.id}", file=sys.stderr)

    started = time.monotonic()
    while batch.processing_status != "ended":
        if time.monotonic() - started > MAX_POLL_SECONDS:
            print(f"giving up: batch {batch.id} has not ended after 24 h", file=sys.stderr)
            sys.exit(1)
        time.sleep(POLL_SECONDS)
        batch = client.messages.batches.retrieve(batch.id)

    for item in client.messages.batches.results(batch.id):
        result = item.result
        if result.type == "succeeded":
            text = "".join(block.text for block in result.message.content if block.type == "text")
            print(f"{item.custom_id}: succeeded: {text}")
        elif result.type == "errored":
            # invalid_request_error needs a fix before resubmitting; overloaded/api errors can be resubmitted as is.
            print(f"{item.custom_id}: errored: {result.error.error.type}: {result.error.error.message}")
        else:
            print(f"{item.custom_id}: {result.type}")  # expired or canceled: resubmit in a new batch
    sys.exit(0)
except anthropic.APIStatusError as err:
    print(f"giving up: {err.status_code} {err.message} (request-id {err.request_id or 'none'})", file=sys.stderr)
    sys.exit(1)
except anthropic.APIConnectionError as err:
    print(f"giving up: cannot reach the API: {err.message}", file=sys.stderr)
    sys.exit(1)
