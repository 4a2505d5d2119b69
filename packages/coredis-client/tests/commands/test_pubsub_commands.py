"""Publishing and PUBSUB introspection against a real server, RESP2/RESP3 x bytes/str.

Subscribers are raw sockets so that only the commands under test go through coredis.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = pytest.mark.redis


def _read_until(sock: socket.socket, marker: bytes, count: int) -> bytes:
    data = b""
    while data.count(marker) < count:
        chunk = sock.recv(65536)
        assert chunk, "server closed the subscriber"
        data += chunk
    return data


@pytest.fixture
def subscriber(redis_clean: Any) -> Iterator[socket.socket]:
    sock = socket.create_connection((redis_clean.host, redis_clean.port), timeout=5)
    sock.sendall(b"SUBSCRIBE news sport\r\nPSUBSCRIBE n*\r\nSSUBSCRIBE shard1\r\n")
    _read_until(sock, b"subscribe\r\n", 4)
    try:
        yield sock
    finally:
        sock.close()


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_publish(client: Any, subscriber: socket.socket) -> None:
    assert await client.publish("news", "hello") == 2  # channel + pattern
    assert b"hello" in _read_until(subscriber, b"hello", 2)
    assert await client.publish("sport", b"goal") == 1
    assert await client.publish("elsewhere", 1) == 0
    assert await client.spublish("shard1", "s-msg") == 1
    assert await client.spublish("shard2", "s-msg") == 0


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_introspection(client: Any, _s: Any, subscriber: socket.socket) -> None:
    assert await client.pubsub_channels() == {_s("news"), _s("sport")}
    assert await client.pubsub_channels("n*") == {_s("news")}
    assert await client.pubsub_channels("x*") == set()
    assert await client.pubsub_numpat() == 1
    assert await client.pubsub_numsub("news", "none") == {_s("news"): 1, _s("none"): 0}
    assert await client.pubsub_numsub() == {}
    assert await client.pubsub_shardchannels() == {_s("shard1")}
    assert await client.pubsub_shardchannels("z*") == set()
    assert await client.pubsub_shardnumsub("shard1", "shard2") == {
        _s("shard1"): 1,
        _s("shard2"): 0,
    }
