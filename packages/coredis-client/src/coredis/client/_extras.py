"""Non-command helpers shared by the standalone and cluster clients: scan iterators and the
``BITFIELD`` builder. Written only against ``execute_command`` (see ``_surface.py``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from ._typing import KeyT, StringT, ValueT
from .commands._base import AnyStr_co, CommandMixin
from .commands._bitmap import BitFieldOperation  # the builder lives with the bitmap group
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
