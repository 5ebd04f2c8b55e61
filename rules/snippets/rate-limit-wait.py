# Pace requests under a 429 rate limit: wait out retry-after or the ratelimit reset, and stop on a spend cap
import random
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Optional

import anthropic

MODEL = "claude-sonnet-4-6"
CONCURRENCY = 2  # requests in flight at once; lower it if 429s keep coming
MAX_ATTEMPTS = 6  # per prompt
MAX_WAIT = 120.0  # seconds; a longer wait means the limit is not per-minute: stop and look

# max_retries=0 so that the waiting below is the only waiting: the SDK would otherwise spend its
# retries on a 429 that may never clear (a spend cap) before our code even sees it.
client = anthropic.Anthropic(max_retries=0)

# These 429s are monthly or contract spend caps: no retry-after, and nothing clears them until
# the limit is raised or the month turns. Retrying only adds more 429s.
SPEND_CAPS = {"enforced_spend_limit_reached", "contract_spend_limit_reached"}

# At most CONCURRENCY calls run at once, whatever the size of the thread pool.
slots = threading.Semaphore(CONCURRENCY)
# One shared gate: when any request is rate limited, every worker holds off, not only the one
# that got the 429, or the others would keep hitting the same limit.
gate_lock = threading.Lock()
paused_until = 0.0


class SpendCapReached(Exception):
    pass


def error_code(err: anthropic.APIStatusError) -> Optional[str]:
    """error.details.error_code from the body, if the API sent one."""
    # The Python SDK has no class per error_code: read it from the decoded JSON body.
    body = err.body if isinstance(err.body, dict) else {}
    error = body.get("error", body)  # the envelope {"type": "error", "error": {...}}
    details = error.get("details") if isinstance(error, dict) else None
    code = details.get("error_code") if isinstance(details, dict) else None
    return code if isinstance(code, str) else None


def wait_seconds(err: anthropic.APIStatusError) -> Optional[float]:
    """How long the server told us to wait: retry-after, else the latest reset of an exhausted limit."""
    headers = err.response.headers
    try:
        secs = float(headers.get("retry-after", ""))
        if secs > 0:
            return secs
    except ValueError:
        pass
    until = 0.0
    for kind in ("requests", "tokens", "input-tokens", "output-tokens"):
        reset = headers.get(f"anthropic-ratelimit-{kind}-reset")  # RFC 3339, e.g. 2026-11-24T10:00:30Z
        if reset and headers.get(f"anthropic-ratelimit-{kind}-remaining") == "0":
            try:
                when = datetime.fromisoformat(reset.replace("Z", "+00:00"))  # 3.9/3.10 do not parse "Z"
            except ValueError:
                continue
            until = max(until, when.astimezone(timezone.utc).timestamp())
    now = time.time()
    return until - now if until > now else None


def ask(prompt: str) -> str:
    global paused_until
    for attempt in range(1, MAX_ATTEMPTS + 1):
        with gate_lock:
            pause = paused_until - time.time()
        if pause > 0:
            time.sleep(pause)
        try:
            with slots:
                message = client.messages.create(
                    model=MODEL,
                    max_tokens=256,
                    messages=[{"role": "user", "content": prompt}],
                )
            return "".join(block.text for block in message.content if block.type == "text")
        except anthropic.RateLimitError as err:
            code = error_code(err)
            if code in SPEND_CAPS:
                raise SpendCapReached(
                    f"spend limit reached ({code}); raise it in Console -> Billing, "
                    f"retrying will not help (request-id {err.request_id or 'none'})"
                ) from err
            # No header at all: plain exponential backoff with a little jitter.
            wait = wait_seconds(err) or (2 ** (attempt - 1) + random.uniform(0, 1))
            if attempt >= MAX_ATTEMPTS or wait > MAX_WAIT:
                raise RuntimeError(
                    f"still rate limited after {attempt} attempts "
                    f"(next wait {wait:.0f} s, request-id {err.request_id or 'none'})"
                ) from err
            print(f"429 rate limited, waiting {wait:.1f} s (request-id {err.request_id or 'none'})", file=sys.stderr)
            with gate_lock:
                paused_until = max(paused_until, time.time() + wait)
    raise RuntimeError("unreachable")


prompts = ["Name a colour.", "Name a fruit.", "Name a planet."]
try:
    # Send one request on its own first: if the account cannot send at all (spend cap, bad key),
    # that costs one request rather than a burst.
    answers = [ask(prompts[0])]
    with ThreadPoolExecutor(max_workers=len(prompts)) as pool:
        answers += list(pool.map(ask, prompts[1:]))
    for answer in answers:
        print(answer)
    sys.exit(0)
except SpendCapReached as err:
    print(f"giving up: {err}", file=sys.stderr)
    sys.exit(1)
except anthropic.APIStatusError as err:
    # Not a 429: a 400/401/403/404 here will not fix itself by waiting.
    print(f"giving up: {err.status_code} {err.message} (request-id {err.request_id or 'none'})", file=sys.stderr)
    sys.exit(1)
except (anthropic.APIError, RuntimeError) as err:
    print(f"giving up: {err}", file=sys.stderr)
    sys.exit(1)
