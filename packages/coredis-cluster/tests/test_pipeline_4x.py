"""Cluster pipelines as coredis 4.x programs use them: error context, misuse, transaction()."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Literal

import pytest

from coredis.cluster import RedisCluster
from coredis.exceptions import (
    RedisClusterException,
    RedisError,
    ResponseError,
    WatchError,
)

PROTOCOLS = pytest.mark.parametrize("protocol", [2, 3], ids=["resp2", "resp3"])


@pytest.fixture
async def client(redis_cluster_clean: Any) -> AsyncIterator[RedisCluster[str]]:
    c: RedisCluster[str] = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes, decode_responses=True
    )
    yield c
    await c.aclose()


@PROTOCOLS
async def test_error_names_the_failed_command(
    redis_cluster_clean: Any, protocol: Literal[2, 3]
) -> None:
    client: RedisCluster[str] = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes,
        decode_responses=True,
        protocol_version=protocol,
    )
    async with client.pipeline(transaction=False) as pipe:
        await pipe.set("word", "hello")
        await pipe.incr("word")
        await pipe.get("word")
        with pytest.raises(ResponseError) as caught:
            await pipe.execute()
    message = str(caught.value)
    assert message.startswith("Command # 2 (INCR word) of pipeline caused error: ")
    assert "not an integer" in message
    # without raise_on_error the exception is a value in its position
    async with client.pipeline(transaction=False) as pipe:
        await pipe.incr("word")
        await pipe.get("word")
        results = await pipe.execute(raise_on_error=False)
    assert isinstance(results[0], ResponseError) and results[1] == "hello"
    await client.aclose()


@PROTOCOLS
async def test_transaction_errors_name_the_command(
    redis_cluster_clean: Any, protocol: Literal[2, 3]
) -> None:
    client: RedisCluster[str] = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes,
        decode_responses=True,
        protocol_version=protocol,
    )
    # an error at run time (inside EXEC)
    async with client.pipeline(transaction=True) as pipe:
        await pipe.set("{t}word", "hello")
        await pipe.incr("{t}word")
        with pytest.raises(ResponseError, match=r"^Command # 2 \(INCR \{t\}word\) of pipeline"):
            await pipe.execute()
    # an error while queueing (wrong arity): EXECABORT, reported as the command's error
    async with client.pipeline(transaction=True) as pipe:
        await pipe.incr("{t}n")
        await pipe.execute_command(b"SET", "{t}n")
        with pytest.raises(ResponseError, match=r"^Command # 2 \(SET \{t\}n\) of pipeline"):
            await pipe.execute()
    assert await client.get("{t}n") is None  # nothing ran
    await client.aclose()


async def test_multi_and_watch_need_a_transactional_pipeline(client: RedisCluster[str]) -> None:
    async with client.pipeline(transaction=False) as pipe:
        # 4.x raised RedisClusterException from multi() and NotImplementedError from watch()
        with pytest.raises(RedisClusterException, match="no MULTI") as multi_error:
            pipe.multi()
        assert isinstance(multi_error.value, NotImplementedError)
        with pytest.raises(NotImplementedError) as watch_error:
            await pipe.watch("k")
        assert isinstance(watch_error.value, RedisClusterException)
    with pytest.raises(RedisClusterException, match="transactional"):
        client.pipeline(transaction=False, watches=["k"])


async def test_watch_misuse(client: RedisCluster[str]) -> None:
    async with client.pipeline(transaction=True) as pipe:
        with pytest.raises(RedisClusterException, match="at least one key"):
            await pipe.watch()
        pipe.multi()
        with pytest.raises(RedisError, match="after MULTI"):
            await pipe.watch("k")
        with pytest.raises(RedisError, match="nested"):
            pipe.multi()


@PROTOCOLS
async def test_transaction_queues_what_func_issues(
    redis_cluster_clean: Any, protocol: Literal[2, 3]
) -> None:
    client: RedisCluster[str] = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes,
        decode_responses=True,
        protocol_version=protocol,
    )
    await client.set("{acct}:balance", "10")

    async def deposit(pipe: Any) -> str:
        # 4.x: the commands are queued (the pipeline itself comes back) and run in MULTI/EXEC
        assert await pipe.incrby("{acct}:balance", 5) is pipe
        await pipe.get("{acct}:balance")
        return "done"

    assert await client.transaction(deposit, "{acct}:balance") == (15, "15")
    assert await client.transaction(deposit, "{acct}:balance", value_from_callable=True) == "done"
    assert await client.get("{acct}:balance") == "20"
    # without watches, too
    assert await client.transaction(deposit) == (25, "25")
    await client.aclose()


async def test_transaction_retries_when_a_watched_key_changes(
    client: RedisCluster[str], redis_cluster_clean: Any
) -> None:
    other: RedisCluster[str] = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes, decode_responses=True
    )
    await client.set("{w}:k", "1")
    calls = 0

    async def bump(pipe: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:  # someone else writes between our WATCH and EXEC
            await other.set("{w}:k", "100")
        await pipe.incr("{w}:k")

    assert await client.transaction(bump, "{w}:k") == (101,)
    assert calls == 2
    await other.aclose()


async def test_pipeline_with_watches_queues(client: RedisCluster[str]) -> None:
    await client.set("{p}:a", "1")
    async with client.pipeline(transaction=True, watches=["{p}:a"]) as pipe:
        assert await pipe.incr("{p}:a") is pipe
        await pipe.incr("{p}:b")
        assert await pipe.execute() == (2, 1)
    # a watched key changed by another connection: WatchError, nothing applied
    async with client.pipeline(transaction=True, watches=["{p}:a"]) as pipe:
        await pipe.incr("{p}:a")
        async with client.pipeline(transaction=False) as other:
            await other.set("{p}:a", "50")
            await other.execute()
        with pytest.raises(WatchError):
            await pipe.execute()
    assert await client.get("{p}:a") == "50"
