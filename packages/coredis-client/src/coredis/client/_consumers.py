"""Stream consumers (``coredis.stream``): :class:`Consumer` (and, in
:mod:`coredis.client._group_consumer`, :class:`GroupConsumer`).

Both read with ``XREAD``/``XREADGROUP`` through any client that has the stream commands
(:class:`coredis.Redis`, :class:`coredis.RedisCluster`), keep up to ``buffer_size`` extra
entries per stream in memory, and hand out one ``(stream, entry)`` at a time.

Why the client is duck-typed: the consumer lives with the standalone client but must also
drive the cluster client, which sits above it. A cluster is recognised by its pool (a
:class:`coredis.pool.ClusterConnectionPool`, a lower layer): there the streams are read
one hash slot at a time, because one ``XREAD`` may only name keys of one slot.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Generator, Iterable, Sequence
from typing import Any, Generic, TypedDict, Union

from coredis.pool import ClusterConnectionPool
from coredis.pool.cluster import hash_slot

from ._surface import CoreCommands
from ._typing import KeyT, StringT, ValueT
from .commands._base import AnyStr_co
from .response_types import StreamEntry

__all__ = ("Consumer", "State", "StreamParameters")

_NEW = b">"
#: What one XREAD / XREADGROUP returns.
_Read = Union[dict[AnyStr_co, tuple[StreamEntry, ...]], None]


class StreamParameters(TypedDict):
    """Per-stream options, passed as keyword arguments named after the stream."""

    #: Where to start: a :class:`Consumer` reads the entries after it; for a
    #: :class:`GroupConsumer` an identifier other than ``>`` first replays this consumer's
    #: own pending (delivered, unacknowledged) entries after it.
    identifier: StringT


class State(TypedDict, total=False):
    """What a consumer remembers about one stream."""

    #: The identifier the next read starts after (``>`` for a group's new entries).
    identifier: StringT | None
    #: Whether a group consumer is still replaying its pending entries.
    pending: bool | None


def _name(value: KeyT, encoding: str) -> bytes:
    return value.encode(encoding) if isinstance(value, str) else bytes(value)


class Consumer(Generic[AnyStr_co]):
    """A standalone reader of one or more streams.

    Each stream is read from the entry after the last one it held when the consumer was
    initialised (``await consumer``, :meth:`initialize`, or the first fetch, whichever
    comes first); a stream that does not exist yet is read from its first entry.

    :param client: a :class:`coredis.Redis` or :class:`coredis.RedisCluster`.
    :param streams: names of the streams to read (an iterable of names, not one ``str``).
    :param buffer_size: entries fetched per stream and read beyond the one returned, kept in
        memory and handed out before the next request to the server.
    :param timeout: milliseconds a fetch blocks waiting for new entries; ``0`` or ``None``
        does not block (the fetch returns ``(None, None)`` at once when nothing is new).
    :param stream_parameters: ``stream_name={"identifier": "..."}`` to start a stream after
        the given identifier instead of after its last entry.
    :raises TypeError: ``streams`` is a single ``str``/``bytes`` rather than an iterable of
        names.
    :raises ValueError: no stream, a negative ``buffer_size`` or ``timeout``, or
        ``stream_parameters`` naming a stream not in ``streams``.
    """

    #: Identifier a stream without a known position is read after.
    DEFAULT_START_ID: bytes = b"0-0"

    def __init__(
        self,
        client: CoreCommands[AnyStr_co],
        streams: Iterable[KeyT],
        buffer_size: int = 0,
        timeout: int | None = 0,
        **stream_parameters: StreamParameters,
    ) -> None:
        if isinstance(streams, (str, bytes)):
            raise TypeError("streams must be an iterable of stream names, not one name")
        names = list(dict.fromkeys(streams))
        if not names:
            raise ValueError("a stream consumer needs at least one stream")
        if buffer_size < 0:
            raise ValueError(f"buffer_size must be >= 0, not {buffer_size!r}")
        if timeout is not None and timeout < 0:
            raise ValueError(f"timeout must be >= 0 milliseconds, not {timeout!r}")
        self.client: CoreCommands[AnyStr_co] = client
        self._encoding: str = getattr(client, "encoding", None) or "utf-8"
        given = {_name(name, self._encoding) for name in names}
        unknown = [key for key in stream_parameters if key.encode(self._encoding) not in given]
        if unknown:
            raise ValueError(f"stream_parameters name streams not in streams: {unknown}")
        #: The streams read, as given.
        self.streams: set[KeyT] = set(names)
        self.buffer_size = buffer_size
        self.timeout = timeout
        #: Per stream (keyed by its name as bytes): where the next read starts.
        self.state: dict[bytes, State] = {}
        #: Entries fetched but not yet returned, per stream (keyed by name as bytes).
        self.buffer: dict[bytes, list[tuple[AnyStr_co, StreamEntry]]] = {}
        self._order: list[KeyT] = []
        self._ready: set[bytes] = set()
        for name in names:
            state: State = {}
            params = stream_parameters.get(self._text(name))
            if params and params.get("identifier"):
                state["identifier"] = params["identifier"]
            self._track(name, state)

    def _text(self, name: KeyT) -> str:
        return name if isinstance(name, str) else name.decode(self._encoding)

    def _track(self, name: KeyT, state: State) -> None:
        key = _name(name, self._encoding)
        self.streams.add(name)
        if key not in self.state:
            self._order.append(name)
            self.state[key] = state

    def __repr__(self) -> str:
        return f"{type(self).__name__}<streams={sorted(map(self._text, self._order))}>"

    def __await__(self) -> Generator[Any, None, Consumer[AnyStr_co]]:
        return self.initialize().__await__()

    async def initialize(self) -> Consumer[AnyStr_co]:
        """Find where each stream starts (its last entry now); done once per stream.

        :return: the consumer itself.
        :raises WrongTypeError: a stream's key holds another type.
        :raises ConnectionError: / :raises TimeoutError: the server could not be asked.

        Cancelling it leaves the streams it had not reached uninitialised; the next call
        (or fetch) finishes them.
        """
        for name in list(self._order):
            key = _name(name, self._encoding)
            if key in self._ready:
                continue
            state = self.state[key]
            if not state.get("identifier"):
                last = await self.client.xrevrange(name, count=1)
                if last:
                    state["identifier"] = last[0].identifier
            self._ready.add(key)
        return self

    async def add_stream(self, stream: KeyT, identifier: StringT | None = None) -> bool:
        """Read ``stream`` too, from after ``identifier`` (default: its last entry now).

        :return: ``True`` once the stream is part of the consumer (also when it already was).
        :raises ConnectionError: / :raises TimeoutError: the server could not be asked.

        Cancelling it leaves the stream added but not initialised; the next fetch does it.
        """
        if not isinstance(stream, (str, bytes)):
            raise TypeError(f"stream must be a str or bytes name, not {type(stream).__name__}")
        self._track(stream, {"identifier": identifier} if identifier else {})
        await self.initialize()
        return _name(stream, self._encoding) in self._ready

    def chunk_streams(self) -> list[dict[ValueT, StringT]]:
        """The ``{stream: identifier}`` mappings of the next fetch: one for a standalone
        server, one per hash slot for a cluster (an ``XREAD`` may name one slot only)."""

        def position(name: KeyT) -> StringT:
            return self.state[_name(name, self._encoding)].get("identifier") or (
                self.DEFAULT_START_ID
            )

        if not isinstance(getattr(self.client, "connection_pool", None), ClusterConnectionPool):
            return [{name: position(name) for name in self._order}]
        slots: dict[int, dict[ValueT, StringT]] = {}
        for name in self._order:
            slots.setdefault(hash_slot(_name(name, self._encoding)), {})[name] = position(name)
        return list(slots.values())

    def __aiter__(self) -> Consumer[AnyStr_co]:
        return self

    async def __anext__(self) -> tuple[AnyStr_co, StreamEntry]:
        """The next entry of any stream; the iteration ends when a fetch finds none.

        :raises StopAsyncIteration: no entry buffered and none returned by the server.
        :raises ResponseError: / :raises ConnectionError: as :meth:`get_entry`.

        Cancelling it is the same as cancelling :meth:`get_entry`.
        """
        stream, entry = await self.get_entry()
        if stream is None or entry is None:
            raise StopAsyncIteration
        return stream, entry

    @property
    def _block(self) -> int | None:
        return self.timeout if self.timeout else None

    def _pop(self) -> tuple[AnyStr_co, StreamEntry] | None:
        for entries in self.buffer.values():
            if entries:
                return entries.pop(0)
        return None

    async def _gather(self, reads: Sequence[Awaitable[_Read[AnyStr_co]]]) -> list[_Read[AnyStr_co]]:
        """Run the reads (one per hash slot on a cluster) together; when some fail, keep
        what the others returned (a group read has already delivered it) before raising."""
        if len(reads) == 1:
            return [await reads[0]]
        outcomes = await asyncio.gather(*reads, return_exceptions=True)
        replies = [r for r in outcomes if not isinstance(r, BaseException)]
        failures = [r for r in outcomes if isinstance(r, BaseException)]
        if failures:
            self._store(replies)
            raise failures[0]
        return replies

    def _store(self, replies: list[_Read[AnyStr_co]]) -> None:
        for reply in replies:
            for stream, entries in (reply or {}).items():
                key = _name(stream, self._encoding)
                self.buffer.setdefault(key, []).extend((stream, e) for e in entries)

    async def _fetch(self) -> None:
        count, block = self.buffer_size + 1, self._block
        reads = [self.client.xread(c, count=count, block=block) for c in self.chunk_streams()]
        self._store(await self._gather(reads))

    async def get_entry(self) -> tuple[AnyStr_co | None, StreamEntry | None]:
        """The next entry: from the buffer, else fetched (``buffer_size + 1`` per stream).

        :return: ``(stream, entry)``, or ``(None, None)`` when no stream had a new entry
            (after waiting up to ``timeout`` milliseconds, when set).
        :raises ResponseError: the server refused the read (e.g. a key of another type).
        :raises ConnectionError: / :raises TimeoutError: the read failed.

        Cancelling it while a read is pending closes that read's connection; the
        consumer's position is unchanged, so the next call reads the same entries again.
        """
        await self.initialize()
        found = self._pop()
        if found is None:
            await self._fetch()
            found = self._pop()
        if found is None:
            return None, None
        stream, entry = found
        self.state[_name(stream, self._encoding)]["identifier"] = entry.identifier
        return stream, entry
