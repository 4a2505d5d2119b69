"""Redis pub/sub commands that are not subscriptions: ``PUBLISH``, ``SPUBLISH``, ``PUBSUB *``.

Subscribing (``SUBSCRIBE``/``PSUBSCRIBE``/``SSUBSCRIBE``...) needs a dedicated connection:
use :meth:`coredis.Redis.pubsub`.
"""

from __future__ import annotations

from typing import Any

from .._callbacks import pairs
from .._typing import StringT, ValueT
from ._base import AnyStr_co, CommandMixin

__all__ = ("PubSubCommands",)


def _set(response: Any, **options: Any) -> set[Any]:
    return set(response)


def _numsub(response: Any, **options: Any) -> dict[Any, int]:
    return {channel: int(count) for channel, count in pairs(response)}


class PubSubCommands(CommandMixin[AnyStr_co]):
    """The pub/sub command group (publishing and introspection).

    A cancelled publish may still have delivered its message.
    """

    async def publish(self, channel: StringT, message: ValueT) -> int:
        """Post a message to a channel.

        https://redis.io/commands/publish

        :return: the number of clients that received it.
        """
        reply: int = await self.execute_command(b"PUBLISH", channel, message)
        return reply

    async def spublish(self, channel: StringT, message: ValueT) -> int:
        """Post a message to a shard channel.

        https://redis.io/commands/spublish

        :return: the number of clients that received it.

        .. versionadded:: 7.0.0
           Redis version that introduced the command.
        """
        reply: int = await self.execute_command(b"SPUBLISH", channel, message)
        return reply

    async def pubsub_channels(self, pattern: StringT | None = None) -> set[AnyStr_co]:
        """Channels with at least one subscriber (matching ``pattern``).

        https://redis.io/commands/pubsub-channels

        :return: the channel names.
        """
        args: list[ValueT] = [pattern] if pattern is not None else []
        return await self.execute_command(b"PUBSUB", b"CHANNELS", *args, callback=_set)

    async def pubsub_numpat(self) -> int:
        """Number of pattern subscriptions (all clients).

        https://redis.io/commands/pubsub-numpat

        :return: the count.
        """
        reply: int = await self.execute_command(b"PUBSUB", b"NUMPAT")
        return reply

    async def pubsub_numsub(self, *channels: StringT) -> dict[AnyStr_co, int]:
        """Number of subscribers of each channel.

        https://redis.io/commands/pubsub-numsub

        :return: ``{channel: subscribers}``.
        """
        return await self.execute_command(b"PUBSUB", b"NUMSUB", *channels, callback=_numsub)

    async def pubsub_shardchannels(self, pattern: StringT | None = None) -> set[AnyStr_co]:
        """Shard channels with at least one subscriber (matching ``pattern``).

        https://redis.io/commands/pubsub-shardchannels

        :return: the channel names.

        .. versionadded:: 7.0.0
           Redis version that introduced the command.
        """
        args: list[ValueT] = [pattern] if pattern is not None else []
        return await self.execute_command(b"PUBSUB", b"SHARDCHANNELS", *args, callback=_set)

    async def pubsub_shardnumsub(self, *channels: StringT) -> dict[AnyStr_co, int]:
        """Number of subscribers of each shard channel.

        https://redis.io/commands/pubsub-shardnumsub

        :return: ``{channel: subscribers}``.
        """
        return await self.execute_command(b"PUBSUB", b"SHARDNUMSUB", *channels, callback=_numsub)
