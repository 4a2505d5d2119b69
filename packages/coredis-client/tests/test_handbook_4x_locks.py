"""The coredis 4.x handbook's lock recipe page on a standalone client: the ``LuaLock``
docstring example the page pulls in (autodoc), run as written with ``coredis.Redis()``
pointed at the test server (RESP2 and RESP3) and ``asyncio.run(test())`` awaited in the
test's loop, and the class's documented behaviour: a ``LockError`` when released after
expiry or when not owned, and no replication wait on a standalone client. The cluster
variant is in coredis-cluster's ``test_handbook_4x.py``.
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

import pytest

import coredis
from coredis.exceptions import LockError
from coredis.recipes.locks import LuaLock

pytestmark = pytest.mark.redis

PROTOCOLS = pytest.mark.parametrize("protocol", [2, 3], ids=["resp2", "resp3"])


@PROTOCOLS
async def test_lua_lock_docstring_example(
    redis_clean: Any, protocol: Literal[2, 3], capsys: Any
) -> None:
    host, port = redis_clean.host, redis_clean.port
    ttl_after_extend: list[int] = []

    async def test() -> None:
        client = coredis.Redis(host, port, protocol_version=protocol)
        async with LuaLock(client, "mylock", timeout=1.0):
            # do stuff
            await asyncio.sleep(0.5)
            # lock is implictly released when the context manager exits
        try:
            async with LuaLock(client, "mylock", timeout=1.0):
                # do stuff that takes too long
                await asyncio.sleep(1)
                # lock will raise upon exiting the context manager
        except LockError as err:
            # roll back stuff
            print(f"Expected error: {err}")
        lock = LuaLock(client, "mylock", timeout=1.0)
        await lock.acquire()
        # do stuff
        await asyncio.sleep(0.5)
        # do more stuff
        await lock.extend(1.0)
        ttl_after_extend.append(await client.pttl("mylock"))  # (the test's)
        await lock.release()
        assert await client.exists(["mylock"]) == 0  # (the test's)
        await client.aclose()  # (the test's)

    await test()
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 1 and printed[0].startswith("Expected error: ")
    # extend(1.0) added a second to the half second left
    assert 1000 < ttl_after_extend[0] <= 1500


@PROTOCOLS
async def test_release_of_a_lock_not_owned(redis_clean: Any, protocol: Literal[2, 3]) -> None:
    client = coredis.Redis(redis_clean.host, redis_clean.port, protocol_version=protocol)
    lock = LuaLock(client, "mylock", timeout=5)
    with pytest.raises(LockError):
        await lock.release()  # never acquired
    assert await lock.acquire() is True
    # another holder cannot take it without blocking, nor release it
    other = LuaLock(client, "mylock", timeout=5, blocking=False)
    assert await other.acquire() is False
    with pytest.raises(LockError):
        await other.release()
    waiting = LuaLock(client, "mylock", timeout=5, sleep=0.05, blocking_timeout=0.2)
    assert await waiting.acquire() is False
    # the owner's token is untouched
    assert await client.exists(["mylock"]) == 1
    await lock.release()
    assert await client.exists(["mylock"]) == 0
    await client.aclose()


@PROTOCOLS
async def test_standalone_lock_waits_for_no_replication(
    redis_clean: Any, protocol: Literal[2, 3]
) -> None:
    # the replication wait of the recipe is a cluster matter: on Redis, no WAIT
    client = coredis.Redis(redis_clean.host, redis_clean.port, protocol_version=protocol)
    await client.config_resetstat()
    lock = LuaLock(client, "mylock", timeout=5)
    assert lock.replication_factor == 0
    async with lock:
        assert await client.exists(["mylock"]) == 1
    info = await client.info("commandstats")
    assert "cmdstat_wait" not in info
    await client.aclose()
