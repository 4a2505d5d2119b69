"""Pub/sub as coredis 4.x programs use it: subscribed, patterns, waiting get_message(),
close()/reset() with or without await, run_in_thread(), Monitor.run_in_thread()."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

import coredis
from coredis.client import MonitoredCommandInfo, PubSubWorkerThread
from coredis.exceptions import PubSubError
from coredis_testing import ServerInfo, command

pytestmark = pytest.mark.redis


async def _eventually(check: Callable[[], Awaitable[bool]], timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await check():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


async def _no_subscribers(client: Any, channel: str = "c", pattern: bool = False) -> bool:
    numsub = await client.pubsub_numsub(channel)
    if any(count for count in numsub.values()):
        return False
    return not pattern or await client.pubsub_numpat() == 0


async def test_subscribed_as_soon_as_subscribe_returns(client: Any) -> None:
    pubsub = client.pubsub()
    assert not pubsub.subscribed
    await pubsub.subscribe("c")
    assert pubsub.subscribed  # before any confirmation was read
    await pubsub.unsubscribe()
    assert not pubsub.subscribed
    await pubsub.psubscribe("p*")
    assert pubsub.subscribed
    await pubsub.close()
    assert not pubsub.subscribed


async def test_pattern_messages_carry_their_pattern(client: Any, _s: Any) -> None:
    pubsub = client.pubsub()
    await pubsub.psubscribe("news.*")
    await pubsub.subscribe("news.eu")
    assert await pubsub.get_message() == {
        "type": "psubscribe",
        "pattern": _s("news.*"),
        "channel": _s("news.*"),
        "data": 1,
    }
    assert (await pubsub.get_message())["pattern"] is None  # subscribe news.eu
    assert await client.publish("news.eu", "hi") == 2
    messages = [await pubsub.get_message(), await pubsub.get_message()]
    assert {"type": "message", "pattern": None, "channel": _s("news.eu"), "data": _s("hi")} in (
        messages
    )
    assert {
        "type": "pmessage",
        "pattern": _s("news.*"),
        "channel": _s("news.eu"),
        "data": _s("hi"),
    } in messages
    await pubsub.punsubscribe("news.*")
    assert await pubsub.get_message() == {
        "type": "punsubscribe",
        "pattern": _s("news.*"),
        "channel": _s("news.*"),
        "data": 1,
    }
    await pubsub.close()


async def test_get_message_without_timeout_waits(client: Any, _s: Any) -> None:
    pubsub = client.pubsub()
    await pubsub.subscribe("c")
    assert (await pubsub.get_message())["type"] == "subscribe"
    assert await pubsub.get_message(timeout=0) is None  # 0 still means "do not wait"

    async def publish_later() -> None:
        await asyncio.sleep(0.2)
        await client.publish("c", "late")

    publisher = asyncio.create_task(publish_later())
    started = asyncio.get_running_loop().time()
    message = await asyncio.wait_for(pubsub.get_message(), 5)
    assert asyncio.get_running_loop().time() - started >= 0.15
    assert message is not None and message["data"] == _s("late")
    await publisher
    await pubsub.close()


async def test_get_message_with_nothing_subscribed_returns_none(client: Any) -> None:
    pubsub = client.pubsub()
    assert await asyncio.wait_for(pubsub.get_message(), 1) is None
    assert client.connection_pool.statistics().in_use == 0


@pytest.mark.parametrize("method", ["close", "reset"])
async def test_awaited_close_leaves_nothing_on_the_server(client: Any, method: str) -> None:
    pubsub = client.pubsub()
    await pubsub.subscribe("c")
    await pubsub.psubscribe("p*")
    assert await client.pubsub_numsub("c") == {client_key(client, "c"): 1}
    await getattr(pubsub, method)()
    # Awaited: done once the server confirmed, so nothing is left right away.
    assert await _no_subscribers(client, pattern=True)
    assert client.connection_pool.statistics().in_use == 0
    assert not pubsub.subscribed
    # The object can subscribe again, on a new connection.
    await pubsub.subscribe("c")
    assert await client.pubsub_numsub("c") == {client_key(client, "c"): 1}
    await pubsub.close()


@pytest.mark.parametrize("method", ["close", "reset"])
@pytest.mark.min_server(redis="7.0")  # shard channels (SSUBSCRIBE) are Redis 7.0
async def test_close_without_await_leaves_nothing_on_the_server(client: Any, method: str) -> None:
    pubsub = client.pubsub()
    await pubsub.subscribe("c")
    await pubsub.psubscribe("p*")
    await pubsub.ssubscribe("s")
    closing = getattr(pubsub, method)()  # as 4.x programs do: no await
    assert not pubsub.subscribed
    await _eventually(lambda: _no_subscribers(client, pattern=True))
    assert await client.pubsub_shardnumsub("s") == {client_key(client, "s"): 0}
    await _eventually(lambda: _async(client.connection_pool.statistics().in_use == 0))
    assert closing.done()


async def test_close_without_await_at_the_end_of_asyncio_run(redis_clean: ServerInfo) -> None:
    # The page's last line, p.close(), may be the program's last statement: asyncio.run()
    # then cancels the confirmation task, which still closes the connection.
    def program() -> None:
        async def main() -> None:
            client = coredis.Redis(host=redis_clean.host, port=redis_clean.port)
            pubsub = client.pubsub()
            await pubsub.subscribe("end")
            pubsub.close()
            client.connection_pool.disconnect()

        asyncio.run(main())

    await asyncio.to_thread(program)
    for _ in range(100):
        if command(redis_clean, "PUBSUB", "NUMSUB", "end") == [b"end", 0]:
            break
        await asyncio.sleep(0.02)
    assert command(redis_clean, "PUBSUB", "NUMSUB", "end") == [b"end", 0]


async def test_close_while_another_task_waits_for_a_message(client: Any) -> None:
    pubsub = client.pubsub()
    await pubsub.subscribe("c")
    await pubsub.get_message()
    reader = asyncio.create_task(pubsub.get_message())
    await asyncio.sleep(0.05)
    await pubsub.close()
    assert await asyncio.wait_for(reader, 2) is None
    await _eventually(lambda: _no_subscribers(client))
    assert client.connection_pool.statistics().in_use == 0


async def test_cancelling_the_awaited_close_finishes_it_at_once(client: Any) -> None:
    pubsub = client.pubsub()
    await pubsub.subscribe("c")
    waiter = asyncio.create_task(pubsub.aclose())
    await asyncio.sleep(0)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    # the connection was closed and given back before the cancellation reached us
    assert client.connection_pool.statistics().in_use == 0
    await _eventually(lambda: _no_subscribers(client))


async def test_run_in_thread(client: Any, _s: Any) -> None:
    received: list[Any] = []
    pubsub = client.pubsub()
    await pubsub.subscribe(news=received.append)
    await pubsub.psubscribe(**{"alerts.*": received.append})
    thread = pubsub.run_in_thread(poll_timeout=0.05)
    assert isinstance(thread, PubSubWorkerThread)
    thread.join(5)  # the thread only hands the work to this loop
    await _eventually(lambda: _async(thread.future is not None))

    async def delivered() -> bool:
        await client.publish("news", "one")
        await client.publish("alerts.fire", "two")
        await asyncio.sleep(0.05)
        return {_s("one"), _s("two")} <= {m["data"] for m in received}

    await _eventually(delivered)
    assert all(m["type"] in ("message", "pmessage") for m in received)
    await asyncio.to_thread(thread.stop)  # stop() from another thread
    await _eventually(lambda: _no_subscribers(client, "news", pattern=True))
    await _eventually(lambda: _async(client.connection_pool.statistics().in_use == 0))
    assert not pubsub.subscribed


async def test_run_in_thread_needs_a_handler_for_every_subscription(client: Any) -> None:
    pubsub = client.pubsub()
    await pubsub.subscribe("plain", handled=print)
    with pytest.raises(PubSubError, match="plain"):
        pubsub.run_in_thread()
    threads = threading.active_count()
    await pubsub.close()
    assert threading.active_count() == threads  # nothing was started


async def test_monitor_run_in_thread(client: Any) -> None:
    seen: list[MonitoredCommandInfo] = []
    monitor = client.monitor()
    thread = monitor.run_in_thread(seen.append)

    async def observed() -> bool:
        await client.set("watched", 1)
        await asyncio.sleep(0.05)
        return any(info.command.upper() == "SET" and info.args[:1] == ("watched",) for info in seen)

    await _eventually(observed)
    thread.stop()
    await _eventually(lambda: _async(monitor.connection is None))
    assert client.connection_pool.statistics().in_use == 0


def client_key(client: Any, name: str) -> Any:
    return name if client.decode_responses else name.encode()


async def _async(value: bool) -> bool:
    return value


def test_worker_thread_outside_a_loop() -> None:
    with pytest.raises(RuntimeError):
        PubSubWorkerThread(None)  # type: ignore[arg-type]


async def test_listen(client: Any, _s: Any) -> None:
    pubsub = client.pubsub(ignore_subscribe_messages=True)
    assert await asyncio.wait_for(pubsub.listen(), 1) is None  # nothing subscribed
    await pubsub.subscribe("c")
    assert await pubsub.listen() is None  # the confirmation, ignored
    await client.publish("c", "hello")
    message = await asyncio.wait_for(pubsub.listen(), 5)
    assert message is not None and message["data"] == _s("hello")
    await pubsub.close()


async def test_worker_stopped_before_it_ran_still_unsubscribes(client: Any) -> None:
    pubsub = client.pubsub()
    await pubsub.subscribe(c=print)
    thread = PubSubWorkerThread(pubsub, poll_timeout=0.05)
    thread.stop()  # before start(): the work must not begin, the subscriber must go
    thread.start()
    thread.join(5)
    await _eventually(lambda: _async(thread.future is not None and thread.future.done()))
    await _eventually(lambda: _no_subscribers(client))
    assert client.connection_pool.statistics().in_use == 0
