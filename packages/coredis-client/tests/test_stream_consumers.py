"""coredis.stream.Consumer / GroupConsumer against a real server, RESP2/RESP3 x bytes/str."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from coredis.exceptions import StreamConsumerGroupError, StreamConsumerInitializationError
from coredis.stream import Consumer, GroupConsumer

pytestmark = pytest.mark.redis


async def _add(client: Any, stream: str, count: int, start: int = 0) -> list[Any]:
    return [await client.xadd(stream, {"i": i}) for i in range(start, start + count)]


async def _drain(consumer: Any) -> list[tuple[Any, Any]]:
    return [(stream, entry) async for stream, entry in consumer]


async def test_consumer_starts_after_the_last_entry(client: Any, _s: Any) -> None:
    await _add(client, "s", 2)
    consumer = await Consumer(client, streams=["s"])
    assert await consumer.get_entry() == (None, None)
    [new] = await _add(client, "s", 1, start=2)
    stream, entry = await consumer.get_entry()
    assert stream == _s("s")
    assert entry is not None and entry.identifier == new
    assert entry.field_values == {_s("i"): _s("2")}
    assert await consumer.get_entry() == (None, None)


async def test_consumer_initialises_on_first_fetch(client: Any) -> None:
    consumer = Consumer(client, streams=["s"])  # created in a synchronous context
    await _add(client, "s", 3)
    # Not initialised yet: the first fetch finds the last entry now, and reads after it.
    assert await consumer.get_entry() == (None, None)
    ids = await _add(client, "s", 2, start=3)
    assert [entry.identifier for _, entry in await _drain(consumer)] == ids


async def test_missing_stream_is_read_from_its_first_entry(client: Any, _s: Any) -> None:
    consumer = await Consumer(client, streams=["s"])
    ids = await _add(client, "s", 3)
    got = await _drain(consumer)
    assert [entry.identifier for _, entry in got] == ids
    assert {stream for stream, _ in got} == {_s("s")}


async def test_stream_parameters_set_the_start(client: Any) -> None:
    ids = await _add(client, "s", 3)
    consumer = Consumer(client, ["s"], s={"identifier": ids[0]})
    assert [entry.identifier for _, entry in await _drain(consumer)] == ids[1:]


async def test_buffer_size_fetches_ahead(client: Any) -> None:
    ids = await _add(client, "s", 5)
    consumer = Consumer(client, ["s"], buffer_size=2, s={"identifier": "0-0"})
    _, first = await consumer.get_entry()
    assert first is not None and first.identifier == ids[0]
    # One XREAD fetched buffer_size + 1 entries: the next two come from memory even once
    # the stream is gone.
    assert await client.delete(["s"]) == 1
    rest = [await consumer.get_entry() for _ in range(2)]
    assert [entry.identifier for _, entry in rest] == ids[1:3]
    assert await consumer.get_entry() == (None, None)


async def test_iteration_over_several_streams(client: Any, _s: Any) -> None:
    consumer = await Consumer(client, streams=["a", "b", "c"])
    ids = {name: await _add(client, name, 3) for name in ("a", "b")}
    got = await _drain(consumer)
    assert len(got) == 6
    for name in ("a", "b"):
        assert [e.identifier for s, e in got if s == _s(name)] == ids[name]
    # The iterator ended; entries added later are read by the next iteration.
    later = await _add(client, "c", 1)
    assert [e.identifier for _, e in await _drain(consumer)] == later


async def test_timeout_blocks_for_new_entries(client: Any) -> None:
    consumer = await Consumer(client, ["s"], timeout=150)
    started = time.monotonic()
    assert await consumer.get_entry() == (None, None)
    assert time.monotonic() - started >= 0.1

    async def add_soon() -> Any:
        await asyncio.sleep(0.05)
        return await client.xadd("s", {"late": 1})

    adding = asyncio.ensure_future(add_soon())
    _, entry = await Consumer(client, ["s"], timeout=5000).get_entry()
    assert entry is not None and entry.identifier == await adding


async def test_add_stream(client: Any, _s: Any) -> None:
    consumer = await Consumer(client, ["a"])
    ids = await _add(client, "b", 2)
    assert await consumer.add_stream("b", "0-0") is True
    assert "b" in consumer.streams
    got = await _drain(consumer)
    assert [(s, e.identifier) for s, e in got] == [(_s("b"), i) for i in ids]
    # Added without an identifier: read after its last entry.
    await _add(client, "c", 2)
    assert await consumer.add_stream("c") is True
    assert await consumer.get_entry() == (None, None)


async def test_cancelled_fetch_keeps_the_position(client: Any) -> None:
    consumer = await Consumer(client, ["s"], timeout=10_000)
    fetch = asyncio.ensure_future(consumer.get_entry())
    await asyncio.sleep(0.05)
    fetch.cancel()
    with pytest.raises(asyncio.CancelledError):
        await fetch
    ids = await _add(client, "s", 2)
    consumer.timeout = 0
    assert [e.identifier for _, e in await _drain(consumer)] == ids


async def test_bad_arguments_are_refused_at_construction(client: Any) -> None:
    with pytest.raises(TypeError, match="iterable of stream names"):
        Consumer(client, streams="s")
    with pytest.raises(ValueError, match="at least one stream"):
        Consumer(client, streams=[])
    with pytest.raises(ValueError, match="buffer_size"):
        Consumer(client, ["s"], buffer_size=-1)
    with pytest.raises(ValueError, match="timeout"):
        Consumer(client, ["s"], timeout=-5)
    with pytest.raises(ValueError, match="not in streams"):
        Consumer(client, ["s"], other={"identifier": "0-0"})
    with pytest.raises(ValueError, match="group and consumer"):
        GroupConsumer(client, ["s"], group="", consumer="c")


# -- group consumers ----------------------------------------------------------------------


async def _group_names(client: Any, stream: str) -> set[str]:
    groups = await client.xinfo_groups(stream)
    names = set()
    for info in groups:
        fields = {(k.decode() if isinstance(k, bytes) else k): v for k, v in info.items()}
        name = fields["name"]
        names.add(name.decode() if isinstance(name, bytes) else name)
    return names


async def test_group_is_created_at_dollar_on_initialisation(client: Any, _s: Any) -> None:
    before = await _add(client, "s", 2)
    consumer = GroupConsumer(client, ["s", "fresh"], group="g", consumer="c1")
    assert await client.exists(["fresh"]) == 0
    # Entries added before the group exists are not read by it (4.5.6 creates it at $).
    assert await consumer.get_entry() == (None, None)
    assert await _group_names(client, "s") == {"g"}
    assert await _group_names(client, "fresh") == {"g"}  # MKSTREAM
    after = await _add(client, "s", 2, start=2)
    got = await _drain(consumer)
    assert [e.identifier for _, e in got] == after
    assert not set(before) & {e.identifier for _, e in got}


async def test_existing_group_is_used_without_auto_create(client: Any) -> None:
    await client.xgroup_create("s", "g", "0", mkstream=True)
    ids = await _add(client, "s", 3)
    consumer = await GroupConsumer(client, ["s"], group="g", consumer="c1", auto_create=False)
    assert [e.identifier for _, e in await _drain(consumer)] == ids


async def test_missing_group_without_auto_create_raises(client: Any) -> None:
    await client.xgroup_create("a", "g", "$", mkstream=True)
    consumer = GroupConsumer(client, ["a", "b"], group="g", consumer="c1", auto_create=False)
    with pytest.raises(StreamConsumerInitializationError, match="'b'"):
        await consumer
    with pytest.raises(StreamConsumerInitializationError):
        await consumer.get_entry()
    assert await client.exists(["b"]) == 0


@pytest.mark.parametrize("auto_acknowledge", [False, True])
async def test_auto_acknowledge(client: Any, _s: Any, auto_acknowledge: bool) -> None:
    consumer = await GroupConsumer(
        client, ["s"], group="g", consumer="c1", auto_acknowledge=auto_acknowledge
    )
    await _add(client, "s", 4)
    assert len(await _drain(consumer)) == 4
    pending = await client.xpending("s", "g")
    assert pending.pending == (0 if auto_acknowledge else 4)
    if not auto_acknowledge:
        assert pending.consumers == {_s("c1"): 4}


async def test_two_consumers_split_the_entries(client: Any, _s: Any) -> None:
    streams = ["one", "two", "three"]
    c1, c2 = [
        await GroupConsumer(client, streams, group="g", consumer=name, auto_acknowledge=True)
        for name in ("c1", "c2")
    ]
    ids = {name: await _add(client, name, 10) for name in streams}
    # Each takes one entry first, so both are known to take part; then both drain at once.
    first = [await c1.get_entry(), await c2.get_entry()]
    got1, got2 = await asyncio.gather(_drain(c1), _drain(c2))
    got1 = [first[0], *got1]
    got2 = [first[1], *got2]
    # Identifiers are per stream (the three streams may share some): compare pairs.
    seen1 = {(_s(s), e.identifier) for s, e in got1}
    seen2 = {(_s(s), e.identifier) for s, e in got2}
    assert not seen1 & seen2
    assert seen1 | seen2 == {(_s(name), i) for name in streams for i in ids[name]}
    assert len(got1) + len(got2) == 30


async def test_buffered_group_consumer(client: Any) -> None:
    consumer = await GroupConsumer(client, ["s"], group="g", consumer="c1", buffer_size=4)
    ids = await _add(client, "s", 7)
    _, entry = await consumer.get_entry()
    assert entry is not None and entry.identifier == ids[0]
    # Five were delivered to this consumer by the one XREADGROUP (pending until acked).
    assert (await client.xpending("s", "g")).pending == 5
    assert [e.identifier for _, e in await _drain(consumer)] == ids[1:]


async def test_start_from_backlog_replays_pending_entries(client: Any) -> None:
    consumer = await GroupConsumer(client, ["s"], group="g", consumer="c1")
    ids = await _add(client, "s", 5)
    got = await _drain(consumer)
    assert [e.identifier for _, e in got] == ids
    await client.xack("s", "g", [ids[0], ids[2]])
    newer = await _add(client, "s", 1, start=5)
    # A restarted consumer first gets its unacknowledged entries, then the new ones.
    restarted = await GroupConsumer(
        client, ["s"], group="g", consumer="c1", start_from_backlog=True, buffer_size=1
    )
    replay = [e.identifier for _, e in await _drain(restarted)]
    assert replay == [ids[1], ids[3], ids[4], *newer]
    # Without start_from_backlog only new entries are read.
    plain = await GroupConsumer(client, ["s"], group="g", consumer="c1")
    assert await plain.get_entry() == (None, None)


async def test_group_identifier_parameter_replays_history(client: Any) -> None:
    consumer = await GroupConsumer(client, ["s"], group="g", consumer="c1")
    ids = await _add(client, "s", 3)
    await _drain(consumer)
    again = GroupConsumer(client, ["s"], group="g", consumer="c1", s={"identifier": ids[0]})
    assert [e.identifier for _, e in await _drain(again)] == ids[1:]
    assert await again.get_entry() == (None, None)


async def test_destroyed_group_raises_stream_consumer_group_error(client: Any) -> None:
    consumer = await GroupConsumer(client, ["s"], group="g", consumer="c1")
    assert await client.xgroup_destroy("s", "g") == 1
    with pytest.raises(StreamConsumerGroupError, match="NOGROUP"):
        await consumer.get_entry()


async def test_group_add_stream(client: Any, _s: Any) -> None:
    consumer = await GroupConsumer(client, ["a"], group="g", consumer="c1")
    assert await consumer.add_stream("b") is True
    assert await _group_names(client, "b") == {"g"}
    ids = await _add(client, "b", 2)
    assert [(s, e.identifier) for s, e in await _drain(consumer)] == [(_s("b"), i) for i in ids]
