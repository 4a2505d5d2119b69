"""Pub/sub on a dedicated connection, with re-subscription after the connection drops."""

from __future__ import annotations

import inspect
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Generic, TypedDict

from coredis.exceptions import ConnectionError, PubSubError, TimeoutError

from ._pubsub_close import Closing, close_subscriber
from ._reclaim import reclaim_connection
from ._typing import StringT
from .commands._base import AnyStr_co

if TYPE_CHECKING:
    from coredis.connection import BaseConnection

    from ._client import Redis
    from ._threads import PubSubWorkerThread

__all__ = ("PubSub", "PubSubMessage")

_log = logging.getLogger("coredis.pubsub")

#: Used for "wait forever": read_response() needs a number to override stream_timeout.
_FOREVER = 365 * 24 * 3600.0

_SUBSCRIPTION_KINDS = frozenset(
    {"subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ssubscribe", "sunsubscribe"}
)
_DATA_KINDS = frozenset({"message", "pmessage", "smessage"})
# Confirmations whose second element is a pattern (4.x sets it as "pattern" and "channel").
_PATTERN_KINDS = frozenset({"psubscribe", "punsubscribe"})

Handler = Callable[["PubSubMessage"], "Awaitable[None] | None"]


def subscription_key(name: Any, decode: bool, encoding: str) -> Any:
    """A channel or pattern name as the subscription dicts key it: in the type messages
    carry (``str`` when replies are decoded, ``bytes`` otherwise), so lookups match. Also
    the cluster's sharded subscriber's."""
    if decode:
        return name.decode(encoding) if isinstance(name, bytes) else name
    return name.encode(encoding) if isinstance(name, str) else name


class PubSubMessage(TypedDict):
    """A message (or subscription confirmation) as returned by :meth:`PubSub.get_message`.

    ``type`` is ``"message"``, ``"pmessage"``, ``"smessage"``, ``"subscribe"``... ;
    ``pattern`` is the pattern that matched a ``pmessage``, or the pattern of a
    ``psubscribe``/``punsubscribe`` confirmation (else ``None``); ``data`` is the payload,
    or the subscription count of a confirmation.
    """

    type: str
    pattern: Any
    channel: Any
    data: Any


