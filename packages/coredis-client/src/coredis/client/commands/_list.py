"""Redis list commands.

Cancelling a blocking pop may lose an element the server already popped.
Blocking commands wait up to ``timeout`` seconds (0: forever); a client ``stream_timeout``
shorter than that raises :class:`~coredis.exceptions.TimeoutError` first.
``.. versionadded::`` gives the Redis version that introduced a command.
"""

from __future__ import annotations

from typing import Any, Literal, overload

from .._arguments import as_list
from .._callbacks import ok
from .._tokens import PureToken
from .._typing import KeyT, Parameters, ResponseType, ValueT
from ._base import AnyStr_co, CommandMixin

__all__ = ("ListCommands",)

_Side = Literal[PureToken.LEFT, PureToken.RIGHT]


def _optional_list(response: Any, **options: Any) -> list[Any] | None:
    return None if response is None else list(response)


def _mpop_reply(response: Any, **options: Any) -> list[Any] | None:
    # [key, [elements]] → [key, [elements]] (kept as the 4.x list shape).
    if response is None:
        return None
    return [response[0], list(response[1])]


def _pop_reply(response: Any, **options: Any) -> list[Any] | ResponseType:
    if options.get("count") is not None and response is not None:
        return list(response)
    return response


def _mpop_args(keys: Parameters[KeyT], where: _Side, count: int | None) -> list[ValueT]:
    key_list = as_list(keys, "keys")
    args: list[ValueT] = [len(key_list), *key_list, where]
    if count is not None:
        args += [PureToken.COUNT, count]
    return args


