"""Credentials and TLS against real servers: ACL user, default-user password, wrong and
missing passwords, credential providers, TLS with verification on."""

from __future__ import annotations

import ssl
from collections.abc import Callable

import pytest

from coredis.connection import Connection, Credentials, UnixDomainSocketConnection
from coredis.protocol import (
    AuthenticationFailureError,
    AuthenticationRequiredError,
    ConnectionError,
)
from coredis_testing import ServerInfo, command
from coredis_testing.plugin import ACL_DEFAULT_PASSWORD


@pytest.mark.parametrize("protocol_version", [2, 3])
async def test_acl_user(redis_acl_server: ServerInfo, protocol_version: int) -> None:
    conn = Connection(
        redis_acl_server.host,
        redis_acl_server.port,
        username=redis_acl_server.username,
        password=redis_acl_server.password,
        protocol_version=protocol_version,
    )
    await conn.connect()
    try:
        assert await conn.execute_command(b"ACL", b"WHOAMI") == b"coredis"
        assert conn.protocol_version == protocol_version
    finally:
        conn.disconnect()


@pytest.mark.parametrize("protocol_version", [2, 3])
async def test_default_user_password(redis_acl_server: ServerInfo, protocol_version: int) -> None:
    conn = Connection(
        redis_acl_server.host,
        redis_acl_server.port,
        password=ACL_DEFAULT_PASSWORD,
        protocol_version=protocol_version,
    )
    await conn.connect()
    try:
        assert await conn.execute_command(b"ACL", b"WHOAMI") == b"default"
    finally:
        conn.disconnect()


@pytest.mark.parametrize("protocol_version", [2, 3])
async def test_wrong_password(redis_acl_server: ServerInfo, protocol_version: int) -> None:
    conn = Connection(
        redis_acl_server.host,
        redis_acl_server.port,
        username="coredis",
        password="not-the-password",
        protocol_version=protocol_version,
    )
    with pytest.raises(AuthenticationFailureError, match=f":{redis_acl_server.port}"):
        await conn.connect()
    assert not conn.is_connected


@pytest.mark.parametrize("protocol_version", [2, 3])
async def test_missing_password(redis_acl_server: ServerInfo, protocol_version: int) -> None:
    # RESP3: HELLO itself is refused (NOAUTH); RESP2: the first command that needs it is,
    # here SELECT during the handshake.
    conn = Connection(
        redis_acl_server.host, redis_acl_server.port, db=1, protocol_version=protocol_version
    )
    with pytest.raises(AuthenticationRequiredError, match=f":{redis_acl_server.port}"):
        await conn.connect()
    assert not conn.is_connected


async def test_credential_provider_called_at_each_connect(
    redis_server_factory: Callable[..., ServerInfo],
) -> None:
    server = redis_server_factory(password="first")
    current = {"password": "first"}
    calls: list[str] = []

    async def provider() -> Credentials:
        calls.append(current["password"])
        return None, current["password"]

    conn = UnixDomainSocketConnection(path=server.unix_socket or "", credential_provider=provider)
    await conn.connect()
    assert await conn.execute_command(b"PING") == b"PONG"
    # Rotate: the server now wants another password; a reconnect picks it up.
    assert await conn.execute_command(b"CONFIG", b"SET", b"requirepass", b"second") == b"OK"
    conn.disconnect()
    current["password"] = "second"
    await conn.connect()
    try:
        assert await conn.execute_command(b"PING") == b"PONG"
    finally:
        conn.disconnect()
    assert calls == ["first", "second"]


async def test_credential_provider_object(redis_acl_server: ServerInfo) -> None:
    class Provider:
        def get_credentials(self) -> Credentials:
            return redis_acl_server.username, redis_acl_server.password

    conn = Connection(redis_acl_server.host, redis_acl_server.port, credential_provider=Provider())
    await conn.connect()
    try:
        assert await conn.execute_command(b"ACL", b"WHOAMI", decode=True) == "coredis"
    finally:
        conn.disconnect()


@pytest.mark.parametrize("protocol_version", [2, 3])
async def test_tls_verified(redis_tls_server: ServerInfo, protocol_version: int) -> None:
    assert redis_tls_server.tls is not None
    context = redis_tls_server.tls.client_ssl_context()
    assert context.verify_mode == ssl.CERT_REQUIRED
    conn = Connection(
        redis_tls_server.host,
        redis_tls_server.port,
        ssl_context=context,
        protocol_version=protocol_version,
    )
    await conn.connect()
    try:
        assert await conn.execute_command(b"ECHO", b"secure") == b"secure"
        assert conn._transport is not None
        assert conn._transport.get_extra_info("peercert") is not None
    finally:
        conn.disconnect()


async def test_tls_wrong_ca_refused(redis_tls_server: ServerInfo) -> None:
    context = ssl.create_default_context()  # system CAs: do not know the test CA
    conn = Connection(redis_tls_server.host, redis_tls_server.port, ssl_context=context)
    with pytest.raises(ConnectionError, match=f"127.0.0.1:{redis_tls_server.port}"):
        await conn.connect()
    assert not conn.is_connected
    # the server is fine: a verifying context that knows the CA works
    assert command(redis_tls_server, "PING") == b"PONG"
