"""The examples of the coredis 4.x handbook's pub/sub page, as 4.x users copied them.

Each test is one example of the page, in the page's order, with ``r = coredis.Redis(...)``
pointed at the test server (the ``client`` fixture: RESP2 and RESP3, bytes and str). The
page's "# ..." output comments are turned into assertions of what coredis 4.5.6 returns,
which differs from the page where the page is wrong for 4.5.6 (its outputs are redis-py
2's: ``1L`` is ``1``; confirmations arrive in subscription order; ``run_in_thread`` takes
``poll_timeout``; ``pubsub_numsub`` returns a mapping; a ``psubscribe`` confirmation carries
its pattern). Where the page's code is not valid Python (``await message = p.get_message()``,
an ``if`` without a body, ``publish`` without its message) the obvious intent is used; each
such place says so.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

pytestmark = pytest.mark.redis


async def test_subscribe_read_publish_unsubscribe(client: Any, _s: Any) -> None:
    r = client
    p = r.pubsub()

    await p.subscribe("my-first-channel", "my-second-channel")
    await p.psubscribe("my-*")

    assert await p.get_message() == {
        "pattern": None,
        "type": "subscribe",
        "channel": _s("my-first-channel"),
        "data": 1,
    }
    assert await p.get_message() == {
        "pattern": None,
        "type": "subscribe",
        "channel": _s("my-second-channel"),
        "data": 2,
    }
    assert await p.get_message() == {
        "pattern": _s("my-*"),
        "type": "psubscribe",
        "channel": _s("my-*"),
        "data": 3,
    }

    # the publish method returns the number matching channel and pattern subscriptions
    assert await r.publish("my-first-channel", "some data") == 2
    assert await p.get_message() == {
        "channel": _s("my-first-channel"),
        "data": _s("some data"),
        "pattern": None,
        "type": "message",
    }
    assert await p.get_message() == {
        "channel": _s("my-first-channel"),
        "data": _s("some data"),
        "pattern": _s("my-*"),
        "type": "pmessage",
    }

    await p.unsubscribe()
    await p.punsubscribe("my-*")
    first, second = await p.get_message(), await p.get_message()
    # The server picks the order of an UNSUBSCRIBE-all; the counts go down 2, 1.
    assert {first["channel"], second["channel"]} == {
        _s("my-first-channel"),
        _s("my-second-channel"),
    }
    assert (first["type"], first["data"], first["pattern"]) == ("unsubscribe", 2, None)
    assert (second["type"], second["data"], second["pattern"]) == ("unsubscribe", 1, None)
    assert await p.get_message() == {
        "channel": _s("my-*"),
        "data": 0,
        "pattern": _s("my-*"),
        "type": "punsubscribe",
    }
    p.close()


async def test_message_handler(client: Any, _s: Any, capsys: Any) -> None:
    r = client
    p = r.pubsub()

    def my_handler(message: Any) -> None:
        print("MY HANDLER: ", message["data"])

    await p.subscribe(**{"my-channel": my_handler})
    # read the subscribe confirmation message
    assert await p.get_message() == {
        "pattern": None,
        "type": "subscribe",
        "channel": _s("my-channel"),
        "data": 1,
    }
    assert await r.publish("my-channel", "awesome data") == 1

    # The page writes "await message = p.get_message()" (not Python): its intent.
    message = await p.get_message()
    assert capsys.readouterr().out == f"MY HANDLER:  {_s('awesome data')}\n"

    # `message` is None because the message was handled by our handler.
    print(message)
    assert capsys.readouterr().out == "None\n"
    p.close()


async def test_ignore_subscribe_messages(client: Any, _s: Any) -> None:
    r = client
    p = r.pubsub(ignore_subscribe_messages=True)
    await p.subscribe("my-channel")
    assert await p.get_message() is None  # hides the subscribe message and returns None
    # The page calls r.publish('my-channel') without the message it then shows.
    assert await r.publish("my-channel", "my data") == 1
    assert await p.get_message() == {
        "channel": _s("my-channel"),
        "data": _s("my data"),
        "pattern": None,
        "type": "message",
    }
    p.close()


async def test_get_message_loop(client: Any, _s: Any) -> None:
    r = client
    p = r.pubsub()
    await p.subscribe("my-channel")
    await r.publish("my-channel", "work")
    seen = []
    while True:
        message = await p.get_message()
        if message:
            # do something with the message (the page leaves this block empty)
            seen.append(message)
            if message["type"] == "message":
                break
        await asyncio.sleep(0.001)  # be nice to the system :)
    assert [m["type"] for m in seen] == ["subscribe", "message"]
    assert seen[-1]["data"] == _s("work")
    p.close()


async def test_run_in_thread(client: Any, _s: Any, capsys: Any) -> None:
    r = client
    p = r.pubsub()

    def my_handler(message: Any) -> None:
        print("MY HANDLER: ", message["data"])

    await p.subscribe(**{"my-channel": my_handler})
    # 4.5.6 names the argument poll_timeout (the page's sleep_time is redis-py's).
    thread = p.run_in_thread(poll_timeout=0.001)
    # the event loop is now running in the background processing messages
    for _ in range(200):
        await r.publish("my-channel", "from the thread")
        await asyncio.sleep(0.01)
        if "from the thread" in capsys.readouterr().out:
            break
    else:
        raise AssertionError("the handler never ran")
    # when it's time to shut it down...
    thread.stop()
    for _ in range(250):
        if (await r.pubsub_numsub("my-channel"))[_s("my-channel")] == 0:
            break
        await asyncio.sleep(0.02)
    assert await r.pubsub_numsub("my-channel") == {_s("my-channel"): 0}


async def test_close(client: Any, _s: Any) -> None:
    r = client
    p = r.pubsub()
    p.close()
    assert r.connection_pool.statistics().in_use == 0

    # The same with a subscription, so that there is something to leave behind.
    p = r.pubsub()
    await p.subscribe("my-channel")
    p.close()
    for _ in range(250):
        if await r.pubsub_numsub("my-channel") == {_s("my-channel"): 0}:
            break
        await asyncio.sleep(0.02)
    assert await r.pubsub_numsub("my-channel") == {_s("my-channel"): 0}


async def test_pubsub_introspection(client: Any, _s: Any) -> None:
    r = client
    subscriber = r.pubsub()
    await subscriber.subscribe("foo", "bar")
    await subscriber.psubscribe("ba*")

    assert await r.pubsub_channels() == {_s("foo"), _s("bar")}
    # A mapping in 4.5.6 (the page shows redis-py's list of pairs).
    assert await r.pubsub_numsub("foo", "bar") == {_s("foo"): 1, _s("bar"): 1}
    assert await r.pubsub_numsub("baz") == {_s("baz"): 0}
    assert await r.pubsub_numpat() == 1
    await subscriber.close()
