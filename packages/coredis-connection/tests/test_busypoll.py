"""Busy polling: a lone request reads its reply without parking, and gives up cleanly."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
import uvloop

from coredis.connection import Connection, UnixDomainSocketConnection
from coredis.connection._busypoll import MISSES_BEFORE_PAUSE
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
