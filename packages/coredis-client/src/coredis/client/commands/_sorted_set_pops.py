"""Sorted-set pops, blocking and not: ``ZPOPMIN``/``ZPOPMAX``, ``ZMPOP`` and the ``BZ*`` variants.

Part of :class:`~coredis.client.commands.SortedSetCommands` (``_sorted_set.py``).
"""

from __future__ import annotations

from typing import Any, Literal, overload

from .._arguments import as_list
from .._callbacks import (
    optional_scored_member,
    scored_members,
)
from .._tokens import PureToken
from .._typing import KeyT, Parameters, ValueT
from ..response_types import ScoredMember
from ._base import AnyStr_co, CommandMixin

__all__ = ("SortedSetPopCommands",)


_MinMax = Literal[PureToken.MAX, PureToken.MIN]


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


class SortedSetPopCommands(CommandMixin[AnyStr_co]):
    """Sorted-set pops, blocking and not (``ZPOPMIN``/``ZPOPMAX``, ``ZMPOP``, ``BZ*``)."""

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
