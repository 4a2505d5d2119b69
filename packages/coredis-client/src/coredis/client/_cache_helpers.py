"""What :class:`~coredis.cache.TrackingCache` needs that holds no state: the statistics
record (:class:`CacheStats`), value helpers (size estimates, key bytes), the redirect
test, and ``acquire``/``release`` pairs for connections of its own."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from coredis.connection import BaseConnection
from coredis.protocol import AskError, BusyLoadingError, ClusterDownError, TryAgainError

__all__ = (
    "Acquire",
    "CacheStats",
    "Release",
    "Token",
    "as_bytes",
    "dedicated",
    "is_redirect",
    "sizeof",
)


@dataclass
class CacheStats:
    """Counters of a :class:`TrackingCache` (never reset by a flush)."""

    #: reads answered from local memory
    hits: int = 0
    #: cacheable reads sent to the server
    misses: int = 0
    #: cached keys dropped because the server said they changed (or everything flushed)
    invalidations: int = 0
    #: sampled validations (``confidence < 100``) that found a stale entry
    dirty: int = 0
    #: times the whole cache was flushed because a tracking connection was lost
    resets: int = 0

    @property
    def summary(self) -> dict[str, int]:
        return {
            "hits": self.hits,
            "misses": self.misses,
            "invalidations": self.invalidations,
            "dirty": self.dirty,
            "resets": self.resets,
        }


def as_bytes(value: Any, encoding: str = "utf-8") -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode(encoding)
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    return str(value).encode()


def sizeof(value: Any) -> int:
    if isinstance(value, (bytes, str)):
        return len(value) + 49
    if isinstance(value, dict):
        return 64 + sum(sizeof(k) + sizeof(v) for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return 56 + sum(sizeof(v) for v in value)
    return 32


def is_redirect(exc: BaseException) -> bool:
    """Whether an error reply means "ask the client's routing", not "the command failed"."""
    return isinstance(exc, (AskError, TryAgainError, ClusterDownError, BusyLoadingError))


Acquire = Callable[[], Awaitable[BaseConnection]]
Release = Callable[[BaseConnection], None]


def dedicated(make: Callable[[], BaseConnection]) -> tuple[Acquire, Release]:
    """``acquire``/``release`` for a connection of its own made by ``make`` (closed on release)."""

    async def acquire() -> BaseConnection:
        conn = make()
        try:
            await conn.connect()
        except BaseException:
            conn.disconnect()
            raise
        return conn

    def release(conn: BaseConnection) -> None:
        conn.disconnect()

    return acquire, release


class Token:
    """A read in flight: stored only if still ``valid`` and of the current generation."""

    __slots__ = ("generation", "valid")

    def __init__(self, generation: int) -> None:
        self.generation = generation
        self.valid = True
