"""Redis hash commands, plus ``hscan_iter``.

``.. versionadded::`` gives the Redis version that introduced a command.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

from .._arguments import as_list, flatten_pairs, scan_options
from .._callbacks import boolean, ok, pairs, to_dict, to_float, to_tuple
from .._tokens import PureToken
from .._typing import KeyT, Parameters, ResponseType, StringT, ValueT
from ._base import AnyStr_co, CommandMixin

__all__ = ("HashCommands",)


def _hrandfield_reply(
    response: Any, **options: Any
) -> dict[Any, Any] | tuple[Any, ...] | ResponseType:
    if options.get("withvalues"):
        return dict(pairs(response))
    if options.get("count") is not None:
        return tuple(response)
    return response


def _hscan_reply(response: Any, **options: Any) -> tuple[int, dict[Any, Any]]:
    return int(response[0]), to_dict(response[1])


class HashCommands(CommandMixin[AnyStr_co]):
    """The hash command group."""

    async def hdel(self, key: KeyT, fields: Parameters[StringT]) -> int:
        """Delete fields of a hash. https://redis.io/commands/hdel

        :return: the number of fields removed.
        :raises DataError: when ``fields`` is a single string instead of an iterable.
        """
        reply: int = await self.execute_command(b"HDEL", key, *as_list(fields, "fields"))
        return reply

    async def hexists(self, key: KeyT, field: StringT) -> bool:
        """Check whether a hash field exists. https://redis.io/commands/hexists

        :return: whether the field exists.
        """
        return await self.execute_command(b"HEXISTS", key, field, callback=boolean)

    async def hget(self, key: KeyT, field: StringT) -> AnyStr_co | None:
        """Get the value of a hash field. https://redis.io/commands/hget

        :return: the value, or ``None`` when the field or key does not exist.
        """
        reply: AnyStr_co | None = await self.execute_command(b"HGET", key, field)
        return reply

    async def hgetall(self, key: KeyT) -> dict[AnyStr_co, AnyStr_co]:
        """Get every field and value of a hash. https://redis.io/commands/hgetall

        :return: the hash as a ``dict`` (empty for a missing key).
        """
        return await self.execute_command(b"HGETALL", key, callback=to_dict)

    async def hincrby(self, key: KeyT, field: StringT, increment: int) -> int:
        """Increment the integer value of a hash field. https://redis.io/commands/hincrby

        :return: the value after the increment.
        """
        reply: int = await self.execute_command(b"HINCRBY", key, field, increment)
        return reply

    async def hincrbyfloat(self, key: KeyT, field: StringT, increment: int | float) -> float:
        """Increment the float value of a hash field. https://redis.io/commands/hincrbyfloat

        :return: the value after the increment.
        """
        return await self.execute_command(b"HINCRBYFLOAT", key, field, increment, callback=to_float)

    async def hkeys(self, key: KeyT) -> tuple[AnyStr_co, ...]:
        """Get the fields of a hash. https://redis.io/commands/hkeys

        :return: the field names.
        """
        return await self.execute_command(b"HKEYS", key, callback=to_tuple)

    async def hlen(self, key: KeyT) -> int:
        """Get the number of fields of a hash. https://redis.io/commands/hlen

        :return: the number of fields.
        """
        reply: int = await self.execute_command(b"HLEN", key)
        return reply

    async def hmget(self, key: KeyT, fields: Parameters[StringT]) -> tuple[AnyStr_co | None, ...]:
        """Get the values of several hash fields. https://redis.io/commands/hmget

        :return: the values in the order of ``fields`` (``None`` for missing ones).
        :raises DataError: when ``fields`` is a single string instead of an iterable.
        """
        return await self.execute_command(
            b"HMGET", key, *as_list(fields, "fields"), callback=to_tuple
        )

    async def hmset(self, key: KeyT, field_values: Mapping[StringT, ValueT]) -> bool:
        """Set several hash fields (deprecated: use ``hset``). https://redis.io/commands/hmset

        :return: ``True``.
        :raises DataError: when ``field_values`` is not a mapping.
        """
        return await self.execute_command(
            b"HMSET", key, *flatten_pairs(field_values, "field_values"), callback=ok
        )

    async def hrandfield(
        self,
        key: KeyT,
        *,
        count: int | None = None,
        withvalues: bool | None = None,
    ) -> AnyStr_co | tuple[AnyStr_co, ...] | dict[AnyStr_co, AnyStr_co] | None:
        """Get random fields of a hash. https://redis.io/commands/hrandfield

        :return: one field (``None`` for a missing key) without ``count``; a tuple of fields
         with ``count``; a ``dict`` of fields and values with ``withvalues``.

        .. versionadded:: 6.2.0
        """
        args: list[ValueT] = [key]
        if count is not None:
            args.append(count)
            if withvalues:
                args.append(PureToken.WITHVALUES)
        elif withvalues:
            args += [1, PureToken.WITHVALUES]
        return await self.execute_command(
            b"HRANDFIELD",
            *args,
            callback=_hrandfield_reply,
            count=count,
            withvalues=bool(withvalues),
        )

    async def hscan(
        self,
        key: KeyT,
        cursor: int | None = 0,
        match: StringT | None = None,
        count: int | None = None,
    ) -> tuple[int, dict[AnyStr_co, AnyStr_co]]:
        """Iterate the fields of a hash. https://redis.io/commands/hscan

        :return: the next cursor (0 when done) and a batch of fields with their values.
        """
        args: list[ValueT] = [key, cursor or 0]
        args += scan_options(match, count)
        return await self.execute_command(b"HSCAN", *args, callback=_hscan_reply)

    async def hscan_iter(
        self, key: KeyT, match: StringT | None = None, count: int | None = None
    ) -> AsyncIterator[tuple[AnyStr_co, AnyStr_co]]:
        """Iterate over the ``(field, value)`` pairs of a hash with ``HSCAN``.

        Each step is one ``hscan`` call; a field may be yielded more than once.

        Cancelling it during a step discards that step's reply (closing an unshared connection).
        """
        cursor: int | None = None
        while cursor != 0:
            cursor, data = await self.hscan(key, cursor or 0, match, count)
            for item in data.items():
                yield item

    async def hset(self, key: KeyT, field_values: Mapping[StringT, ValueT]) -> int:
        """Set hash fields. https://redis.io/commands/hset

        :return: the number of fields that were added (not updated).
        :raises DataError: when ``field_values`` is not a mapping.
        """
        reply: int = await self.execute_command(
            b"HSET", key, *flatten_pairs(field_values, "field_values")
        )
        return reply

    async def hsetnx(self, key: KeyT, field: StringT, value: ValueT) -> bool:
        """Set a hash field only if it does not exist. https://redis.io/commands/hsetnx

        :return: whether the field was set.
        """
        return await self.execute_command(b"HSETNX", key, field, value, callback=boolean)

    async def hstrlen(self, key: KeyT, field: StringT) -> int:
        """Get the length of a hash field's value. https://redis.io/commands/hstrlen

        :return: the length (0 when missing).
        """
        reply: int = await self.execute_command(b"HSTRLEN", key, field)
        return reply

    async def hvals(self, key: KeyT) -> tuple[AnyStr_co, ...]:
        """Get the values of a hash. https://redis.io/commands/hvals

        :return: the values.
        """
        return await self.execute_command(b"HVALS", key, callback=to_tuple)
