"""Hash-field expiry and the combined hash commands (Redis 7.4/8.0, Valkey 9.0/9.1).

HEXPIRE, HPEXPIRE, HEXPIREAT, HPEXPIREAT, HTTL, HPTTL, HEXPIRETIME, HPEXPIRETIME and HPERSIST
(Redis 7.4, Valkey 9.0) give single fields of a hash a time to live; HGETEX and HSETEX (Redis
8.0, Valkey 9.0) read or write fields and set their expiry in one command, HGETDEL (Redis 8.0,
Valkey 9.1) reads and deletes them. Every per-field reply comes back as a ``tuple`` in the
order of ``fields``.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Literal

from ...exceptions import DataError
from .._arguments import (
    as_list,
    dt_to_milliseconds,
    dt_to_seconds,
    int_to_milliseconds,
    int_to_seconds,
)
from .._callbacks import boolean, to_tuple
from .._tokens import PureToken
from .._typing import KeyT, Parameters, StringT, ValueT
from ._base import AnyStr_co, CommandMixin
from ._string import _expiry_args

__all__ = ("HashFieldCommands",)

Condition = Literal[PureToken.NX, PureToken.XX, PureToken.GT, PureToken.LT]


def _ints(response: Any, **options: Any) -> tuple[int, ...]:
    return tuple(int(value) for value in response)


def _fields(fields: Parameters[StringT]) -> list[ValueT]:
    names = as_list(fields, "fields")
    if not names:
        raise DataError("fields must name at least one field")
    return [PureToken.FIELDS, len(names), *names]


class HashFieldCommands(CommandMixin[AnyStr_co]):
    """Expiry of single hash fields, and HGETEX / HSETEX / HGETDEL."""

    async def _set_expiry(
        self,
        command: bytes,
        key: KeyT,
        when: int,
        fields: Parameters[StringT],
        condition: Condition | None,
    ) -> tuple[int, ...]:
        args: list[ValueT] = [key, when]
        if condition is not None:
            args.append(condition)
        return await self.execute_command(command, *args, *_fields(fields), callback=_ints)

    async def hexpire(
        self,
        key: KeyT,
        seconds: int | datetime.timedelta,
        fields: Parameters[StringT],
        condition: Condition | None = None,
    ) -> tuple[int, ...]:
        """Set a time to live in seconds on hash fields. https://redis.io/commands/hexpire

        :return: per field: ``1`` set, ``0`` refused by ``condition``, ``2`` deleted at once
         (a time in the past or 0), ``-2`` no such field (or key).
        :raises DataError: when ``fields`` is empty or a single string.

        .. versionadded:: Redis 7.4, Valkey 9.0
        """
        when = int_to_seconds(seconds, "seconds")
        return await self._set_expiry(b"HEXPIRE", key, when, fields, condition)

    async def hpexpire(
        self,
        key: KeyT,
        milliseconds: int | datetime.timedelta,
        fields: Parameters[StringT],
        condition: Condition | None = None,
    ) -> tuple[int, ...]:
        """Set a time to live in milliseconds on hash fields.
        https://redis.io/commands/hpexpire

        :return: per field, as :meth:`hexpire`.
        :raises DataError: when ``fields`` is empty or a single string.

        .. versionadded:: Redis 7.4, Valkey 9.0
        """
        when = int_to_milliseconds(milliseconds, "milliseconds")
        return await self._set_expiry(b"HPEXPIRE", key, when, fields, condition)

    async def hexpireat(
        self,
        key: KeyT,
        unix_time_seconds: int | datetime.datetime,
        fields: Parameters[StringT],
        condition: Condition | None = None,
    ) -> tuple[int, ...]:
        """Expire hash fields at a Unix time in seconds. https://redis.io/commands/hexpireat

        :return: per field, as :meth:`hexpire`.
        :raises DataError: when ``fields`` is empty or a single string.

        .. versionadded:: Redis 7.4, Valkey 9.0
        """
        when = dt_to_seconds(unix_time_seconds, "unix_time_seconds")
        return await self._set_expiry(b"HEXPIREAT", key, when, fields, condition)

    async def hpexpireat(
        self,
        key: KeyT,
        unix_time_milliseconds: int | datetime.datetime,
        fields: Parameters[StringT],
        condition: Condition | None = None,
    ) -> tuple[int, ...]:
        """Expire hash fields at a Unix time in milliseconds.
        https://redis.io/commands/hpexpireat

        :return: per field, as :meth:`hexpire`.
        :raises DataError: when ``fields`` is empty or a single string.

        .. versionadded:: Redis 7.4, Valkey 9.0
        """
        when = dt_to_milliseconds(unix_time_milliseconds, "unix_time_milliseconds")
        return await self._set_expiry(b"HPEXPIREAT", key, when, fields, condition)

    async def _field_query(
        self, command: bytes, key: KeyT, fields: Parameters[StringT]
    ) -> tuple[int, ...]:
        return await self.execute_command(command, key, *_fields(fields), callback=_ints)

    async def httl(self, key: KeyT, fields: Parameters[StringT]) -> tuple[int, ...]:
        """Remaining time to live of hash fields, in seconds. https://redis.io/commands/httl

        :return: per field: the seconds left, ``-1`` no expiry, ``-2`` no such field (or key).
        :raises DataError: when ``fields`` is empty or a single string.

        .. versionadded:: Redis 7.4, Valkey 9.0
        """
        return await self._field_query(b"HTTL", key, fields)

    async def hpttl(self, key: KeyT, fields: Parameters[StringT]) -> tuple[int, ...]:
        """Remaining time to live of hash fields, in milliseconds.
        https://redis.io/commands/hpttl

        :return: per field: the milliseconds left, ``-1`` no expiry, ``-2`` no such field.
        :raises DataError: when ``fields`` is empty or a single string.

        .. versionadded:: Redis 7.4, Valkey 9.0
        """
        return await self._field_query(b"HPTTL", key, fields)

    async def hexpiretime(self, key: KeyT, fields: Parameters[StringT]) -> tuple[int, ...]:
        """Unix time in seconds at which hash fields expire.
        https://redis.io/commands/hexpiretime

        :return: per field: the Unix time, ``-1`` no expiry, ``-2`` no such field (or key).
        :raises DataError: when ``fields`` is empty or a single string.

        .. versionadded:: Redis 7.4, Valkey 9.0
        """
        return await self._field_query(b"HEXPIRETIME", key, fields)

    async def hpexpiretime(self, key: KeyT, fields: Parameters[StringT]) -> tuple[int, ...]:
        """Unix time in milliseconds at which hash fields expire.
        https://redis.io/commands/hpexpiretime

        :return: per field: the Unix time in ms, ``-1`` no expiry, ``-2`` no such field.
        :raises DataError: when ``fields`` is empty or a single string.

        .. versionadded:: Redis 7.4, Valkey 9.0
        """
        return await self._field_query(b"HPEXPIRETIME", key, fields)

    async def hpersist(self, key: KeyT, fields: Parameters[StringT]) -> tuple[int, ...]:
        """Remove the expiry of hash fields. https://redis.io/commands/hpersist

        :return: per field: ``1`` expiry removed, ``-1`` had none, ``-2`` no such field.
        :raises DataError: when ``fields`` is empty or a single string.

        .. versionadded:: Redis 7.4, Valkey 9.0
        """
        return await self._field_query(b"HPERSIST", key, fields)

    async def hgetdel(self, key: KeyT, fields: Parameters[StringT]) -> tuple[AnyStr_co | None, ...]:
        """Get the values of hash fields and delete them. https://redis.io/commands/hgetdel

        :return: the values in the order of ``fields`` (``None`` for missing ones); the key
         is deleted with its last field.
        :raises DataError: when ``fields`` is empty or a single string.

        .. versionadded:: Redis 8.0, Valkey 9.1
        """
        return await self.execute_command(b"HGETDEL", key, *_fields(fields), callback=to_tuple)

    async def hgetex(
        self,
        key: KeyT,
        fields: Parameters[StringT],
        *,
        ex: int | datetime.timedelta | None = None,
        px: int | datetime.timedelta | None = None,
        exat: int | datetime.datetime | None = None,
        pxat: int | datetime.datetime | None = None,
        persist: bool = False,
    ) -> tuple[AnyStr_co | None, ...]:
        """Get the values of hash fields and set (or, with ``persist``, remove) their expiry.
        https://redis.io/commands/hgetex

        :return: the values in the order of ``fields`` (``None`` for missing ones).
        :raises CommandSyntaxError: when more than one of ``ex``/``px``/``exat``/``pxat``/
         ``persist`` is given.
        :raises DataError: when ``fields`` is empty or a single string.

        .. versionadded:: Redis 8.0, Valkey 9.0
        """
        expiry = _expiry_args(ex, px, exat, pxat, ("persist", persist))
        return await self.execute_command(
            b"HGETEX", key, *expiry, *_fields(fields), callback=to_tuple
        )

    async def hsetex(
        self,
        key: KeyT,
        field_values: Mapping[StringT, ValueT],
        *,
        condition: Literal[PureToken.FNX, PureToken.FXX] | None = None,
        key_condition: Literal[PureToken.NX, PureToken.XX] | None = None,
        ex: int | datetime.timedelta | None = None,
        px: int | datetime.timedelta | None = None,
        exat: int | datetime.datetime | None = None,
        pxat: int | datetime.datetime | None = None,
        keepttl: bool = False,
    ) -> bool:
        """Set hash fields and their expiry in one command. https://redis.io/commands/hsetex

        ``condition``: ``FNX`` only when none of the fields exists, ``FXX`` only when all
        of them do. ``key_condition`` (Valkey only): ``NX`` only when the key does not exist,
        ``XX`` only when it does.

        :return: whether the fields were set (``False`` when ``condition`` refused).
        :raises CommandSyntaxError: when more than one of ``ex``/``px``/``exat``/``pxat``/
         ``keepttl`` is given.
        :raises DataError: when ``field_values`` is empty.

        .. versionadded:: Redis 8.0, Valkey 9.0
        """
        if not field_values:
            raise DataError("field_values must hold at least one field")
        args: list[ValueT] = [key]
        if key_condition is not None:
            args.append(key_condition)
        if condition is not None:
            args.append(condition)
        args += _expiry_args(ex, px, exat, pxat, ("keepttl", keepttl))
        args += [PureToken.FIELDS, len(field_values)]
        for field, value in field_values.items():
            args += [field, value]
        return await self.execute_command(b"HSETEX", *args, callback=boolean)
