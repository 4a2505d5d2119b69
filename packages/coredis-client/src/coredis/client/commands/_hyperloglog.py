# mypy: disable-error-code="no-any-return"
"""Redis HyperLogLog commands.

Common to every method: an error reply raises its :class:`~coredis.exceptions.ResponseError`
subclass; connection failures raise :class:`~coredis.exceptions.ConnectionError` /
:class:`~coredis.exceptions.TimeoutError`. Cancelling a call abandons the reply: the
connection it was sent on is closed, never reused, and the command may or may not have run.
"""

from __future__ import annotations

from .._response import as_list, boolean, ok
from .._typing import KeyT, Parameters, ValueT
from ._base import AnyStr_co, CommandMixin

__all__ = ("HyperLogLogCommands",)


class HyperLogLogCommands(CommandMixin[AnyStr_co]):
    """The HyperLogLog command group."""

    async def pfadd(self, key: KeyT, *elements: ValueT) -> bool:
        """Add elements to a HyperLogLog. https://redis.io/commands/pfadd

        :return: whether the estimated cardinality changed (or the key was created).
        :raises ResponseError: when the server rejects the command (a subclass names the reason).
        :raises ConnectionError: when the connection fails.
        :raises TimeoutError: when no reply arrives within ``stream_timeout``.
        Cancelling it once sent discards the reply (closing an unshared connection); the command
        may still have run on the server.
        """
        return await self.execute_command(b"PFADD", key, *elements, callback=boolean)

    async def pfcount(self, keys: Parameters[KeyT]) -> int:
        """Estimate the cardinality of the union of HyperLogLogs. https://redis.io/commands/pfcount

        :return: the approximate number of distinct elements.
        :raises DataError: when ``keys`` is a single string instead of an iterable.
        :raises ResponseError: when the server rejects the command (a subclass names the reason).
        :raises ConnectionError: when the connection fails.
        :raises TimeoutError: when no reply arrives within ``stream_timeout``.
        Cancelling it once sent discards the reply (closing an unshared connection); the command
        may still have run on the server.
        """
        return await self.execute_command(b"PFCOUNT", *as_list(keys, "keys"))

    async def pfmerge(self, destkey: KeyT, sourcekeys: Parameters[KeyT]) -> bool:
        """Merge HyperLogLogs into one. https://redis.io/commands/pfmerge

        :return: ``True``.
        :raises DataError: when ``sourcekeys`` is a single string instead of an iterable.
        :raises ResponseError: when the server rejects the command (a subclass names the reason).
        :raises ConnectionError: when the connection fails.
        :raises TimeoutError: when no reply arrives within ``stream_timeout``.
        Cancelling it once sent discards the reply (closing an unshared connection); the command
        may still have run on the server.
        """
        return await self.execute_command(
            b"PFMERGE", destkey, *as_list(sourcekeys, "sourcekeys"), callback=ok
        )
