"""FaultProxy against a real redis-server, driven through raw sockets (no coredis)."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable

import pytest

from coredis_testing import FaultProxy, ServerInfo

pytestmark = pytest.mark.redis


def _connect(proxy: FaultProxy, timeout: float = 2.0) -> socket.socket:
    sock = socket.create_connection((proxy.host, proxy.port), timeout=timeout)
    sock.settimeout(timeout)
    return sock


def _ping(sock: socket.socket) -> bytes:
    sock.sendall(b"PING\r\n")
    return sock.recv(100)


def test_forwards_and_counts(fault_proxy: FaultProxy) -> None:
    assert fault_proxy.server is not None
    assert fault_proxy.url == f"redis://127.0.0.1:{fault_proxy.port}"
    with _connect(fault_proxy) as sock:
        assert _ping(sock) == b"+PONG\r\n"
        sock.sendall(b"SET k v\r\nGET k\r\n")
        data = b""
        while data.count(b"\r\n") < 3:
            data += sock.recv(100)
        assert data == b"+OK\r\n$1\r\nv\r\n"
        assert fault_proxy.connections == 1
    assert fault_proxy.accepted == 1


def test_latency_and_jitter(fault_proxy: FaultProxy) -> None:
    with _connect(fault_proxy) as sock:
        fault_proxy.set_latency(0.1, jitter=0.05)
        start = time.monotonic()
        assert _ping(sock) == b"+PONG\r\n"
        elapsed = time.monotonic() - start
        # one delay each way: 0.2 s at least, 0.3 s plus scheduling at most
        assert 0.2 <= elapsed < 0.6
        fault_proxy.set_latency()
        start = time.monotonic()
        assert _ping(sock) == b"+PONG\r\n"
        assert time.monotonic() - start < 0.1


def test_black_hole_holds_then_restores(fault_proxy: FaultProxy) -> None:
    with _connect(fault_proxy, timeout=0.3) as sock:
        fault_proxy.black_hole()
        sock.sendall(b"PING\r\n")
        with pytest.raises(socket.timeout):
            sock.recv(100)  # no reply, and no RST/FIN either
        with _connect(fault_proxy, timeout=0.3) as other:  # accepted, then silent
            with pytest.raises(socket.timeout):
                _ping(other)
            fault_proxy.restore()
            other.settimeout(2)
            assert other.recv(100) == b"+PONG\r\n"
        sock.settimeout(2)
        assert sock.recv(100) == b"+PONG\r\n"  # held, then delivered


def test_reset_all_sends_rst(fault_proxy: FaultProxy) -> None:
    with _connect(fault_proxy) as sock:
        assert _ping(sock) == b"+PONG\r\n"
        fault_proxy.reset_all()
        with pytest.raises(ConnectionResetError):
            for _ in range(10):
                sock.sendall(b"PING\r\n")
                if not sock.recv(100):
                    break
                time.sleep(0.05)
        assert fault_proxy.connections == 0
    with _connect(fault_proxy) as sock:  # new connections are proxied again
        assert _ping(sock) == b"+PONG\r\n"


def test_drop_cut_garble(fault_proxy: FaultProxy) -> None:
    with _connect(fault_proxy, timeout=0.3) as sock:
        fault_proxy.drop_next_reply()
        sock.sendall(b"PING\r\n")
        with pytest.raises(socket.timeout):
            sock.recv(100)
        assert _ping(sock) == b"+PONG\r\n"  # only that one was dropped
        fault_proxy.garble_next_reply()
        assert _ping(sock) == b"?PONG\r\n"
        fault_proxy.cut_next_reply(keep=3)
        sock.sendall(b"ECHO hello\r\n")
        data = b""
        while chunk := sock.recv(100):
            data += chunk
        assert data == b"$5\r"  # cut mid-frame, then the connection closed


def test_private_server(
    redis_server_factory: Callable[..., ServerInfo],
    fault_proxy_factory: Callable[[ServerInfo], FaultProxy],
) -> None:
    server = redis_server_factory()
    proxy = fault_proxy_factory(server)
    assert proxy.server is server
    with _connect(proxy) as sock:
        assert _ping(sock) == b"+PONG\r\n"
        server.stop()
        assert sock.recv(100) == b""  # the server's FIN is passed on
