# Retry overloaded (529), 500, 503, 504, connection errors and timeouts with exponential backoff, full jitter and retry-after
import random
import sys
import time
from typing import Optional

import anthropic

MODEL = "claude-sonnet-4-6"
MAX_ATTEMPTS = 5  # outer attempts; each one already includes the SDK's own retries
BASE_DELAY = 1.0  # seconds
MAX_DELAY = 30.0  # cap on a single wait
MAX_TOTAL_WAIT = 120.0  # give up rather than hang a caller forever


def log_failed_response(response) -> None:
    # The SDK's own retries are silent; this hook sees every HTTP response, so each failed
    # attempt's request-id (what support needs to trace it) reaches stderr.
    if response.status_code >= 400:
        print(f"HTTP {response.status_code} (request-id {response.headers.get('request-id', 'none')})", file=sys.stderr)


# The SDK already retries 408/409/429/5xx and connection errors with a short backoff;
# raising max_retries lets it absorb brief blips before our loop below sees anything.
client = anthropic.Anthropic(
    max_retries=4,
    http_client=anthropic.DefaultHttpxClient(event_hooks={"response": [log_failed_response]}),
)


def is_retryable(err: Exception) -> bool:
    # APITimeoutError is a subclass of APIConnectionError, so this covers timeouts too.
    if isinstance(err, anthropic.APIConnectionError):
        return True
    if isinstance(err, anthropic.APIStatusError):
        s = err.status_code
        # 200: the stream had started when an `event: error` arrived (mid-stream failure);
        # the whole call can be redone. 529 overloaded is covered by `s >= 500`.
        return s == 200 or s in (408, 409, 429) or s >= 500
    return False


def retry_after_seconds(err: Exception) -> Optional[float]:
    """Seconds the server asked us to wait, if it said."""
    if not isinstance(err, anthropic.APIStatusError):
        return None
    headers = err.response.headers
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value:
            try:
                secs = float(value) * scale
            except ValueError:
                continue  # an HTTP date: rare here, fall back to our own backoff
            if secs > 0:
                return secs
    return None


def request_id(err: Exception) -> str:
    return getattr(err, "request_id", None) or "none"


waited = 0.0
attempt = 0
while True:
    attempt += 1
    try:
        message = client.messages.create(
            model=MODEL,
            max_tokens=1024,
            messages=[{"role": "user", "content": "Say hello."}],
        )
        print("".join(block.text for block in message.content if block.type == "text"))
        sys.exit(0)
    except anthropic.APIError as err:
        if not is_retryable(err):
            # A 4xx like 400/401/403/404/413 fails the same way every time: retrying only burns quota.
            status = getattr(err, "status_code", "?")
            print(f"giving up: not retryable: {status} {err.message} (request-id {request_id(err)})", file=sys.stderr)
            sys.exit(1)
        # The request id is what support needs to trace a failure; log every one.
        status = getattr(err, "status_code", "connection")
        print(f"attempt {attempt} failed: {status} {type(err).__name__} (request-id {request_id(err)})", file=sys.stderr)
        # Full jitter spreads out many clients that failed at the same moment, so they don't retry in lockstep.
        backoff = random.uniform(0, min(MAX_DELAY, BASE_DELAY * 2 ** (attempt - 1)))
        # Never wait less than the server asked for; the total cap below bounds a huge retry-after.
        delay = max(backoff, retry_after_seconds(err) or 0.0)
        if attempt >= MAX_ATTEMPTS or waited + delay > MAX_TOTAL_WAIT:
            print(f"giving up after {attempt} attempts: {err.message} (request-id {request_id(err)})", file=sys.stderr)
            sys.exit(1)
        waited += delay
        time.sleep(delay)
