"""Wrong settings fail at construction naming themselves, TLS options mean the same by URL
and by constructor (and never silently mean "no TLS"), ports never wrap, and a username
without a password authenticates as that user (issue 14)."""

from __future__ import annotations

import math
import ssl
from typing import Any

import pytest

import coredis
from coredis.exceptions import AuthenticationFailureError, ResponseError
from coredis.pool import BlockingConnectionPool
from coredis_testing import ServerInfo, command

NOPASS_USER = "hostile-nopass"


@pytest.fixture
def nopass_user(redis_acl_server: ServerInfo) -> Any:
    """A user without a password on the ACL server, allowed only GET on ``nopass:*``."""
    command(
        redis_acl_server,
        "ACL",
        "SETUSER",
        NOPASS_USER,
        "reset",
        "on",
        "nopass",
        "~nopass:*",
        "+@connection",
        "+get",
        "+acl|whoami",
    )
    yield NOPASS_USER
    command(redis_acl_server, "ACL", "DELUSER", NOPASS_USER)


@pytest.mark.parametrize("protocol_version", [2, 3])
async def test_username_alone_authenticates_as_that_user(
    redis_acl_server: ServerInfo, nopass_user: str, protocol_version: Any
) -> None:
    client = coredis.Redis(
        redis_acl_server.host,
        redis_acl_server.port,
        username=nopass_user,
        protocol_version=protocol_version,
    )
    async with client:
        assert await client.execute_command(b"ACL", b"WHOAMI") == nopass_user.encode()
        assert await client.get("nopass:key") is None
        with pytest.raises(ResponseError, match=r"NOPERM|permission"):
            await client.set("nopass:key", "v")  # the user's ACL applies


@pytest.mark.parametrize("protocol_version", [2, 3])
async def test_username_of_a_user_with_a_password_fails_loudly(
    redis_acl_server: ServerInfo, protocol_version: Any
) -> None:
    client = coredis.Redis(
        redis_acl_server.host,
        redis_acl_server.port,
        username=redis_acl_server.username,
        protocol_version=protocol_version,
    )
    with pytest.raises(AuthenticationFailureError, match="WRONGPASS"):
        await client.ping()
    await client.aclose()


async def test_username_alone_on_a_server_whose_default_user_is_open(
    redis_clean: ServerInfo,
) -> None:
    # The silent case: before, HELLO went without AUTH and the client ran as "default".
    command(redis_clean, "ACL", "SETUSER", NOPASS_USER, "reset", "on", "nopass", "+@all", "~*")
    try:
        async with coredis.Redis(redis_clean.host, redis_clean.port, username=NOPASS_USER) as c:
            assert await c.execute_command(b"ACL", b"WHOAMI") == NOPASS_USER.encode()
    finally:
        command(redis_clean, "ACL", "DELUSER", NOPASS_USER)


# -- TLS ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"ssl_cert_reqs": "none"},
        {"ssl_ca_certs": "/tmp/ca.pem"},
        {"ssl_certfile": "/tmp/cert.pem"},
        {"ssl_check_hostname": False},
        {"ssl": True, "ssl_context": ssl.create_default_context(), "ssl_cert_reqs": "none"},
        {"ssl": True, "ssl_keyfile": "/tmp/key.pem"},
        {"ssl": True, "ssl_cert_reqs": "none", "ssl_check_hostname": True},
    ],
)
def test_tls_options_without_tls_are_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="ssl"):
        coredis.Redis("localhost", 6390, **kwargs)


def test_tls_with_a_unix_socket_is_refused() -> None:
    with pytest.raises(ValueError, match="unix socket has no TLS"):
        coredis.Redis(unix_socket_path="/tmp/redis.sock", ssl=True)


@pytest.mark.parametrize(
    "url",
    [
        "redis://localhost:6390?ssl_cert_reqs=none",
        "redis://localhost:6390?ssl_ca_certs=/tmp/ca.pem",
        "unix:///tmp/redis.sock?ssl_certfile=/tmp/cert.pem",
    ],
)
def test_tls_url_options_without_tls_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match="rediss://"):
        coredis.Redis.from_url(url)


