"""Push messages, noreply, the RESP2 fallback, uvloop, subclasses and cluster READONLY."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
import uvloop

from coredis.connection import BaseConnection, ClusterConnection, Connection
from coredis.protocol import PushFrame, ResponseError
from coredis_testing import ClusterInfo, ServerInfo


async def test_resp3_push_frames_never_reach_requests(redis_clean: ServerInfo) -> None:
    subscriber = Connection(redis_clean.host, redis_clean.port, decode_responses=True)
    publisher = Connection(redis_clean.host, redis_clean.port)
    await subscriber.connect()
    await publisher.connect()
    try:
        await subscriber.send_command(b"SUBSCRIBE", b"chan")
        assert await subscriber.read_response() == PushFrame(["subscribe", "chan", 1])
        assert await publisher.execute_command(b"PUBLISH", b"chan", b"hello") == 1
        # RESP3 allows commands on a subscribed connection; the push does not steal replies
        assert await subscriber.execute_command(b"PING") == "PONG"
        message = await subscriber.read_response(timeout=1)
        assert isinstance(message, PushFrame)
        assert message == ["message", "chan", "hello"]
        assert subscriber.dedicated and not subscriber.is_usable  # never pooled again
    finally:
        subscriber.disconnect()
        publisher.disconnect()


async def test_resp2_pubsub_via_read_response(redis_clean: ServerInfo) -> None:
    subscriber = Connection(redis_clean.host, redis_clean.port, protocol_version=2)
    publisher = Connection(redis_clean.host, redis_clean.port)
    await subscriber.connect()
    await publisher.connect()
    try:
        await subscriber.send_command(b"SUBSCRIBE", b"a", b"b")
        assert await subscriber.read_response() == [b"subscribe", b"a", 1]
        assert await subscriber.read_response() == [b"subscribe", b"b", 2]
        await publisher.execute_command(b"PUBLISH", b"b", b"x")
        assert await subscriber.read_response(timeout=1) == [b"message", b"b", b"x"]
        # waiting for a message that does not come only times out; the connection stays
        with pytest.raises(Exception, match="Timed out"):
            await subscriber.read_response(timeout=0.1)
        assert subscriber.is_connected
    finally:
        subscriber.disconnect()
        publisher.disconnect()


async def test_push_handler(redis_clean: ServerInfo) -> None:
    seen: list[Any] = []
    conn = Connection(redis_clean.host, redis_clean.port)
    await conn.connect()
    conn.set_push_handler(seen.append)
    try:
        # client-side caching invalidations arrive as push frames on the same connection
        await conn.execute_command(b"CLIENT", b"TRACKING", b"ON")
        await conn.execute_command(b"GET", b"tracked")
        other = Connection(redis_clean.host, redis_clean.port)
        await other.connect()
        await other.execute_command(b"SET", b"tracked", b"1")
        other.disconnect()
        assert await conn.execute_command(b"PING") == b"PONG"
        for _ in range(50):
            if seen:
                break
            await asyncio.sleep(0.01)
        assert seen == [PushFrame([b"invalidate", [b"tracked"]])]
    finally:
        conn.disconnect()


async def test_send_command_and_read_response_in_order(redis_clean: ServerInfo) -> None:
    conn = Connection(redis_clean.host, redis_clean.port)
    await conn.connect()
    try:
        await conn.send_command(b"SET", b"a", b"1")
        await conn.send_command(b"INCR", b"a")
        reply = conn.create_request(b"GET", b"a")  # mixing stays in FIFO order
        assert await conn.read_response() == b"OK"
        assert await conn.read_response() == 2
        assert await reply == b"2"
        assert conn.is_usable
    finally:
        conn.disconnect()


async def test_noreply(redis_clean: ServerInfo) -> None:
    conn = Connection(redis_clean.host, redis_clean.port, noreply=True)
    checker = Connection(redis_clean.host, redis_clean.port)
    await conn.connect()
    await checker.connect()
    try:
        assert await conn.execute_command(b"SET", b"quiet", b"1") is None
        assert await conn.execute_command(b"INCR", b"quiet") is None
        assert conn.pending_requests == 0
        for _ in range(50):
            if await checker.execute_command(b"GET", b"quiet") == b"2":
                break
            await asyncio.sleep(0.01)
        assert await checker.execute_command(b"GET", b"quiet") == b"2"
    finally:
        conn.disconnect()
        checker.disconnect()


async def test_falls_back_to_resp2_without_hello(
    redis_server_factory: Callable[..., ServerInfo],
) -> None:
    server = redis_server_factory("--rename-command", "HELLO", "")
    conn = Connection(server.host, server.port, db=3, client_name="old-server")
    await conn.connect()
    try:
        assert conn.protocol_version == 2
        info = await conn.execute_command(b"CLIENT", b"INFO")
        assert b"resp=2" in info and b"db=3" in info and b"name=old-server" in info
    finally:
        conn.disconnect()


def test_works_under_uvloop(redis_server: ServerInfo) -> None:
    async def main() -> list[Any]:
        conn = Connection(redis_server.host, redis_server.port)
        await conn.connect()
        try:
            replies = conn.create_requests([(b"ECHO", b"a"), (b"ECHO", b"b")])
            return [await conn.execute_command(b"PING"), *[await r for r in replies]]
        finally:
            conn.disconnect()

    loop = uvloop.new_event_loop()  # not asyncio.Runner: Python 3.10 has none
    try:
        assert loop.run_until_complete(main()) == [b"PONG", b"a", b"b"]
    finally:
        loop.close()


class Tagged(Connection):
    """A custom connection with its own keyword argument."""

    def __init__(self, *, tag: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tag = tag

    async def on_connect(self) -> None:
        await self._raw_request(b"CLIENT", b"SETNAME", f"tag-{self.tag}")


async def test_custom_subclass_hook(redis_clean: ServerInfo) -> None:
    conn = Tagged(tag="x", host=redis_clean.host, port=redis_clean.port)
    await conn.connect()
    try:
        assert await conn.execute_command(b"CLIENT", b"GETNAME") == b"tag-x"
    finally:
        conn.disconnect()


async def test_base_connection_subclass_opens_its_own_transport(redis_clean: ServerInfo) -> None:
    class ViaUnix(BaseConnection):
        locator = "custom:{db}"

        async def open_transport(self) -> None:
            loop = asyncio.get_running_loop()
            await loop.create_unix_connection(lambda: self, redis_clean.unix_socket)

    conn = ViaUnix(db=4)
    await conn.connect()
    try:
        assert b"db=4" in await conn.execute_command(b"CLIENT", b"INFO")
        assert conn.location == "custom:4"
    finally:
        conn.disconnect()


async def test_connect_callbacks(redis_clean: ServerInfo) -> None:
    seen: list[str] = []

    async def async_callback(connection: BaseConnection) -> None:
        seen.append("async")

    conn = Connection(redis_clean.host, redis_clean.port)
    conn.register_connect_callback(lambda c: seen.append(c.location))
    conn.register_connect_callback(async_callback)
    await conn.connect()
    conn.disconnect()
    conn.clear_connect_callbacks()
    await conn.connect()
    conn.disconnect()
    assert seen == [conn.location, "async"]


async def test_cluster_connection_readonly(redis_cluster: ClusterInfo) -> None:
    replica = redis_cluster.replicas[0]
    conn = ClusterConnection(replica.host, replica.port, read_from_replicas=True)
    await conn.connect()
    try:
        flags = (await conn.execute_command(b"CLIENT", b"INFO", decode=True)).split("flags=")[1]
        assert flags.split(" ")[0] == "r"  # READONLY client flag
    finally:
        conn.disconnect()


async def test_cluster_connection_readonly_refused_outside_cluster(
    redis_clean: ServerInfo,
) -> None:
    conn = ClusterConnection(redis_clean.host, redis_clean.port, readonly=True)
    with pytest.raises(ResponseError, match="cluster"):
        await conn.connect()
    assert not conn.is_connected
