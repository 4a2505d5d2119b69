"""``wait_for``: :func:`asyncio.wait_for` without its cancellation-swallowing race.

On Python 3.10 and 3.11, ``asyncio.wait_for(aw, timeout)`` *returns the result* instead of
raising :class:`asyncio.CancelledError` when the caller is cancelled at the moment ``aw``
completes (CPython gh-86296, fixed in 3.12 by rebuilding ``wait_for`` on
``asyncio.timeout``). A cancelled task then carries on as if nothing happened: a
pub/sub reader cancelled as a message arrived returned the message, a pool waiter
cancelled as a slot was handed to it kept the slot. Every layer of coredis waits through
this helper instead, so a cancellation always propagates.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable
from typing import TypeVar

__all__ = ("wait_for",)

_T = TypeVar("_T")


async def wait_for(aw: Awaitable[_T], timeout: float | None) -> _T:
    """Await ``aw`` for at most ``timeout`` seconds (``None``: no limit).

    :raises TimeoutError: (the builtin, which is :class:`asyncio.TimeoutError`) when
        ``aw`` did not finish in time; ``aw`` is cancelled.

    Cancelling it cancels ``aw`` and always raises :class:`asyncio.CancelledError`, even when ``aw``
    finished at the same moment.
    """
    if timeout is None:
        return await aw
    # if/else (not an early return) so that mypy checks cleanly for 3.10 and for 3.11+
    if sys.version_info >= (3, 11):
        async with asyncio.timeout(timeout):
            return await aw
    else:
        return await _wait_for_legacy(aw, timeout)


async def _wait_for_legacy(aw: Awaitable[_T], timeout: float) -> _T:
    # Python 3.10: no asyncio.timeout(); wait on a task and never return after a cancel.
    inner = asyncio.ensure_future(aw)
    try:
        await asyncio.wait({inner}, timeout=timeout)
    except asyncio.CancelledError:
        inner.cancel()
        raise
    if inner.done():
        return inner.result()
    inner.cancel()
    await asyncio.wait({inner})
    raise asyncio.TimeoutError
