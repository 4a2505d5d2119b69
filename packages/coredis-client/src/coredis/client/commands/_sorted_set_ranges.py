"""Sorted-set range queries: by rank, score or lexicographical order, and ``ZRANGESTORE``.

Part of :class:`~coredis.client.commands.SortedSetCommands` (``_sorted_set.py``).
"""

from __future__ import annotations

from typing import Literal, overload

from coredis.exceptions import DataError

from .._callbacks import (
    members_or_scored,
    to_tuple,
)
from .._tokens import PureToken
from .._typing import KeyT, StringT, ValueT
from ..response_types import ScoredMember
from ._base import AnyStr_co, CommandMixin
from ._checks import MutuallyInclusiveParametersMissing

__all__ = ("SortedSetRangeCommands",)


def _limit_args(offset: int | None, count: int | None) -> list[ValueT]:
    if offset is None and count is None:
        return []
    if offset is None or count is None:
        # 4.x's check and exception type (a DataError too)
        raise MutuallyInclusiveParametersMissing(["offset", "count"])
    return [PureToken.LIMIT, offset, count]


def _range_args(
    min_: ValueT,
    max_: ValueT,
    sortby: Literal[PureToken.BYSCORE, PureToken.BYLEX] | None,
    rev: bool | None,
    offset: int | None,
    count: int | None,
) -> list[ValueT]:
    args: list[ValueT] = [min_, max_]
    if sortby is not None:
        args.append(sortby)
    if rev:
        args.append(PureToken.REV)
    limit = _limit_args(offset, count)
    if limit and sortby is None:
        raise DataError("offset/count need sortby=BYSCORE or BYLEX")
    return args + limit


