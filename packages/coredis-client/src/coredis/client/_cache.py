"""Server-assisted client-side caching: :class:`TrackingCache`.

How it stays correct:

* Every connection that fetches a cacheable read first sends ``CLIENT TRACKING ON REDIRECT
  <id>``, where ``<id>`` is a *tracking connection* to the same server (one per server:
  per node for a cluster). The server then sends an invalidation there for every key that
  connection read, whenever any client changes it: a RESP3 ``invalidate`` push, or with RESP2
  a message on ``__redis__:invalidate`` the tracking connection subscribes to.
* A read in flight registers a token for its key; an invalidation of that key (or a flush)
  voids the token, so a reply that raced with the invalidation is returned but never stored.
* When a tracking connection drops or stops answering its heartbeat ``PING`` within
  ``max_idle_seconds``, the whole cache is flushed (invalidations may have been lost) and
  the tracking connection re-established; connections whose redirect pointed at the old one
  are re-pointed before their next cacheable read.
"""

from __future__ import annotations

import asyncio
import random
import weakref
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from coredis.connection import BaseConnection
from coredis.protocol import ConnectionError, ResponseError, TimeoutError

from ._cache_abc import CACHEABLE_COMMANDS, AbstractCache
from ._cache_helpers import (
    Acquire,
    CacheStats,
    Release,
    Token,
    as_bytes,
    dedicated,
    is_redirect,
    sizeof,
)
from ._tracker import Tracker

__all__ = ("CACHEABLE_COMMANDS", "CacheStats", "TrackingCache")


