"""Sorted-set members: add, remove, score, rank, count, random picks and ``ZSCAN``.

Part of :class:`~coredis.client.commands.SortedSetCommands` (``_sorted_set.py``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any, Literal

from coredis.exceptions import DataError

from .._arguments import as_list, scan_options
from .._callbacks import (
    float_tuple,
    optional_float,
    pairs,
    scored_members,
    to_float,
)
from .._tokens import PureToken
from .._typing import KeyT, Parameters, ResponseType, StringT, ValueT
from ..response_types import ScoredMember
from ._base import AnyStr_co, CommandMixin

__all__ = ("SortedSetMemberCommands",)


def _zadd_reply(response: Any, **options: Any) -> float | ResponseType | None:
    if options.get("increment"):
        return optional_float(response)
    return response


def _zrandmember_reply(
    response: Any, **options: Any
) -> tuple[ScoredMember, ...] | list[Any] | ResponseType:
    if options.get("withscores"):
        return scored_members(response)
    if options.get("count") is not None:
        return list(response) if response is not None else []
    return response


def _zscan_reply(response: Any, **options: Any) -> tuple[int, tuple[ScoredMember, ...]]:
    return int(response[0]), tuple(ScoredMember(m, float(s)) for m, s in pairs(response[1]))


class SortedSetMemberCommands(CommandMixin[AnyStr_co]):
    """Sorted-set members: add, remove, score, rank, count, random picks and ``ZSCAN``."""

    async def zadd(
        self,
        key: KeyT,
        member_scores: Mapping[StringT, float],
        condition: Literal[PureToken.NX, PureToken.XX] | None = None,
        comparison: Literal[PureToken.GT, PureToken.LT] | None = None,
        change: bool | None = None,
        increment: bool | None = None,
    ) -> int | float | None:
        """Add members or update their scores. https://redis.io/commands/zadd

        :return: the number of members added (changed, with ``change``); with ``increment``
         the new score, or ``None`` when a condition refused it.
        :raises DataError: when ``member_scores`` is not a mapping, or ``increment`` is
         given with more than one member.
        """
        if not hasattr(member_scores, "items"):
            raise DataError("member_scores must be a mapping of member to score")
        args: list[ValueT] = [key]
        if condition is not None:
            args.append(condition)
        if comparison is not None:
            args.append(comparison)
        if change:
            args.append(PureToken.CH)
        if increment:
            if len(member_scores) != 1:
                raise DataError("increment needs exactly one member")
            args.append(PureToken.INCR)
        for member, score in member_scores.items():
            args += [score, member]
        return await self.execute_command(
            b"ZADD", *args, callback=_zadd_reply, increment=bool(increment)
        )

    async def zcard(self, key: KeyT) -> int:
        """Get the number of members of a sorted set. https://redis.io/commands/zcard

        :return: the cardinality (0 for a missing key).
        """
        reply: int = await self.execute_command(b"ZCARD", key)
        return reply

    async def zcount(self, key: KeyT, min_: ValueT, max_: ValueT) -> int:
        """Count the members with a score in a range. https://redis.io/commands/zcount

        :return: the number of members with ``min_ <= score <= max_`` (``(`` excludes).
        """
        reply: int = await self.execute_command(b"ZCOUNT", key, min_, max_)
        return reply

    async def zincrby(self, key: KeyT, member: ValueT, increment: int | float) -> float:
        """Increment the score of a member. https://redis.io/commands/zincrby

        :return: the new score.
        """
        return await self.execute_command(b"ZINCRBY", key, increment, member, callback=to_float)

    async def zlexcount(self, key: KeyT, min_: ValueT, max_: ValueT) -> int:
        """Count the members in a lexicographical range. https://redis.io/commands/zlexcount

        :return: the number of members between ``min_`` and ``max_`` (``[a``, ``(a``, ``-``, ``+``).
        """
        reply: int = await self.execute_command(b"ZLEXCOUNT", key, min_, max_)
        return reply

    async def zmscore(self, key: KeyT, members: Parameters[ValueT]) -> tuple[float | None, ...]:
        """Get the scores of several members. https://redis.io/commands/zmscore

        :return: one score per member (``None`` for missing members).
        :raises DataError: when ``members`` is empty.

        .. versionadded:: 6.2.0
        """
        member_list = as_list(members, "members")
        if not member_list:  # as 4.x: refused here rather than by the server
            raise DataError("ZMSCORE members must be a non-empty list")
        return await self.execute_command(b"ZMSCORE", key, *member_list, callback=float_tuple)

    async def zrandmember(
        self, key: KeyT, count: int | None = None, withscores: bool | None = None
    ) -> AnyStr_co | list[AnyStr_co] | tuple[ScoredMember, ...] | None:
        """Get random members. https://redis.io/commands/zrandmember

        :return: one member (``None`` for a missing key) without ``count``; a list with it;
         a tuple of :class:`ScoredMember` with ``withscores``.
        :raises DataError: when ``withscores`` is given without ``count``.

        .. versionadded:: 6.2.0
        """
        args: list[ValueT] = [key]
        if count is not None:
            args.append(count)
            if withscores:
                args.append(PureToken.WITHSCORES)
        elif withscores:
            raise DataError("withscores needs count")
        return await self.execute_command(
            b"ZRANDMEMBER",
            *args,
            callback=_zrandmember_reply,
            count=count,
            withscores=bool(withscores),
        )

    async def zrank(self, key: KeyT, member: ValueT) -> int | None:
        """Get the rank of a member (lowest score first). https://redis.io/commands/zrank

        :return: the 0-based rank, or ``None`` when the member is missing.
        """
        reply: int | None = await self.execute_command(b"ZRANK", key, member)
        return reply

    async def zrem(self, key: KeyT, members: Parameters[ValueT]) -> int:
        """Remove members. https://redis.io/commands/zrem

        :return: the number of members removed.
        """
        reply: int = await self.execute_command(b"ZREM", key, *as_list(members, "members"))
        return reply

    async def zremrangebylex(self, key: KeyT, min_: ValueT, max_: ValueT) -> int:
        """Remove the members in a lexicographical range. https://redis.io/commands/zremrangebylex

        :return: the number of members removed.
        """
        reply: int = await self.execute_command(b"ZREMRANGEBYLEX", key, min_, max_)
        return reply

    async def zremrangebyrank(self, key: KeyT, start: int, stop: int) -> int:
        """Remove the members in a rank range. https://redis.io/commands/zremrangebyrank

        :return: the number of members removed.
        """
        reply: int = await self.execute_command(b"ZREMRANGEBYRANK", key, start, stop)
        return reply

    async def zremrangebyscore(
        self, key: KeyT, min_: int | float | StringT, max_: int | float | StringT
    ) -> int:
        """Remove the members in a score range. https://redis.io/commands/zremrangebyscore

        :return: the number of members removed.
        """
        reply: int = await self.execute_command(b"ZREMRANGEBYSCORE", key, min_, max_)
        return reply

    async def zrevrank(self, key: KeyT, member: ValueT) -> int | None:
        """Get the rank of a member, highest score first. https://redis.io/commands/zrevrank

        :return: the 0-based rank, or ``None`` when the member is missing.
        """
        reply: int | None = await self.execute_command(b"ZREVRANK", key, member)
        return reply

    async def zscan(
        self,
        key: KeyT,
        cursor: int | None = 0,
        match: StringT | None = None,
        count: int | None = None,
    ) -> tuple[int, tuple[ScoredMember, ...]]:
        """Iterate the members of a sorted set. https://redis.io/commands/zscan

        :return: the next cursor (0 when done) and a batch of scored members.
        """
        args: list[ValueT] = [key, cursor or 0]
        args += scan_options(match, count)
        return await self.execute_command(b"ZSCAN", *args, callback=_zscan_reply)

    async def zscan_iter(
        self, key: KeyT, match: StringT | None = None, count: int | None = None
    ) -> AsyncIterator[ScoredMember]:
        """Iterate over the scored members of a sorted set with ``ZSCAN``.

        Each step is one ``zscan`` call; a member may be yielded more than once.

        Cancelling it during a step discards that step's reply (closing an unshared connection).
        """
        cursor: int | None = None
        while cursor != 0:
            cursor, members = await self.zscan(key, cursor or 0, match, count)
            for member in members:
                yield member

    async def zscore(self, key: KeyT, member: ValueT) -> float | None:
        """Get the score of a member. https://redis.io/commands/zscore

        :return: the score, or ``None`` when the member or key is missing.
        """
        return await self.execute_command(b"ZSCORE", key, member, callback=optional_float)
