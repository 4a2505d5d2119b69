"""Redis sorted-set commands, plus ``zscan_iter``.

Scores come back as ``float`` whichever protocol is used (RESP2 sends them as strings,
RESP3 as doubles); members with scores come back as
:class:`~coredis.client.response_types.ScoredMember` ``(member, score)``.

Cancelling a blocking pop may lose an element the server already popped.
``.. versionadded::`` gives the Redis version that introduced a command.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any, Literal, cast, overload

from coredis.exceptions import DataError

from .._arguments import as_list, scan_options
from .._callbacks import (
    float_tuple,
    optional_float,
    optional_scored_member,
    pairs,
    scored_members,
    to_float,
    to_tuple,
)
from .._tokens import PureToken
from .._typing import KeyT, Parameters, ResponseType, StringT, ValueT
from ..response_types import ScoredMember
from ._base import AnyStr_co, CommandMixin
from ._checks import MutuallyInclusiveParametersMissing

__all__ = ("SortedSetCommands",)

_Aggregate = Literal[PureToken.SUM, PureToken.MIN, PureToken.MAX]
_MinMax = Literal[PureToken.MAX, PureToken.MIN]


def _maybe_scored(response: Any, **options: Any) -> tuple[Any, ...] | tuple[ScoredMember, ...]:
    if options.get("withscores"):
        return scored_members(response)
    return tuple(response)


def _pop_reply(response: Any, **options: Any) -> tuple[ScoredMember, ...] | ScoredMember | None:
    # Without count RESP2 and RESP3 give [member, score] (or []); with count RESP2 is flat
    # and RESP3 nested.
    if options.get("count") is not None:
        return scored_members(response)
    return optional_scored_member(response)


def _bzpop_reply(response: Any, **options: Any) -> tuple[Any, Any, float] | None:
    if response is None:
        return None
    return (response[0], response[1], float(response[2]))


def _mpop_reply(response: Any, **options: Any) -> tuple[Any, tuple[ScoredMember, ...]] | None:
    if response is None:
        return None
    return (response[0], scored_members(response[1]))


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


def _combine_args(
    keys: Parameters[KeyT],
    weights: Parameters[int] | None,
    aggregate: _Aggregate | None,
) -> list[ValueT]:
    key_list: list[ValueT] = as_list(keys, "keys")
    args: list[ValueT] = [len(key_list), *key_list]
    if weights is not None:
        weight_list = as_list(weights, "weights")
        if len(weight_list) != len(key_list):
            raise DataError("weights must have one entry per key")
        args += [PureToken.WEIGHTS, *weight_list]
    if aggregate is not None:
        args += [PureToken.AGGREGATE, aggregate]
    return args


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


class SortedSetCommands(CommandMixin[AnyStr_co]):
    """The sorted-set command group."""

    async def bzmpop(
        self,
        keys: Parameters[KeyT],
        timeout: int | float,
        where: _MinMax,
        count: int | None = None,
    ) -> tuple[AnyStr_co, tuple[ScoredMember, ...]] | None:
        """Pop members from the first non-empty sorted set, blocking. https://redis.io/commands/bzmpop

        :return: ``(key, members)``, or ``None`` on timeout.

        .. versionadded:: 7.0.0
        """
        key_list: list[ValueT] = as_list(keys, "keys")
        args: list[ValueT] = [timeout, len(key_list), *key_list, where]
        if count is not None:
            args += [PureToken.COUNT, count]
        return await self.execute_command(b"BZMPOP", *args, callback=_mpop_reply)

    async def bzpopmax(
        self, keys: Parameters[KeyT], timeout: int | float
    ) -> tuple[AnyStr_co, AnyStr_co, float] | None:
        """Pop the highest-scored member of the first non-empty set, blocking. https://redis.io/commands/bzpopmax

        :return: ``(key, member, score)``, or ``None`` on timeout.
        """
        return await self.execute_command(
            b"BZPOPMAX", *as_list(keys, "keys"), timeout, callback=_bzpop_reply
        )

    async def bzpopmin(
        self, keys: Parameters[KeyT], timeout: int | float
    ) -> tuple[AnyStr_co, AnyStr_co, float] | None:
        """Pop the lowest-scored member of the first non-empty set, blocking. https://redis.io/commands/bzpopmin

        :return: ``(key, member, score)``, or ``None`` on timeout.
        """
        return await self.execute_command(
            b"BZPOPMIN", *as_list(keys, "keys"), timeout, callback=_bzpop_reply
        )

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
        return cast("int", await self.execute_command(b"ZCARD", key))

    async def zcount(self, key: KeyT, min_: ValueT, max_: ValueT) -> int:
        """Count the members with a score in a range. https://redis.io/commands/zcount

        :return: the number of members with ``min_ <= score <= max_`` (``(`` excludes).
        """
        return cast("int", await self.execute_command(b"ZCOUNT", key, min_, max_))

    @overload
    async def zdiff(
        self,
        keys: Parameters[KeyT],
        withscores: Literal[False] | None = ...,
    ) -> tuple[AnyStr_co, ...]: ...
    @overload
    async def zdiff(
        self,
        keys: Parameters[KeyT],
        *,
        withscores: Literal[True],
    ) -> tuple[ScoredMember, ...]: ...
    @overload
    async def zdiff(
        self,
        keys: Parameters[KeyT],
        withscores: bool | None = ...,
    ) -> tuple[AnyStr_co | ScoredMember, ...]: ...
    async def zdiff(
        self, keys: Parameters[KeyT], withscores: bool | None = None
    ) -> tuple[AnyStr_co | ScoredMember, ...]:
        """Subtract sorted sets. https://redis.io/commands/zdiff

        :return: the members (with scores when ``withscores``).

        .. versionadded:: 6.2.0
        """
        key_list: list[ValueT] = as_list(keys, "keys")
        args: list[ValueT] = [len(key_list), *key_list]
        if withscores:
            args.append(PureToken.WITHSCORES)
        return await self.execute_command(
            b"ZDIFF", *args, callback=_maybe_scored, withscores=bool(withscores)
        )

    async def zdiffstore(self, keys: Parameters[KeyT], destination: KeyT) -> int:
        """Subtract sorted sets and store the result. https://redis.io/commands/zdiffstore

        :return: the number of members stored.

        .. versionadded:: 6.2.0
        """
        key_list: list[ValueT] = as_list(keys, "keys")
        return cast(
            "int", await self.execute_command(b"ZDIFFSTORE", destination, len(key_list), *key_list)
        )

    async def zincrby(self, key: KeyT, member: ValueT, increment: int | float) -> float:
        """Increment the score of a member. https://redis.io/commands/zincrby

        :return: the new score.
        """
        return await self.execute_command(b"ZINCRBY", key, increment, member, callback=to_float)

    @overload
    async def zinter(
        self,
        keys: Parameters[KeyT],
        weights: Parameters[int] | None = ...,
        aggregate: _Aggregate | None = ...,
        withscores: Literal[False] | None = ...,
    ) -> tuple[AnyStr_co, ...]: ...
    @overload
    async def zinter(
        self,
        keys: Parameters[KeyT],
        weights: Parameters[int] | None = ...,
        aggregate: _Aggregate | None = ...,
        *,
        withscores: Literal[True],
    ) -> tuple[ScoredMember, ...]: ...
    @overload
    async def zinter(
        self,
        keys: Parameters[KeyT],
        weights: Parameters[int] | None = ...,
        aggregate: _Aggregate | None = ...,
        withscores: bool | None = ...,
    ) -> tuple[AnyStr_co | ScoredMember, ...]: ...
    async def zinter(
        self,
        keys: Parameters[KeyT],
        weights: Parameters[int] | None = None,
        aggregate: _Aggregate | None = None,
        withscores: bool | None = None,
    ) -> tuple[AnyStr_co | ScoredMember, ...]:
        """Intersect sorted sets. https://redis.io/commands/zinter

        :return: the members (with scores when ``withscores``).
        :raises DataError: when ``weights`` does not have one entry per key.

        .. versionadded:: 6.2.0
        """
        args = _combine_args(keys, weights, aggregate)
        if withscores:
            args.append(PureToken.WITHSCORES)
        return await self.execute_command(
            b"ZINTER", *args, callback=_maybe_scored, withscores=bool(withscores)
        )

    async def zintercard(self, keys: Parameters[KeyT], limit: int | None = None) -> int:
        """Count the members of the intersection of sorted sets. https://redis.io/commands/zintercard

        :return: the cardinality of the intersection (capped at ``limit`` when given).

        .. versionadded:: 7.0.0
        """
        key_list: list[ValueT] = as_list(keys, "keys")
        args: list[ValueT] = [len(key_list), *key_list]
        if limit is not None:
            args += [PureToken.LIMIT, limit]
        return cast("int", await self.execute_command(b"ZINTERCARD", *args))

    async def zinterstore(
        self,
        keys: Parameters[KeyT],
        destination: KeyT,
        weights: Parameters[int] | None = None,
        aggregate: _Aggregate | None = None,
    ) -> int:
        """Intersect sorted sets and store the result. https://redis.io/commands/zinterstore

        :return: the number of members stored.
        :raises DataError: when ``weights`` does not have one entry per key.
        """
        args = _combine_args(keys, weights, aggregate)
        return cast("int", await self.execute_command(b"ZINTERSTORE", destination, *args))

    async def zlexcount(self, key: KeyT, min_: ValueT, max_: ValueT) -> int:
        """Count the members in a lexicographical range. https://redis.io/commands/zlexcount

        :return: the number of members between ``min_`` and ``max_`` (``[a``, ``(a``, ``-``, ``+``).
        """
        return cast("int", await self.execute_command(b"ZLEXCOUNT", key, min_, max_))

    async def zmpop(
        self, keys: Parameters[KeyT], where: _MinMax, count: int | None = None
    ) -> tuple[AnyStr_co, tuple[ScoredMember, ...]] | None:
        """Pop members from the first non-empty sorted set. https://redis.io/commands/zmpop

        :return: ``(key, members)``, or ``None`` when every set is empty.

        .. versionadded:: 7.0.0
        """
        key_list: list[ValueT] = as_list(keys, "keys")
        args: list[ValueT] = [len(key_list), *key_list, where]
        if count is not None:
            args += [PureToken.COUNT, count]
        return await self.execute_command(b"ZMPOP", *args, callback=_mpop_reply)

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

    @overload
    async def zpopmax(self, key: KeyT) -> ScoredMember | None: ...
    @overload
    async def zpopmax(self, key: KeyT, count: int) -> tuple[ScoredMember, ...]: ...
    @overload
    async def zpopmax(
        self, key: KeyT, count: int | None = ...
    ) -> ScoredMember | tuple[ScoredMember, ...] | None: ...
    async def zpopmax(
        self, key: KeyT, count: int | None = None
    ) -> ScoredMember | tuple[ScoredMember, ...] | None:
        """Pop the highest-scored members. https://redis.io/commands/zpopmax

        :return: one member (``None`` when empty) without ``count``; a tuple with it.
        """
        args: list[ValueT] = [key] if count is None else [key, count]
        return await self.execute_command(b"ZPOPMAX", *args, callback=_pop_reply, count=count)

    @overload
    async def zpopmin(self, key: KeyT) -> ScoredMember | None: ...
    @overload
    async def zpopmin(self, key: KeyT, count: int) -> tuple[ScoredMember, ...]: ...
    @overload
    async def zpopmin(
        self, key: KeyT, count: int | None = ...
    ) -> ScoredMember | tuple[ScoredMember, ...] | None: ...
    async def zpopmin(
        self, key: KeyT, count: int | None = None
    ) -> ScoredMember | tuple[ScoredMember, ...] | None:
        """Pop the lowest-scored members. https://redis.io/commands/zpopmin

        :return: one member (``None`` when empty) without ``count``; a tuple with it.
        """
        args: list[ValueT] = [key] if count is None else [key, count]
        return await self.execute_command(b"ZPOPMIN", *args, callback=_pop_reply, count=count)

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
            b"ZRANGE", *args, callback=_maybe_scored, withscores=bool(withscores)
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
            b"ZRANGEBYSCORE", *args, callback=_maybe_scored, withscores=bool(withscores)
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
        return cast("int", await self.execute_command(b"ZRANGESTORE", dst, src, *args))

    async def zrank(self, key: KeyT, member: ValueT) -> int | None:
        """Get the rank of a member (lowest score first). https://redis.io/commands/zrank

        :return: the 0-based rank, or ``None`` when the member is missing.
        """
        return cast("int | None", await self.execute_command(b"ZRANK", key, member))

    async def zrem(self, key: KeyT, members: Parameters[ValueT]) -> int:
        """Remove members. https://redis.io/commands/zrem

        :return: the number of members removed.
        """
        return cast("int", await self.execute_command(b"ZREM", key, *as_list(members, "members")))

    async def zremrangebylex(self, key: KeyT, min_: ValueT, max_: ValueT) -> int:
        """Remove the members in a lexicographical range. https://redis.io/commands/zremrangebylex

        :return: the number of members removed.
        """
        return cast("int", await self.execute_command(b"ZREMRANGEBYLEX", key, min_, max_))

    async def zremrangebyrank(self, key: KeyT, start: int, stop: int) -> int:
        """Remove the members in a rank range. https://redis.io/commands/zremrangebyrank

        :return: the number of members removed.
        """
        return cast("int", await self.execute_command(b"ZREMRANGEBYRANK", key, start, stop))

    async def zremrangebyscore(
        self, key: KeyT, min_: int | float | StringT, max_: int | float | StringT
    ) -> int:
        """Remove the members in a score range. https://redis.io/commands/zremrangebyscore

        :return: the number of members removed.
        """
        return cast("int", await self.execute_command(b"ZREMRANGEBYSCORE", key, min_, max_))

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
            b"ZREVRANGE", *args, callback=_maybe_scored, withscores=bool(withscores)
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
            b"ZREVRANGEBYSCORE", *args, callback=_maybe_scored, withscores=bool(withscores)
        )

    async def zrevrank(self, key: KeyT, member: ValueT) -> int | None:
        """Get the rank of a member, highest score first. https://redis.io/commands/zrevrank

        :return: the 0-based rank, or ``None`` when the member is missing.
        """
        return cast("int | None", await self.execute_command(b"ZREVRANK", key, member))

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

    @overload
    async def zunion(
        self,
        keys: Parameters[KeyT],
        weights: Parameters[int] | None = ...,
        aggregate: _Aggregate | None = ...,
        withscores: Literal[False] | None = ...,
    ) -> tuple[AnyStr_co, ...]: ...
    @overload
    async def zunion(
        self,
        keys: Parameters[KeyT],
        weights: Parameters[int] | None = ...,
        aggregate: _Aggregate | None = ...,
        *,
        withscores: Literal[True],
    ) -> tuple[ScoredMember, ...]: ...
    @overload
    async def zunion(
        self,
        keys: Parameters[KeyT],
        weights: Parameters[int] | None = ...,
        aggregate: _Aggregate | None = ...,
        withscores: bool | None = ...,
    ) -> tuple[AnyStr_co | ScoredMember, ...]: ...
    async def zunion(
        self,
        keys: Parameters[KeyT],
        weights: Parameters[int] | None = None,
        aggregate: _Aggregate | None = None,
        withscores: bool | None = None,
    ) -> tuple[AnyStr_co | ScoredMember, ...]:
        """Add sorted sets. https://redis.io/commands/zunion

        :return: the members (with scores when ``withscores``).
        :raises DataError: when ``weights`` does not have one entry per key.

        .. versionadded:: 6.2.0
        """
        args = _combine_args(keys, weights, aggregate)
        if withscores:
            args.append(PureToken.WITHSCORES)
        return await self.execute_command(
            b"ZUNION", *args, callback=_maybe_scored, withscores=bool(withscores)
        )

    async def zunionstore(
        self,
        keys: Parameters[KeyT],
        destination: KeyT,
        weights: Parameters[int] | None = None,
        aggregate: _Aggregate | None = None,
    ) -> int:
        """Add sorted sets and store the result. https://redis.io/commands/zunionstore

        :return: the number of members stored.
        :raises DataError: when ``weights`` does not have one entry per key.
        """
        args = _combine_args(keys, weights, aggregate)
        return cast("int", await self.execute_command(b"ZUNIONSTORE", destination, *args))
