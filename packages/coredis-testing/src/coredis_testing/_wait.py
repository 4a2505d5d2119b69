"""Polling for a condition that the server reaches asynchronously (invalidations, failovers)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

__all__ = ("eventually",)


async def eventually(
    check: Callable[[], Awaitable[bool]],
    what: str,
    timeout: float = 5.0,
    interval: float = 0.01,
) -> None:
    """Await ``check()`` every ``interval`` seconds until it returns true.

    :raises AssertionError: naming ``what`` when ``timeout`` seconds pass first.

    Cancelling it stops the polling.
    """
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout}s: {what}")
        await asyncio.sleep(interval)
