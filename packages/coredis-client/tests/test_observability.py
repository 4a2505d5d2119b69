"""Logging and events (coredis.connection.events) of the standalone client, on real servers.

Checked: connect/handshake/close at DEBUG under ``coredis.connection`` and ``coredis.pool``
with the reason; never a password in any log line or event (an ACL server, right and wrong
passwords); command started/finished events with duration and error; connection created and
closed events; pool waits; a failing listener does not break the command; unsubscribing
stops the events.
"""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
from collections.abc import Iterator

import pytest

import coredis
from coredis.connection import events
from coredis.exceptions import AuthenticationError, ResponseError
from coredis_testing import ServerInfo

pytestmark = pytest.mark.redis

WRONG_PASSWORD = "wrong-but-secret-pw-3141"


@pytest.fixture
def recorded() -> Iterator[list[events.Event]]:
    seen: list[events.Event] = []
    unsubscribe = events.subscribe(seen.append)
    yield seen
    unsubscribe()
    assert not events.LISTENERS


def _all_text(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(f"{r.name} {r.levelname} {r.getMessage()}" for r in caplog.records)


async def test_connect_and_close_logged_without_secrets(
    redis_acl_server: ServerInfo, caplog: pytest.LogCaptureFixture
) -> None:
    server = redis_acl_server
    assert server.password
    caplog.set_level(logging.DEBUG, logger="coredis")
    client = coredis.Redis(
        host=server.host, port=server.port, username=server.username, password=server.password
    )
    async with client:
        assert await client.ping()
    client.connection_pool.disconnect()
    bad = coredis.Redis(
        host=server.host, port=server.port, username=server.username, password=WRONG_PASSWORD
    )
    with pytest.raises(AuthenticationError):
        await bad.ping()
    text = _all_text(caplog)
    location = f"{server.host}:{server.port}"
    assert f"coredis.connection DEBUG connected to {location}: RESP3" in text
    assert f"coredis.pool DEBUG pool for {location} opened a connection" in text
    assert f"coredis.connection DEBUG closing connection to {location}: " in text
    assert "closed by disconnect()" in text  # the reason
    assert f"coredis.connection DEBUG handshake with {location} refused: " in text
    assert server.password not in text
    assert WRONG_PASSWORD not in text


async def test_nothing_logged_below_the_configured_level(
    redis_clean: ServerInfo, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="coredis")
    client = coredis.Redis(host=redis_clean.host, port=redis_clean.port)
    await client.set("k", "v")
    client.connection_pool.disconnect()
    assert [r for r in caplog.records if r.name.startswith("coredis")] == []


async def test_command_events(redis_acl_server: ServerInfo, recorded: list[events.Event]) -> None:
    server = redis_acl_server
    client = coredis.Redis(
        host=server.host, port=server.port, username=server.username, password=server.password
    )
    await client.set("observed", "value")
    with pytest.raises(ResponseError):
        await client.incr("observed")  # not an integer
    client.connection_pool.disconnect()
    kinds = [type(e).__name__ for e in recorded]
    assert kinds == [
        "CommandStarted",
        "ConnectionCreated",
        "CommandFinished",
        "CommandStarted",
        "CommandFinished",
        "ConnectionClosed",
    ]
    started, created, finished, _, failed, closed = recorded
    assert isinstance(started, events.CommandStarted) and started.command == "SET"
    assert started.client is client
    assert isinstance(finished, events.CommandFinished) and finished.error is None
    assert finished.started == started.started and 0 < finished.duration < 5
    assert isinstance(failed, events.CommandFinished) and failed.command == "INCR"
    assert isinstance(failed.error, ResponseError)
    assert isinstance(created, events.ConnectionCreated)
    assert created.location == f"{server.host}:{server.port}" and created.duration > 0
    assert isinstance(closed, events.ConnectionClosed)
    assert "disconnect()" in str(closed.reason)
    assert str(server.password) not in repr(recorded)


async def test_cancelled_command_reports_cancellation(
    redis_clean: ServerInfo, recorded: list[events.Event]
) -> None:
    client = coredis.Redis(host=redis_clean.host, port=redis_clean.port)
    task = asyncio.ensure_future(client.blpop(["nothing-here"], timeout=5))
    await asyncio.sleep(0.2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    finished = [e for e in recorded if isinstance(e, events.CommandFinished)]
    assert len(finished) == 1 and finished[0].command == "BLPOP"
    assert isinstance(finished[0].error, asyncio.CancelledError)
    client.connection_pool.disconnect()


async def test_pool_wait_event(redis_clean: ServerInfo, recorded: list[events.Event]) -> None:
    pool = coredis.BlockingConnectionPool(
        host=redis_clean.host, port=redis_clean.port, max_connections=1, timeout=5
    )
    client = coredis.Redis(connection_pool=pool)
    slow = asyncio.ensure_future(client.blpop(["empty"], timeout=0.3))
    await asyncio.sleep(0.05)
    assert await client.ping()  # waits for the one connection
    await slow
    waits = [e for e in recorded if isinstance(e, events.PoolWait)]
    assert len(waits) == 1 and waits[0].pool is pool and waits[0].error is None
    assert 0.1 < waits[0].duration < 2
    pool.disconnect()


async def test_failing_listener_is_logged_and_ignored(
    redis_clean: ServerInfo, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(event: events.Event) -> None:
        raise RuntimeError("listener bug")

    unsubscribe = events.subscribe(broken)
    try:
        client = coredis.Redis(host=redis_clean.host, port=redis_clean.port)
        assert await client.echo("still works") == b"still works"
        client.connection_pool.disconnect()
    finally:
        unsubscribe()
    failures = [r for r in caplog.records if r.name == "coredis.events"]
    assert failures and "listener bug" in str(failures[0].exc_info[1])  # type: ignore[index]


async def test_unsubscribed_listener_gets_nothing(redis_clean: ServerInfo) -> None:
    seen: list[events.Event] = []
    events.subscribe(seen.append)()
    events.unsubscribe(seen.append)  # a second time: a no-op
    client = coredis.Redis(host=redis_clean.host, port=redis_clean.port)
    await client.ping()
    client.connection_pool.disconnect()
    assert seen == []
    with pytest.raises(TypeError, match="callable"):
        events.subscribe("not a function")  # type: ignore[arg-type]


def test_importing_adds_no_logging_handlers() -> None:
    """The application owns logging: importing coredis configures nothing."""
    probe = (
        "import logging\n"
        "before = (logging.root.level, list(logging.root.handlers))\n"
        "import coredis, coredis.connection.events, coredis.pool, coredis.client\n"
        "names = [n for n in logging.root.manager.loggerDict if n.startswith('coredis')]\n"
        "assert (logging.root.level, list(logging.root.handlers)) == before\n"
        "assert [n for n in names if logging.getLogger(n).handlers] == [], names\n"
        "assert all(logging.getLogger(n).level == logging.NOTSET for n in names), names\n"
        "assert 'coredis.connection' in names and 'coredis.pool' in names, names\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
