"""The 4.x pluggable cache interface, :class:`AbstractCache`, and the client side of it.

A client given ``cache=`` talks to the cache only through this interface:

* :meth:`AbstractCache.cacheable` decides whether a command may be answered from the cache
  (by default the single-key reads of :data:`CACHEABLE_COMMANDS`);
* :meth:`AbstractCache.read` answers such a read. The default implementation, used by
  every user-written cache, consults :meth:`~AbstractCache.get`, fetches and
  :meth:`~AbstractCache.put`\\ s the raw reply on a miss, and samples hits against the
  server when :attr:`~AbstractCache.confidence` is below 100 (reporting through
  :meth:`~AbstractCache.feedback`). :class:`~coredis.cache.TrackingCache` overrides it to
  add server-side invalidation;
* every other command is a potential write: the client calls
  :meth:`~AbstractCache.invalidate` with its arguments before sending it
  (:meth:`~AbstractCache.reset` for ``FLUSHDB``/``FLUSHALL``);
* :meth:`~AbstractCache.initialize` is awaited once before the first cached read and
  :meth:`~AbstractCache.shutdown` is called when the client is closed.
"""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any

from coredis.connection import BaseConnection
from coredis.connection._command_info import COMMANDS, CommandInfo
from coredis.protocol import ConnectionError, ResponseError, TimeoutError

from ._cache_helpers import is_redirect

__all__ = ("AbstractCache", "CACHEABLE_COMMANDS", "invalidate_for")

#: Groups whose commands read a key's value: ``CLIENT TRACKING`` reports every change to
#: the key, so a reply read from it stays right until the invalidation arrives.
_VALUE_GROUPS = frozenset({"string", "bitmap", "hash", "list", "set", "sorted-set", "geo"})
_FIRST_ARGUMENT_ONLY = ("index", 1, 0, "range", 0, 1, 0)
#: Policy: replies that change with the clock, though the key does not (no invalidation
#: comes when a field's TTL runs down).
_TIME_DEPENDENT = frozenset({"HTTL", "HPTTL", "HEXPIRETIME", "HPEXPIRETIME"})
#: Policy: generic reads answering about one key's value (its existence, its type), which
#: the same invalidations keep right; ``EXISTS`` only with one key (see ``cacheable``).
_GENERIC_READS = frozenset({"EXISTS", "TYPE"})


def _cacheable(info: CommandInfo) -> bool:
    """A read of one key (its only key spec names the first argument) whose reply depends
    on the key's value alone: same value, same reply."""
    return (
        info.readonly
        and info.group in _VALUE_GROUPS
        and info.key_specs == (_FIRST_ARGUMENT_ONLY,)
        and not info.nondeterministic
        and info.name not in _TIME_DEPENDENT
    )


#: single-key read-only commands whose replies may be served from the cache (derived from
#: the command table: see :func:`_cacheable`)
CACHEABLE_COMMANDS: frozenset[bytes] = frozenset(
    name.encode() for name, info in COMMANDS.items() if _cacheable(info) or name in _GENERIC_READS
)

_FLUSHES = frozenset({b"FLUSHDB", b"FLUSHALL"})


