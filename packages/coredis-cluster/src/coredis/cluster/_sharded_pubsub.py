"""Sharded pub/sub (``SSUBSCRIBE``) on a cluster: one connection per node that owns a channel.

Shard channels live in hash slots like keys; ``SSUBSCRIBE`` must reach the node serving the
channel's slot (its primary, or a replica with ``read_from_replicas``) and each command may
name channels of one slot only. A reader task per node connection feeds one queue, so
:meth:`ShardedPubSub.get_message` sees messages from every node in arrival order.

When a node's connection breaks, or the server unsubscribes us because the slot moved (Redis
sends ``sunsubscribe`` then), the topology is refreshed and the affected channels are
subscribed again at their current owner. Messages published in between are lost (pub/sub is
at-most-once); :attr:`ShardedPubSub.reconnects` counts the renewals.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic

from coredis.client._pubsub import subscription_key
from coredis.client.commands._base import AnyStr_co
from coredis.connection import wait_for
from coredis.exceptions import PubSubError
from coredis.pool.cluster import ClusterConnectionPool, ManagedNode, hash_slot
from coredis.protocol import ConnectionError, RedisClusterException, TimeoutError

if TYPE_CHECKING:
    from ._client import RedisCluster

__all__ = ("ShardedPubSub",)

_log = logging.getLogger("coredis.pubsub")

_FOREVER = 365 * 24 * 3600.0
Handler = Callable[[dict[str, Any]], Any]


class ShardedPubSub(Generic[AnyStr_co]):
    """Shard-channel subscriptions of a :class:`RedisCluster`.

    Use ``async with client.sharded_pubsub() as ps: await ps.ssubscribe("chan")`` and read
    with :meth:`get_message` or ``async for message in ps``. Publish with
    ``client.spublish(channel, message)`` (routed by the channel's slot).
    """

    def __init__(
        self,
        client: RedisCluster[AnyStr_co],
        ignore_subscribe_messages: bool = False,
        read_from_replicas: bool = False,
    ) -> None:
        self.client: RedisCluster[AnyStr_co] = client
        self.connection_pool: ClusterConnectionPool = client.connection_pool
        self.ignore_subscribe_messages: bool = ignore_subscribe_messages
        self.read_from_replicas: bool = read_from_replicas
        #: subscribed shard channels and their handlers (or None)
        self.shard_channels: dict[Any, Handler | None] = {}
        #: how many times subscriptions were renewed after a connection loss or slot move
        self.reconnects: int = 0
        self._decode = client.decode_responses
        self._encoding = client.encoding
        self._conns: dict[str, Any] = {}
        self._readers: dict[str, asyncio.Task[None]] = {}
        self._queue: asyncio.Queue[Any] = asyncio.Queue()

    def __repr__(self) -> str:
        return f"ShardedPubSub<shard_channels={len(self.shard_channels)}, nodes={len(self._conns)}>"

    @property
    def subscribed(self) -> bool:
        """Whether any shard channel is subscribed."""
        return bool(self.shard_channels)

    async def __aenter__(self) -> ShardedPubSub[AnyStr_co]:
        await self.client.initialize()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def _name(self, name: Any) -> Any:
        return subscription_key(name, self._decode, self._encoding)

    def _node_for(self, channel: Any) -> ManagedNode:
        slot = hash_slot(channel)
        return self.connection_pool.get_node_by_slot(
            slot, b"SSUBSCRIBE", readonly=self.read_from_replicas
        )

    async def _connection(self, node: ManagedNode) -> Any:
        conn = self._conns.get(node.name)
        if conn is None or not conn.is_connected:
            conn = await self.connection_pool.get_connection_by_node(node)
            self._conns[node.name] = conn
            self._readers[node.name] = asyncio.ensure_future(self._reader(node.name, conn))
        return conn

    async def _send(self, command: bytes, channels: list[Any]) -> None:
        by_slot: dict[int, list[Any]] = {}
        for channel in channels:
            by_slot.setdefault(hash_slot(channel), []).append(channel)
        for names in by_slot.values():
            conn = await self._connection(self._node_for(names[0]))
            await conn.send_command(command, *names)

    async def ssubscribe(self, *channels: Any, **channel_handlers: Handler) -> None:
        """``SSUBSCRIBE`` to shard ``channels`` (keyword channels get a handler), each at the
        node serving its slot.

        :raises PubSubError: no channel given
        :raises ConnectionError: a node could not be reached
        :raises RedisClusterException: the topology could not be discovered

        Cancelling may leave some channels subscribed on the server; :meth:`aclose` cleans up.
        """
        await self.client.initialize()
        new: dict[Any, Handler | None] = dict.fromkeys(map(self._name, channels))
        new.update({self._name(k): v for k, v in channel_handlers.items()})
        if not new:
            raise PubSubError("SSUBSCRIBE needs at least one channel")
        self.shard_channels.update(new)
        await self._send(b"SSUBSCRIBE", list(new))

    async def sunsubscribe(self, *channels: Any) -> None:
        """``SUNSUBSCRIBE`` from ``channels`` (every shard channel when none is given).

        :raises ConnectionError: a node could not be reached.
        Cancelling may leave some channels subscribed on the server.
        """
        names = [self._name(c) for c in channels] or list(self.shard_channels)
        for name in names:
            self.shard_channels.pop(name, None)
        if names:
            await self._send(b"SUNSUBSCRIBE", names)

    async def subscribe(self, *channels: Any, **channel_handlers: Handler) -> None:
        """:meth:`ssubscribe`, under the name coredis 4.x gave it on ``ShardedPubSub``.

        :raises PubSubError: no channel given
        :raises ConnectionError: a node could not be reached
        :raises RedisClusterException: the topology could not be discovered

        Cancelling it: as :meth:`ssubscribe`.
        """
        await self.ssubscribe(*channels, **channel_handlers)

    async def unsubscribe(self, *channels: Any) -> None:
        """:meth:`sunsubscribe`, under the name coredis 4.x gave it on ``ShardedPubSub``.

        :raises ConnectionError: a node could not be reached.

        Cancelling it: as :meth:`sunsubscribe`.
        """
        await self.sunsubscribe(*channels)

    async def _reader(self, node_name: str, conn: Any) -> None:
        try:
            while True:
                raw = await conn.read_response(timeout=_FOREVER)
                self._queue.put_nowait(raw)
        except (ConnectionError, TimeoutError):
            self._queue.put_nowait(("lost", node_name, conn))

    async def _renew(self, channels: list[Any]) -> None:
        try:
            await self.connection_pool.refresh()
        except RedisClusterException:
            pass
        wanted = [c for c in channels if c in self.shard_channels]
        if wanted:
            await self._send(b"SSUBSCRIBE", wanted)
            self.reconnects += 1
            _log.warning(
                "sharded pub/sub renewed %d shard channels after losing a node (%d so far)",
                len(wanted),
                self.reconnects,
            )

    async def _lost(self, node_name: str, conn: Any) -> None:
        if self._conns.get(node_name) is conn:
            del self._conns[node_name]
            self._readers.pop(node_name, None)
        self.connection_pool.discard(conn)
        owned = [c for c in self.shard_channels if self._node_for(c).name == node_name]
        await self._renew(owned)

    def _parse(self, raw: Any) -> dict[str, Any]:
        if not isinstance(raw, list) or not raw:
            return {"type": "unknown", "pattern": None, "channel": None, "data": raw}
        kind = raw[0]
        kind = (kind.decode() if isinstance(kind, bytes) else str(kind)).lower()
        channel = raw[1] if len(raw) > 1 else None
        data = raw[2] if len(raw) > 2 else None
        return {"type": kind, "pattern": None, "channel": channel, "data": data}

    async def get_message(
        self, ignore_subscribe_messages: bool = False, timeout: float | None = 0.0
    ) -> dict[str, Any] | None:
        """The next message from any node, or ``None`` when none arrived within ``timeout``
        seconds (``0``: do not wait; ``None``: wait), when a handler took it, or when it is
        a subscription confirmation being ignored.

        :raises ConnectionError: a lost node's channels could not be subscribed again

        Cancelling it leaves the subscriptions usable.
        """
        try:
            if timeout is not None and timeout <= 0:
                raw = self._queue.get_nowait()
            else:
                raw = await wait_for(self._queue.get(), timeout)
        except (asyncio.QueueEmpty, asyncio.TimeoutError):
            return None
        if isinstance(raw, tuple) and raw[0] == "lost":
            await self._lost(raw[1], raw[2])
            return None
        message = self._parse(raw)
        kind = message["type"]
        if kind in ("ssubscribe", "sunsubscribe"):
            if kind == "sunsubscribe" and message["channel"] in self.shard_channels:
                # The server dropped a channel we still want: its slot moved.
                await self._renew([message["channel"]])
                return None
            if ignore_subscribe_messages or self.ignore_subscribe_messages:
                return None
            return message
        if kind == "smessage":
            handler = self.shard_channels.get(message["channel"])
            if handler is not None:
                result = handler(message)
                if inspect.isawaitable(result):
                    await result
                return None
        return message

    def __aiter__(self) -> ShardedPubSub[AnyStr_co]:
        return self

    async def __anext__(self) -> dict[str, Any]:
        """The next message not taken by a handler; stops once nothing is subscribed.

        :raises ConnectionError: a lost node's channels could not be subscribed again

        Cancelling it leaves the subscriptions usable.
        """
        while self.subscribed:
            message = await self.get_message(timeout=None)
            if message is not None:
                return message
        raise StopAsyncIteration

    async def aclose(self) -> None:
        """Drop every subscription and close the connections.

        :raises: nothing.

        Cancelling it only stops the wait for the reading tasks to end: the connections
        are closed and their slots given back to the pool before it first waits.
        """
        self.shard_channels.clear()
        readers, self._readers = self._readers, {}
        conns, self._conns = self._conns, {}
        # Close first: a reader blocked in read_response then ends with ConnectionError.
        # (Cancelling alone can be swallowed by wait_for when a message arrives at the
        # same moment, leaving the reader waiting for ever.)
        for conn in conns.values():
            self.connection_pool.discard(conn)
        for task in readers.values():
            task.cancel()
        if readers:
            await asyncio.wait(readers.values(), timeout=1)
        self._queue = asyncio.Queue()

    close = aclose
    reset = aclose
