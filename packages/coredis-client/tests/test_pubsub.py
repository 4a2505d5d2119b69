"""Pub/sub: RESP2 and RESP3, patterns, shard channels, handlers, iteration, resubscription."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import coredis
from coredis.exceptions import PubSubError
from coredis_testing import ServerInfo, command

pytestmark = pytest.mark.redis


async def _next(pubsub: Any, timeout: float = 2.0) -> Any:
    return await asyncio.wait_for(pubsub.get_message(timeout=timeout), timeout + 1)


async def test_subscribe_publish_unsubscribe(client: Any, _s: Any) -> None:
    async with client.pubsub() as pubsub:
        await pubsub.subscribe("news", "sport")
        first = await _next(pubsub)
        second = await _next(pubsub)
        assert first == {"type": "subscribe", "pattern": None, "channel": _s("news"), "data": 1}
        assert second["data"] == 2
        assert pubsub.subscribed
        assert await client.execute_command(b"PUBLISH", "news", "hello") == 1
        assert await _next(pubsub) == {
            "type": "message",
            "pattern": None,
            "channel": _s("news"),
            "data": _s("hello"),
        }
        assert await pubsub.get_message(timeout=0) is None
        await pubsub.unsubscribe("news")
        assert (await _next(pubsub))["type"] == "unsubscribe"
        assert set(pubsub.channels) == {_s("sport")}
    assert client.connection_pool.statistics().in_use == 0


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_patterns_and_shard_channels(client: Any, _s: Any) -> None:
    async with client.pubsub(ignore_subscribe_messages=True) as pubsub:
        await pubsub.psubscribe("user:*")
        await pubsub.ssubscribe("shard")
        await asyncio.sleep(0.05)
        assert await client.execute_command(b"PUBLISH", "user:1", "p") == 1
        assert await client.execute_command(b"SPUBLISH", "shard", "s") == 1
        messages = [await _next(pubsub), await _next(pubsub)]
        messages = [m for m in messages if m is not None]
        while len(messages) < 2:
            message = await _next(pubsub)
            if message is not None:
                messages.append(message)
        assert messages == [
            {"type": "pmessage", "pattern": _s("user:*"), "channel": _s("user:1"), "data": _s("p")},
            {"type": "smessage", "pattern": None, "channel": _s("shard"), "data": _s("s")},
        ]
        await pubsub.punsubscribe()
        await pubsub.sunsubscribe("shard")
        assert not pubsub.subscribed


async def test_handlers_and_iteration(client: Any, _s: Any) -> None:
    received: list[Any] = []

    async def on_alert(message: Any) -> None:
        received.append(message["data"])

    pubsub = client.pubsub(ignore_subscribe_messages=True)
    await pubsub.subscribe("plain", alerts=on_alert)
    await asyncio.sleep(0.05)
    await client.execute_command(b"PUBLISH", "alerts", "fire")
    await client.execute_command(b"PUBLISH", "plain", "one")
    await client.execute_command(b"PUBLISH", "plain", "two")
    seen = []
    async for message in pubsub:
        seen.append(message["data"])
        if len(seen) == 2:
            break
    assert seen == [_s("one"), _s("two")]
    assert received == [_s("fire")]
    await pubsub.aclose()
    assert not pubsub.subscribed
    with pytest.raises(PubSubError):
        await pubsub.subscribe()


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_resubscribes_after_connection_killed(redis_clean: ServerInfo) -> None:
    for protocol_version in (2, 3):
        client = coredis.Redis(
            host=redis_clean.host,
            port=redis_clean.port,
            protocol_version=protocol_version,  # type: ignore[arg-type]
            decode_responses=True,
        )
        async with client, client.pubsub() as pubsub:
            await pubsub.subscribe("c")
            await pubsub.psubscribe("p*")
            await pubsub.ssubscribe("s")
            for _ in range(3):
                assert (await _next(pubsub))["type"].endswith("subscribe")
            command(redis_clean, "CLIENT", "KILL", "TYPE", "pubsub")
            # The gap is visible: the read that noticed returns None, reconnects counts it
            # and the renewed subscriptions are confirmed again.
            kinds = []
            for _ in range(10):
                message = await _next(pubsub)
                if message is not None:
                    kinds.append(message["type"])
                if len(kinds) == 3:
                    break
            assert sorted(kinds) == ["psubscribe", "ssubscribe", "subscribe"]
            assert pubsub.reconnects == 1
            assert await client.execute_command(b"PUBLISH", "c", "after") == 1
            assert (await _next(pubsub))["data"] == "after"
            assert await client.execute_command(b"PUBLISH", "px", "pat") == 1
            assert (await _next(pubsub))["data"] == "pat"


async def test_get_message_timeout(client_resp3: Any) -> None:
    async with client_resp3.pubsub() as pubsub:
        await pubsub.subscribe("quiet")
        await _next(pubsub)
        loop = asyncio.get_running_loop()
        start = loop.time()
        assert await pubsub.get_message(timeout=0.2) is None
        assert 0.15 < loop.time() - start < 1.5


async def test_subscribe_on_dropped_connection_renews_all(redis_clean: ServerInfo) -> None:
    client = coredis.Redis(host=redis_clean.host, port=redis_clean.port, decode_responses=True)
    async with client, client.pubsub(ignore_subscribe_messages=True) as pubsub:
        await pubsub.subscribe("old")
        await pubsub.get_message(timeout=0.5)
        command(redis_clean, "CLIENT", "KILL", "TYPE", "pubsub")
        await asyncio.sleep(0.1)
        await pubsub.subscribe("new")  # noticed here: reconnect, then subscribe
        assert pubsub.reconnects == 1
        await asyncio.sleep(0.05)
        assert await client.execute_command(b"PUBLISH", "old", "1") == 1
        assert await client.execute_command(b"PUBLISH", "new", "2") == 1
        data = []
        while len(data) < 2:
            message = await _next(pubsub)
            if message is not None:
                data.append(message["data"])
        assert data == ["1", "2"]


async def test_survives_server_restart(redis_server_factory: Any) -> None:
    server = redis_server_factory()
    client = coredis.Redis(host=server.host, port=server.port, decode_responses=True)
    async with client, client.pubsub(ignore_subscribe_messages=True) as pubsub:
        await pubsub.subscribe("c")
        await pubsub.get_message(timeout=0.5)
        server.stop()
        # Down: the read notices the loss, the reconnection fails and says so.
        with pytest.raises(coredis.exceptions.ConnectionError):
            for _ in range(5):
                await pubsub.get_message(timeout=1)
        server.start()
        message = None
        for _ in range(20):
            await pubsub.get_message(timeout=0.1)
            if await client.execute_command(b"PUBLISH", "c", "back") == 1:
                message = await _next(pubsub)
                break
        assert message is not None and message["data"] == "back"
        assert pubsub.reconnects >= 1


async def test_dropped_objects_give_their_connection_back(redis_clean: ServerInfo) -> None:
    import gc

    client = coredis.Redis(host=redis_clean.host, port=redis_clean.port, max_connections=3)
    async with client:
        for _ in range(5):  # more than max_connections: each must be reclaimed
            pubsub = client.pubsub()
            await pubsub.subscribe("c")
            monitor = await client.monitor()
            pipe = await client.pipeline(watches=["k"])
            assert client.connection_pool.statistics().in_use == 3
            del pubsub, monitor, pipe
            gc.collect()
            assert client.connection_pool.statistics().in_use == 0
        assert await client.execute_command(b"PING") == b"PONG"


async def test_ping_health_check(client: Any, _s: Any) -> None:
    async with client.pubsub(ignore_subscribe_messages=True) as pubsub:
        await pubsub.ping("before")  # not subscribed yet
        assert await _next(pubsub) == {
            "type": "pong",
            "pattern": None,
            "channel": None,
            "data": _s("before"),
        }
        await pubsub.subscribe("c")
        await pubsub.ping()
        await pubsub.ping("hello")
        pongs = []
        while len(pongs) < 2:
            message = await _next(pubsub)
            if message is not None:
                pongs.append(message)
        assert [m["type"] for m in pongs] == ["pong", "pong"]
        assert [m["data"] for m in pongs] == [_s(""), _s("hello")]


async def test_many_pubsub_cycles_leak_nothing(redis_clean: ServerInfo) -> None:
    client = coredis.Redis(
        host=redis_clean.host, port=redis_clean.port, max_connections=3, decode_responses=True
    )
    async with client:
        for i in range(200):
            async with client.pubsub(ignore_subscribe_messages=True) as pubsub:
                await pubsub.subscribe("cycle")
                await pubsub.get_message(timeout=0.5)
                await client.execute_command(b"PUBLISH", "cycle", str(i))
                message = await _next(pubsub)
                while message is None:
                    message = await _next(pubsub)
                assert message["data"] == str(i)
                # Unread messages must not reach the next subscriber: publish, then close.
                await client.execute_command(b"PUBLISH", "cycle", "stale")
        stats = client.connection_pool.statistics()
        assert stats.in_use == 0
        assert stats.idle <= 1
        for _ in range(50):  # the server notices the last close asynchronously
            clients = str(command(redis_clean, "CLIENT", "LIST", decode=True))
            if "sub=1" not in clients:
                break
            await asyncio.sleep(0.02)
        assert clients.count("sub=1") == 0
        assert clients.count("\n") <= 3  # the client's one idle connection + CLIENT LIST