class AbstractCache(ABC):
    """A local cache of read replies that :class:`~coredis.Redis`,
    :class:`~coredis.RedisCluster` and :class:`~coredis.sentinel.Sentinel` accept as
    ``cache=`` (the 4.x interface).

    Implement :meth:`initialize`, :attr:`healthy`, :meth:`get`, :meth:`put`,
    :meth:`invalidate`, :meth:`reset` and :meth:`shutdown`; override :attr:`confidence`
    and :meth:`feedback` to have hits sampled against the server. The client then:

    1. answers the single-key reads of :data:`~coredis.cache.CACHEABLE_COMMANDS` with
       :meth:`get` while :attr:`healthy` is true (a ``KeyError`` is a miss: the command is
       sent and its raw reply, before any response callback, given to :meth:`put`);
    2. calls :meth:`invalidate` with the arguments of any other command before sending it
       (:meth:`reset` for ``FLUSHDB``/``FLUSHALL``), so a client's own writes are never
       hidden by its cache. Writes by *other* clients are only seen by a cache that tracks
       them (:class:`~coredis.cache.TrackingCache`);
    3. with :attr:`confidence` below 100, re-reads ``100 - confidence`` percent of hits
       from the server, reports the comparison to :meth:`feedback` and returns the
       server's reply.

    Cached values are the replies as decoded by the client (``decode_responses``); a
    command sent with an explicit ``decode=`` option bypasses the cache.
    """

    @abstractmethod
    async def initialize(self, client: Any) -> AbstractCache:
        """Associate the cache with ``client``; awaited once before its first cached read.

        :returns: the cache the client should use (usually ``self``).
        :raises: whatever the implementation raises; the read then fails with it.

        Cancelling it cancels the read that triggered it; it is awaited again later.
        """

    @property
    @abstractmethod
    def healthy(self) -> bool:
        """Whether the cache should be consulted at all (when false, reads go to the
        server and nothing is stored)."""

    @abstractmethod
    def get(self, command: bytes, key: Any, *args: Any) -> Any:
        """The cached reply of ``command key *args``.

        :raises KeyError: when there is none (a miss).
        """

    @abstractmethod
    def put(self, command: bytes, key: Any, *args: Any, value: Any) -> None:
        """Store ``value``, the reply of ``command key *args``."""

    @abstractmethod
    def invalidate(self, *keys: Any) -> None:
        """Drop every cached reply for ``keys``."""

    @abstractmethod
    def reset(self) -> None:
        """Drop everything."""

    @abstractmethod
    def shutdown(self) -> None:
        """Release what the cache holds (connections, tasks); called by ``aclose()``."""

    @property
    def confidence(self) -> float:
        """0-100: below 100, that share of hits is trusted and the rest checked against the
        server (see :meth:`feedback`). 100 unless overridden."""
        return 100.0

    def feedback(self, command: bytes, key: Any, *args: Any, match: bool) -> None:
        """Told whether a sampled cached reply matched the server's (``match``). Does
        nothing unless overridden; an implementation would typically invalidate ``key``
        on a mismatch."""

    @staticmethod
    def hashable_args(*args: Any) -> tuple[Hashable, ...]:
        """``args`` with lists and dicts turned into tuples, usable in a dict key."""
        return tuple(
            tuple(a)
            if isinstance(a, list)
            else tuple(a.items())
            if isinstance(a, dict)
            else a
            if isinstance(a, Hashable)
            else repr(a)
            for a in args
        )

    # -- what the clients call --------------------------------------------------------
    def cacheable(self, command: bytes, args: Sequence[Any]) -> bool:
        """Whether ``command args`` may be answered from the cache."""
        if command not in CACHEABLE_COMMANDS or not args:
            return False
        return command != b"EXISTS" or len(args) == 1

    async def read(
        self,
        command: bytes,
        args: Sequence[Any],
        callback: Any,
        options: dict[str, Any],
        acquire: Callable[[], Awaitable[BaseConnection]],
        release: Callable[[BaseConnection], None],
        fallback: Callable[[], Awaitable[Any]],
        tracker_key: Any,
        decode_responses: bool = False,
    ) -> Any:
        """Answer a cacheable read (called by the clients; see the class docstring).

        ``acquire``/``release`` get and give back a connection to the server owning the
        key; ``fallback()`` runs the read the client's usual way, uncached, when the direct
        attempt fails before a usable reply (or a cluster redirect is needed).

        :raises ResponseError: / :raises ConnectionError: / :raises TimeoutError: as the
            client's ``execute_command``.

        Cancelling it closes the connection in use; nothing is stored.
        """
        if options.get("decode") is not None or not self.healthy:
            return await fallback()
        key, rest = args[0], args[1:]
        try:
            cached = self.get(command, key, *rest)
        except KeyError:
            pass
        else:
            confidence = self.confidence
            if confidence >= 100 or random.random() * 100 < confidence:
                if callback is None:
                    return cached
                # the protocol of the connections that filled the cache (the shape of
                # the raw reply the callback gets)
                version = getattr(self, "_coredis_protocol", 3)
                return callback(cached, version=version, **options)
            fresh = await self._fetch_uncached(command, args, acquire, release)
            if fresh is None:
                return await fallback()
            self.feedback(command, key, *rest, match=fresh[0] == cached)
            return _finish(fresh, callback, options)
        fresh = await self._fetch_uncached(command, args, acquire, release)
        if fresh is None:
            return await fallback()
        self.put(command, key, *rest, value=fresh[0])
        return _finish(fresh, callback, options)

    async def _fetch_uncached(
        self,
        command: bytes,
        args: Sequence[Any],
        acquire: Callable[[], Awaitable[BaseConnection]],
        release: Callable[[BaseConnection], None],
    ) -> tuple[Any, int] | None:
        """The raw reply and protocol version, or ``None`` when the client's own path
        should retry (a lost connection, a cluster redirect)."""
        try:
            conn = await acquire()
        except (ConnectionError, TimeoutError):
            return None
        try:
            reply = await conn.wait_for_reply(conn.create_request(command, *args))
        except (ConnectionError, TimeoutError):
            return None
        except ResponseError as exc:
            if is_redirect(exc):
                return None
            raise
        finally:
            release(conn)
        self._coredis_protocol = conn.protocol_version
        return reply, conn.protocol_version


def _finish(fresh: tuple[Any, int], callback: Any, options: dict[str, Any]) -> Any:
    reply, version = fresh
    if callback is None:
        return reply
    return callback(reply, version=version, **options)


def invalidate_for(cache: AbstractCache, command: bytes, args: Sequence[Any]) -> None:
    """Before a non-cacheable command: drop what it may change from ``cache``.

    Every string argument is treated as a possible key (over-invalidating a value that
    happens to be a key name costs a miss, never a stale read).
    """
    if command in _FLUSHES:
        cache.reset()
        return
    keys = [a for a in args if isinstance(a, (str, bytes, bytearray, memoryview))]
    if keys:
        cache.invalidate(*keys)