class TrackingCache(AbstractCache):
    """A local cache of read replies, invalidated by the server (``CLIENT TRACKING``).

    Give it to a client with ``Redis(..., cache=TrackingCache())`` (also ``RedisCluster``
    and ``Sentinel``). Repeat reads of :data:`CACHEABLE_COMMANDS` with the same arguments
    are answered from memory until the server reports the key changed.

    :param max_keys: keys kept at most (least recently used evicted first).
    :param max_size_bytes: approximate memory for cached replies; LRU eviction beyond it.
    :param max_idle_seconds: a tracking connection silent this long (its heartbeat
        ``PING`` unanswered) is dropped: the cache is flushed and tracking re-established.
    :param confidence: 0-100; below 100, ``100 - confidence`` percent of hits are checked
        against the server (a mismatch drops the entry and counts as ``dirty``).
    :param dynamic_confidence: adjust ``confidence`` from those checks (-0.1 for a stale
        entry, +0.01 for a confirmed one, at most 100).
    :param stats: counters to continue from (a new :class:`CacheStats` by default).

    One dedicated connection per server is taken from the client's pool for as long as
    the cache is in use: size ``max_connections`` accordingly.

    It implements :class:`~coredis.cache.AbstractCache`; :meth:`read` is overridden to
    turn tracking on for the connections it reads with.
    """

    def __init__(
        self,
        max_keys: int = 2**12,
        max_size_bytes: int = 64 * 1024 * 1024,
        max_idle_seconds: float = 5,
        confidence: float = 100.0,
        dynamic_confidence: bool = False,
        stats: CacheStats | None = None,
    ) -> None:
        self.max_keys = max_keys
        self.max_size_bytes = max_size_bytes
        self.max_idle_seconds = max_idle_seconds
        self._confidence = float(confidence)
        self.dynamic_confidence = dynamic_confidence
        self.stats = stats or CacheStats()
        self._entries: OrderedDict[bytes, dict[Any, tuple[Any, int, int]]] = OrderedDict()
        self._size = 0
        self._generation = 0
        self._pending: dict[bytes, set[Token]] = {}
        #: live tracking connections by server location ("host:port")
        self._trackers: dict[str, Tracker] = {}
        self._starting: dict[Any, Tracker] = {}
        self._redirects: weakref.WeakKeyDictionary[BaseConnection, object] = (
            weakref.WeakKeyDictionary()
        )
        self._hooked: weakref.WeakSet[BaseConnection] = weakref.WeakSet()
        self._loop: asyncio.AbstractEventLoop | None = None

    # -- AbstractCache ---------------------------------------------------------------
    async def initialize(self, client: Any) -> TrackingCache:
        """Nothing to do up front: tracking starts with the first cacheable read.

        :returns: ``self``
        :raises: nothing

        Cancelling it has no effect.
        """
        return self

    @property
    def confidence(self) -> float:
        """0-100: below 100, ``100 - confidence`` percent of hits are checked against the
        server (settable; adjusted by ``dynamic_confidence``)."""
        return self._confidence

    @confidence.setter
    def confidence(self, value: float) -> None:
        self._confidence = float(value)

    def get(self, command: bytes, key: Any, *args: Any) -> Any:
        """The cached raw reply of ``command key *args`` (decoded or not, whichever is
        cached). The client's reads go through :meth:`read`, not this.

        :raises KeyError: when nothing is cached for it.
        """
        entries = self._entries.get(as_bytes(key))
        if entries is not None:
            for decode in (False, True):
                found = entries.get((command, (key, *args), decode))
                if found is not None:
                    return found[0]
        raise KeyError(key)

    def put(self, command: bytes, key: Any, *args: Any, value: Any) -> None:
        """Store ``value`` as the reply of ``command key *args`` (as a decoded reply when
        it is a ``str``). Only a key the server tracks for this cache is invalidated when
        another client changes it: prefer letting :meth:`read` fill the cache."""
        self._store(as_bytes(key), (command, (key, *args), isinstance(value, str)), value, 3)

    def feedback(self, command: bytes, key: Any, *args: Any, match: bool) -> None:
        """A sampled hit was (``match``) or was not the server's reply: a mismatch drops
        ``key``; with ``dynamic_confidence`` the confidence moves."""
        self._feedback(as_bytes(key), match)

    # -- introspection ---------------------------------------------------------------
    @property
    def size(self) -> int:
        """Number of cached replies."""
        return sum(len(v) for v in self._entries.values())

    @property
    def size_bytes(self) -> int:
        """Approximate memory held by cached replies."""
        return self._size

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def healthy(self) -> bool:
        """Whether at least one tracking connection is up."""
        return any(t.session is not None for t in self._trackers.values())

    def tracking_client_ids(self) -> dict[str, int]:
        """``location -> CLIENT ID`` of every live tracking connection."""
        return {loc: t.client_id for loc, t in self._trackers.items() if t.session is not None}

    def get_client_id(self, connection: BaseConnection) -> int | None:
        """``CLIENT ID`` of the live tracking connection to ``connection``'s server (where
        its invalidations are redirected), or ``None`` when there is none."""
        tracker = self._trackers.get(connection.location)
        return tracker.client_id if tracker is not None and tracker.session is not None else None

    # -- invalidation ----------------------------------------------------------------
    def reset(self) -> None:
        """Drop every entry and void reads in flight (they will not be stored)."""
        self.stats.invalidations += len(self._entries)
        self._entries.clear()
        self._size = 0
        self._generation += 1

    def invalidate(self, *keys: Any) -> None:
        """Drop the entries of ``keys`` (and void reads of them in flight)."""
        for key in keys:
            raw = as_bytes(key)
            for token in self._pending.get(raw, ()):
                token.valid = False
            entries = self._entries.pop(raw, None)
            if entries is not None:
                self.stats.invalidations += 1
                self._size -= sum(size for _, _, size in entries.values())

    def _on_invalidate(self, keys: Sequence[Any] | None) -> None:
        if keys is None:
            self.reset()
        else:
            self.invalidate(*keys)

    def _on_tracker_lost(self, tracker: Tracker) -> None:
        if self._trackers.get(tracker.location) is tracker:
            del self._trackers[tracker.location]
        self.stats.resets += 1
        self.reset()

    def _on_tracker_ready(self, tracker: Tracker) -> None:
        old = self._trackers.get(tracker.location)
        self._trackers[tracker.location] = tracker
        if old is not None and old is not tracker:
            old.close()
            self.reset()

    def shutdown(self) -> None:
        """Stop every tracking connection and drop the cache (clients call it on close).

        The cache starts tracking again on the next cacheable read.
        """
        trackers = {*self._trackers.values(), *self._starting.values()}
        self._trackers.clear()
        self._starting.clear()
        for tracker in trackers:
            tracker.close()
        self._entries.clear()
        self._size = 0
        self._generation += 1

    # -- the read path ---------------------------------------------------------------
    def _store(self, key: bytes, ident: Any, reply: Any, version: int) -> None:
        size = sizeof(reply)
        entries = self._entries.get(key)
        if entries is None:
            entries = self._entries[key] = {}
        else:
            self._entries.move_to_end(key)
        previous = entries.get(ident)
        if previous is not None:
            self._size -= previous[2]
        entries[ident] = (reply, version, size)
        self._size += size
        while self._entries and (
            len(self._entries) > self.max_keys or self._size > self.max_size_bytes
        ):
            _, evicted = self._entries.popitem(last=False)
            self._size -= sum(s for _, _, s in evicted.values())

    async def read(
        self,
        command: bytes,
        args: Sequence[Any],
        callback: Any,
        options: dict[str, Any],
        acquire: Acquire,
        release: Release,
        fallback: Callable[[], Awaitable[Any]],
        tracker_key: Any,
        decode_responses: bool = False,
    ) -> Any:
        """Answer a cacheable read: from memory, or through a tracked connection.

        ``acquire``/``release`` get and give back a connection to the server owning the
        key. The tracking connection for that server is keyed by ``tracker_key``: when it
        is a pool (has ``make_connection``) the tracking connection is made by it outside
        its limit, otherwise it is taken with ``acquire`` (a cluster node's pool).
        ``fallback()`` runs the read the client's usual way (uncached) when the direct
        attempt fails before a usable reply. ``decode_responses`` is the client's default,
        so decoded and raw replies are cached apart.

        :raises ResponseError: / :raises ConnectionError: / :raises TimeoutError: as the
            client's ``execute_command``.

        Cancelling it closes the connection in use, like ``execute_command``; nothing is
        stored.
        """
        if asyncio.get_running_loop() is not self._loop:
            self._adopt_loop()
        decode = options.get("decode")
        try:
            ident = (command, tuple(args), decode_responses if decode is None else decode)
            hash(ident)
        except TypeError:
            return await fallback()
        key = as_bytes(args[0])
        entries = self._entries.get(key)
        cached = entries.get(ident) if entries is not None else None
        if cached is not None and (
            self.confidence >= 100 or random.random() * 100 < self.confidence
        ):
            self.stats.hits += 1
            self._entries.move_to_end(key)
            reply, version = cached[0], cached[1]
        else:
            if cached is None:
                self.stats.misses += 1
            try:
                reply, version = await self._fetch(
                    key, ident, command, args, decode, acquire, release, tracker_key
                )
            except (ConnectionError, TimeoutError):
                return await fallback()
            except ResponseError as exc:
                if is_redirect(exc):  # a cluster redirect: the client's own routing decides
                    return await fallback()
                raise
            if cached is not None:
                self._feedback(key, cached[0] == reply)
        if callback is None:
            return reply
        return callback(reply, version=version, **options)

    def _adopt_loop(self) -> None:
        """First use, or use from another event loop (a new ``asyncio.run``): the tracking
        connections of the old loop cannot run any more, so nothing cached under them can
        be trusted. Start over in this loop."""
        for tracker in {*self._trackers.values(), *self._starting.values()}:
            tracker.abandon()
        self._trackers.clear()
        self._starting.clear()
        self._redirects = weakref.WeakKeyDictionary()
        self._hooked = weakref.WeakSet()
        if self._entries:
            self.stats.resets += 1
        self._entries.clear()
        self._size = 0
        self._generation += 1
        self._loop = asyncio.get_running_loop()

    def _feedback(self, key: bytes, match: bool) -> None:
        if not match:
            self.stats.dirty += 1
            self.invalidate(key)
        if self.dynamic_confidence:
            delta = 0.01 if match else -0.1
            self._confidence = max(0.0, min(100.0, self._confidence + delta))

    def _tracker_for(
        self, conn: BaseConnection, acquire: Acquire, release: Release, tracker_key: Any
    ) -> Tracker | None:
        tracker = self._trackers.get(conn.location)
        if tracker is not None and tracker.session is not None:
            return tracker
        self._start_tracker(acquire, release, tracker_key)
        return None

    def _start_tracker(self, acquire: Acquire, release: Release, tracker_key: Any) -> Tracker:
        starting = self._starting.get(tracker_key)
        if starting is None or starting.closed:
            make = getattr(tracker_key, "make_connection", None)
            if make is not None:
                # a standalone pool: a connection of its own, outside the pool's limit, so
                # the cache never takes a slot the client's commands need
                acquire, release = dedicated(make)
            starting = Tracker(self, acquire, release)
            self._starting[tracker_key] = starting
            starting.start()
        return starting

    async def _first_tracker(self, acquire: Acquire, release: Release, tracker_key: Any) -> None:
        """Before the first read through a new tracker, wait (once, bounded) for its first
        attempt to come up, as 4.x's cache did in ``initialize``: that read is then cached.
        A tracker that fails or hangs only delays that one read."""
        tracker = self._start_tracker(acquire, release, tracker_key)
        if tracker.awaited or tracker.session is not None:
            return
        tracker.awaited = True
        try:
            await asyncio.wait_for(tracker.first_attempt.wait(), max(self.max_idle_seconds, 1))
        except asyncio.TimeoutError:
            pass

    async def _fetch(
        self,
        key: bytes,
        ident: Any,
        command: bytes,
        args: Sequence[Any],
        decode: bool | None,
        acquire: Acquire,
        release: Release,
        tracker_key: Any,
    ) -> tuple[Any, int]:
        await self._first_tracker(acquire, release, tracker_key)
        conn = await acquire()
        try:
            tracker = self._tracker_for(conn, acquire, release, tracker_key)
            if tracker is None:  # tracking not up yet: answer, but do not store
                request = conn.create_request(command, *args, decode=decode)
                reply = await conn.wait_for_reply(request)
                return reply, conn.protocol_version
            session = tracker.session
            token = Token(self._generation)
            pending = self._pending.setdefault(key, set())
            pending.add(token)
            try:
                if self._redirects.get(conn) is not session:
                    on, request = conn.create_requests(
                        [
                            (b"CLIENT", b"TRACKING", b"ON", b"REDIRECT", tracker.client_id),
                            (command, *args),
                        ],
                        decode=decode,
                    )
                    await conn.wait_for_reply(on)
                    self._hook(conn)
                    self._redirects[conn] = session
                else:
                    request = conn.create_request(command, *args, decode=decode)
                reply = await conn.wait_for_reply(request)
            finally:
                pending.discard(token)
                if not pending:
                    self._pending.pop(key, None)
            if token.valid and token.generation == self._generation and tracker.session is session:
                self._store(key, ident, reply, conn.protocol_version)
            return reply, conn.protocol_version
        finally:
            release(conn)

    def _hook(self, conn: BaseConnection) -> None:
        # A reconnect opens a new, untracked socket behind the same object: forget its
        # redirect so the next cacheable read on it turns tracking on again.
        if conn not in self._hooked:
            self._hooked.add(conn)
            redirects = self._redirects

            def forget(connection: BaseConnection) -> None:
                redirects.pop(connection, None)

            conn.register_connect_callback(forget)