class ListCommands(CommandMixin[AnyStr_co]):
    """The list command group."""

    async def blmove(
        self,
        source: KeyT,
        destination: KeyT,
        wherefrom: _Side,
        whereto: _Side,
        timeout: int | float,
    ) -> AnyStr_co | None:
        """Pop an element, push it to another list; block until one is available. https://redis.io/commands/blmove

        :return: the element moved, or ``None`` on timeout.

        .. versionadded:: 6.2.0
        """
        reply: AnyStr_co | None = await self.execute_command(
            b"BLMOVE", source, destination, wherefrom, whereto, timeout
        )
        return reply

    async def blmpop(
        self,
        keys: Parameters[KeyT],
        timeout: int | float,
        where: _Side,
        count: int | None = None,
    ) -> list[Any] | None:
        """Pop elements from the first non-empty list, blocking. https://redis.io/commands/blmpop

        :return: ``[key, [elements]]``, or ``None`` on timeout.

        .. versionadded:: 7.0.0
        """
        return await self.execute_command(
            b"BLMPOP", timeout, *_mpop_args(keys, where, count), callback=_mpop_reply
        )

    async def blpop(self, keys: Parameters[KeyT], timeout: int | float) -> list[AnyStr_co] | None:
        """Pop the first element of the first non-empty list, blocking. https://redis.io/commands/blpop

        :return: ``[key, element]``, or ``None`` on timeout.
        """
        return await self.execute_command(
            b"BLPOP", *as_list(keys, "keys"), timeout, callback=_optional_list
        )

    async def brpop(self, keys: Parameters[KeyT], timeout: int | float) -> list[AnyStr_co] | None:
        """Pop the last element of the first non-empty list, blocking. https://redis.io/commands/brpop

        :return: ``[key, element]``, or ``None`` on timeout.
        """
        return await self.execute_command(
            b"BRPOP", *as_list(keys, "keys"), timeout, callback=_optional_list
        )

    async def brpoplpush(
        self, source: KeyT, destination: KeyT, timeout: int | float
    ) -> AnyStr_co | None:
        """Pop the last element, push it to another list, blocking. https://redis.io/commands/brpoplpush

        :return: the element moved, or ``None`` on timeout.
        """
        reply: AnyStr_co | None = await self.execute_command(
            b"BRPOPLPUSH", source, destination, timeout
        )
        return reply

    async def lindex(self, key: KeyT, index: int) -> AnyStr_co | None:
        """Get an element by index. https://redis.io/commands/lindex

        :return: the element, or ``None`` when out of range.
        """
        reply: AnyStr_co | None = await self.execute_command(b"LINDEX", key, index)
        return reply

    async def linsert(
        self,
        key: KeyT,
        where: Literal[PureToken.AFTER, PureToken.BEFORE],
        pivot: ValueT,
        element: ValueT,
    ) -> int:
        """Insert an element before or after another. https://redis.io/commands/linsert

        :return: the list length after the insert, ``-1`` when ``pivot`` was not found,
         ``0`` for a missing key.
        """
        reply: int = await self.execute_command(b"LINSERT", key, where, pivot, element)
        return reply

    async def llen(self, key: KeyT) -> int:
        """Get the length of a list. https://redis.io/commands/llen

        :return: the length (0 for a missing key).
        """
        reply: int = await self.execute_command(b"LLEN", key)
        return reply

    async def lmove(
        self, source: KeyT, destination: KeyT, wherefrom: _Side, whereto: _Side
    ) -> AnyStr_co | None:
        """Pop an element and push it to another list. https://redis.io/commands/lmove

        :return: the element moved, or ``None`` when ``source`` is empty.

        .. versionadded:: 6.2.0
        """
        reply: AnyStr_co | None = await self.execute_command(
            b"LMOVE", source, destination, wherefrom, whereto
        )
        return reply

    async def lmpop(
        self, keys: Parameters[KeyT], where: _Side, count: int | None = None
    ) -> list[Any] | None:
        """Pop elements from the first non-empty list. https://redis.io/commands/lmpop

        :return: ``[key, [elements]]``, or ``None`` when every list is empty.

        .. versionadded:: 7.0.0
        """
        return await self.execute_command(
            b"LMPOP", *_mpop_args(keys, where, count), callback=_mpop_reply
        )

    @overload
    async def lpop(self, key: KeyT) -> AnyStr_co | None: ...
    @overload
    async def lpop(self, key: KeyT, count: int) -> list[AnyStr_co] | None: ...
    @overload
    async def lpop(
        self, key: KeyT, count: int | None = ...
    ) -> AnyStr_co | list[AnyStr_co] | None: ...
    async def lpop(self, key: KeyT, count: int | None = None) -> AnyStr_co | list[AnyStr_co] | None:
        """Pop elements from the head of a list. https://redis.io/commands/lpop

        :return: one element without ``count``, a list with it; ``None`` for a missing key.
        """
        if count is None:
            reply: AnyStr_co | list[AnyStr_co] | None = await self.execute_command(b"LPOP", key)
            return reply
        return await self.execute_command(b"LPOP", key, count, callback=_pop_reply, count=count)

    async def lpos(
        self,
        key: KeyT,
        element: ValueT,
        rank: int | None = None,
        count: int | None = None,
        maxlen: int | None = None,
    ) -> int | list[int] | None:
        """Find the index of matching elements. https://redis.io/commands/lpos

        :return: the first index (``None`` if absent) without ``count``; a list of indices
         with it.

        .. versionadded:: 6.0.6
        """
        args: list[ValueT] = [key, element]
        if rank is not None:
            args += [b"RANK", rank]
        if count is not None:
            args += [PureToken.COUNT, count]
        if maxlen is not None:
            args += [PureToken.MAXLEN, maxlen]
        return await self.execute_command(b"LPOS", *args, callback=_pop_reply, count=count)

    async def lpush(self, key: KeyT, elements: Parameters[ValueT]) -> int:
        """Prepend elements to a list. https://redis.io/commands/lpush

        :return: the list length after the push.
        :raises DataError: when ``elements`` is a single string instead of an iterable.
        """
        reply: int = await self.execute_command(b"LPUSH", key, *as_list(elements, "elements"))
        return reply

    async def lpushx(self, key: KeyT, elements: Parameters[ValueT]) -> int:
        """Prepend elements to an existing list. https://redis.io/commands/lpushx

        :return: the list length after the push (0: the key did not exist).
        :raises DataError: when ``elements`` is a single string instead of an iterable.
        """
        reply: int = await self.execute_command(b"LPUSHX", key, *as_list(elements, "elements"))
        return reply

    async def lrange(self, key: KeyT, start: int, stop: int) -> list[AnyStr_co]:
        """Get a range of elements (inclusive). https://redis.io/commands/lrange

        :return: the elements.
        """
        reply: list[AnyStr_co] = await self.execute_command(b"LRANGE", key, start, stop)
        return reply

    async def lrem(self, key: KeyT, count: int, element: ValueT) -> int:
        """Remove matching elements. https://redis.io/commands/lrem

        :return: the number of elements removed.
        """
        reply: int = await self.execute_command(b"LREM", key, count, element)
        return reply

    async def lset(self, key: KeyT, index: int, element: ValueT) -> bool:
        """Set an element by index. https://redis.io/commands/lset

        :return: ``True``.
        """
        return await self.execute_command(b"LSET", key, index, element, callback=ok)

    async def ltrim(self, key: KeyT, start: int, stop: int) -> bool:
        """Trim a list to a range. https://redis.io/commands/ltrim

        :return: ``True``.
        """
        return await self.execute_command(b"LTRIM", key, start, stop, callback=ok)

    @overload
    async def rpop(self, key: KeyT) -> AnyStr_co | None: ...
    @overload
    async def rpop(self, key: KeyT, count: int) -> list[AnyStr_co] | None: ...
    @overload
    async def rpop(
        self, key: KeyT, count: int | None = ...
    ) -> AnyStr_co | list[AnyStr_co] | None: ...
    async def rpop(self, key: KeyT, count: int | None = None) -> AnyStr_co | list[AnyStr_co] | None:
        """Pop elements from the tail of a list. https://redis.io/commands/rpop

        :return: one element without ``count``, a list with it; ``None`` for a missing key.
        """
        if count is None:
            reply: AnyStr_co | list[AnyStr_co] | None = await self.execute_command(b"RPOP", key)
            return reply
        return await self.execute_command(b"RPOP", key, count, callback=_pop_reply, count=count)

    async def rpoplpush(self, source: KeyT, destination: KeyT) -> AnyStr_co | None:
        """Pop the last element and push it to another list. https://redis.io/commands/rpoplpush

        :return: the element moved, or ``None`` when ``source`` is empty.
        """
        reply: AnyStr_co | None = await self.execute_command(b"RPOPLPUSH", source, destination)
        return reply

    async def rpush(self, key: KeyT, elements: Parameters[ValueT]) -> int:
        """Append elements to a list. https://redis.io/commands/rpush

        :return: the list length after the push.
        :raises DataError: when ``elements`` is a single string instead of an iterable.
        """
        reply: int = await self.execute_command(b"RPUSH", key, *as_list(elements, "elements"))
        return reply

    async def rpushx(self, key: KeyT, elements: Parameters[ValueT]) -> int:
        """Append elements to an existing list. https://redis.io/commands/rpushx

        :return: the list length after the push (0: the key did not exist).
        :raises DataError: when ``elements`` is a single string instead of an iterable.
        """
        reply: int = await self.execute_command(b"RPUSHX", key, *as_list(elements, "elements"))
        return reply
