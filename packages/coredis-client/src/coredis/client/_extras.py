"""Non-command helpers shared by the standalone and cluster clients: scan iterators and the
``BITFIELD`` builder. Written only against ``execute_command`` (see ``_surface.py``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator
from typing import Any, Generic

from coredis.exceptions import DataError

from ._typing import KeyT, StringT, ValueT
from .commands._base import AnyStr_co, CommandMixin
from .response_types import ScoredMember

__all__ = ("BitFieldOperation", "ClientExtras")


def _scan_args(match: StringT | None, count: int | None) -> list[ValueT]:
    args: list[ValueT] = []
    if match is not None:
        args += [b"MATCH", match]
    if count is not None:
        args += [b"COUNT", count]
    return args


class ClientExtras(CommandMixin[AnyStr_co]):
    """``scan_iter`` & co. and ``bitfield``: iterate over a whole keyspace or collection."""

    async def scan_iter(
        self,
        match: StringT | None = None,
        count: int | None = None,
        type_: StringT | None = None,
    ) -> AsyncIterator[AnyStr_co]:
        """Every key (matching ``match``, of type ``type_``), by repeated ``SCAN``.

        Keys added or removed during the iteration may or may not be seen (SCAN's
        guarantees); a key may be yielded twice. Cancelling stops the iteration.
        """
        args = _scan_args(match, count)
        if type_ is not None:
            args += [b"TYPE", type_]
        cursor: ValueT = 0
        while True:
            cursor, keys = await self.execute_command(b"SCAN", cursor, *args)
            for key in keys:
                yield key
            if int(cursor) == 0:
                return

    async def _collection_scan(
        self, command: bytes, key: KeyT, match: StringT | None, count: int | None
    ) -> AsyncIterator[Any]:
        args = _scan_args(match, count)
        cursor: ValueT = 0
        while True:
            cursor, items = await self.execute_command(command, key, cursor, *args)
            for item in items:
                yield item
            if int(cursor) == 0:
                return

    async def sscan_iter(
        self, key: KeyT, match: StringT | None = None, count: int | None = None
    ) -> AsyncIterator[AnyStr_co]:
        """Every member of the set ``key``, by repeated ``SSCAN``."""
        async for member in self._collection_scan(b"SSCAN", key, match, count):
            yield member

    async def hscan_iter(
        self, key: KeyT, match: StringT | None = None, count: int | None = None
    ) -> AsyncIterator[tuple[AnyStr_co, AnyStr_co]]:
        """Every ``(field, value)`` of the hash ``key``, by repeated ``HSCAN``."""
        field = None
        async for item in self._collection_scan(b"HSCAN", key, match, count):
            if field is None:
                field = item
            else:
                yield field, item
                field = None

    async def zscan_iter(
        self, key: KeyT, match: StringT | None = None, count: int | None = None
    ) -> AsyncIterator[ScoredMember]:
        """Every member of the sorted set ``key`` as ``ScoredMember(member, score)``, by
        repeated ``ZSCAN``."""
        member = None
        async for item in self._collection_scan(b"ZSCAN", key, match, count):
            if member is None:
                member = item
            else:
                yield ScoredMember(member, float(item))
                member = None

    def bitfield(self, key: KeyT) -> BitFieldOperation[AnyStr_co]:
        """A builder for ``BITFIELD key ...``: chain ``set``/``get``/``incrby``/``overflow``,
        then ``await op.exc()``."""
        return BitFieldOperation(self, key)

    def bitfield_ro(self, key: KeyT) -> BitFieldOperation[AnyStr_co]:
        """A builder for ``BITFIELD_RO key GET ...`` (only ``get`` is allowed)."""
        return BitFieldOperation(self, key, readonly=True)


class BitFieldOperation(Generic[AnyStr_co]):
    """Sub-operations of one ``BITFIELD`` command, sent together by :meth:`exc`."""

    def __init__(self, client: CommandMixin[AnyStr_co], key: KeyT, readonly: bool = False):
        self._client: CommandMixin[AnyStr_co] = client
        self._key = key
        self._readonly = readonly
        self._args: list[ValueT] = []

    def _writable(self, name: str) -> None:
        if self._readonly:
            raise DataError(f"BITFIELD_RO does not allow {name}")

    def set(self, encoding: str, offset: int | str, value: int) -> BitFieldOperation[AnyStr_co]:
        """``SET encoding offset value``; its reply is the previous value."""
        self._writable("SET")
        self._args += [b"SET", encoding, offset, value]
        return self

    def get(self, encoding: str, offset: int | str) -> BitFieldOperation[AnyStr_co]:
        """``GET encoding offset``."""
        self._args += [b"GET", encoding, offset]
        return self

    def incrby(
        self, encoding: str, offset: int | str, increment: int, overflow: str | None = None
    ) -> BitFieldOperation[AnyStr_co]:
        """``[OVERFLOW overflow] INCRBY encoding offset increment``."""
        self._writable("INCRBY")
        if overflow is not None:
            self.overflow(overflow)
        self._args += [b"INCRBY", encoding, offset, increment]
        return self

    def overflow(self, type_: str = "SAT") -> BitFieldOperation[AnyStr_co]:
        """``OVERFLOW WRAP|SAT|FAIL`` for the following ``INCRBY``/``SET``."""
        self._writable("OVERFLOW")
        if type_.upper() not in ("WRAP", "SAT", "FAIL"):
            raise DataError(f"OVERFLOW must be WRAP, SAT or FAIL, not {type_!r}")
        self._args += [b"OVERFLOW", type_.upper()]
        return self

    async def exc(self) -> list[int | None]:
        """Send the command; one result per ``get``/``set``/``incrby`` (``None`` when an
        ``OVERFLOW FAIL`` increment was refused).

        :raises ResponseError: for a malformed sub-operation
        """
        command = b"BITFIELD_RO" if self._readonly else b"BITFIELD"
        args, self._args = self._args, []
        reply = await self._client.execute_command(command, self._key, *args)
        return list(reply) if reply is not None else []

    def __await__(self) -> Generator[Any, None, list[int | None]]:
        return self.exc().__await__()
