"""coredis.Redis itself: execute_command, constructor options, from_url, retries, lifecycle."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import coredis
from coredis.exceptions import (
    AuthenticationError,
    ConnectionError,
    DataError,
    ReplicationError,
    ResponseError,
    TimeoutError,
    WrongTypeError,
)
from coredis_testing import ServerInfo, command

pytestmark = pytest.mark.redis


async def test_execute_command_roundtrip(client: Any, _s: Any, protocol_version: int) -> None:
    assert await client.execute_command(b"SET", "k", "v") == _s("OK")
    assert await client.execute_command(b"GET", "k") == _s("v")
    assert await client.execute_command(b"GET", "missing") is None
    assert await client.execute_command(b"INCRBY", "n", 5) == 5


async def test_execute_command_callback_gets_version_and_options(
    client: Any, protocol_version: int
) -> None:
    seen: dict[str, Any] = {}

    def callback(response: Any, **options: Any) -> str:
        seen.update(options)
        return f"wrapped:{response!r}"

    await client.execute_command(b"SET", "k", "v")
    result = await client.execute_command(b"STRLEN", "k", callback=callback, flag=1)
    assert result == "wrapped:1"
    assert seen == {"version": protocol_version, "flag": 1}


async def test_decode_false_gives_bytes(client_str: Any) -> None:
    await client_str.execute_command(b"SET", "k", "v")
    assert await client_str.execute_command(b"GET", "k") == "v"
    assert await client_str.execute_command(b"GET", "k", decode=False) == b"v"


async def test_error_reply_is_mapped_and_connection_reused(client: Any) -> None:
    await client.execute_command(b"SET", "k", "v")
    with pytest.raises(WrongTypeError):
        await client.execute_command(b"LPUSH", "k", "x")
    with pytest.raises(ResponseError, match="unknown command"):
        await client.execute_command(b"NOSUCHCOMMAND")
    assert await client.execute_command(b"STRLEN", "k") == 1
    stats = client.connection_pool.statistics()
    assert stats.created == 1
    assert stats.discarded == 0


async def test_bad_input_rejected_before_sending(client_resp3: Any) -> None:
    client = client_resp3
    await client.execute_command(b"SET", "k", "v")
    with pytest.raises(DataError):
        await client.execute_command(b"SET", "k", object())  # type: ignore[arg-type]
    with pytest.raises(DataError):
        await client.execute_command(b"SET", "k", None)  # type: ignore[arg-type]
    # Nothing was written: same connection, still in step, value untouched.
    assert await client.execute_command(b"GET", "k") == b"v"
    stats = client.connection_pool.statistics()
    assert (stats.created, stats.discarded) == (1, 0)


async def test_cancellation_leaves_no_stale_reply(redis_clean: ServerInfo) -> None:
    client = coredis.Redis(host=redis_clean.host, port=redis_clean.port, max_connections=1)
    async with client:
        await client.execute_command(b"SET", "k", "v")
        task = asyncio.create_task(client.execute_command(b"BLPOP", "queue", 5))
        await asyncio.sleep(0.1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # The cancelled connection was closed: BLPOP cannot consume this element later.
        assert await client.execute_command(b"LPUSH", "queue", "x") == 1
        for _ in range(5):
            assert await client.execute_command(b"GET", "k") == b"v"
        await asyncio.sleep(0.05)
        assert await client.execute_command(b"LRANGE", "queue", 0, -1) == [b"x"]
        assert client.connection_pool.statistics().discarded == 1


async def test_unix_socket_and_db(redis_clean: ServerInfo) -> None:
    assert redis_clean.unix_socket is not None
    async with coredis.Redis(unix_socket_path=redis_clean.unix_socket, db=3) as client:
        await client.execute_command(b"SET", "where", "db3")
        pool = client.connection_pool
        assert pool.connection_class is coredis.UnixDomainSocketConnection
    assert command(redis_clean, "SELECT", 3) == b"OK"
    async with coredis.Redis(host=redis_clean.host, port=redis_clean.port, db=3) as client:
        assert await client.execute_command(b"GET", "where") == b"db3"
        assert await client.execute_command(b"DBSIZE") == 1
    async with coredis.Redis(host=redis_clean.host, port=redis_clean.port) as client:
        assert await client.execute_command(b"GET", "where") is None


async def test_client_name(redis_clean: ServerInfo) -> None:
    client = coredis.Redis(host=redis_clean.host, port=redis_clean.port, client_name="svc-1")
    async with client:
        assert await client.execute_command(b"CLIENT", b"GETNAME") == b"svc-1"


@pytest.mark.parametrize("protocol_version", [2, 3])
async def test_tls(redis_tls_server: ServerInfo, protocol_version: int) -> None:
    assert redis_tls_server.tls is not None
    client = coredis.Redis(
        host=redis_tls_server.host,
        port=redis_tls_server.port,
        ssl=True,
        ssl_ca_certs=redis_tls_server.tls.ca_file,
        protocol_version=protocol_version,  # type: ignore[arg-type]
        decode_responses=True,
    )
    async with client:
        assert await client.execute_command(b"PING") == "PONG"
    await asyncio.sleep(0.1)
    context = redis_tls_server.tls.client_ssl_context()
    async with coredis.Redis(
        host=redis_tls_server.host, port=redis_tls_server.port, ssl_context=context
    ) as client:
        assert await client.execute_command(b"ECHO", "tls") == b"tls"
    # disconnect() is synchronous: the TLS close_notify exchange finishes on the loop
    # afterwards. Let it, or the socket under the SSL transport outlives the test loop.
    await asyncio.sleep(0.1)


async def test_tls_refuses_unknown_ca(redis_tls_server: ServerInfo) -> None:
    client = coredis.Redis(host=redis_tls_server.host, port=redis_tls_server.port, ssl=True)
    with pytest.raises(ConnectionError):
        await client.execute_command(b"PING")
    await client.aclose()


def test_ssl_cert_reqs_validated() -> None:
    with pytest.raises(ValueError, match="ssl_cert_reqs"):
        coredis.Redis(ssl=True, ssl_cert_reqs="sometimes")  # type: ignore[arg-type]


@pytest.mark.parametrize("protocol_version", [2, 3])
async def test_acl_user(redis_acl_server: ServerInfo, protocol_version: int) -> None:
    client = coredis.Redis(
        host=redis_acl_server.host,
        port=redis_acl_server.port,
        username=redis_acl_server.username,
        password=redis_acl_server.password,
        protocol_version=protocol_version,  # type: ignore[arg-type]
    )
    async with client:
        assert await client.execute_command(b"ACL", b"WHOAMI") == b"coredis"
    wrong = coredis.Redis(
        host=redis_acl_server.host,
        port=redis_acl_server.port,
        username="coredis",
        password="wrong",
        protocol_version=protocol_version,  # type: ignore[arg-type]
    )
    with pytest.raises(AuthenticationError):
        await wrong.execute_command(b"PING")
    await wrong.aclose()


async def test_from_url(redis_clean: ServerInfo) -> None:
    url = f"redis://{redis_clean.host}:{redis_clean.port}/2"
    client = coredis.Redis.from_url(url, decode_responses=True)
    async with client:
        await client.execute_command(b"SET", "k", "v")
        assert await client.execute_command(b"GET", "k") == "v"
        assert client.decode_responses is True
    assert command(redis_clean, "SELECT", 2) == b"OK"
    no_db = f"redis://{redis_clean.host}:{redis_clean.port}"
    async with coredis.Redis.from_url(no_db, db=2, protocol_version=2) as client:
        assert await client.execute_command(b"GET", "k") == b"v"
        async with client.connection_pool.connection() as conn:
            assert conn.protocol_version == 2
    async with coredis.Redis.from_url(no_db) as client:
        assert await client.execute_command(b"GET", "k") is None
    assert redis_clean.unix_socket is not None
    async with coredis.Redis.from_url(f"unix://{redis_clean.unix_socket}?db=2") as client:
        assert await client.execute_command(b"GET", "k") == b"v"


async def test_from_url_acl(redis_acl_server: ServerInfo) -> None:
    server = redis_acl_server
    url = f"redis://{server.username}:{server.password}@{server.host}:{server.port}"
    async with coredis.Redis.from_url(url) as client:
        assert await client.execute_command(b"ACL", b"WHOAMI") == b"coredis"


async def test_shared_pool_is_not_closed(redis_clean: ServerInfo) -> None:
    pool = coredis.ConnectionPool(host=redis_clean.host, port=redis_clean.port)
    first = coredis.Redis(connection_pool=pool)
    second = coredis.Redis(connection_pool=pool)
    async with first:
        await first.execute_command(b"SET", "k", "v")
    assert pool.statistics().idle == 1  # first's aclose() left the shared pool alone
    assert await second.execute_command(b"GET", "k") == b"v"
    assert pool.statistics().created == 1
    pool.disconnect()


async def test_owned_pool_closed_by_aclose(redis_clean: ServerInfo) -> None:
    client = coredis.Redis(host=redis_clean.host, port=redis_clean.port)
    await client.execute_command(b"PING")
    assert client.connection_pool.statistics().idle == 1
    await client.aclose()
    assert client.connection_pool.statistics().idle == 0
    # Still usable afterwards: a new connection is made.
    assert await client.execute_command(b"PING") == b"PONG"
    await client.close()


async def test_await_and_initialize(redis_clean: ServerInfo) -> None:
    client = await coredis.Redis(host=redis_clean.host, port=redis_clean.port)
    assert client.connection_pool.statistics().created == 1
    await client.aclose()
    unreachable = coredis.Redis(host="127.0.0.1", port=1, connect_timeout=1)
    with pytest.raises(ConnectionError, match=r"127\.0\.0\.1:1"):
        await unreachable.initialize()


def test_protocol_version_validated() -> None:
    with pytest.raises(ValueError):
        coredis.Redis(protocol_version=4)  # type: ignore[call-overload]


async def test_retry_on_timeout_repeats_only_reads(redis_clean: ServerInfo) -> None:
    server = redis_clean
    client = coredis.Redis(
        host=server.host, port=server.port, stream_timeout=0.3, retry_on_timeout=True
    )
    async with client:
        await client.execute_command(b"SET", "k", "v")
        command(server, "CLIENT", "PAUSE", 500, "ALL")
        # First attempt times out at 0.3 s, the retry gets its reply when the pause ends.
        assert await client.execute_command(b"GET", "k") == b"v"
        command(server, "CLIENT", "PAUSE", 500, "ALL")
        with pytest.raises(TimeoutError):
            await client.execute_command(b"INCR", "counter")
        await asyncio.sleep(0.4)
        # Not repeated: the timed-out connection was closed (so the paused server dropped
        # the INCR) and no second INCR was sent.
        assert await client.execute_command(b"GET", "counter") is None


async def test_no_retry_without_retry_on_timeout(redis_clean: ServerInfo) -> None:
    server = redis_clean
    client = coredis.Redis(host=server.host, port=server.port, stream_timeout=0.2)
    async with client:
        await client.execute_command(b"SET", "k", "v")
        command(server, "CLIENT", "PAUSE", 400, "ALL")
        with pytest.raises(TimeoutError):
            await client.execute_command(b"GET", "k")
        await asyncio.sleep(0.3)
        assert await client.execute_command(b"GET", "k") == b"v"


async def test_read_retried_after_connection_killed_mid_reply(redis_clean: ServerInfo) -> None:
    server = redis_clean
    async with coredis.Redis(host=server.host, port=server.port) as client:
        await client.execute_command(b"CLIENT", b"SETNAME", "victim")
        await client.execute_command(b"RPUSH", "q", "a")
        # BLPOP is not idempotent: killed mid-wait it raises and is not repeated.
        task = asyncio.create_task(client.execute_command(b"BLPOP", "empty", 5))
        await asyncio.sleep(0.1)
        command(server, "CLIENT", "KILL", "TYPE", "normal")
        with pytest.raises(ConnectionError):
            await task
        assert await client.execute_command(b"LLEN", "q") == 1


async def test_ensure_replication(redis_server_factory: Any) -> None:
    primary = redis_server_factory()
    replica = redis_server_factory("--replicaof", primary.host, str(primary.port))
    for _ in range(100):
        info = command(replica, "INFO", "replication", decode=True)
        if "master_link_status:up" in str(info):
            break
        await asyncio.sleep(0.1)
    async with coredis.Redis(host=primary.host, port=primary.port) as client:
        with client.ensure_replication(replicas=1, timeout_ms=2000):
            assert await client.execute_command(b"SET", "k", "v") == b"OK"
        assert command(replica, "GET", "k") == b"v"
        with pytest.raises(ReplicationError), client.ensure_replication(2, timeout_ms=50):
            await client.execute_command(b"SET", "k", "w")
        # Outside the block no WAIT is sent.
        assert await client.execute_command(b"SET", "k", "x") == b"OK"


async def test_ignore_replies(redis_clean: ServerInfo) -> None:
    async with coredis.Redis(host=redis_clean.host, port=redis_clean.port) as client:
        with client.ignore_replies():
            assert await client.execute_command(b"SET", "k", "v") is None
            assert await client.execute_command(b"INCR", "n") is None
        assert await client.execute_command(b"GET", "k") == b"v"
        assert await client.execute_command(b"GET", "n") == b"1"
        assert client.connection_pool.statistics().created == 1


async def test_noreply_client(redis_clean: ServerInfo) -> None:
    client = coredis.Redis(host=redis_clean.host, port=redis_clean.port, noreply=True)
    async with client:
        assert await client.execute_command(b"SET", "k", "v") is None
    await asyncio.sleep(0.05)
    assert command(redis_clean, "GET", "k") == b"v"


def test_unknown_argument_refused_at_construction() -> None:
    with pytest.raises(TypeError, match="bogus"):
        coredis.Redis(port=1, bogus=1)
    # Arguments of the pool class and of the connection class are both accepted.
    client = coredis.Redis(
        port=1,
        cache=None,
        connection_pool_cls=coredis.BlockingConnectionPool,
        timeout=3,
        socket_keepalive=True,
    )
    assert isinstance(client.connection_pool, coredis.BlockingConnectionPool)


async def test_blocking_pool_via_constructor(redis_clean: ServerInfo) -> None:
    client = coredis.Redis(
        host=redis_clean.host,
        port=redis_clean.port,
        connection_pool_cls=coredis.BlockingConnectionPool,
        max_connections=2,
        timeout=5,
    )
    async with client:
        await client.execute_command(b"SET", "k", "v")
        results = await asyncio.gather(*(client.execute_command(b"GET", "k") for _ in range(20)))
        assert results == [b"v"] * 20
        assert client.connection_pool.statistics().created <= 2


@pytest.mark.parametrize("protocol_version", [2, 3])
async def test_random_cancellations_never_mix_replies(
    redis_clean: ServerInfo, protocol_version: int
) -> None:
    """Many tasks read their own key while timeouts cancel them at arbitrary await points:
    every reply that does arrive must be the caller's own."""
    import random

    client = coredis.Redis(
        host=redis_clean.host,
        port=redis_clean.port,
        protocol_version=protocol_version,  # type: ignore[arg-type]
        max_connections=4,
        connection_pool_cls=coredis.BlockingConnectionPool,
    )
    rng = random.Random(1234)
    async with client:
        for i in range(20):
            await client.execute_command(b"SET", f"key:{i}", f"value:{i}")

        async def reader(i: int) -> int:
            completed = 0
            for _ in range(30):
                try:
                    # Mostly 0-2 ms (cancelled at arbitrary points); one wait in five is
                    # generous, so that replies do arrive even on a loaded machine.
                    timeout = rng.uniform(0, 0.002) if rng.random() < 0.8 else 5.0
                    reply = await asyncio.wait_for(
                        client.execute_command(b"GET", f"key:{i}"), timeout
                    )
                except asyncio.TimeoutError:
                    continue
                assert reply == f"value:{i}".encode()
                completed += 1
            return completed

        completed = await asyncio.gather(*(reader(i) for i in range(20)))
        assert sum(completed) > 0
        stats = client.connection_pool.statistics()
        assert stats.in_use == 0
        for i in range(20):
            assert await client.execute_command(b"GET", f"key:{i}") == f"value:{i}".encode()