class SortedSetRangeCommands(CommandMixin[AnyStr_co]):
    """Sorted-set range queries: by rank, score or lexicographical order, and ``ZRANGESTORE``."""

    @overload
    async def zrange(
        self,
        key: KeyT,
        min_: int | ValueT,
        max_: int | ValueT,
        sortby: Literal[PureToken.BYSCORE, PureToken.BYLEX] | None = ...,
        rev: bool | None = ...,
        offset: int | None = ...,
        count: int | None = ...,
        withscores: Literal[False] | None = ...,
    ) -> tuple[AnyStr_co, ...]: ...

    @overload
    async def zrange(
        self,
        key: KeyT,
        min_: int | ValueT,
        max_: int | ValueT,
        sortby: Literal[PureToken.BYSCORE, PureToken.BYLEX] | None = ...,
        rev: bool | None = ...,
        offset: int | None = ...,
        count: int | None = ...,
        *,
        withscores: Literal[True],
    ) -> tuple[ScoredMember, ...]: ...

    @overload
    async def zrange(
        self,
        key: KeyT,
        min_: int | ValueT,
        max_: int | ValueT,
        sortby: Literal[PureToken.BYSCORE, PureToken.BYLEX] | None = ...,
        rev: bool | None = ...,
        offset: int | None = ...,
        count: int | None = ...,
        withscores: bool | None = ...,
    ) -> tuple[AnyStr_co | ScoredMember, ...]: ...

    async def zrange(
        self,
        key: KeyT,
        min_: int | ValueT,
        max_: int | ValueT,
        sortby: Literal[PureToken.BYSCORE, PureToken.BYLEX] | None = None,
        rev: bool | None = None,
        offset: int | None = None,
        count: int | None = None,
        withscores: bool | None = None,
    ) -> tuple[AnyStr_co | ScoredMember, ...]:
        """Get a range of members by rank, score or lexicographical order. https://redis.io/commands/zrange

        :return: the members (with scores when ``withscores``).
        :raises DataError: when only one of ``offset``/``count`` is given, or they are given
         without ``sortby``.
        """
        args: list[ValueT] = [key, *_range_args(min_, max_, sortby, rev, offset, count)]
        if withscores:
            args.append(PureToken.WITHSCORES)
        return await self.execute_command(
            b"ZRANGE", *args, callback=members_or_scored, withscores=bool(withscores)
        )

    async def zrangebylex(
        self,
        key: KeyT,
        min_: ValueT,
        max_: ValueT,
        offset: int | None = None,
        count: int | None = None,
    ) -> tuple[AnyStr_co, ...]:
        """Get members in a lexicographical range. https://redis.io/commands/zrangebylex

        :return: the members.
        :raises DataError: when only one of ``offset``/``count`` is given.
        """
        args: list[ValueT] = [key, min_, max_, *_limit_args(offset, count)]
        return await self.execute_command(b"ZRANGEBYLEX", *args, callback=to_tuple)

    @overload
    async def zrangebyscore(
        self,
        key: KeyT,
        min_: int | float | StringT,
        max_: int | float | StringT,
        withscores: Literal[False] | None = ...,
        offset: int | None = ...,
        count: int | None = ...,
    ) -> tuple[AnyStr_co, ...]: ...

    @overload
    async def zrangebyscore(
        self,
        key: KeyT,
        min_: int | float | StringT,
        max_: int | float | StringT,
        *,
        withscores: Literal[True],
        offset: int | None = ...,
        count: int | None = ...,
    ) -> tuple[ScoredMember, ...]: ...

    @overload
    async def zrangebyscore(
        self,
        key: KeyT,
        min_: int | float | StringT,
        max_: int | float | StringT,
        withscores: bool | None = ...,
        offset: int | None = ...,
        count: int | None = ...,
    ) -> tuple[AnyStr_co | ScoredMember, ...]: ...

    async def zrangebyscore(
        self,
        key: KeyT,
        min_: int | float | StringT,
        max_: int | float | StringT,
        withscores: bool | None = None,
        offset: int | None = None,
        count: int | None = None,
    ) -> tuple[AnyStr_co | ScoredMember, ...]:
        """Get members in a score range. https://redis.io/commands/zrangebyscore

        :return: the members (with scores when ``withscores``).
        :raises DataError: when only one of ``offset``/``count`` is given.
        """
        args: list[ValueT] = [key, min_, max_]
        if withscores:
            args.append(PureToken.WITHSCORES)
        args += _limit_args(offset, count)
        return await self.execute_command(
            b"ZRANGEBYSCORE", *args, callback=members_or_scored, withscores=bool(withscores)
        )

    async def zrangestore(
        self,
        dst: KeyT,
        src: KeyT,
        min_: int | ValueT,
        max_: int | ValueT,
        sortby: Literal[PureToken.BYSCORE, PureToken.BYLEX] | None = None,
        rev: bool | None = None,
        offset: int | None = None,
        count: int | None = None,
    ) -> int:
        """Store a range of members in another key. https://redis.io/commands/zrangestore

        :return: the number of members stored.
        :raises DataError: as :meth:`zrange`.

        .. versionadded:: 6.2.0
        """
        args = _range_args(min_, max_, sortby, rev, offset, count)
        reply: int = await self.execute_command(b"ZRANGESTORE", dst, src, *args)
        return reply

    @overload
    async def zrevrange(
        self,
        key: KeyT,
        start: int,
        stop: int,
        withscores: Literal[False] | None = ...,
    ) -> tuple[AnyStr_co, ...]: ...

    @overload
    async def zrevrange(
        self,
        key: KeyT,
        start: int,
        stop: int,
        *,
        withscores: Literal[True],
    ) -> tuple[ScoredMember, ...]: ...

    @overload
    async def zrevrange(
        self,
        key: KeyT,
        start: int,
        stop: int,
        withscores: bool | None = ...,
    ) -> tuple[AnyStr_co | ScoredMember, ...]: ...

    async def zrevrange(
        self, key: KeyT, start: int, stop: int, withscores: bool | None = None
    ) -> tuple[AnyStr_co | ScoredMember, ...]:
        """Get a range of members by rank, highest score first. https://redis.io/commands/zrevrange

        :return: the members (with scores when ``withscores``).
        """
        args: list[ValueT] = [key, start, stop]
        if withscores:
            args.append(PureToken.WITHSCORES)
        return await self.execute_command(
            b"ZREVRANGE", *args, callback=members_or_scored, withscores=bool(withscores)
        )

    async def zrevrangebylex(
        self,
        key: KeyT,
        max_: ValueT,
        min_: ValueT,
        offset: int | None = None,
        count: int | None = None,
    ) -> tuple[AnyStr_co, ...]:
        """Get members in a lexicographical range, in reverse. https://redis.io/commands/zrevrangebylex

        :return: the members.
        :raises DataError: when only one of ``offset``/``count`` is given.
        """
        args: list[ValueT] = [key, max_, min_, *_limit_args(offset, count)]
        return await self.execute_command(b"ZREVRANGEBYLEX", *args, callback=to_tuple)

    @overload
    async def zrevrangebyscore(
        self,
        key: KeyT,
        max_: int | float | StringT,
        min_: int | float | StringT,
        withscores: Literal[False] | None = ...,
        offset: int | None = ...,
        count: int | None = ...,
    ) -> tuple[AnyStr_co, ...]: ...

    @overload
    async def zrevrangebyscore(
        self,
        key: KeyT,
        max_: int | float | StringT,
        min_: int | float | StringT,
        *,
        withscores: Literal[True],
        offset: int | None = ...,
        count: int | None = ...,
    ) -> tuple[ScoredMember, ...]: ...

    @overload
    async def zrevrangebyscore(
        self,
        key: KeyT,
        max_: int | float | StringT,
        min_: int | float | StringT,
        withscores: bool | None = ...,
        offset: int | None = ...,
        count: int | None = ...,
    ) -> tuple[AnyStr_co | ScoredMember, ...]: ...

    async def zrevrangebyscore(
        self,
        key: KeyT,
        max_: int | float | StringT,
        min_: int | float | StringT,
        withscores: bool | None = None,
        offset: int | None = None,
        count: int | None = None,
    ) -> tuple[AnyStr_co | ScoredMember, ...]:
        """Get members in a score range, highest first. https://redis.io/commands/zrevrangebyscore

        :return: the members (with scores when ``withscores``).
        :raises DataError: when only one of ``offset``/``count`` is given.
        """
        args: list[ValueT] = [key, max_, min_]
        if withscores:
            args.append(PureToken.WITHSCORES)
        args += _limit_args(offset, count)
        return await self.execute_command(
            b"ZREVRANGEBYSCORE", *args, callback=members_or_scored, withscores=bool(withscores)
        )
