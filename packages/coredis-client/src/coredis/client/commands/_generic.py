"""Redis generic (keyspace) commands, plus ``scan_iter``.

``.. versionadded::`` gives the Redis version that introduced a command.
"""

from __future__ import annotations

import datetime
from collections.abc import AsyncIterator
from typing import Any, Literal

from coredis.exceptions import DataError

from .._arguments import (
    as_list,
    dt_to_milliseconds,
    dt_to_seconds,
    int_to_milliseconds,
    int_to_seconds,
    scan_options,
)
from .._callbacks import boolean, expiry_time, ok, scan_keys, to_set, to_tuple
from .._tokens import PureToken
from .._typing import KeyT, Parameters, ResponseType, StringT, ValueT
from ._base import AnyStr_co, CommandMixin
from ._checks import MutuallyInclusiveParametersMissing

__all__ = ("GenericCommands",)

_Condition = Literal[PureToken.NX, PureToken.XX, PureToken.GT, PureToken.LT]


def _sort_reply(response: Any, **options: Any) -> int | tuple[Any, ...] | ResponseType:
    return response if options.get("store") else tuple(response)


def _sort_args(
    key: KeyT,
    gets: Parameters[KeyT] | None,
    by: StringT | None,
    offset: int | None,
    count: int | None,
    order: Literal[PureToken.ASC, PureToken.DESC] | None,
    alpha: bool | None,
) -> list[ValueT]:
    args: list[ValueT] = [key]
    if by is not None:
        args += [b"BY", by]
    if (offset is None) != (count is None):
        # 4.x's check and exception type (a DataError too)
        raise MutuallyInclusiveParametersMissing(["offset", "count"])
    if offset is not None and count is not None:
        args += [PureToken.LIMIT, offset, count]
    for pattern in as_list(gets, "gets") if gets is not None else ():
        args += [PureToken.GET, pattern]
    if order is not None:
        args.append(order)
    if alpha:
        args.append(PureToken.ALPHA)
    return args


