"""Redis set commands, plus ``sscan_iter``.

``.. versionadded::`` gives the Redis version that introduced a command.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, overload

from .._arguments import as_list, scan_options
from .._callbacks import bool_tuple, boolean, to_set
from .._tokens import PureToken
from .._typing import KeyT, Parameters, ResponseType, StringT, ValueT
from ._base import AnyStr_co, CommandMixin

__all__ = ("SetCommands",)


def _count_reply(response: Any, **options: Any) -> set[Any] | ResponseType:
    # SPOP/SRANDMEMBER: one member (or null) without count, an array with it.
    if options.get("count") is not None:
        return set(response) if response is not None else set()
    return response


def _sscan_reply(response: Any, **options: Any) -> tuple[int, set[Any]]:
    return int(response[0]), set(response[1])


class SetCommands(CommandMixin[AnyStr_co]):
    """The set command group."""

    async def sadd(self, key: KeyT, members: Parameters[ValueT]) -> int:
        """Add members to a set. https://redis.io/commands/sadd

        :return: the number of members added (not already present).
        :raises DataError: when ``members`` is a single string instead of an iterable.
        """
        reply: int = await self.execute_command(b"SADD", key, *as_list(members, "members"))
        return reply

    async def scard(self, key: KeyT) -> int:
        """Get the number of members of a set. https://redis.io/commands/scard

        :return: the cardinality (0 for a missing key).
        """
        reply: int = await self.execute_command(b"SCARD", key)
        return reply

    async def sdiff(self, keys: Parameters[KeyT]) -> set[AnyStr_co]:
        """Subtract sets. https://redis.io/commands/sdiff

        :return: the members of the first set that are in none of the others.
        """
        return await self.execute_command(b"SDIFF", *as_list(keys, "keys"), callback=to_set)

    async def sdiffstore(self, keys: Parameters[KeyT], destination: KeyT) -> int:
        """Subtract sets and store the result. https://redis.io/commands/sdiffstore

        :return: the number of members stored.
        """
        reply: int = await self.execute_command(b"SDIFFSTORE", destination, *as_list(keys, "keys"))
        return reply

    async def sinter(self, keys: Parameters[KeyT]) -> set[AnyStr_co]:
        """Intersect sets. https://redis.io/commands/sinter

        :return: the members present in every set.
        """
        return await self.execute_command(b"SINTER", *as_list(keys, "keys"), callback=to_set)

    async def sintercard(self, keys: Parameters[KeyT], limit: int | None = None) -> int:
        """Count the members of the intersection of sets. https://redis.io/commands/sintercard

        :return: the cardinality of the intersection (capped at ``limit`` when given).

        .. versionadded:: 7.0.0
        """
        key_list: list[ValueT] = as_list(keys, "keys")
        args: list[ValueT] = [len(key_list), *key_list]
        if limit is not None:
            args += [PureToken.LIMIT, limit]
        reply: int = await self.execute_command(b"SINTERCARD", *args)
        return reply

    async def sinterstore(self, keys: Parameters[KeyT], destination: KeyT) -> int:
        """Intersect sets and store the result. https://redis.io/commands/sinterstore

        :return: the number of members stored.
        """
        reply: int = await self.execute_command(b"SINTERSTORE", destination, *as_list(keys, "keys"))
        return reply

    async def sismember(self, key: KeyT, member: ValueT) -> bool:
        """Check set membership. https://redis.io/commands/sismember

        :return: whether ``member`` is in the set.
        """
        return await self.execute_command(b"SISMEMBER", key, member, callback=boolean)

    async def smembers(self, key: KeyT) -> set[AnyStr_co]:
        """Get every member of a set. https://redis.io/commands/smembers

        :return: the members (empty for a missing key).
        """
        return await self.execute_command(b"SMEMBERS", key, callback=to_set)

    async def smismember(self, key: KeyT, members: Parameters[ValueT]) -> tuple[bool, ...]:
        """Check the membership of several members. https://redis.io/commands/smismember

        :return: one ``bool`` per member, in order.

        .. versionadded:: 6.2.0
        """
        return await self.execute_command(
            b"SMISMEMBER", key, *as_list(members, "members"), callback=bool_tuple
        )

    async def smove(self, source: KeyT, destination: KeyT, member: ValueT) -> bool:
        """Move a member to another set. https://redis.io/commands/smove

        :return: whether the member was moved.
        """
        return await self.execute_command(b"SMOVE", source, destination, member, callback=boolean)

    @overload
    async def spop(self, key: KeyT) -> AnyStr_co | None: ...
    @overload
    async def spop(self, key: KeyT, count: int) -> set[AnyStr_co]: ...
    @overload
    async def spop(
        self, key: KeyT, count: int | None = ...
    ) -> AnyStr_co | set[AnyStr_co] | None: ...
    async def spop(self, key: KeyT, count: int | None = None) -> AnyStr_co | set[AnyStr_co] | None:
        """Remove and return random members. https://redis.io/commands/spop

        :return: one member (``None`` for a missing key) without ``count``; a set with it.
        """
        if count is None:
            reply: AnyStr_co | set[AnyStr_co] | None = await self.execute_command(b"SPOP", key)
            return reply
        return await self.execute_command(b"SPOP", key, count, callback=_count_reply, count=count)

    @overload
    async def srandmember(self, key: KeyT) -> AnyStr_co | None: ...
    @overload
    async def srandmember(self, key: KeyT, count: int) -> set[AnyStr_co]: ...
    @overload
    async def srandmember(
        self, key: KeyT, count: int | None = ...
    ) -> AnyStr_co | set[AnyStr_co] | None: ...
    async def srandmember(
        self, key: KeyT, count: int | None = None
    ) -> AnyStr_co | set[AnyStr_co] | None:
        """Get random members. https://redis.io/commands/srandmember

        :return: one member (``None`` for a missing key) without ``count``; a set with it
         (a negative ``count`` may repeat members, which a set collapses).
        """
        if count is None:
            reply: AnyStr_co | set[AnyStr_co] | None = await self.execute_command(
                b"SRANDMEMBER", key
            )
            return reply
        return await self.execute_command(
            b"SRANDMEMBER", key, count, callback=_count_reply, count=count
        )

    async def srem(self, key: KeyT, members: Parameters[ValueT]) -> int:
        """Remove members from a set. https://redis.io/commands/srem

        :return: the number of members removed.
        """
        reply: int = await self.execute_command(b"SREM", key, *as_list(members, "members"))
        return reply

    async def sscan(
        self,
        key: KeyT,
        cursor: int | None = 0,
        match: StringT | None = None,
        count: int | None = None,
    ) -> tuple[int, set[AnyStr_co]]:
        """Iterate the members of a set. https://redis.io/commands/sscan

        :return: the next cursor (0 when done) and a batch of members.
        """
        args: list[ValueT] = [key, cursor or 0]
        args += scan_options(match, count)
        return await self.execute_command(b"SSCAN", *args, callback=_sscan_reply)

    async def sscan_iter(
        self, key: KeyT, match: StringT | None = None, count: int | None = None
    ) -> AsyncIterator[AnyStr_co]:
        """Iterate over the members of a set with ``SSCAN``.

        Each step is one ``sscan`` call; a member may be yielded more than once.

        Cancelling it during a step discards that step's reply (closing an unshared connection).
        """
        cursor: int | None = None
        while cursor != 0:
            cursor, members = await self.sscan(key, cursor or 0, match, count)
            for member in members:
                yield member

    async def sunion(self, keys: Parameters[KeyT]) -> set[AnyStr_co]:
        """Add sets. https://redis.io/commands/sunion

        :return: the members of any of the sets.
        """
        return await self.execute_command(b"SUNION", *as_list(keys, "keys"), callback=to_set)

    async def sunionstore(self, keys: Parameters[KeyT], destination: KeyT) -> int:
        """Add sets and store the result. https://redis.io/commands/sunionstore

        :return: the number of members stored.
        """
        reply: int = await self.execute_command(b"SUNIONSTORE", destination, *as_list(keys, "keys"))
        return reply
