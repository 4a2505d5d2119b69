"""from_url: parsing, and real connections from redis://, rediss:// and unix:// URLs."""

from __future__ import annotations

import ssl

import pytest

from coredis.connection import Connection, UnixDomainSocketConnection
from coredis.pool import BlockingConnectionPool, ConnectionPool, build_ssl_context, parse_url
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
    assert parse_url("redis://:pw@h")["username"] is None
    unix = parse_url("unix://:pw@/tmp/redis.sock?db=1", ssl_context=None)
    assert unix == {
        "connection_class": UnixDomainSocketConnection,
        "path": "/tmp/redis.sock",
        "username": None,
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


def test_defaults_are_filled_in() -> None:
    # As 4.x's pool did: connection_kwargs name the host, port, db and credentials.
    pool = ConnectionPool.from_url("redis://example.com")
    assert {k: pool.connection_kwargs[k] for k in ("host", "port", "db")} == {
        "host": "example.com",
        "port": 6379,
        "db": 0,
    }
    assert pool.connection_kwargs["username"] is None
    assert pool.connection_kwargs["password"] is None
    # redis:///N: no host (localhost), database N
    local = ConnectionPool.from_url("redis:///3")
    assert (local.connection_kwargs["host"], local.connection_kwargs["db"]) == ("localhost", 3)
    # credentials given as keyword arguments are kept when the URL has none
    kept = ConnectionPool.from_url("redis://h", username="u", password="p", db=2)
    assert (kept.connection_kwargs["username"], kept.connection_kwargs["password"]) == ("u", "p")
    assert kept.connection_kwargs["db"] == 2


def test_typed_query_options_are_converted() -> None:
    pool = BlockingConnectionPool.from_url(
        "redis://h/1?db=4&stream_timeout=2.5&max_idle_time=3&idle_check_interval=0.5"
        "&timeout=7&max_push_messages=10&noreply=false&encoding=latin-1"
    )
    assert pool.connection_kwargs["db"] == 4
    assert pool.connection_kwargs["stream_timeout"] == 2.5
    assert pool.connection_kwargs["max_push_messages"] == 10
    assert pool.connection_kwargs["noreply"] is False
    assert pool.connection_kwargs["encoding"] == "latin-1"
    assert (pool.max_idle_time, pool.idle_check_interval, pool.timeout) == (3.0, 0.5, 7.0)


@pytest.mark.parametrize(
    ("url", "error", "name"),
    [
        ("redis://h?protocol_version=4", ValueError, "protocol_version"),
        ("redis://h?bogus=1", ValueError, "bogus"),
        ("redis://h?health_check_interval=abc", ValueError, "health_check_interval"),
        ("redis://h?stream_timeout=abc", ValueError, "stream_timeout"),
        ("redis://h?stream_timeout=-1", ValueError, "stream_timeout"),
        ("redis://h?stream_timeout=nan", ValueError, "stream_timeout"),
        ("redis://h?db=x", ValueError, "db"),
        ("redis://h?db=-1", ValueError, "db"),
        ("redis://h?max_connections=0", ValueError, "max_connections"),
        ("redis://h?encoding=bogus", ValueError, "encoding"),
        ("redis://h:0", ValueError, "port"),
        ("redis://h:99146", ValueError, "port"),
        ("redis://h:abc", ValueError, "port"),
        ("redis://h?ssl_cert_reqs=none", ValueError, "rediss://"),
        ("redis://h?ssl_ca_certs=/tmp/ca.pem", ValueError, "rediss://"),
        ("unix:///tmp/r.sock?ssl_check_hostname=false", ValueError, "rediss://"),
        ("unix:///tmp/r.sock?bogus=1", ValueError, "bogus"),
        ("rediss://h?ssl_keyfile=/tmp/key.pem", ValueError, "ssl_certfile"),
        ("rediss://h?ssl_cert_reqs=sometimes", ValueError, "ssl_cert_reqs"),
    ],
)
def test_from_url_rejects_at_once(url: str, error: type[Exception], name: str) -> None:
    with pytest.raises(error, match=name):
        ConnectionPool.from_url(url)


def test_from_url_rejects_a_non_string() -> None:
    with pytest.raises(TypeError, match="url must be a str"):
        ConnectionPool.from_url(123)  # type: ignore[arg-type]


def test_port_errors_do_not_repeat_the_password() -> None:
    with pytest.raises(ValueError) as info:
        ConnectionPool.from_url("redis://user:hunter2@h:99146")
    assert "hunter2" not in str(info.value)


def test_tls_options_mean_the_same_by_url_and_by_builder() -> None:
    # "optional" keeps the host name check on (a certificate sent is fully verified),
    # whether it comes from a URL or from build_ssl_context's arguments.
    from_url = parse_url("rediss://h?ssl_cert_reqs=optional")["ssl_context"]
    built = build_ssl_context(ssl_cert_reqs="optional")
    for context in (from_url, built):
        assert context.verify_mode == ssl.CERT_OPTIONAL and context.check_hostname
    relaxed = parse_url("rediss://h?ssl_check_hostname=false")["ssl_context"]
    assert relaxed.verify_mode == ssl.CERT_REQUIRED and not relaxed.check_hostname


def test_custom_connection_class_options_are_accepted() -> None:
    class Custom(Connection):
        def __init__(self, *args: object, flavour: str = "plain", **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            self.flavour = flavour

    pool = ConnectionPool.from_url("redis://h?flavour=spicy", connection_class=Custom)
    assert pool.connection_kwargs["flavour"] == "spicy"


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
