"""Scenarios 2-6: cold start, black hole, restart/kill, corrupt replies, no silent retries.

Each test states its pass criterion in its docstring.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable

import pytest

import coredis
from coredis.exceptions import ConnectionError, ProtocolError, TimeoutError
from coredis.pool import BlockingConnectionPool
from coredis_testing import FaultProxy, ServerInfo, command

from .conftest import calls, client_count, info_stat, scaled

pytestmark = pytest.mark.redis


async def test_cold_client_one_handshake_per_socket(
    redis_server_factory: Callable[..., ServerInfo],
) -> None:
    """1,000 tasks at once on a cold client: every reply correct, exactly one HELLO per
    socket the server accepted, no more sockets than the pool created."""
    server = redis_server_factory()
    received = info_stat(server, "total_connections_received")
    tasks = scaled(1000)
    client = coredis.Redis(
        server.host,
        server.port,
        decode_responses=True,
        connection_pool_cls=BlockingConnectionPool,
        max_connections=32,
    )

    async def one(i: int) -> None:
        nonce = uuid.uuid4().hex
        assert await client.set(f"k{i}", nonce) is True
        assert await client.get(f"k{i}") == nonce

    async with client:
        await asyncio.gather(*(one(i) for i in range(tasks)))
        created = client.connection_pool.statistics().created
    sockets = info_stat(server, "total_connections_received") - received - 1  # the second INFO
    assert 1 <= created <= 32
    assert sockets == created
    assert calls(server, "hello") == created


async def test_black_hole_timeouts_and_recovery(fault_proxy: FaultProxy) -> None:
    """With the server black-holed: a read fails after stream_timeout, a connect after
    connect_timeout, a pool acquire after the pool timeout, each within +10%; after the
    hole closes the same client works again."""
    timeout = 1.0
    client = coredis.Redis(
        fault_proxy.host,
        fault_proxy.port,
        decode_responses=True,
        stream_timeout=timeout,
        connect_timeout=timeout,
        connection_pool_cls=BlockingConnectionPool,
        max_connections=2,
        timeout=timeout,
    )
    async with client:
        assert await client.ping() == "PONG"
        fault_proxy.black_hole()

        start = time.monotonic()
        with pytest.raises(TimeoutError):
            await client.incr("counter")  # the warm connection: a read timeout
        assert timeout <= time.monotonic() - start <= timeout * 1.1

        start = time.monotonic()
        with pytest.raises(TimeoutError):
            await client.incr("counter")  # a new connection: the handshake never answers
        assert timeout <= time.monotonic() - start <= timeout * 1.1

        pool = client.connection_pool
        fault_proxy.restore()
        held = [await pool.get_connection(), await pool.get_connection()]
        start = time.monotonic()
        with pytest.raises(ConnectionError):
            await pool.get_connection()  # both held: the blocking pool's own timeout
        assert timeout <= time.monotonic() - start <= timeout * 1.1
        for conn in held:
            pool.release(conn)

        # recovered, same client. The first INCR was held by the hole and delivered on
        # restore (as TCP would), the second never left (its handshake timed out).
        assert await client.incr("counter") == 2
        stats = pool.statistics()
        assert (stats.in_use, stats.connecting, stats.waiting) == (0, 0, 0)


async def _park_readers(
    client: coredis.Redis[str], server: ServerInfo, count: int
) -> list[asyncio.Task[object]]:
    readers: list[asyncio.Task[object]] = [
        asyncio.ensure_future(client.blpop([f"q{i}"], timeout=0)) for i in range(count)
    ]
    for _ in range(100):
        await asyncio.sleep(0.02)
        if calls(server, "blpop") >= count:
            break
    assert not any(reader.done() for reader in readers)
    return readers


async def test_restart_with_parked_blocking_readers(
    redis_server_factory: Callable[..., ServerInfo],
) -> None:
    """Server restarted under 5 parked BLPOP 0 readers: the readers fail with
    ConnectionError (never hang), commands succeed within 1 s of the server being back,
    and no connection is leaked (pool in_use 0, server sees only idle pooled ones)."""
    server = redis_server_factory()
    client = coredis.Redis(server.host, server.port, decode_responses=True)
    async with client:
        readers = await _park_readers(client, server, 5)
        server.restart()
        back = time.monotonic()
        results = await asyncio.wait_for(
            asyncio.gather(*readers, return_exceptions=True), timeout=5
        )
        assert all(isinstance(r, ConnectionError) for r in results), results
        while True:
            try:
                assert await client.set("after", "restart") is True
                break
            except ConnectionError:
                await asyncio.sleep(0.01)
        assert time.monotonic() - back < 1.0
        stats = client.connection_pool.statistics()
        assert stats.in_use == 0
        assert client_count(server) <= stats.idle


async def test_client_kill_with_parked_blocking_readers(redis_clean: ServerInfo) -> None:
    """CLIENT KILL TYPE normal under parked readers: they fail with ConnectionError,
    the next command works at once, no connection leaks."""
    client = coredis.Redis(redis_clean.host, redis_clean.port, decode_responses=True)
    async with client:
        await client.ping()
        before = calls(redis_clean, "blpop")
        readers = [asyncio.ensure_future(client.blpop([f"q{i}"], timeout=0)) for i in range(5)]
        for _ in range(100):
            await asyncio.sleep(0.02)
            if calls(redis_clean, "blpop") >= before + 5:
                break
        command(redis_clean, "CLIENT", "KILL", "TYPE", "normal")
        results = await asyncio.wait_for(
            asyncio.gather(*readers, return_exceptions=True), timeout=5
        )
        assert all(isinstance(r, ConnectionError) for r in results), results
        start = time.monotonic()
        assert await client.ping() == "PONG"  # the idle one was killed too: a fresh one
        assert time.monotonic() - start < 1.0
        stats = client.connection_pool.statistics()
        assert stats.in_use == 0
        assert client_count(redis_clean) <= stats.idle


@pytest.mark.parametrize("fault", ["cut", "garble"])
async def test_corrupt_reply_closes_connection(fault_proxy: FaultProxy, fault: str) -> None:
    """A reply cut mid-frame or garbled: ProtocolError/ConnectionError, the connection is
    closed (discarded), the INCR ran exactly once (no silent retry), the next command
    works on a fresh connection."""
    server = fault_proxy.server
    command(server, "CONFIG", "RESETSTAT")
    client = coredis.Redis(
        fault_proxy.host, fault_proxy.port, decode_responses=True, stream_timeout=2
    )
    async with client:
        await client.set("big", "x" * 100)
        pool = client.connection_pool
        discarded = pool.statistics().discarded
        if fault == "cut":
            fault_proxy.cut_next_reply(keep=2)
        else:
            fault_proxy.garble_next_reply()
        with pytest.raises((ConnectionError, ProtocolError)):
            await client.incr("n")
        assert pool.statistics().discarded == discarded + 1
        assert calls(server, "incr") == 1
        assert await client.get("n") == "1"
        fault_proxy.cut_next_reply(keep=5)  # mid-bulk of an idempotent GET: retried once
        assert await client.get("big") == "x" * 100
        assert pool.statistics().in_use == 0


async def test_blocking_longer_than_stream_timeout(fault_proxy: FaultProxy) -> None:
    """BLPOP/XREAD blocking longer than stream_timeout: as documented, the read deadline
    is the block time plus stream_timeout, so they return None after their own block time;
    when that reply is lost they raise TimeoutError at block + stream_timeout (+10%). Each
    was sent exactly once, even with retry_on_timeout=True."""
    server = fault_proxy.server
    client = coredis.Redis(
        fault_proxy.host,
        fault_proxy.port,
        decode_responses=True,
        stream_timeout=0.3,
        retry_on_timeout=True,
    )
    command(server, "CONFIG", "RESETSTAT")
    async with client:
        start = time.monotonic()
        assert await client.blpop(["empty"], timeout=0.6) is None
        assert 0.6 <= time.monotonic() - start < 0.9
        assert await client.xread({"stream": "$"}, block=600) is None
        fault_proxy.drop_next_reply()  # the nil reply BLPOP gets after its 0.6 s
        start = time.monotonic()
        with pytest.raises(TimeoutError):
            await client.blpop(["empty"], timeout=0.6)
        assert 0.9 <= time.monotonic() - start <= 0.9 * 1.1
        assert calls(server, "blpop") == 2
        assert calls(server, "xread") == 1
        assert client.connection_pool.statistics().discarded == 1


async def test_non_idempotent_never_silently_retried(fault_proxy: FaultProxy) -> None:
    """A lost INCR/LPUSH reply (dropped, or the connection reset) raises; the server ran
    each command exactly once."""
    server = fault_proxy.server
    command(server, "CONFIG", "RESETSTAT")
    client = coredis.Redis(
        fault_proxy.host,
        fault_proxy.port,
        decode_responses=True,
        stream_timeout=0.3,
        retry_on_timeout=True,
    )
    async with client:
        await client.ping()
        fault_proxy.drop_next_reply()
        with pytest.raises(TimeoutError):
            await client.incr("n")
        assert await client.ping() == "PONG"  # a new connection, handshake done
        fault_proxy.cut_next_reply(keep=0)
        with pytest.raises(ConnectionError):
            await client.lpush("l", ["a"])
        assert calls(server, "incr") == 1
        assert calls(server, "lpush") == 1
        assert await client.get("n") == "1"
        assert await client.llen("l") == 1


async def test_idle_connections_reset_by_peer(fault_proxy: FaultProxy) -> None:
    """Every idle pooled connection is RST by the network: the next 10 concurrent INCRs
    all succeed on fresh connections (the pool drops the dead ones before use), each ran
    once, and nothing raises anything but coredis errors (never TypeError/AttributeError).
    """
    server = fault_proxy.server
    client = coredis.Redis(fault_proxy.host, fault_proxy.port, decode_responses=True)
    async with client:
        await asyncio.gather(*(client.ping() for _ in range(10)))
        pool = client.connection_pool
        assert pool.statistics().idle == 10
        command(server, "CONFIG", "RESETSTAT")
        fault_proxy.reset_all()
        await asyncio.sleep(0.05)  # the RSTs arrive
        assert await asyncio.gather(*(client.incr("n") for _ in range(10))) is not None
        assert await client.get("n") == "10"
        assert calls(server, "incr") == 10
        assert pool.statistics().discarded >= 10


async def test_close_is_bounded_when_the_peer_is_silent(fault_proxy: FaultProxy) -> None:
    """With the server black-holed and requests in flight, closing the client returns at
    once and fails the in-flight requests with ConnectionError (no wait for a FIN)."""
    client = coredis.Redis(fault_proxy.host, fault_proxy.port, decode_responses=True)
    await client.ping()
    fault_proxy.black_hole()
    # INCR: not retried (a GET would be retried once on a new connection, into the hole).
    # One runs on the warm connection, two are still in their handshake when closed.
    pending = [asyncio.ensure_future(client.incr("k")) for _ in range(3)]
    await asyncio.sleep(0.05)
    start = time.monotonic()
    await client.aclose()
    assert time.monotonic() - start < 0.1
    results = await asyncio.wait_for(asyncio.gather(*pending, return_exceptions=True), 1)
    assert all(isinstance(r, ConnectionError) for r in results), results
    fault_proxy.restore()
    stats = client.connection_pool.statistics()
    assert (stats.in_use, stats.connecting) == (0, 0), stats


async def test_watch_connection_killed_never_applies_the_transaction(
    redis_clean: ServerInfo,
) -> None:
    """The connection holding a WATCH is killed before EXEC: the transaction raises and
    is not applied (it is never re-run on a fresh, unwatched connection)."""
    client = coredis.Redis(redis_clean.host, redis_clean.port, decode_responses=True)
    async with client:
        await client.set("balance", "10")
        command(redis_clean, "CONFIG", "RESETSTAT")
        async with client.pipeline() as pipe:
            await pipe.watch("balance")
            assert await pipe.get("balance") == "10"
            command(redis_clean, "CLIENT", "KILL", "TYPE", "normal")
            await client.set("balance", "99")  # another writer: WATCH must have caught it
            pipe.multi()
            await pipe.set("balance", "0")
            with pytest.raises(ConnectionError):
                await pipe.execute()
        assert await client.get("balance") == "99"
        assert calls(redis_clean, "exec") == 0
        assert client.connection_pool.statistics().in_use == 0
