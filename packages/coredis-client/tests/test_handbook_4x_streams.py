"""The examples of coredis 4.5.6's "Streams" handbook page, run as a 4.x user wrote them.

Each test is the page's code in order; only the client is the test server's (the page's
``coredis.Redis()`` is localhost:6379, somebody else's server). Two places differ from the
page, because the page itself is wrong for 4.5.6:

* ``await Consumer(client, streams=[...]`` lacks its closing parenthesis;
* in the group example 4.5.6 creates the group at ``$`` on the consumers' first fetch, so
  the 30 entries the page adds before draining would never be read (and its
  ``assert ... == 30`` fails on 4.5.6 too): the consumers are awaited (initialised, which
  creates the group) before the entries are added.

The backlog example's "bug occurring 50% of the time" uses ``random``; it is seeded so
that at least one entry stays unacknowledged, as the page's assertion expects.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from typing import Any

import pytest

import coredis

pytestmark = pytest.mark.redis


@pytest.fixture(params=[2, 3], ids=["resp2", "resp3"])
async def client(request: pytest.FixtureRequest, redis_clean: Any) -> AsyncIterator[Any]:
    # As the page's coredis.Redis(): bytes replies.
    c: coredis.Redis[bytes] = coredis.Redis(
        host=redis_clean.host, port=redis_clean.port, protocol_version=request.param
    )
    try:
        yield c
    finally:
        await c.aclose()


async def test_simple_consumer(client: Any) -> None:
    from coredis.stream import Consumer

    consumer = Consumer(client, streams=["one", "two", "three"])
    # page: `await Consumer(client, streams=["one", "two", "three"]` (missing ")")
    consumer = await Consumer(client, streams=["one", "two", "three"])

    await client.xadd("two", {"id": 1})
    stream, entry = await consumer.get_entry()
    assert stream == b"two" and entry.field_values == {b"id": b"1"}

    await client.xadd("one", {"id": 2})
    await client.xadd("three", {"id": 3})
    seen = []
    async for stream, entry in consumer:
        # do something with the entry
        seen.append((stream, entry.field_values[b"id"]))
    assert sorted(seen) == [(b"one", b"2"), (b"three", b"3")]

    # "The iterator will end the moment there are no entries returned or pending in the
    # buffer"; the page's `while True:` re-enters it for entries added later.
    await client.xadd("one", {"id": 4})
    rounds = []
    while len(rounds) < 3:
        async for stream, entry in consumer:
            rounds.append((stream, entry.field_values[b"id"]))
        rounds.append(None)
    assert rounds == [(b"one", b"4"), None, None]


async def test_consumer_configuration(client: Any) -> None:
    from coredis.stream import Consumer

    consumer = Consumer(
        client,
        streams=["one", "two", "three"],
        timeout=30 * 1000,  # 30 seconds
    )
    assert consumer.timeout == 30_000
    await consumer
    await client.xadd("three", {"id": 0})
    stream, entry = await consumer.get_entry()  # an entry is there: no waiting
    assert stream == b"three"

    consumer = Consumer(
        client,
        streams=["one", "two", "three"],
        # Will fetch upto 10 extra entries per stream
        # on every request to redis
        buffer_size=10,
        timeout=30 * 1000,  # 30 seconds
    )
    await consumer
    ids = [await client.xadd("one", {"id": i}) for i in range(12)]
    stream, entry = await consumer.get_entry()
    assert entry.identifier == ids[0]
    assert len(consumer.buffer[b"one"]) == 10
    got = [(await consumer.get_entry())[1].identifier for _ in range(11)]
    assert got == ids[1:]


async def test_group_consumers(client: Any) -> None:
    from coredis.stream import GroupConsumer

    consumer1 = GroupConsumer(
        client,
        streams=["one", "two", "three"],
        group="group-a",
        consumer="consumer-1",
        auto_acknowledge=True,
    )
    consumer2 = GroupConsumer(
        client,
        streams=["one", "two", "three"],
        group="group-a",
        consumer="consumer-2",
        auto_acknowledge=True,
    )
    # Not on the page (see the module docstring): 4.5.6 creates the group at $ on the first
    # fetch, so the consumers must be initialised before the entries are added.
    await consumer1
    await consumer2

    [await client.xadd("one", {"id": i}) for i in range(10)]
    [await client.xadd("two", {"id": i}) for i in range(10)]
    [await client.xadd("three", {"id": i}) for i in range(10)]

    async def processor(consumer: Any) -> list[Any]:
        return [(stream, entry) async for (stream, entry) in consumer]

    consumer1_results, consumer2_results = await asyncio.gather(
        processor(consumer1), processor(consumer2)
    )

    assert len(consumer1_results) + len(consumer2_results) == 30
    pairs = {(s, e.identifier) for s, e in consumer1_results + consumer2_results}
    assert len(pairs) == 30
    assert (await client.xpending("one", "group-a")).pending == 0  # auto_acknowledge


async def test_group_consumer_without_initialising_first_reads_nothing_old(client: Any) -> None:
    # The page's group example as printed, which is the 4.5.6 behaviour: the group is
    # created at $ by the first fetch, after the entries were added.
    from coredis.stream import GroupConsumer

    consumer1 = GroupConsumer(
        client, streams=["one"], group="group-a", consumer="consumer-1", auto_acknowledge=True
    )
    [await client.xadd("one", {"id": i}) for i in range(10)]
    assert [e async for e in consumer1] == []
    await client.xadd("one", {"id": 10})
    assert [e.field_values for _, e in [x async for x in consumer1]] == [{b"id": b"10"}]


async def test_backlog_management(client: Any, capsys: Any) -> None:
    from coredis.stream import GroupConsumer

    random.seed(5)  # the page's simulated bug: some entries fail, some succeed

    consumer = await GroupConsumer(
        client, streams=["one"], group="group-a", consumer="consumer-1", start_from_backlog=True
    )

    [await client.xadd("one", {"id": i}) for i in range(10)]

    # fetch all ten entries and simulate a bug occurring 50% of the time
    # when processing the entry
    async for stream, entry in consumer:
        if random.random() > 0.5:
            print("success", await client.xack(stream, consumer.group, [entry.identifier]))
        else:
            print("oh nos!")

    pending = await client.xpending("one", "group-a")
    assert pending.consumers[b"consumer-1"] > 0

    # Let's pretend the consumer crashed and started again
    # and now doesn't have a bug that fails 50% of the time
    consumer = GroupConsumer(
        client, streams=["one"], group="group-a", consumer="consumer-1", start_from_backlog=True
    )

    async for stream, entry in consumer:
        await client.xack(stream, consumer.group, [entry.identifier])

    pending = await client.xpending("one", "group-a")
    assert pending.consumers.get(b"consumer-1") is None

    out = capsys.readouterr().out.splitlines()
    assert len(out) == 10
    assert {line.split()[0] for line in out} == {"success", "oh"}
