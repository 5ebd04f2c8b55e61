# Fail fast on errors that no retry can fix (400, 401, 403, 404, 413): check the key and model, then call once
import os
import sys

import anthropic

MODEL = "claude-sonnet-4-6"

# The SDK only notices a missing key when the first request is made; check it up front so the
# message says what to fix instead of surfacing as a TypeError deep in a call.
if not os.environ.get("ANTHROPIC_API_KEY"):
    print("giving up: ANTHROPIC_API_KEY is not set; export your key from Console -> API keys", file=sys.stderr)
    sys.exit(1)

# max_retries=0: a 4xx fails the same way every time, so the SDK's automatic retries would only
# repeat it and delay the message you need to read.
client = anthropic.Anthropic(max_retries=0)


def describe(err: anthropic.APIStatusError) -> str:
    """status, error.type, message and request id: everything needed to fix it or ask support."""
    body = err.body if isinstance(err.body, dict) else {}
    error = body.get("error", body)
    kind = error.get("type", "unknown") if isinstance(error, dict) else "unknown"
    return f"{err.status_code} {kind}: {err.message} (request-id {err.request_id or 'none'})"


try:
    # A cheap request that proves the key works and the model id exists before any real work.
    client.models.retrieve(MODEL)
except anthropic.NotFoundError as err:
    print(
        f"giving up: model {MODEL!r} not found: it is misspelt or retired, so set MODEL to a current id "
        f"(e.g. claude-sonnet-4-6); if ANTHROPIC_BASE_URL is set, check it too ({describe(err)})",
        file=sys.stderr,
    )
    sys.exit(1)
except anthropic.AuthenticationError as err:
    print(f"giving up: the API key was rejected; check which key is set ({describe(err)})", file=sys.stderr)
    sys.exit(1)
except anthropic.APIStatusError as err:
    print(f"giving up: {describe(err)}", file=sys.stderr)
    sys.exit(1)
except anthropic.APIConnectionError as err:
    print(f"giving up: cannot reach the API ({err.message}); check the network, proxy and ANTHROPIC_BASE_URL", file=sys.stderr)
    sys.exit(1)

try:
    message = client.messages.create(
        model=MODEL,
        max_tokens=1024,
        messages=[{"role": "user", "content": "Say hello."}],
    )
    print("".join(block.text for block in message.content if block.type == "text"))
    sys.exit(0)
except anthropic.APIStatusError as err:
    # 400 bad request, 403 permission, 413 too large: fix the request or the account, then rerun.
    print(f"giving up: {describe(err)}", file=sys.stderr)
    sys.exit(1)
except anthropic.APIConnectionError as err:
    print(f"giving up: cannot reach the API ({err.message})", file=sys.stderr)
    sys.exit(1)
