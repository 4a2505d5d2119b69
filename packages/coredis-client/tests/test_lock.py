"""The Lua-free lock: mutual exclusion, expiry, ownership checks, extend."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from coredis.exceptions import LockError
from coredis_testing import ServerInfo, command

pytestmark = pytest.mark.redis


async def test_mutual_exclusion(client_resp3: Any) -> None:
    inside = 0
    peak = 0

    async def worker() -> None:
        nonlocal inside, peak
        async with client_resp3.lock("res", timeout=5, sleep=0.01):
            inside += 1
            peak = max(peak, inside)
            await asyncio.sleep(0.02)
            inside -= 1

    await asyncio.gather(*(worker() for _ in range(5)))
    assert peak == 1
    assert await client_resp3.execute_command(b"EXISTS", "res") == 0


async def test_non_blocking_and_timeout(client_resp3: Any) -> None:
    first = client_resp3.lock("res", timeout=0.3)
    second = client_resp3.lock("res", timeout=5, blocking=False)
    assert await first.acquire()
    assert await first.owned()
    assert await second.locked()
    assert not await second.acquire()
    assert not await second.owned()
    assert not await client_resp3.lock("res").acquire(blocking_timeout=0.05)
    await asyncio.sleep(0.4)  # first expired
    assert await second.acquire()
    with pytest.raises(LockError, match="no longer owned"):
        await first.release()
    assert await second.owned()  # first's release did not delete second's lock
    await second.release()
    assert not await second.locked()


async def test_release_after_the_timeout_raises(client_resp3: Any) -> None:
    # released just as the timeout runs out, when the server may still hold the key for a
    # millisecond (it counts whole ones), or expire it between the GET and the EXEC of the
    # release: LockError every time, and the key is gone
    for _ in range(5):
        lock = client_resp3.lock("res", timeout=0.05, sleep=0.01)
        assert await lock.acquire()
        await asyncio.sleep(0.05)
        with pytest.raises(LockError, match=r"expired before it was released|no longer owned"):
            await lock.release()
        assert not await lock.locked()
    # within the timeout, and within an extended one, no error
    lock = client_resp3.lock("res", timeout=0.05, sleep=0.01)
    assert await lock.acquire()
    await lock.extend(5)
    await asyncio.sleep(0.06)
    await lock.release()
    assert not await lock.locked()


async def test_extend(client_resp3: Any, redis_clean: ServerInfo) -> None:
    lock = client_resp3.lock("res", timeout=1)
    assert await lock.acquire()
    await lock.extend(10)
    assert int(command(redis_clean, "PTTL", "res")) > 9000  # type: ignore[arg-type]
    with pytest.raises(LockError):
        await client_resp3.lock("forever").extend(1)
    await lock.release()
    with pytest.raises(LockError):
        await lock.release()


async def test_context_manager_raises_when_not_acquired(client_resp3: Any) -> None:
    holder = client_resp3.lock("res", timeout=5)
    assert await holder.acquire()
    with pytest.raises(LockError, match="could not acquire"):
        async with client_resp3.lock("res", blocking_timeout=0.05):
            pass
    await holder.release()
