"""Redis HyperLogLog commands."""

from __future__ import annotations

from .._arguments import as_list
from .._callbacks import boolean, ok
from .._typing import KeyT, Parameters, ValueT
from ._base import AnyStr_co, CommandMixin

__all__ = ("HyperLogLogCommands",)


class HyperLogLogCommands(CommandMixin[AnyStr_co]):
    """The HyperLogLog command group."""

    async def pfadd(self, key: KeyT, *elements: ValueT) -> bool:
        """Add elements to a HyperLogLog. https://redis.io/commands/pfadd

        :return: whether the estimated cardinality changed (or the key was created).
        """
        return await self.execute_command(b"PFADD", key, *elements, callback=boolean)

    async def pfcount(self, keys: Parameters[KeyT]) -> int:
        """Estimate the cardinality of the union of HyperLogLogs. https://redis.io/commands/pfcount

        :return: the approximate number of distinct elements.
        :raises DataError: when ``keys`` is a single string instead of an iterable.
        """
        reply: int = await self.execute_command(b"PFCOUNT", *as_list(keys, "keys"))
        return reply

    async def pfmerge(self, destkey: KeyT, sourcekeys: Parameters[KeyT]) -> bool:
        """Merge HyperLogLogs into one. https://redis.io/commands/pfmerge

        :return: ``True``.
        :raises DataError: when ``sourcekeys`` is a single string instead of an iterable.
        """
        return await self.execute_command(
            b"PFMERGE", destkey, *as_list(sourcekeys, "sourcekeys"), callback=ok
        )