async def test_from_url_rediss(redis_tls_server: ServerInfo) -> None:
    server = redis_tls_server
    assert server.tls is not None
    url = f"rediss://{server.host}:{server.port}/0?ssl_ca_certs={server.tls.ca_file}"
    async with coredis.Redis.from_url(url, decode_responses=True) as client:
        assert await client.execute_command(b"PING") == "PONG"
    await asyncio.sleep(0.1)  # let the TLS close_notify finish (see test_tls)


async def test_shared_client_nested_context_closes_on_last_exit(redis_clean: ServerInfo) -> None:
    import random

    client = coredis.Redis(host=redis_clean.host, port=redis_clean.port)
    rng = random.Random(7)
    errors: list[BaseException] = []

    async def task(i: int) -> None:
        async with client:
            await asyncio.sleep(rng.uniform(0, 0.05))
            try:
                await client.execute_command(b"SET", f"k{i}", i)
            except BaseException as exc:  # pragma: no cover - the failure being tested
                errors.append(exc)

    await asyncio.gather(*(task(i) for i in range(50)))
    assert errors == []
    assert client.connection_pool.statistics().idle == 0  # the last exit closed the pool
    assert command(redis_clean, "DBSIZE") == 50


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_blocking_commands_outlast_stream_timeout(redis_clean: ServerInfo) -> None:
    client = coredis.Redis(host=redis_clean.host, port=redis_clean.port, stream_timeout=0.3)
    async with client:
        loop = asyncio.get_running_loop()
        start = loop.time()
        assert await client.execute_command(b"BLPOP", "empty", 0.8) is None
        assert 0.7 < loop.time() - start < 2
        start = loop.time()
        assert await client.execute_command(b"BLMPOP", 0.6, 1, "empty", b"LEFT") is None
        assert 0.5 < loop.time() - start < 2
        assert await client.execute_command(b"XREAD", b"BLOCK", 600, b"STREAMS", "s", "$") is None
        # BLPOP 0 waits as long as it takes.
        waiter = asyncio.create_task(client.execute_command(b"BLPOP", "q", 0))
        await asyncio.sleep(0.6)
        assert not waiter.done()
        await client.execute_command(b"RPUSH", "q", "x")
        assert await waiter == [b"q", b"x"]
        # A plain command still times out at stream_timeout, and is not retried.
        command(redis_clean, "CLIENT", "PAUSE", 600, "ALL")
        with pytest.raises(TimeoutError):
            await client.execute_command(b"GET", "k")
        await asyncio.sleep(0.4)


