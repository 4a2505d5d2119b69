"""Busy polling: a lone request reads its reply without parking, and gives up cleanly."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time

import pytest
import uvloop

from coredis.connection import (
    Connection,
    UnixDomainSocketConnection,
    busy_polling_enabled,
    set_busy_polling,
)
from coredis.connection._busypoll import ENVIRONMENT_VARIABLE, MISSES_BEFORE_PAUSE
from coredis.protocol import ConnectionError
from coredis_testing import FaultProxy, ServerInfo

# A window far longer than any loopback reply, so a test never depends on machine load.
WIDE = 0.5


async def _sequential_gets(conn: Connection | UnixDomainSocketConnection, count: int) -> None:
    await conn.execute_command(b"SET", b"bp:key", b"value")
    for i in range(count):
        assert await conn.execute_command(b"GET", b"bp:key") == b"value"
        assert await conn.execute_command(b"ECHO", str(i)) == str(i).encode()


async def test_lone_requests_are_read_by_polling(redis_clean: ServerInfo) -> None:
    conn = Connection(redis_clean.host, redis_clean.port, busy_poll=WIDE)
    await conn.connect()
    try:
        hits_before = conn.busy_poll_hits
        await _sequential_gets(conn, 50)
        # every one of the 101 replies was read by the poll, none by the event loop
        assert conn.busy_poll_hits - hits_before == 101
        assert conn.busy_poll_misses == 0
        assert conn.is_usable
    finally:
        conn.disconnect()


async def test_unix_socket_is_polled(redis_clean: ServerInfo) -> None:
    assert redis_clean.unix_socket is not None
    conn = UnixDomainSocketConnection(redis_clean.unix_socket, busy_poll=WIDE)
    await conn.connect()
    try:
        await _sequential_gets(conn, 10)
        assert conn.busy_poll_hits >= 21
    finally:
        conn.disconnect()


def test_polls_under_uvloop(redis_server: ServerInfo) -> None:
    async def main() -> tuple[int, int]:
        conn = Connection(redis_server.host, redis_server.port, busy_poll=WIDE)
        await conn.connect()
        try:
            await _sequential_gets(conn, 20)
            return conn.busy_poll_hits, conn.busy_poll_misses
        finally:
            conn.disconnect()

    loop = uvloop.new_event_loop()  # not asyncio.Runner: Python 3.10 has none
    try:
        hits, misses = loop.run_until_complete(main())
    finally:
        loop.close()
    assert (hits, misses) == (41, 0)


async def test_zero_turns_polling_off(redis_clean: ServerInfo) -> None:
    conn = Connection(redis_clean.host, redis_clean.port, busy_poll=0)
    await conn.connect()
    try:
        await _sequential_gets(conn, 10)
        assert (conn.busy_poll_hits, conn.busy_poll_misses) == (0, 0)
    finally:
        conn.disconnect()


def test_negative_window_is_refused() -> None:
    with pytest.raises(ValueError, match="busy_poll"):
        Connection(busy_poll=-1)


async def test_tls_is_never_polled(redis_tls_server: ServerInfo) -> None:
    assert redis_tls_server.tls is not None
    conn = Connection(
        redis_tls_server.host,
        redis_tls_server.port,
        ssl_context=redis_tls_server.tls.client_ssl_context(),
        busy_poll=WIDE,
    )
    await conn.connect()
    try:
        await _sequential_gets(conn, 5)
        assert (conn.busy_poll_hits, conn.busy_poll_misses) == (0, 0)
    finally:
        conn.disconnect()
        await asyncio.sleep(0.1)  # let the aborted TLS transport finish closing


async def test_no_polling_while_another_task_waits(redis_clean: ServerInfo) -> None:
    slow = Connection(redis_clean.host, redis_clean.port, busy_poll=0)
    conn = Connection(redis_clean.host, redis_clean.port, busy_poll=WIDE)
    await slow.connect()
    await conn.connect()
    try:
        # (BLPOP blocks its own client only; DEBUG SLEEP would hold up every reply)
        sleeper = asyncio.ensure_future(slow.execute_command(b"BLPOP", b"bp:none", b"0.3"))
        await asyncio.sleep(0.05)  # the sleeper now waits for its reply
        await _sequential_gets(conn, 5)
        # polling would have kept the sleeper's reply waiting behind ours
        assert (conn.busy_poll_hits, conn.busy_poll_misses) == (0, 0)
        assert await sleeper is None
        await _sequential_gets(conn, 5)
        assert conn.busy_poll_hits == 11
    finally:
        slow.disconnect()
        conn.disconnect()


async def test_no_polling_when_callbacks_are_ready(redis_clean: ServerInfo) -> None:
    conn = Connection(redis_clean.host, redis_clean.port, busy_poll=WIDE)
    await conn.connect()
    try:
        ran: list[bool] = []
        request = conn.create_request(b"PING")
        asyncio.get_running_loop().call_soon(ran.append, True)
        assert await conn.wait_for_reply(request) == b"PONG"
        assert ran == [True]
        assert (conn.busy_poll_hits, conn.busy_poll_misses) == (0, 0)
    finally:
        conn.disconnect()


async def test_no_polling_with_several_requests_in_flight(redis_clean: ServerInfo) -> None:
    conn = Connection(redis_clean.host, redis_clean.port, busy_poll=WIDE)
    await conn.connect()
    try:
        first, second = conn.create_requests([(b"ECHO", b"a"), (b"ECHO", b"b")])
        assert await conn.wait_for_reply(first) == b"a"
        assert (conn.busy_poll_hits, conn.busy_poll_misses) == (0, 0)
        assert await conn.wait_for_reply(second) == b"b"  # the lone one left: polled
    finally:
        conn.disconnect()


async def test_slow_replies_pause_polling(fault_proxy: FaultProxy) -> None:
    conn = Connection(fault_proxy.host, fault_proxy.port)  # the default 50 us window
    await conn.connect()
    try:
        fault_proxy.set_latency(0.005)
        for _ in range(10):
            assert await conn.execute_command(b"PING") == b"PONG"
        # three empty windows, then polling stops instead of burning 50 us per command
        assert (conn.busy_poll_hits, conn.busy_poll_misses) == (0, MISSES_BEFORE_PAUSE)
    finally:
        conn.disconnect()


async def test_end_of_file_while_polling(fault_proxy: FaultProxy) -> None:
    conn = Connection(fault_proxy.host, fault_proxy.port, busy_poll=5.0)
    await conn.connect()
    try:
        fault_proxy.cut_next_reply(keep=2)
        started = time.monotonic()
        with pytest.raises(ConnectionError, match=f"127.0.0.1:{fault_proxy.port}"):
            await conn.execute_command(b"ECHO", b"0123456789")
        assert time.monotonic() - started < 2.5  # the close ended the poll, not the window
        assert not conn.is_connected
    finally:
        conn.disconnect()


async def test_reset_while_polling(fault_proxy: FaultProxy) -> None:
    conn = Connection(fault_proxy.host, fault_proxy.port, busy_poll=5.0)
    await conn.connect()
    try:
        # the poll holds the event loop, so the reset comes from another thread
        timer = threading.Timer(0.1, fault_proxy.reset_all)
        timer.start()
        started = time.monotonic()
        with pytest.raises(ConnectionError, match=f"127.0.0.1:{fault_proxy.port}"):
            await conn.execute_command(b"DEBUG", b"SLEEP", b"1")
        assert time.monotonic() - started < 2.5
        assert not conn.is_connected
        timer.join()
    finally:
        conn.disconnect()


async def test_poller_holds_the_state(redis_clean: ServerInfo) -> None:
    conn = Connection(redis_clean.host, redis_clean.port, busy_poll=WIDE)
    assert conn.poller.window == conn.busy_poll == WIDE
    await conn.connect()
    try:
        await _sequential_gets(conn, 3)
        assert conn.poller.hits == conn.busy_poll_hits > 0
        assert conn.poller.misses == conn.busy_poll_misses == 0
        conn.busy_poll = 0  # off for this connection from now on
        hits = conn.poller.hits
        await _sequential_gets(conn, 3)
        assert conn.poller.hits == hits
        with pytest.raises(ValueError, match="busy_poll"):
            conn.busy_poll = -1
    finally:
        conn.disconnect()


async def test_process_wide_switch(redis_clean: ServerInfo) -> None:
    conn = Connection(redis_clean.host, redis_clean.port, busy_poll=WIDE)
    await conn.connect()
    assert busy_polling_enabled()
    try:
        set_busy_polling(False)
        assert not busy_polling_enabled()
        await _sequential_gets(conn, 5)  # an existing connection stops polling at once
        fresh = Connection(redis_clean.host, redis_clean.port, busy_poll=WIDE)
        await fresh.connect()
        try:
            await _sequential_gets(fresh, 5)
            assert (fresh.busy_poll_hits, fresh.busy_poll_misses) == (0, 0)
        finally:
            fresh.disconnect()
        assert (conn.busy_poll_hits, conn.busy_poll_misses) == (0, 0)
    finally:
        set_busy_polling(True)
    await asyncio.sleep(0.01)  # fresh's closing callbacks run (ready callbacks stop a poll)
    try:
        await _sequential_gets(conn, 5)  # back on: the connection's own window again
        assert conn.busy_poll_hits == 11
    finally:
        conn.disconnect()


def test_switch_takes_only_a_bool() -> None:
    with pytest.raises(TypeError, match="enabled must be a bool"):
        set_busy_polling(0)  # type: ignore[arg-type]
    assert busy_polling_enabled()


def _enabled_in_a_fresh_process(value: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, ENVIRONMENT_VARIABLE: value}
    code = "import coredis.connection as c; print(c.busy_polling_enabled())"
    return subprocess.run(
        [sys.executable, "-W", "always", "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )


@pytest.mark.parametrize(
    ("value", "enabled"),
    [("0", False), ("off", False), (" No ", False), ("false", False), ("1", True), ("on", True)],
)
def test_environment_variable(value: str, enabled: bool) -> None:
    result = _enabled_in_a_fresh_process(value)
    assert result.stdout.strip() == str(enabled)
    assert "RuntimeWarning" not in result.stderr


def test_unknown_environment_value_warns_and_keeps_polling() -> None:
    result = _enabled_in_a_fresh_process("sometimes")
    assert result.stdout.strip() == "True"
    assert "RuntimeWarning" in result.stderr
    assert "COREDIS_BUSY_POLL='sometimes'" in result.stderr
