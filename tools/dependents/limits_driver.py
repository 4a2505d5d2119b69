"""Drive limits' async Redis storages on this project (run by ``run.py`` in the dependents venv).

    python limits_driver.py '{"standalone": "async+redis://127.0.0.1:PORT", ...}'

For every storage URI and every async strategy limits offers on Redis (fixed window, moving
window, sliding window counter), one hit of a "1 per minute" limit must be allowed and the next
refused. Everything limits does is its own code, unchanged, from PyPI; only ``coredis`` is this
project. Prints one line per case; exit status 1 with every failure listed when any fails.
"""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from typing import Any

import limits
from limits import parse
from limits.aio.strategies import (
    FixedWindowRateLimiter,
    MovingWindowRateLimiter,
    SlidingWindowCounterRateLimiter,
)
from limits.storage import storage_from_string

import coredis

STRATEGIES: dict[str, Any] = {
    "fixed window": FixedWindowRateLimiter,
    "moving window": MovingWindowRateLimiter,
    "sliding window counter": SlidingWindowCounterRateLimiter,
}


async def _case(storage: Any, strategy: Any) -> str | None:
    """None when one hit is allowed and the next refused, else what happened."""
    limiter = strategy(storage)
    item = parse("1/minute")
    key = uuid.uuid4().hex  # fresh servers, but never depend on leftovers
    first = await limiter.hit(item, "dependents", key)
    second = await limiter.hit(item, "dependents", key)
    still = await limiter.test(item, "dependents", key)
    if (first, second, still) != (True, False, False):
        return f"hit, hit, test gave {first}, {second}, {still} (expected True, False, False)"
    return None


async def _drive(uris: dict[str, str]) -> list[str]:
    failures = []
    for deployment, uri in uris.items():
        try:
            storage = storage_from_string(uri)
            if not await storage.check():
                failures.append(f"{deployment}: storage.check() is False ({uri})")
                continue
        except Exception as exc:
            failures.append(f"{deployment}: storage: {type(exc).__name__}: {exc}")
            continue
        for name, strategy in STRATEGIES.items():
            try:
                problem = await _case(storage, strategy)
            except Exception as exc:
                problem = f"{type(exc).__name__}: {exc}"
            status = "OK (one hit allowed, one refused)" if problem is None else "FAILED"
            print(f"  {deployment:12} {name:24} {status}", flush=True)
            if problem is not None:
                failures.append(f"{deployment} / {name}: {problem}")
    return failures


def main() -> int:
    uris = json.loads(sys.argv[1])
    print(f"limits {limits.__version__} on coredis {coredis.__version__} ({coredis.__file__})")
    failures = asyncio.run(_drive(uris))
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