class GenericCommands(CommandMixin[AnyStr_co]):
    """The generic (keyspace) command group."""

    async def copy(
        self,
        source: KeyT,
        destination: KeyT,
        db: int | None = None,
        replace: bool | None = None,
    ) -> bool:
        """Copy a key. https://redis.io/commands/copy

        :return: whether the key was copied.

        .. versionadded:: 6.2.0
        """
        args: list[ValueT] = [source, destination]
        if db is not None:
            args += [PureToken.DB, db]
        if replace:
            args.append(PureToken.REPLACE)
        return await self.execute_command(b"COPY", *args, callback=boolean)

    async def delete(self, keys: Parameters[KeyT]) -> int:
        """Delete keys. https://redis.io/commands/del

        :return: the number of keys removed.
        :raises DataError: when ``keys`` is a single string instead of an iterable.
        """
        reply: int = await self.execute_command(b"DEL", *as_list(keys, "keys"))
        return reply

    async def dump(self, key: KeyT) -> bytes:
        """Serialize the value of a key. https://redis.io/commands/dump

        :return: the serialized value (always ``bytes``), or ``None`` for a missing key.
        """
        reply: bytes = await self.execute_command(b"DUMP", key, decode=False)
        return reply

    async def exists(self, keys: Parameters[KeyT]) -> int:
        """Count the given keys that exist. https://redis.io/commands/exists

        :return: the number of existing keys (a key named twice counts twice).
        :raises DataError: when ``keys`` is a single string instead of an iterable.
        """
        reply: int = await self.execute_command(b"EXISTS", *as_list(keys, "keys"))
        return reply

    async def expire(
        self,
        key: KeyT,
        seconds: int | datetime.timedelta,
        condition: _Condition | None = None,
    ) -> bool:
        """Set a key's time to live in seconds. https://redis.io/commands/expire

        :return: whether the timeout was set.
        """
        args: list[ValueT] = [key, int_to_seconds(seconds)]
        if condition is not None:
            args.append(condition)
        return await self.execute_command(b"EXPIRE", *args, callback=boolean)

    async def expireat(
        self,
        key: KeyT,
        unix_time_seconds: int | datetime.datetime,
        condition: _Condition | None = None,
    ) -> bool:
        """Set a key's expiry as a unix time in seconds. https://redis.io/commands/expireat

        :return: whether the timeout was set.
        """
        args: list[ValueT] = [key, dt_to_seconds(unix_time_seconds)]
        if condition is not None:
            args.append(condition)
        return await self.execute_command(b"EXPIREAT", *args, callback=boolean)

    async def expiretime(self, key: KeyT) -> datetime.datetime:
        """Get a key's expiry as a time. https://redis.io/commands/expiretime

        :return: the expiry (a naive local ``datetime``).
        :raises NoKeyError: when the key does not exist.
        :raises DataError: when the key has no expiry.

        .. versionadded:: 7.0.0
        """
        return await self.execute_command(b"EXPIRETIME", key, callback=expiry_time)

    async def keys(self, pattern: StringT = "*") -> set[AnyStr_co]:
        """Find the keys matching a pattern. https://redis.io/commands/keys

        :return: the matching keys.
        """
        return await self.execute_command(b"KEYS", pattern, callback=to_set)

    async def migrate(
        self,
        host: StringT,
        port: int,
        destination_db: int,
        timeout: int,
        *keys: KeyT,
        copy: bool | None = None,
        replace: bool | None = None,
        auth: StringT | None = None,
        username: StringT | None = None,
        password: StringT | None = None,
    ) -> bool:
        """Move keys to another Redis instance. https://redis.io/commands/migrate

        :return: ``True`` when keys moved, ``False`` when none of them existed.
        :raises DataError: when no key is given, or ``auth`` and ``username`` are mixed.
        """
        if not keys:
            raise DataError("migrate needs at least one key")
        args: list[ValueT] = [host, port, b"", destination_db, timeout]
        if copy:
            args.append(PureToken.COPY)
        if replace:
            args.append(PureToken.REPLACE)
        if auth is not None:
            if username is not None:
                raise DataError("auth and username/password are mutually exclusive")
            args += [b"AUTH", auth]
        elif username is not None or password is not None:
            if username is None or password is None:
                raise DataError("username and password must be given together")
            args += [b"AUTH2", username, password]
        args += [b"KEYS", *keys]
        return await self.execute_command(b"MIGRATE", *args, callback=ok)

    async def move(self, key: KeyT, db: int) -> bool:
        """Move a key to another database. https://redis.io/commands/move

        :return: whether the key was moved.
        """
        return await self.execute_command(b"MOVE", key, db, callback=boolean)

    async def object_encoding(self, key: KeyT) -> AnyStr_co | None:
        """Get the internal encoding of a key. https://redis.io/commands/object-encoding

        :return: the encoding name, or ``None`` for a missing key.
        """
        reply: AnyStr_co | None = await self.execute_command(b"OBJECT", b"ENCODING", key)
        return reply

    async def object_freq(self, key: KeyT) -> int:
        """Get a key's access frequency (LFU policies only). https://redis.io/commands/object-freq

        :return: the logarithmic access frequency counter.
        """
        reply: int = await self.execute_command(b"OBJECT", b"FREQ", key)
        return reply

    async def object_help(self) -> tuple[AnyStr_co, ...]:
        """Get the help text of the OBJECT command. https://redis.io/commands/object-help

        :return: the help lines.
        """
        return await self.execute_command(b"OBJECT", b"HELP", callback=to_tuple)

    async def object_idletime(self, key: KeyT) -> int:
        """Get the seconds since a key was last accessed. https://redis.io/commands/object-idletime

        :return: the idle time in seconds.
        """
        reply: int = await self.execute_command(b"OBJECT", b"IDLETIME", key)
        return reply

    async def object_refcount(self, key: KeyT) -> int:
        """Get the reference count of a key's value. https://redis.io/commands/object-refcount

        :return: the reference count.
        """
        reply: int = await self.execute_command(b"OBJECT", b"REFCOUNT", key)
        return reply

    async def persist(self, key: KeyT) -> bool:
        """Remove a key's expiry. https://redis.io/commands/persist

        :return: whether an expiry was removed.
        """
        return await self.execute_command(b"PERSIST", key, callback=boolean)

    async def pexpire(
        self,
        key: KeyT,
        milliseconds: int | datetime.timedelta,
        condition: _Condition | None = None,
    ) -> bool:
        """Set a key's time to live in milliseconds. https://redis.io/commands/pexpire

        :return: whether the timeout was set.
        """
        args: list[ValueT] = [key, int_to_milliseconds(milliseconds)]
        if condition is not None:
            args.append(condition)
        return await self.execute_command(b"PEXPIRE", *args, callback=boolean)

    async def pexpireat(
        self,
        key: KeyT,
        unix_time_milliseconds: int | datetime.datetime,
        condition: _Condition | None = None,
    ) -> bool:
        """Set a key's expiry as a unix time in milliseconds. https://redis.io/commands/pexpireat

        :return: whether the timeout was set.
        """
        args: list[ValueT] = [key, dt_to_milliseconds(unix_time_milliseconds)]
        if condition is not None:
            args.append(condition)
        return await self.execute_command(b"PEXPIREAT", *args, callback=boolean)

    async def pexpiretime(self, key: KeyT) -> datetime.datetime:
        """Get a key's expiry as a time, with millisecond precision. https://redis.io/commands/pexpiretime

        :return: the expiry (a naive local ``datetime``).
        :raises NoKeyError: when the key does not exist.
        :raises DataError: when the key has no expiry.

        .. versionadded:: 7.0.0
        """
        return await self.execute_command(
            b"PEXPIRETIME", key, callback=expiry_time, milliseconds=True
        )

    async def pttl(self, key: KeyT) -> int:
        """Get a key's time to live in milliseconds. https://redis.io/commands/pttl

        :return: milliseconds left, ``-1`` without expiry, ``-2`` for a missing key.
        """
        reply: int = await self.execute_command(b"PTTL", key)
        return reply

    async def randomkey(self) -> AnyStr_co | None:
        """Get a random key. https://redis.io/commands/randomkey

        :return: a key, or ``None`` when the database is empty.
        """
        reply: AnyStr_co | None = await self.execute_command(b"RANDOMKEY")
        return reply

    async def rename(self, key: KeyT, newkey: KeyT) -> bool:
        """Rename a key. https://redis.io/commands/rename

        :return: ``True``.
        """
        return await self.execute_command(b"RENAME", key, newkey, callback=ok)

    async def renamenx(self, key: KeyT, newkey: KeyT) -> bool:
        """Rename a key if the new name is free. https://redis.io/commands/renamenx

        :return: whether the key was renamed.
        """
        return await self.execute_command(b"RENAMENX", key, newkey, callback=boolean)

    async def restore(
        self,
        key: KeyT,
        ttl: int | datetime.timedelta | datetime.datetime,
        serialized_value: bytes,
        replace: bool | None = None,
        absttl: bool | None = None,
        idletime: int | datetime.timedelta | None = None,
        freq: int | None = None,
    ) -> bool:
        """Create a key from a ``DUMP`` payload. https://redis.io/commands/restore

        ``ttl`` is milliseconds (0: no expiry); a ``datetime`` implies ``absttl``.

        :return: ``True``.
        :raises DataError: when both ``idletime`` and ``freq`` are given.
        """
        if isinstance(ttl, datetime.datetime):
            args: list[ValueT] = [key, dt_to_milliseconds(ttl), serialized_value]
            absttl = True
        else:
            args = [key, int_to_milliseconds(ttl, "ttl"), serialized_value]
        if replace:
            args.append(PureToken.REPLACE)
        if absttl:
            args.append(PureToken.ABSTTL)
        if idletime is not None and freq is not None:
            raise DataError("idletime and freq are mutually exclusive")
        if idletime is not None:
            args += [b"IDLETIME", int_to_seconds(idletime, "idletime")]
        if freq is not None:
            args += [b"FREQ", freq]
        return await self.execute_command(b"RESTORE", *args, callback=ok)

    async def scan(
        self,
        cursor: int | None = 0,
        match: StringT | None = None,
        count: int | None = None,
        type_: StringT | None = None,
    ) -> tuple[int, tuple[AnyStr_co, ...]]:
        """Iterate the keys of the database. https://redis.io/commands/scan

        :return: the next cursor (0 when done) and a batch of keys.
        """
        args: list[ValueT] = [cursor or 0]
        args += scan_options(match, count)
        if type_ is not None:
            args += [PureToken.TYPE, type_]
        return await self.execute_command(b"SCAN", *args, callback=scan_keys)

    async def scan_iter(
        self,
        match: StringT | None = None,
        count: int | None = None,
        type_: StringT | None = None,
    ) -> AsyncIterator[AnyStr_co]:
        """Iterate over every key with ``SCAN`` (a key may be yielded more than once).

        Each step is one ``scan`` call; leaving the loop early stops the iteration.

        Cancelling it during a step discards that step's reply (closing an unshared connection).
        """
        cursor: int | None = None
        while cursor != 0:
            cursor, keys = await self.scan(cursor or 0, match, count, type_)
            for key in keys:
                yield key

    async def sort(
        self,
        key: KeyT,
        gets: Parameters[KeyT] | None = None,
        by: StringT | None = None,
        offset: int | None = None,
        count: int | None = None,
        order: Literal[PureToken.ASC, PureToken.DESC] | None = None,
        alpha: bool | None = None,
        store: KeyT | None = None,
    ) -> tuple[AnyStr_co, ...] | int:
        """Sort a list, set or sorted set. https://redis.io/commands/sort

        :return: the sorted elements, or with ``store`` the number stored.
        :raises DataError: when only one of ``offset``/``count`` is given.
        """
        args = _sort_args(key, gets, by, offset, count, order, alpha)
        if store is not None:
            args += [PureToken.STORE, store]
        return await self.execute_command(
            b"SORT", *args, callback=_sort_reply, store=store is not None
        )

    async def sort_ro(
        self,
        key: KeyT,
        gets: Parameters[KeyT] | None = None,
        by: StringT | None = None,
        offset: int | None = None,
        count: int | None = None,
        order: Literal[PureToken.ASC, PureToken.DESC] | None = None,
        alpha: bool | None = None,
    ) -> tuple[AnyStr_co, ...]:
        """Sort a list, set or sorted set (read-only variant). https://redis.io/commands/sort_ro

        :return: the sorted elements.
        :raises DataError: when only one of ``offset``/``count`` is given.

        .. versionadded:: 7.0.0
        """
        args = _sort_args(key, gets, by, offset, count, order, alpha)
        return await self.execute_command(b"SORT_RO", *args, callback=to_tuple)

    async def touch(self, keys: Parameters[KeyT]) -> int:
        """Update the last access time of keys. https://redis.io/commands/touch

        :return: the number of keys touched.
        """
        reply: int = await self.execute_command(b"TOUCH", *as_list(keys, "keys"))
        return reply

    async def ttl(self, key: KeyT) -> int:
        """Get a key's time to live in seconds. https://redis.io/commands/ttl

        :return: seconds left, ``-1`` without expiry, ``-2`` for a missing key.
        """
        reply: int = await self.execute_command(b"TTL", key)
        return reply

    async def type(self, key: KeyT) -> AnyStr_co | None:
        """Get the type of a key. https://redis.io/commands/type

        :return: ``string``, ``list``, ``set``, ``zset``, ``hash``, ``stream``, or ``none``.
        """
        reply: AnyStr_co | None = await self.execute_command(b"TYPE", key)
        return reply

    async def unlink(self, keys: Parameters[KeyT]) -> int:
        """Delete keys, reclaiming memory in the background. https://redis.io/commands/unlink

        :return: the number of keys removed.
        """
        reply: int = await self.execute_command(b"UNLINK", *as_list(keys, "keys"))
        return reply

    async def wait(self, numreplicas: int, timeout: int) -> int:
        """Wait for replicas to acknowledge previous writes. https://redis.io/commands/wait

        ``timeout`` is in milliseconds (0 waits forever).

        :return: the number of replicas that acknowledged.
        """
        reply: int = await self.execute_command(b"WAIT", numreplicas, timeout)
        return reply
