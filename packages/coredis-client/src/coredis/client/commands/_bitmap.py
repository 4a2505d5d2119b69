"""Redis bitmap commands, and the ``BITFIELD``/``BITFIELD_RO`` builder."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, Generic, Literal

from coredis.exceptions import DataError, ReadOnlyError

from .._arguments import as_list
from .._tokens import PureToken
from .._typing import KeyT, Parameters, StringT, ValueT
from ._base import AnyStr_co, CommandMixin
from ._checks import check_inclusive

__all__ = ("BitmapCommands", "BitFieldOperation")

_IndexUnit = Literal[PureToken.BIT, PureToken.BYTE]


class _ReadOnlyOperationError(DataError, ReadOnlyError):
    """A write sub-operation on ``bitfield_ro``: a ``DataError`` (nothing was sent) that is
    also the ``ReadOnlyError`` coredis 4.x raised."""


_OVERFLOWS = {b"WRAP": PureToken.WRAP, b"SAT": PureToken.SAT, b"FAIL": PureToken.FAIL}


def _to_list(response: Any, **options: Any) -> list[Any]:
    return list(response) if response is not None else []


def _range_args(start: int | None, end: int | None, index_unit: _IndexUnit | None) -> list[ValueT]:
    if start is None:
        if end is not None or index_unit is not None:
            raise DataError("end and index_unit need start")
        return []
    args: list[ValueT] = [start]
    if end is not None:
        args.append(end)
        if index_unit is not None:
            args.append(index_unit)
    elif index_unit is not None:
        raise DataError("index_unit needs end")
    return args


class BitFieldOperation(Generic[AnyStr_co]):
    """Builds one ``BITFIELD`` (or ``BITFIELD_RO``) command from chained sub-operations.

    ``type_`` is an encoding such as ``"u8"`` or ``"i16"``; ``offset`` an int, or a string
    such as ``"#2"`` (multiplied by the type width). Parameter names and ``exc()`` are the
    4.x ones; ``exec()`` and ``await op`` do the same. Example::

        op = client.bitfield("key").set("u8", 0, 250).overflow(PureToken.SAT)
        assert await op.incrby("u8", 0, 10).get("u8", 0).exec() == [0, 255, 255]
    """

    def __init__(self, client: CommandMixin[AnyStr_co], key: KeyT, readonly: bool = False) -> None:
        self._client: CommandMixin[AnyStr_co] = client
        self._key = key
        self._readonly = readonly
        self._args: list[ValueT] = []

    def _writable(self, name: str) -> None:
        if self._readonly:
            raise _ReadOnlyOperationError(f"BITFIELD_RO does not allow {name}")

    def set(
        self, type_: StringT, offset: int | StringT, value: int
    ) -> BitFieldOperation[AnyStr_co]:
        """Queue ``SET type offset value`` (its reply is the previous value).

        :raises ReadOnlyError: on a ``bitfield_ro`` operation (also a ``DataError``).
        """
        self._writable("SET")
        self._args += [b"SET", type_, offset, value]
        return self

    def get(self, type_: StringT, offset: int | StringT) -> BitFieldOperation[AnyStr_co]:
        """Queue ``GET type offset``."""
        self._args += [PureToken.GET, type_, offset]
        return self

    def incrby(
        self,
        type_: StringT,
        offset: int | StringT,
        increment: int,
        overflow: Literal[PureToken.WRAP, PureToken.SAT, PureToken.FAIL] | StringT | None = None,
    ) -> BitFieldOperation[AnyStr_co]:
        """Queue ``[OVERFLOW overflow] INCRBY type offset increment`` (replies the new value).

        :raises ReadOnlyError: on a ``bitfield_ro`` operation (also a ``DataError``).
        """
        self._writable("INCRBY")
        if overflow is not None:
            self.overflow(overflow)
        self._args += [b"INCRBY", type_, offset, increment]
        return self

    def overflow(
        self,
        type_: Literal[PureToken.WRAP, PureToken.SAT, PureToken.FAIL] | StringT = PureToken.SAT,
    ) -> BitFieldOperation[AnyStr_co]:
        """Queue ``OVERFLOW WRAP|SAT|FAIL`` for the following ``set``/``incrby``.

        :raises ReadOnlyError: on a ``bitfield_ro`` operation (also a ``DataError``).
        :raises DataError: when ``type_`` is not WRAP, SAT or FAIL (any case).
        """
        self._writable("OVERFLOW")
        raw = type_.encode() if isinstance(type_, str) else bytes(type_)
        token = _OVERFLOWS.get(raw.upper())
        if token is None:
            raise DataError(f"overflow must be WRAP, SAT or FAIL, not {type_!r}")
        self._args += [PureToken.OVERFLOW, token]
        return self

    async def exec(self) -> list[int | None]:
        """Send the queued sub-operations as one command and clear the queue.

        :return: one value per ``get``/``set``/``incrby``, ``None`` where ``OVERFLOW FAIL``
         refused an operation.
        :raises ResponseError: for an invalid type or offset.

        Cancelling it abandons the reply and closes the connection; the operations may have
        been applied.
        """
        args, self._args = self._args, []
        command = b"BITFIELD_RO" if self._readonly else b"BITFIELD"
        return await self._client.execute_command(command, self._key, *args, callback=_to_list)

    #: The 4.x name of :meth:`exec`.
    exc = exec

    def __await__(self) -> Generator[Any, None, list[int | None]]:
        return self.exec().__await__()


class BitmapCommands(CommandMixin[AnyStr_co]):
    """The bitmap command group."""

    async def bitcount(
        self,
        key: KeyT,
        start: int | None = None,
        end: int | None = None,
        index_unit: _IndexUnit | None = None,
    ) -> int:
        """Count the set bits of a string. https://redis.io/commands/bitcount

        :return: the number of bits set to 1 (in the range when given).
        :raises DataError: when only one of ``start``/``end`` is given, or ``index_unit``
         without them (:class:`~coredis.client.commands._checks.MutuallyInclusiveParametersMissing`,
         also a :class:`~coredis.exceptions.CommandSyntaxError` as in 4.x).
        """
        # 4.x's checks and exception types: BITCOUNT takes start and end together
        check_inclusive(start=start, end=end)
        check_inclusive(["start", "end"], start=start, end=end, index_unit=index_unit)
        reply: int = await self.execute_command(
            b"BITCOUNT", key, *_range_args(start, end, index_unit)
        )
        return reply

    def bitfield(self, key: KeyT) -> BitFieldOperation[AnyStr_co]:
        """Start a ``BITFIELD`` command on ``key``. https://redis.io/commands/bitfield

        Chain ``set``/``get``/``incrby``/``overflow``, then ``await op.exec()``.
        """
        return BitFieldOperation(self, key)

    def bitfield_ro(self, key: KeyT) -> BitFieldOperation[AnyStr_co]:
        """Start a ``BITFIELD_RO`` command on ``key`` (``get`` only). https://redis.io/commands/bitfield_ro

        .. versionadded:: 6.2.0
        """
        return BitFieldOperation(self, key, readonly=True)

    async def bitop(self, keys: Parameters[KeyT], operation: StringT, destkey: KeyT) -> int:
        """Combine strings bitwise (AND, OR, XOR, NOT). https://redis.io/commands/bitop

        :return: the length of the string stored in ``destkey``.
        """
        reply: int = await self.execute_command(
            b"BITOP", operation, destkey, *as_list(keys, "keys")
        )
        return reply

    async def bitpos(
        self,
        key: KeyT,
        bit: int,
        start: int | None = None,
        end: int | None = None,
        index_unit: _IndexUnit | None = None,
    ) -> int:
        """Find the first bit set to 0 or 1. https://redis.io/commands/bitpos

        :return: the position of the first matching bit, or ``-1``.
        :raises DataError: when ``end``/``index_unit`` are given without ``start``/``end``.
        """
        # a bool bit is sent as 1/0, as 4.x did (int(True) == 1)
        reply: int = await self.execute_command(
            b"BITPOS", key, int(bit), *_range_args(start, end, index_unit)
        )
        return reply

    async def getbit(self, key: KeyT, offset: int) -> int:
        """Get the bit at an offset. https://redis.io/commands/getbit

        :return: 0 or 1.
        """
        reply: int = await self.execute_command(b"GETBIT", key, offset)
        return reply

    async def setbit(self, key: KeyT, offset: int, value: int) -> int:
        """Set or clear the bit at an offset. https://redis.io/commands/setbit

        :return: the previous bit.
        """
        # a bool value is sent as 1/0, as 4.x did (int(True) == 1)
        reply: int = await self.execute_command(b"SETBIT", key, offset, int(value))
        return reply
