"""Sorted-set operations across keys: difference, intersection and union.

Part of :class:`~coredis.client.commands.SortedSetCommands` (``_sorted_set.py``).
"""

from __future__ import annotations

from typing import Literal, overload

from coredis.exceptions import DataError

from .._arguments import as_list
from .._callbacks import (
    members_or_scored,
)
from .._tokens import PureToken
from .._typing import KeyT, Parameters, ValueT
from ..response_types import ScoredMember
from ._base import AnyStr_co, CommandMixin

__all__ = ("SortedSetCombineCommands",)


_Aggregate = Literal[PureToken.SUM, PureToken.MIN, PureToken.MAX]


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


class SortedSetCombineCommands(CommandMixin[AnyStr_co]):
    """Sorted-set operations across keys: difference, intersection and union."""

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
            b"ZDIFF", *args, callback=members_or_scored, withscores=bool(withscores)
        )

    async def zdiffstore(self, keys: Parameters[KeyT], destination: KeyT) -> int:
        """Subtract sorted sets and store the result. https://redis.io/commands/zdiffstore

        :return: the number of members stored.

        .. versionadded:: 6.2.0
        """
        key_list: list[ValueT] = as_list(keys, "keys")
        reply: int = await self.execute_command(
            b"ZDIFFSTORE", destination, len(key_list), *key_list
        )
        return reply

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
            b"ZINTER", *args, callback=members_or_scored, withscores=bool(withscores)
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
        reply: int = await self.execute_command(b"ZINTERCARD", *args)
        return reply

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
        reply: int = await self.execute_command(b"ZINTERSTORE", destination, *args)
        return reply

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
            b"ZUNION", *args, callback=members_or_scored, withscores=bool(withscores)
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
        reply: int = await self.execute_command(b"ZUNIONSTORE", destination, *args)
        return reply