@pytest.mark.parametrize("cert_reqs", ["required", "optional", "none"])
@pytest.mark.parametrize("check_hostname", [None, False])
def test_tls_options_mean_the_same_by_url_and_constructor(
    cert_reqs: Any, check_hostname: bool | None
) -> None:
    query = f"ssl_cert_reqs={cert_reqs}"
    if check_hostname is not None:
        query += f"&ssl_check_hostname={str(check_hostname).lower()}"
    by_url = coredis.Redis.from_url(f"rediss://localhost:6390?{query}")
    by_args = coredis.Redis(
        "localhost", 6390, ssl=True, ssl_cert_reqs=cert_reqs, ssl_check_hostname=check_hostname
    )
    contexts = [c.connection_pool.connection_kwargs["ssl_context"] for c in (by_url, by_args)]
    assert {(c.verify_mode, c.check_hostname) for c in contexts} == {
        (contexts[0].verify_mode, contexts[0].check_hostname)
    }
    # verification is only relaxed when asked for
    assert contexts[0].check_hostname is (cert_reqs != "none" and check_hostname is None)


# -- ports and other settings ------------------------------------------------------------


@pytest.mark.parametrize(
    ("port", "error"), [(99146, ValueError), (0, ValueError), (-1, ValueError), ("abc", TypeError)]
)
def test_ports_never_wrap(port: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match="port"):
        coredis.Redis("localhost", port)


def test_from_url_port_zero_is_not_6379() -> None:
    with pytest.raises(ValueError, match="port"):
        coredis.Redis.from_url("redis://localhost:0")


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"stream_timeout": "5"}, TypeError, "stream_timeout"),
        ({"stream_timeout": -1}, ValueError, "stream_timeout"),
        ({"connect_timeout": math.nan}, ValueError, "connect_timeout"),
        ({"max_idle_time": -1}, ValueError, "max_idle_time"),
        ({"encoding": "bogus"}, ValueError, "encoding"),
        ({"db": -1}, ValueError, "db"),
        ({"max_connections": 0}, ValueError, "max_connections"),
        ({"connection_pool_cls": BlockingConnectionPool, "timeout": -1}, ValueError, "timeout"),
        ({"bogus": 1}, TypeError, "bogus"),
    ],
)
def test_constructor_settings_checked_at_once(
    kwargs: dict[str, Any], error: type[Exception], name: str
) -> None:
    with pytest.raises(error, match=name):
        coredis.Redis("localhost", 6390, **kwargs)


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("redis://localhost:6390?protocol_version=4", "protocol_version"),
        ("redis://localhost:6390?bogus=1", "bogus"),
        ("redis://localhost:6390?health_check_interval=abc", "health_check_interval"),
        ("redis://localhost:6390?stream_timeout=-2", "stream_timeout"),
        ("redis://localhost:6390?max_idle_time=-1", "max_idle_time"),
        ("redis://localhost:6390?encoding=bogus", "encoding"),
    ],
)
def test_from_url_options_checked_at_once(url: str, name: str) -> None:
    with pytest.raises(ValueError, match=name):
        coredis.Redis.from_url(url)


def test_from_url_needs_a_string() -> None:
    with pytest.raises(TypeError, match="url"):
        coredis.Redis.from_url(123)  # type: ignore[call-overload]


def test_constructor_and_from_url_mean_the_same() -> None:
    by_args = coredis.Redis(
        "example.com",
        6390,
        db=3,
        stream_timeout=2.5,
        connect_timeout=1,
        client_name="svc",
        max_connections=5,
        max_idle_time=30,
        decode_responses=True,
    )
    by_url = coredis.Redis.from_url(
        "redis://example.com:6390/3?stream_timeout=2.5&connect_timeout=1&client_name=svc"
        "&max_connections=5&max_idle_time=30",
        decode_responses=True,
    )
    names = ("host", "port", "db", "stream_timeout", "connect_timeout", "client_name")
    pools = (by_args.connection_pool, by_url.connection_pool)
    assert [{n: p.connection_kwargs[n] for n in names} for p in pools] == [
        {n: pools[0].connection_kwargs[n] for n in names}
    ] * 2
    assert [(p.max_connections, p.max_idle_time, p.decode_responses) for p in pools] == [
        (5, 30, True)
    ] * 2


def test_from_url_keyword_arguments_are_checked_too() -> None:
    with pytest.raises(TypeError, match="bogus"):
        coredis.Redis.from_url("redis://localhost:6390", bogus=1)
    with pytest.raises(TypeError, match="stream_timeout"):
        coredis.Redis.from_url("redis://localhost:6390", stream_timeout="5")
