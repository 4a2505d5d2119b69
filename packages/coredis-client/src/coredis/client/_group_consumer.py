"""``GroupConsumer`` (``coredis.stream``): a member of a stream consumer group.

It reads like :class:`~coredis.client._consumers.Consumer` (same buffering, iteration and
cluster handling), with ``XREADGROUP`` instead of ``XREAD``.
"""

from __future__ import annotations

from collections.abc import Iterable

from coredis.exceptions import (
    ResponseError,
    StreamConsumerInitializationError,
    StreamDuplicateConsumerGroupError,
)

from ._consumers import _NEW, Consumer, StreamParameters, _name
from ._surface import CoreCommands
from ._typing import KeyT, StringT
from .commands._base import AnyStr_co
from .response_types import StreamEntry

__all__ = ("GroupConsumer",)


class GroupConsumer(Consumer[AnyStr_co]):
    """A member of a consumer group: the group's consumers share the streams' new entries,
    each entry going to one of them.

    The group is looked up on initialisation (``await consumer``, :meth:`initialize` or the
    first fetch) and, when missing and ``auto_create`` is set, created at ``$``: entries
    added to a stream before that moment are not read by the group.

    :param client: a :class:`coredis.Redis` or :class:`coredis.RedisCluster`.
    :param streams: names of the streams to read.
    :param group: the consumer group's name.
    :param consumer: this consumer's name, unique within ``group``.
    :param buffer_size: as for :class:`Consumer`.
    :param auto_create: create the group (and the stream, ``MKSTREAM``) where it is missing.
    :param auto_acknowledge: read with ``NOACK``: entries are acknowledged as they are
        delivered and never enter the pending entries list.
    :param start_from_backlog: first replay this consumer's pending entries (delivered
        earlier, never acknowledged), then read new ones.
    :param timeout: as for :class:`Consumer` (``None``: do not block).
    :param stream_parameters: ``stream_name={"identifier": "..."}``: an identifier other
        than ``>`` replays this consumer's pending entries after it before reading new ones.
    :raises TypeError: / :raises ValueError: as :class:`Consumer`.
    """

    DEFAULT_START_ID: bytes = _NEW

    def __init__(
        self,
        client: CoreCommands[AnyStr_co],
        streams: Iterable[KeyT],
        group: StringT,
        consumer: StringT,
        buffer_size: int = 0,
        auto_create: bool = True,
        auto_acknowledge: bool = False,
        start_from_backlog: bool = False,
        timeout: int | None = None,
        **stream_parameters: StreamParameters,
    ) -> None:
        Consumer.__init__(self, client, streams, buffer_size, timeout, **stream_parameters)
        if not group or not consumer:
            raise ValueError("group and consumer must be non-empty names")
        self.group = group
        self.consumer = consumer
        self.auto_create = auto_create
        self.auto_acknowledge = auto_acknowledge
        self.start_from_backlog = start_from_backlog
        for state in self.state.values():
            identifier = state.get("identifier")
            if identifier and _name(identifier, self._encoding) != _NEW:
                state["pending"] = True

    async def _has_group(self, name: KeyT) -> bool:
        try:
            groups = await self.client.xinfo_groups(name)
        except ResponseError:  # no such key
            return False
        wanted = _name(self.group, self._encoding)
        for info in groups:
            fields = {_name(key, self._encoding): value for key, value in info.items()}
            if _name(fields[b"name"], self._encoding) == wanted:
                return True
        return False

    async def initialize(self) -> GroupConsumer[AnyStr_co]:
        """Check (and with ``auto_create``, create) the group on every stream; once each.

        :return: the consumer itself.
        :raises StreamConsumerInitializationError: the group is missing on some stream and
            ``auto_create`` is off.
        :raises ConnectionError: / :raises TimeoutError: the server could not be asked.

        Cancelling it leaves the streams it had not reached uninitialised (a group it
        created stays); the next call (or fetch) finishes them.
        """
        todo = [n for n in self._order if _name(n, self._encoding) not in self._ready]
        present = {_name(n, self._encoding): await self._has_group(n) for n in todo}
        missing = [self._text(n) for n in todo if not present[_name(n, self._encoding)]]
        if missing and not self.auto_create:
            raise StreamConsumerInitializationError(
                f"Consumer group {self._text(self.group)!r} does not exist for streams: {missing}"
            )
        for name in todo:
            key = _name(name, self._encoding)
            state = self.state[key]
            if not present[key]:
                try:
                    await self.client.xgroup_create(name, self.group, "$", mkstream=True)
                except StreamDuplicateConsumerGroupError:
                    pass  # another consumer created it meanwhile
            elif self.start_from_backlog and not state.get("identifier"):
                state["identifier"], state["pending"] = b"0-0", True
            state.setdefault("identifier", _NEW)
            self._ready.add(key)
        return self

    async def add_stream(self, stream: KeyT, identifier: StringT | None = _NEW) -> bool:
        """Read ``stream`` too (as a member of the group), from ``identifier`` (``>``: new).

        :return: ``True`` once the stream is part of the consumer.
        :raises StreamConsumerInitializationError: the group is missing on ``stream`` and
            ``auto_create`` is off.
        :raises ConnectionError: / :raises TimeoutError: the server could not be asked.

        Cancelling it leaves the stream added but not initialised; the next fetch does it.
        """
        key = _name(stream, self._encoding)
        added = key not in self.state
        result = await super().add_stream(stream, identifier)
        state = self.state[key]
        if added and identifier and _name(identifier, self._encoding) != _NEW:
            state["pending"] = True
        return result

    async def _fetch(self) -> None:
        reads = [
            self.client.xreadgroup(
                self.group,
                self.consumer,
                chunk,
                count=self.buffer_size + 1,
                block=self._block,
                noack=self.auto_acknowledge or None,
            )
            for chunk in self.chunk_streams()
        ]
        replies = await self._gather(reads)
        for reply in replies:
            for stream, entries in (reply or {}).items():
                state = self.state[_name(stream, self._encoding)]
                if not state.get("pending"):
                    continue
                if entries:
                    # Replaying history: the next read continues after the last one seen.
                    state["identifier"] = entries[-1].identifier
                else:
                    state["identifier"], state["pending"] = _NEW, False
        self._store(replies)

    async def get_entry(self) -> tuple[AnyStr_co | None, StreamEntry | None]:
        """The next entry for this consumer: from the buffer, else fetched.

        :return: ``(stream, entry)``, or ``(None, None)`` when nothing is pending or new.
        :raises StreamConsumerGroupError: the group was destroyed (``NOGROUP``).
        :raises StreamConsumerInitializationError: as :meth:`initialize`.
        :raises ConnectionError: / :raises TimeoutError: the read failed.

        Cancelling it while a read is pending closes that read's connection; entries the
        server delivered meanwhile stay in the group's pending list (or, with
        ``auto_acknowledge``, are lost).
        """
        await self.initialize()
        found = self._pop()
        while found is None:
            replaying = self._replaying()
            await self._fetch()
            found = self._pop()
            if found is None and self._replaying() == replaying:
                # Nothing new, and no stream just finished replaying its history (which
                # would make a read of new entries worth trying at once).
                return None, None
        return found

    def _replaying(self) -> int:
        return sum(1 for state in self.state.values() if state.get("pending"))
