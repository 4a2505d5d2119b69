"""from_url: parsing, and real connections from redis://, rediss:// and unix:// URLs."""

from __future__ import annotations

import ssl

import pytest

from coredis.connection import Connection, UnixDomainSocketConnection
from coredis.pool import BlockingConnectionPool, ConnectionPool, parse_url
from coredis.protocol import ConnectionError
from coredis_testing import ServerInfo


def test_parse_redis_url() -> None:
    kwargs = parse_url(
        "redis://user:secret@example.com:6380/3?stream_timeout=1.5&connect_timeout=2"
        "&protocol_version=2&client_name=app&max_connections=7&decode_responses=true"
        "&retry_on_timeout=no&busy_poll=0&custom=x"
    )
    assert kwargs == {
        "connection_class": Connection,
        "host": "example.com",
        "port": 6380,
        "db": 3,
        "username": "user",
        "password": "secret",
        "stream_timeout": 1.5,
        "connect_timeout": 2.0,
        "protocol_version": 2,
        "client_name": "app",
        "max_connections": 7,
        "decode_responses": True,
        "retry_on_timeout": False,
        "busy_poll": 0.0,
        "custom": "x",
    }


def test_parse_precedence_and_components() -> None:
    # query db > path db > db argument; the URL wins over keyword arguments
    assert parse_url("redis://h/2?db=4", db=9)["db"] == 4
    assert parse_url("redis://h/2", db=9)["db"] == 2
    assert parse_url("redis://h", db=9)["db"] == 9
    assert parse_url("redis://h?client_name=url", client_name="kw")["client_name"] == "url"
    assert parse_url("redis://:p%40ss@h", decode_components=True)["password"] == "p@ss"
    assert parse_url("redis://:p%40ss@h")["password"] == "p%40ss"
    assert "username" not in parse_url("redis://:pw@h")
    unix = parse_url("unix://:pw@/tmp/redis.sock?db=1", ssl_context=None)
    assert unix == {
        "connection_class": UnixDomainSocketConnection,
        "path": "/tmp/redis.sock",
        "password": "pw",
        "db": 1,
    }


def test_parse_rediss_builds_verifying_context() -> None:
    context = parse_url("rediss://h:6390")["ssl_context"]
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    relaxed = parse_url("rediss://h?ssl_cert_reqs=none")["ssl_context"]
    assert relaxed.verify_mode == ssl.CERT_NONE and not relaxed.check_hostname


@pytest.mark.parametrize(
    "url", ["http://h", "redis://h/notanumber", "redis://h?decode_responses=maybe"]
)
def test_parse_rejects(url: str) -> None:
    with pytest.raises(ValueError):
        parse_url(url)


async def test_from_url_tcp(redis_clean: ServerInfo) -> None:
    pool = BlockingConnectionPool.from_url(
        f"redis://{redis_clean.host}:{redis_clean.port}/5?client_name=fromurl"
        "&protocol_version=2&decode_responses=1&max_connections=3&timeout=4",
    )
    assert isinstance(pool, BlockingConnectionPool)
    assert (pool.max_connections, pool.timeout, pool.decode_responses) == (3, 4.0, True)
    async with pool.connection() as conn:
        info = await conn.execute_command(b"CLIENT", b"INFO")
        assert "db=5" in info and "name=fromurl" in info and "resp=2" in info
    pool.disconnect()


async def test_from_url_unix(redis_clean: ServerInfo) -> None:
    pool = ConnectionPool.from_url(f"unix://{redis_clean.unix_socket}?db=2")
    async with pool.connection() as conn:
        assert isinstance(conn, UnixDomainSocketConnection)
        assert b"db=2" in await conn.execute_command(b"CLIENT", b"INFO")
    pool.disconnect()


async def test_from_url_acl(redis_acl_server: ServerInfo) -> None:
    pool = ConnectionPool.from_url(redis_acl_server.url)
    async with pool.connection() as conn:
        assert await conn.execute_command(b"ACL", b"WHOAMI") == b"coredis"
    pool.disconnect()


async def test_from_url_rediss(redis_tls_server: ServerInfo) -> None:
    assert redis_tls_server.tls is not None
    base = f"rediss://{redis_tls_server.host}:{redis_tls_server.port}"
    pool = ConnectionPool.from_url(f"{base}?ssl_ca_certs={redis_tls_server.tls.ca_file}")
    async with pool.connection() as conn:
        assert await conn.execute_command(b"PING") == b"PONG"
    pool.disconnect()
    untrusting = ConnectionPool.from_url(base)  # system CAs only: verification fails
    with pytest.raises(ConnectionError, match=str(redis_tls_server.port)):
        await untrusting.get_connection()
    assert untrusting.statistics().in_use == 0
