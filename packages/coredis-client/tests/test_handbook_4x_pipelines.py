"""The examples of the coredis 4.x handbook's pipelines page, as 4.x users copied them.

Each test is one example of the page, in order, with ``client`` / ``r`` a ``coredis.Redis``
on the test server (RESP2 and RESP3). Where the page is wrong for coredis 4.5.6 the test
follows 4.5.6: ``execute()`` and ``transaction()`` return a tuple. The page's
``pipe = r.pipeline(transaction=False)`` needs ``await`` on 4.5.6 (``pipeline()`` is a
coroutine there); here both that line and its awaited form give the pipeline.
``WatchError`` is imported from ``coredis.exceptions``, where 4.x users import it from.
The cluster variant of the first example is in coredis-cluster's ``test_handbook_4x.py``.
"""

from __future__ import annotations

from typing import Any, Literal

import pytest

import coredis
from coredis.exceptions import WatchError
from coredis.pipeline import Pipeline

pytestmark = pytest.mark.redis

PROTOCOLS = pytest.mark.parametrize("protocol", [2, 3], ids=["resp2", "resp3"])


@pytest.fixture
async def r(redis_clean: Any, protocol: Literal[2, 3]) -> Any:
    client = coredis.Redis(redis_clean.host, redis_clean.port, protocol_version=protocol)
    yield client
    await client.aclose()


@PROTOCOLS
async def test_execute_needs_to_be_called(r: Any) -> None:
    await r.set("bar", "old")

    async def example(client: Any) -> Any:
        async with await client.pipeline() as pipe:
            await pipe.delete(["bar"])
            await pipe.set("bar", "foo")
            return await pipe.execute()  # needs to be called explicitly

    assert await example(r) == (1, True)
    assert await r.get("bar") == b"foo"


@PROTOCOLS
async def test_chained_commands_in_a_transaction(r: Any) -> None:
    await r.set("stale", 1)

    async def example(client: Any) -> None:
        async with await client.pipeline(transaction=True) as pipe:
            # will return self to send another command
            pipe = await (await pipe.flushdb()).set("foo", "bar")
            # can also directly send command
            await pipe.set("bar", "foo")
            # commands will be buffered
            await pipe.keys("*")
            res = await pipe.execute()
            # results should be in order corresponding to your command
            assert res == (True, True, True, set([b"bar", b"foo"]))

    await example(r)
    assert await r.exists(["stale"]) == 0


@PROTOCOLS
async def test_pipeline_without_transaction(r: Any) -> None:
    # The page's line as written: on 4.5.6 it needs `await` (pipeline() is a coroutine
    # there); here pipeline() returns the pipeline at once, and awaiting it (4.5.6's
    # spelling) gives the same pipeline, so both forms work.
    pipe = r.pipeline(transaction=False)
    assert isinstance(pipe, Pipeline)
    assert await pipe is pipe
    pipe = await r.pipeline(transaction=False)
    assert isinstance(pipe, Pipeline)
    await pipe.set("a", 1)
    await pipe.incr("a")
    # no MULTI/EXEC around the buffered commands: both replies come back
    assert await pipe.execute() == (True, 2)


@PROTOCOLS
async def test_watch_client_side_incr(r: Any) -> None:
    await r.set("OUR-SEQUENCE-KEY", 41)
    other = coredis.Redis(
        r.connection_pool.connection_kwargs["host"],
        r.connection_pool.connection_kwargs["port"],
        protocol_version=r.protocol_version,
    )
    attempts = 0

    async def example() -> None:
        nonlocal attempts
        async with await r.pipeline() as pipe:
            while True:
                try:
                    # put a WATCH on the key that holds our sequence value
                    await pipe.watch("OUR-SEQUENCE-KEY")
                    # after WATCHing, the pipeline is put into immediate execution
                    # mode until we tell it to start buffering commands again.
                    # this allows us to get the current value of our sequence
                    current_value = await pipe.get("OUR-SEQUENCE-KEY")
                    next_value = int(current_value) + 1
                    attempts += 1
                    if attempts == 1:
                        # (the test's) another client changes the key in between
                        await other.incr("OUR-SEQUENCE-KEY")
                    # now we can put the pipeline back into buffered mode with MULTI
                    pipe.multi()
                    await pipe.set("OUR-SEQUENCE-KEY", next_value)
                    # and finally, execute the pipeline (the set command)
                    await pipe.execute()
                    # if a WatchError wasn't raised during execution, everything
                    # we just did happened atomically.
                    break
                except WatchError:
                    # another client must have changed 'OUR-SEQUENCE-KEY' between
                    # the time we started WATCHing it and the pipeline's execution.
                    # our best bet is to just retry.
                    continue

    await example()
    # the first attempt hit a WatchError and was retried on the other client's value
    assert attempts == 2
    assert await r.get("OUR-SEQUENCE-KEY") == b"43"
    await other.aclose()


@PROTOCOLS
async def test_watch_with_explicit_reset(r: Any) -> None:
    await r.set("OUR-SEQUENCE-KEY", 1)
    resets = 0

    async def example() -> None:
        nonlocal resets
        async with await r.pipeline() as pipe:
            while 1:
                try:
                    await pipe.watch("OUR-SEQUENCE-KEY")
                    # (the page's "..."): the same increment as above
                    value = int(await pipe.get("OUR-SEQUENCE-KEY"))
                    pipe.multi()
                    await pipe.set("OUR-SEQUENCE-KEY", value + 1)
                    await pipe.execute()
                    break
                except WatchError:
                    continue
                finally:
                    await pipe.reset()
                    resets += 1
            # reset() returned the connection and left the pipeline reusable
            assert pipe.watching is False

    await example()
    assert resets == 1
    assert await r.get("OUR-SEQUENCE-KEY") == b"2"


@PROTOCOLS
async def test_transaction_helper(r: Any) -> None:
    await r.set("OUR-SEQUENCE-KEY", 9)

    async def client_side_incr(pipe: Any) -> None:
        current_value = await pipe.get("OUR-SEQUENCE-KEY")
        next_value = int(current_value) + 1
        pipe.multi()
        await pipe.set("OUR-SEQUENCE-KEY", next_value)

    # The page shows "# [True]": 4.5.6 returns the transaction's results as a tuple.
    assert await r.transaction(client_side_incr, "OUR-SEQUENCE-KEY") == (True,)
    assert await r.get("OUR-SEQUENCE-KEY") == b"10"