class PubSub(Generic[AnyStr_co]):
    """Subscriptions of one client, on a connection of their own taken from the pool.

    Messages are read with :meth:`get_message` or ``async for message in pubsub``. A
    channel (or pattern) subscribed with a handler (``subscribe(news=handler)``) has its
    messages passed to ``handler(message)`` (sync or async) instead of being returned.

    **Connection loss.** When the connection drops while subscribed, the next read takes a
    new connection and subscribes again to every channel, pattern and shard channel. Messages
    published in between are lost (Redis pub/sub is at-most-once); the application sees the
    gap as fresh ``subscribe``/``psubscribe``/``ssubscribe`` confirmations (unless it ignores
    subscribe messages) and as an increment of :attr:`reconnects`.
    """

    def __init__(
        self,
        client: Redis[AnyStr_co],
        ignore_subscribe_messages: bool = False,
        **kwargs: Any,
    ) -> None:
        self.client: Redis[AnyStr_co] = client
        self.connection_pool = client.connection_pool
        self.ignore_subscribe_messages = ignore_subscribe_messages
        self.connection: BaseConnection | None = None
        self._decode = client.decode_responses
        self._encoding = client.encoding
        #: Subscribed channels / patterns / shard channels and their handlers (or None).
        self.channels: dict[Any, Handler | None] = {}
        self.patterns: dict[Any, Handler | None] = {}
        self.shard_channels: dict[Any, Handler | None] = {}
        #: How many times the connection was replaced (and subscriptions renewed).
        self.reconnects = 0
        self._pings: deque[StringT | None] = deque()
        self._reading = 0  # get_message() calls waiting on the connection

    def __del__(self) -> None:
        # Dropped without aclose(): give the dedicated connection back (closed) so the
        # pool's in-use count does not leak toward max_connections.
        reclaim_connection(self.__dict__.get("connection_pool"), self.__dict__.get("connection"))

    def __repr__(self) -> str:
        return (
            f"PubSub<channels={len(self.channels)}, patterns={len(self.patterns)}, "
            f"shard_channels={len(self.shard_channels)}>"
        )

    @property
    def subscribed(self) -> bool:
        """Whether any channel, pattern or shard channel is subscribed."""
        return bool(self.channels or self.patterns or self.shard_channels)

    async def __aenter__(self) -> PubSub[AnyStr_co]:
        await self._ensure_connection()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def _name(self, name: StringT) -> Any:
        return subscription_key(name, self._decode, self._encoding)

    async def _ensure_connection(self) -> BaseConnection:
        conn = self.connection
        if conn is None:
            if self.subscribed:
                # An earlier reconnection failed half-way: renew the subscriptions.
                return await self._reconnect()
            conn = self.connection = await self.connection_pool.get_connection()
        return conn

    async def _send(self, command: bytes, *names: Any) -> None:
        conn = await self._ensure_connection()
        if not conn.is_connected:
            conn = await self._reconnect()
        await conn.send_command(command, *names)

    async def _subscribe(
        self,
        command: bytes,
        registry: dict[Any, Handler | None],
        names: tuple[StringT, ...],
        handlers: dict[str, Handler],
    ) -> None:
        new: dict[Any, Handler | None] = dict.fromkeys(map(self._name, names))
        new.update({self._name(k): v for k, v in handlers.items()})
        if not new:
            raise PubSubError(f"{command.decode()} needs at least one name")
        await self._send(command, *new)
        registry.update(new)

    async def _unsubscribe(
        self, command: bytes, registry: dict[Any, Handler | None], names: tuple[StringT, ...]
    ) -> None:
        if names:
            for name in map(self._name, names):
                registry.pop(name, None)
        else:
            registry.clear()
        if self.connection is not None:
            await self._send(command, *names)

    async def subscribe(self, *channels: StringT, **channel_handlers: Handler) -> None:
        """``SUBSCRIBE`` to ``channels`` (and to the keyword channels, with a handler).

        :raises ConnectionError: when the subscription cannot be sent
        :raises PubSubError: when no channel is given

        Cancelling it may leave the subscription half-made; the registry already lists
        it, so the next reconnection completes it.
        """
        await self._subscribe(b"SUBSCRIBE", self.channels, channels, channel_handlers)

    async def psubscribe(self, *patterns: StringT, **pattern_handlers: Handler) -> None:
        """``PSUBSCRIBE`` to glob ``patterns`` (and to the keyword ones, with a handler).

        :raises ConnectionError: when the subscription cannot be sent

        Cancelling it: as :meth:`subscribe`.
        """
        await self._subscribe(b"PSUBSCRIBE", self.patterns, patterns, pattern_handlers)

    async def ssubscribe(self, *channels: StringT, **channel_handlers: Handler) -> None:
        """``SSUBSCRIBE`` to shard ``channels`` (Redis 7).

        :raises ConnectionError: when the subscription cannot be sent

        Cancelling it: as :meth:`subscribe`.
        """
        await self._subscribe(b"SSUBSCRIBE", self.shard_channels, channels, channel_handlers)

    async def unsubscribe(self, *channels: StringT) -> None:
        """``UNSUBSCRIBE`` from ``channels`` (all when none is given).

        :raises ConnectionError: when the request cannot be sent

        Cancelling it leaves the channels forgotten locally; a reconnection will not renew them.
        """
        await self._unsubscribe(b"UNSUBSCRIBE", self.channels, channels)

    async def punsubscribe(self, *patterns: StringT) -> None:
        """``PUNSUBSCRIBE`` from ``patterns`` (all when none is given).

        :raises ConnectionError: when the request cannot be sent

        Cancelling it: as :meth:`unsubscribe`.
        """
        await self._unsubscribe(b"PUNSUBSCRIBE", self.patterns, patterns)

    async def sunsubscribe(self, *channels: StringT) -> None:
        """``SUNSUBSCRIBE`` from shard ``channels`` (all when none is given).

        :raises ConnectionError: when the request cannot be sent

        Cancelling it: as :meth:`unsubscribe`.
        """
        await self._unsubscribe(b"SUNSUBSCRIBE", self.shard_channels, channels)

    async def _reconnect(self) -> BaseConnection:
        old, self.connection = self.connection, None
        self._pings.clear()  # their answers died with the old connection
        if old is not None:
            self.connection_pool.discard(old)
        conn = await self.connection_pool.get_connection()
        try:
            for command, registry in (
                (b"SUBSCRIBE", self.channels),
                (b"PSUBSCRIBE", self.patterns),
                (b"SSUBSCRIBE", self.shard_channels),
            ):
                if registry:
                    await conn.send_command(command, *registry)
        except BaseException:
            self.connection_pool.discard(conn)
            raise
        self.connection = conn
        self.reconnects += 1
        if old is not None:
            _log.warning(
                "pub/sub reconnected (%d so far): renewed %d channels, %d patterns, "
                "%d shard channels; messages published meanwhile are lost",
                self.reconnects,
                len(self.channels),
                len(self.patterns),
                len(self.shard_channels),
            )
        return conn

    async def _read(self, timeout: float | None) -> Any:
        if self.connection is None and not self.subscribed:
            return None  # nothing subscribed, nothing pending: no message can arrive
        conn = await self._ensure_connection()
        if timeout is not None and timeout <= 0 and not conn.can_read() and conn.is_connected:
            return None
        self._reading += 1
        try:
            return await conn.read_response(timeout=_FOREVER if timeout is None else timeout)
        except TimeoutError:
            return None
        except ConnectionError:
            if conn is not self.connection:
                return None  # closed (or replaced) by another task while we waited
            if not self.subscribed:
                raise
        finally:
            self._reading -= 1
        await self._reconnect()
        return None

    async def get_message(
        self, ignore_subscribe_messages: bool = False, timeout: float | None = None
    ) -> PubSubMessage | None:
        """The next message, or ``None`` when none arrived within ``timeout`` seconds
        (``None``, the default: wait until one arrives; ``0``: do not wait), when it went to
        a handler, or when it is a subscription confirmation being ignored. Without any
        subscription (and none pending) it returns ``None`` at once.

        A lost connection is replaced and subscriptions renewed (see the class docstring);
        that call returns ``None``.

        :raises ConnectionError: when the connection is lost and cannot be replaced

        Cancelling it leaves the subscriptions and the connection usable.
        """
        raw = await self._read(timeout)
        if raw is None:
            return None
        message = self._parse(raw)
        kind = message["type"]
        if kind in _SUBSCRIPTION_KINDS:
            if ignore_subscribe_messages or self.ignore_subscribe_messages:
                return None
            return message
        if kind in _DATA_KINDS:
            if kind == "pmessage":
                handler = self.patterns.get(message["pattern"])
            elif kind == "smessage":
                handler = self.shard_channels.get(message["channel"])
            else:
                handler = self.channels.get(message["channel"])
            if handler is not None:
                result = handler(message)
                if inspect.isawaitable(result):
                    await result
                return None
        return message

    async def ping(self, message: StringT | None = None) -> None:
        """Send ``PING`` on the subscription connection, e.g. as a health check: its answer
        arrives through :meth:`get_message` as ``{"type": "pong", "data": message}``
        (``data`` empty when no message was given), whatever the protocol version.

        :raises ConnectionError: when the connection is lost and cannot be replaced

        Cancelling it may leave the PING unsent; nothing else changes.
        """
        await self._send(b"PING", *(() if message is None else (message,)))
        self._pings.append(message)

    def _pong(self, data: Any) -> PubSubMessage:
        sent = self._pings.popleft() if self._pings else None
        if sent is None:
            data = "" if self._decode else b""
        return {"type": "pong", "pattern": None, "channel": None, "data": data}

    def _parse(self, raw: Any) -> PubSubMessage:
        if not isinstance(raw, list) or not raw:
            if self._pings and isinstance(raw, (str, bytes)):  # RESP3 (or unsubscribed) PING
                return self._pong(raw)
            return {"type": "unknown", "pattern": None, "channel": None, "data": raw}
        kind = raw[0]
        kind = (kind.decode() if isinstance(kind, bytes) else str(kind)).lower()
        if kind == "pmessage":
            return {"type": kind, "pattern": raw[1], "channel": raw[2], "data": raw[3]}
        if kind == "pong":  # RESP2 PING while subscribed
            return self._pong(raw[1])
        channel = raw[1] if len(raw) > 1 else None
        data = raw[2] if len(raw) > 2 else None
        pattern = channel if kind in _PATTERN_KINDS else None
        return {"type": kind, "pattern": pattern, "channel": channel, "data": data}

    async def listen(self) -> PubSubMessage | None:
        """The next message, as :meth:`get_message` without a timeout (coredis 4.x API);
        ``None`` at once when nothing is subscribed.

        :raises ConnectionError: when the connection is lost and cannot be replaced

        Cancelling it leaves the subscriptions and the connection usable.
        """
        return await self.get_message() if self.subscribed else None

    def __aiter__(self) -> PubSub[AnyStr_co]:
        return self

    async def __anext__(self) -> PubSubMessage:
        """The next message not handled by a handler; stops once nothing is subscribed.

        :raises ConnectionError: when the connection is lost and cannot be replaced

        Cancelling it leaves the subscriptions and the connection usable.
        """
        while self.subscribed:
            message = await self.get_message(timeout=None)
            if message is not None:
                return message
        raise StopAsyncIteration

    def close(self) -> Closing:
        """Drop every subscription and give the dedicated connection back (it is closed).

        A plain method, as in coredis 4.x: ``pubsub.close()`` starts the work at once
        (``UNSUBSCRIBE``/``PUNSUBSCRIBE`` are written before it returns) and finishes it in
        the background. ``await pubsub.close()`` also waits until the server confirmed that
        nothing is subscribed any more; cancelling that wait finishes the close at once
        (the connection is closed without waiting, and the server drops what it held).
        The object can subscribe again afterwards (on a new connection).
        """
        shard = bool(self.shard_channels)
        self.channels.clear()
        self.patterns.clear()
        self.shard_channels.clear()
        self._pings.clear()
        conn, self.connection = self.connection, None
        # A get_message() of another task waiting on the connection would compete for the
        # server's confirmation: close at once then (the server sees EOF).
        return close_subscriber(self.connection_pool, conn, shard, wait=not self._reading)

    #: Same as :meth:`close` (coredis 4.x name).
    reset = close

    async def aclose(self) -> None:
        """:meth:`close` and wait until the server confirmed it.

        :raises: nothing.

        Cancelling it finishes the close at once: the connection is closed and back in
        its pool when the cancellation reaches the caller.
        """
        await self.close()

    def run_in_thread(self, poll_timeout: float = 1.0) -> PubSubWorkerThread:
        """Process messages in the background until the returned thread's ``stop()``
        (coredis 4.x API): each message goes to the handler of its channel or pattern.

        Must be called from the event loop's thread (it runs the reading coroutine in
        that loop). Once stopped, the subscriber unsubscribes and gives its connection
        back, as :meth:`close`.

        :raises PubSubError: a subscribed channel or pattern has no handler (its messages
            would have nowhere to go)
        :raises RuntimeError: no event loop is running in this thread
        """
        from ._threads import start_pubsub_worker

        return start_pubsub_worker(self, poll_timeout)
