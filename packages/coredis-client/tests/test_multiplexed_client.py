"""coredis.Redis on a MultiplexedConnectionPool: the client does not care which pool it got.
Ordinary commands share one connection; blocking commands, pipelines, transactions and
pub/sub still work, each on a connection of its own."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator

import pytest

import coredis
from coredis.exceptions import WatchError
from coredis.pool import MultiplexedConnectionPool
from coredis_testing import ServerInfo, command


@pytest.fixture
async def mux(redis_clean: ServerInfo) -> AsyncIterator[coredis.Redis[bytes]]:
    pool = MultiplexedConnectionPool(host=redis_clean.host, port=redis_clean.port)
    client: coredis.Redis[bytes] = coredis.Redis(connection_pool=pool)
    yield client
    pool.disconnect()


async def test_concurrent_commands_get_their_own_replies(mux: coredis.Redis[bytes]) -> None:
    async def worker(i: int) -> None:
        key, nonce = f"k{i}", f"{os.getpid()}-{i}".encode()
        for round_ in range(5):
            assert await mux.set(key, nonce + b"%d" % round_)
            assert await mux.get(key) == nonce + b"%d" % round_
            assert await mux.incr(f"n{i}") == round_ + 1

    await asyncio.gather(*[worker(i) for i in range(100)])
    assert mux.connection_pool.statistics().created == 1


async def test_blocking_pipeline_transaction_pubsub(
    mux: coredis.Redis[bytes], redis_clean: ServerInfo
) -> None:
    popped = asyncio.ensure_future(mux.blpop(["queue"], timeout=5))
    await asyncio.sleep(0.05)
    # The shared connection is not blocked by BLPOP: ordinary commands keep flowing.
    assert await mux.set("during", "blpop") is True
    assert await mux.rpush("queue", ["job"]) == 1
    assert await asyncio.wait_for(popped, 5) == [b"queue", b"job"]

    pipe = await mux.pipeline(transaction=False)
    for i in range(10):
        await pipe.set(f"p{i}", i)
    assert await pipe.execute() == (True,) * 10
    assert await mux.get("p9") == b"9"

    async with await mux.pipeline(transaction=True) as tx:
        await tx.watch("w")
        command(redis_clean, "SET", "w", "changed")
        tx.multi()
        await tx.set("w", "mine")
        with pytest.raises(WatchError):
            await tx.execute()
    assert await mux.get("w") == b"changed"

    pubsub = mux.pubsub()
    await pubsub.subscribe("chan")
    assert (await pubsub.get_message(timeout=2))["type"] == "subscribe"  # type: ignore[index]
    assert await mux.publish("chan", "hello") == 1
    message = await pubsub.get_message(timeout=2)
    assert message is not None and message["data"] == b"hello"
    await pubsub.unsubscribe("chan")
    await pubsub.aclose()


async def test_cancelling_one_caller_keeps_the_shared_connection(
    mux: coredis.Redis[bytes],
) -> None:
    await mux.set("key", "value")
    for _ in range(20):
        victims = [asyncio.ensure_future(mux.get("key")) for _ in range(10)]
        others = [asyncio.ensure_future(mux.echo(f"e{i}")) for i in range(50)]
        await asyncio.sleep(0)
        for victim in victims:
            victim.cancel()
        assert await asyncio.gather(*others) == [f"e{i}".encode() for i in range(50)]
    stats = mux.connection_pool.statistics()
    assert (stats.created, stats.discarded) == (1, 0)
    assert await mux.get("key") == b"value"