async def test_idle_connections_killed_by_server_are_replaced(redis_clean: ServerInfo) -> None:
    async with coredis.Redis(host=redis_clean.host, port=redis_clean.port) as client:
        await asyncio.gather(*(client.execute_command(b"BLPOP", "none", 0.1) for _ in range(5)))
        assert client.connection_pool.statistics().idle == 5
        command(redis_clean, "CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes")
        await asyncio.sleep(0.1)
        results = await asyncio.gather(
            *(client.execute_command(b"INCR", "n") for _ in range(5)),
            *(client.execute_command(b"GET", "n") for _ in range(5)),
        )
        assert sorted(results[:5]) == [1, 2, 3, 4, 5]
        assert await client.execute_command(b"GET", "n") == b"5"


async def test_busy_poll_option(redis_clean: ServerInfo) -> None:
    # Sequential commands on an otherwise idle client read their replies by polling
    # (the wide window keeps the test independent of machine load)...
    client = coredis.Redis(redis_clean.host, redis_clean.port, busy_poll=0.5)
    async with client:
        for i in range(20):
            await client.set("bp", i)
            assert await client.get("bp") == str(i).encode()
        # a blocking command is never polled for (it would hold the loop for the window)
        started = asyncio.get_running_loop().time()
        assert await client.blpop(["bp:empty"], timeout=0.2) is None
        assert asyncio.get_running_loop().time() - started < 0.45
        async with client.connection_pool.connection() as conn:
            assert conn.busy_poll == 0.5
            assert conn.busy_poll_hits >= 40
            assert conn.busy_poll_misses == 0
    # ...and busy_poll=0 (also as a URL option) turns it off.
    for off in (
        coredis.Redis(redis_clean.host, redis_clean.port, busy_poll=0),
        coredis.Redis.from_url(f"redis://{redis_clean.host}:{redis_clean.port}?busy_poll=0"),
    ):
        async with off:
            for i in range(5):
                await off.set("bp", i)
            async with off.connection_pool.connection() as conn:
                assert (conn.busy_poll, conn.busy_poll_hits, conn.busy_poll_misses) == (0, 0, 0)
