"""Pipelines, transactions, WATCH, the transaction() helper and scripts inside pipelines."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import coredis
from coredis import PureToken
from coredis.exceptions import DataError, ExecAbortError, RedisError, WatchError, WrongTypeError
from coredis_testing import ServerInfo, command

pytestmark = pytest.mark.redis


@pytest.mark.parametrize("transaction", [True, False])
async def test_pipeline_queues_then_sends(client: Any, _s: Any, transaction: bool) -> None:
    async with client.pipeline(transaction=transaction) as pipe:
        assert await pipe.set("a", "1") is pipe
        await pipe.execute_command(b"INCRBY", "a", 2)
        await pipe.get("a")
        assert len(pipe) == 3
        assert await client.get("a") is None  # nothing sent yet
        assert await pipe.execute() == (True, 3, _s("3"))
        assert len(pipe) == 0
    assert await pipe.execute() == ()


async def test_await_pipeline_form(client: Any, _s: Any) -> None:
    pipe = await client.pipeline(transaction=False)
    await pipe.set("k", "v")
    await pipe.get("k")
    assert await pipe.execute() == (True, _s("v"))


@pytest.mark.parametrize("transaction", [True, False])
async def test_errors_reported_per_command(client: Any, _s: Any, transaction: bool) -> None:
    await client.set("s", "text")
    async with client.pipeline(transaction=transaction) as pipe:
        await pipe.set("a", "1")
        await pipe.execute_command(b"LPUSH", "s", "x")  # WRONGTYPE at run time
        await pipe.get("a")
        results = await pipe.execute(raise_on_error=False)
    assert results[0] is True
    assert isinstance(results[1], WrongTypeError)
    assert results[2] == _s("1")
    async with client.pipeline(transaction=transaction) as pipe:
        await pipe.execute_command(b"LPUSH", "s", "x")
        await pipe.set("b", "2")
        with pytest.raises(WrongTypeError) as raised:
            await pipe.execute()
    assert await client.get("b") == _s("2")  # the others still ran
    notes = getattr(raised.value, "__notes__", ["raised by command #1 (LPUSH)"])
    assert "raised by command #1 (LPUSH)" in notes[0]
    assert client.connection_pool.statistics().discarded == 0


@pytest.mark.parametrize("transaction", [True, False])
async def test_uniform_callbacks_in_batch(client: Any, _s: Any, transaction: bool) -> None:
    # every entry with one callback and no options: converted in one pass (BATCH_FORMS),
    # with the same values, errors in place, a refused SET NX still False
    async with client.pipeline(transaction=transaction) as pipe:
        for index in range(20):
            await pipe.set(f"k{index}", "v")
        assert await pipe.execute() == (True,) * 20
    async with client.pipeline(transaction=transaction) as pipe:
        await pipe.rename("k0", "r0")
        await pipe.rename("missing", "r1")  # an error reply: stays in place
        await pipe.rename("k1", "r1")
        results = await pipe.execute(raise_on_error=False)
        assert results[0] is True and results[2] is True
        assert isinstance(results[1], RedisError)
        for index in range(3):
            await pipe.renamenx(f"k{index + 2}", "r0" if index == 1 else f"n{index}")
        assert await pipe.execute() == (True, False, True)
        for _ in range(3):
            await pipe.incrbyfloat("f", 0.5)
        assert await pipe.execute() == (0.5, 1.0, 1.5)
        for index in range(3):  # no batch form: the callback still gets the version
            await pipe.hgetall(f"h{index}")
        assert await pipe.execute() == ({}, {}, {})
        await pipe.rename("missing", "r1")
        await pipe.rename("missing", "r2")
        with pytest.raises(RedisError):
            await pipe.execute()


@pytest.mark.parametrize("transaction", [True, False])
async def test_options_stay_with_their_command(client: Any, transaction: bool) -> None:
    # the options of some commands (SET ... GET passes get=True to its callback) are kept
    # by position: each reaches its own command's callback, and no other
    def value(text: str) -> Any:
        return text if client.decode_responses else text.encode()

    async with client.pipeline(transaction=transaction) as pipe:
        await pipe.set("a", "1")
        await pipe.set("a", "2", get=True)  # the old value
        await pipe.set("b", "3")
        await pipe.set("b", "4", condition=PureToken.XX, get=True)  # (NX with GET: 7.0+)
        await pipe.execute_command(b"GET", "a")
        await pipe.set("c", "5", get=True)  # nothing before
        assert await pipe.execute() == (True, value("1"), True, value("3"), value("2"), None)
        # and after execute(), the next queue starts without the last one's options
        await pipe.set("a", "6")
        await pipe.set("c", "7", get=True)
        assert await pipe.execute() == (True, value("5"))


async def test_execute_command_needs_a_name(client: Any) -> None:
    async with client.pipeline() as pipe:
        with pytest.raises(TypeError, match="name first"):
            await pipe.execute_command()
        assert len(pipe) == 0
        with pytest.raises(TypeError, match="twice"):
            await pipe.execute_command("k", command=b"GET")
        assert len(pipe) == 0
        await pipe.execute_command(command=b"PING")  # (the 4.x parameter's name)
        assert await pipe.execute() == ("PONG" if client.decode_responses else b"PONG",)


async def test_transaction_discarded_on_queue_error(client: Any) -> None:
    async with client.pipeline() as pipe:
        await pipe.set("a", "1")
        await pipe.execute_command(b"SET", "a")  # wrong number of arguments
        with pytest.raises(ExecAbortError, match="#2"):
            await pipe.execute()
    assert await client.get("a") is None


async def test_pipeline_is_one_write_and_atomic(redis_clean: ServerInfo) -> None:
    command(redis_clean, "CONFIG", "RESETSTAT")
    async with coredis.Redis(host=redis_clean.host, port=redis_clean.port) as client:
        async with client.pipeline() as pipe:
            for i in range(100):
                await pipe.execute_command(b"RPUSH", "l", i)
            results = await pipe.execute()
        assert results == tuple(range(1, 101))
        stats = command(redis_clean, "INFO", "commandstats", decode=True)
        assert "cmdstat_multi:calls=1," in str(stats)
        assert "cmdstat_exec:calls=1," in str(stats)


async def test_watch_conflict_raises_watch_error(client: Any, redis_clean: ServerInfo) -> None:
    await client.set("balance", "10")
    async with client.pipeline() as pipe:
        await pipe.watch("balance")
        # Immediate mode: reads happen now, on the pipeline's connection.
        balance = int(await pipe.get("balance"))
        command(redis_clean, "SET", "balance", "0")  # someone else writes
        pipe.multi()
        await pipe.set("balance", str(balance - 1))
        with pytest.raises(WatchError):
            await pipe.execute()
    assert int(await client.get("balance")) == 0


async def test_watch_without_conflict(client: Any, _s: Any) -> None:
    await client.set("k", "1")
    async with client.pipeline(watches=["k"]) as pipe:
        assert pipe.watching
        value = int(await pipe.get("k"))
        pipe.multi()
        await pipe.set("k", str(value + 1))
        await pipe.get("k")
        assert await pipe.execute() == (True, _s("2"))


async def test_multi_rules(client: Any) -> None:
    async with client.pipeline() as pipe:
        pipe.multi()
        with pytest.raises(RedisError):
            pipe.multi()
        with pytest.raises(RedisError):
            await pipe.watch("k")
    async with client.pipeline() as pipe:
        await pipe.set("k", "v")
        with pytest.raises(RedisError):
            pipe.multi()


async def test_unwatch_and_reset_return_connection(client: Any) -> None:
    pipe = await client.pipeline(watches=["k"])
    await pipe.unwatch()
    assert not pipe.watching
    await pipe.reset()
    assert client.connection_pool.statistics().in_use == 0


@pytest.mark.parametrize("cancel", [False, True])
async def test_failed_watch_on_entry_returns_the_connection(client: Any, cancel: bool) -> None:
    # __aenter__ raising skips __aexit__: the pipeline must not keep the connection (the
    # pipeline stays referenced here, so its __del__ cannot be what gives it back)
    pool = client.connection_pool
    if cancel:
        pipe = client.pipeline(watches=["k"])
        entering = asyncio.ensure_future(pipe.__aenter__())
        for _ in range(1000):  # (until it has checked a connection out)
            if pool.statistics().in_use:
                break
            await asyncio.sleep(0)
        assert pool.statistics().in_use == 1
        entering.cancel()
        with pytest.raises(asyncio.CancelledError):
            await entering
    else:
        pipe = client.pipeline(watches=[None])
        with pytest.raises(DataError):
            async with pipe:
                pass
    assert pool.statistics().in_use == 0
    assert not pipe.watching
    assert await client.ping()


async def test_transaction_helper_retries_on_watch_error(
    client: Any, redis_clean: ServerInfo
) -> None:
    await client.set("counter", "0")
    attempts = 0

    async def incr(pipe: Any) -> str:
        nonlocal attempts
        attempts += 1
        value = int(await pipe.get("counter"))
        if attempts == 1:
            command(redis_clean, "SET", "counter", "100")
        pipe.multi()
        await pipe.set("counter", str(value + 1))
        return "done"

    assert await client.transaction(incr, "counter") == (True,)
    assert attempts == 2
    assert int(await client.get("counter")) == 101
    assert await client.transaction(incr, "counter", value_from_callable=True) == "done"
    assert int(await client.get("counter")) == 102


async def test_cancelled_execute_does_not_poison_pool(redis_clean: ServerInfo) -> None:
    async with coredis.Redis(
        host=redis_clean.host, port=redis_clean.port, max_connections=1
    ) as client:
        pipe = client.pipeline(transaction=False)
        await pipe.execute_command(b"SET", "k", "v")
        await pipe.execute_command(b"BLPOP", "nothing", 5)
        task = asyncio.create_task(pipe.execute())
        await asyncio.sleep(0.1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert await client.execute_command(b"GET", "k") == b"v"
        assert client.connection_pool.statistics().in_use == 0


async def test_script_in_pipeline_is_loaded_first(client: Any, _s: Any) -> None:
    script = client.register_script("return redis.call('INCRBY', KEYS[1], ARGV[1])")
    async with client.pipeline() as pipe:
        await script(keys=["n"], args=[5], client=pipe)
        await script(keys=["n"], args=[2], client=pipe)
        assert await pipe.execute() == (5, 7)


@pytest.mark.parametrize("transaction", [True, False])
async def test_raw_bytes_command_in_decoding_pipeline(client_str: Any, transaction: bool) -> None:
    await client_str.set("k", "v")
    async with client_str.pipeline(transaction=transaction) as pipe:
        await pipe.execute_command(b"DUMP", "k", decode=False)
        await pipe.execute_command(b"GET", "k")
        await pipe.execute_command(b"HSET", "h", "f", "x")
        await pipe.execute_command(b"HGETALL", "h")
        dump, value, added, mapping = await pipe.execute()
    assert isinstance(dump, bytes)
    assert value == "v"
    assert added == 1
    assert mapping in ({"f": "x"}, ["f", "x"])
    assert await client_str.execute_command(b"RESTORE", "copy", 0, dump) == "OK"
    assert await client_str.get("copy") == "v"
