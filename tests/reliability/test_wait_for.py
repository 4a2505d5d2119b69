"""Regression: a cancellation is never swallowed by a timeout wrapper.

Python 3.10/3.11's ``asyncio.wait_for`` returns the result when the caller is cancelled
just as the awaited thing completes. The cancellation fuzz found it through pub/sub
(``get_message(timeout=...)`` returned a message to a cancelled task); every layer now
waits through ``coredis.connection.wait_for``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from coredis.connection import Connection, wait_for
from coredis.connection._timeout import _wait_for_legacy
from coredis_testing import ServerInfo

WAITERS: list[Callable[[Awaitable[Any], float], Awaitable[Any]]] = [wait_for, _wait_for_legacy]


@pytest.mark.parametrize("waiter", WAITERS, ids=["wait_for", "legacy"])
async def test_cancel_as_the_result_arrives_propagates(waiter: Any) -> None:
    queue: asyncio.Queue[str] = asyncio.Queue()
    task = asyncio.ensure_future(waiter(queue.get(), 5))
    await asyncio.sleep(0.01)
    queue.put_nowait("item")  # completes the get in the same loop step as the cancel
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert task.cancelled()


@pytest.mark.parametrize("waiter", WAITERS, ids=["wait_for", "legacy"])
async def test_cancel_as_a_future_is_resolved_propagates(waiter: Any) -> None:
    future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    task = asyncio.ensure_future(waiter(future, 5))
    await asyncio.sleep(0.01)
    future.set_result("slot")
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


@pytest.mark.parametrize("waiter", WAITERS, ids=["wait_for", "legacy"])
async def test_result_and_timeout(waiter: Any) -> None:
    future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().call_later(0.01, future.set_result, "done")
    assert await waiter(future, 1) == "done"
    pending: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    with pytest.raises(asyncio.TimeoutError):
        await waiter(pending, 0.05)
    assert pending.cancelled()
    assert await wait_for(asyncio.sleep(0, "x"), None) == "x"


@pytest.mark.redis
async def test_read_response_cancelled_as_a_push_arrives(redis_clean: ServerInfo) -> None:
    conn = Connection(host=redis_clean.host, port=redis_clean.port)
    await conn.connect()
    try:
        task = asyncio.ensure_future(conn.read_response(timeout=1))
        await asyncio.sleep(0.01)
        conn.push_messages.put_nowait(["message", b"ch", b"x"])
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # the message was not consumed by the cancelled reader: the next one gets it
        assert await conn.read_response(timeout=1) == ["message", b"ch", b"x"]
    finally:
        conn.disconnect()
