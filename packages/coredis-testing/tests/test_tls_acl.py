"""TLS and ACL fixtures: handshakes verify against the test CA, credentials are enforced."""

from __future__ import annotations

import socket
import ssl
from pathlib import Path

import pytest
import trustme

from coredis_testing import ReplyError, ServerInfo, command
from coredis_testing.plugin import ACL_DEFAULT_PASSWORD, ACL_PASSWORD, ACL_USERNAME


def _tls_ping(server: ServerInfo, context: ssl.SSLContext, hostname: str) -> bytes:
    with socket.create_connection((server.host, server.port), timeout=5) as raw:
        tls = context.wrap_socket(raw, server_hostname=hostname)
        try:
            tls.sendall(b"*1\r\n$4\r\nPING\r\n")
            return tls.recv(64)
        finally:
            tls.close()


def test_tls_server_verifies_with_its_ca(redis_tls_server: ServerInfo) -> None:
    assert redis_tls_server.tls is not None
    assert redis_tls_server.url.startswith("rediss://127.0.0.1:")
    assert redis_tls_server.unix_socket is None
    context = redis_tls_server.tls.client_ssl_context()
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    assert _tls_ping(redis_tls_server, context, "127.0.0.1") == b"+PONG\r\n"
    assert _tls_ping(redis_tls_server, context, "localhost") == b"+PONG\r\n"
    assert command(redis_tls_server, "PING") == b"PONG"


def test_tls_server_accepts_a_client_certificate(redis_tls_server: ServerInfo) -> None:
    assert redis_tls_server.tls is not None
    context = redis_tls_server.tls.client_ssl_context(with_client_cert=True)
    assert _tls_ping(redis_tls_server, context, "localhost") == b"+PONG\r\n"


def test_tls_handshake_fails_with_another_ca(redis_tls_server: ServerInfo, tmp_path: Path) -> None:
    other = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    context = ssl.create_default_context(cafile=str(other))
    with pytest.raises(ssl.SSLCertVerificationError):
        _tls_ping(redis_tls_server, context, "127.0.0.1")


def test_tls_server_refuses_plaintext(redis_tls_server: ServerInfo) -> None:
    with socket.create_connection((redis_tls_server.host, redis_tls_server.port), timeout=5) as s:
        s.sendall(b"*1\r\n$4\r\nPING\r\n")
        s.settimeout(2)
        try:
            data = s.recv(64)
        except (ConnectionResetError, TimeoutError):
            data = b""
        assert b"PONG" not in data


def test_acl_user_authenticates(redis_acl_server: ServerInfo) -> None:
    assert (redis_acl_server.username, redis_acl_server.password) == (ACL_USERNAME, ACL_PASSWORD)
    assert redis_acl_server.url == (
        f"redis://{ACL_USERNAME}:{ACL_PASSWORD}@127.0.0.1:{redis_acl_server.port}/0"
    )
    assert command(redis_acl_server, "ACL", "WHOAMI", decode=True) == ACL_USERNAME
    assert command(redis_acl_server, "SET", "acl-key", "1") == b"OK"
    assert command(redis_acl_server, "DEL", "acl-key") == 1


def test_acl_refuses_missing_and_wrong_passwords(redis_acl_server: ServerInfo) -> None:
    with pytest.raises(ReplyError, match="NOAUTH"):
        command(redis_acl_server, "PING", auth=False)
    with pytest.raises(ReplyError, match="WRONGPASS"):
        command(redis_acl_server, "AUTH", ACL_USERNAME, "not-the-password", auth=False)
    with pytest.raises(ReplyError, match="WRONGPASS"):
        command(redis_acl_server, "AUTH", "wrong-password", auth=False)


def test_acl_default_user_needs_its_password(redis_acl_server: ServerInfo) -> None:
    reply = command(redis_acl_server, "AUTH", ACL_DEFAULT_PASSWORD, auth=False)
    assert reply == b"OK"
    users = command(redis_acl_server, "ACL", "USERS", decode=True)
    assert users == ["coredis", "default"]
