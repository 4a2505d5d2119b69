"""Redis pub/sub commands."""

from __future__ import annotations

from ._base import AnyStr_co, CommandMixin

__all__ = ("PubSubCommands",)


class PubSubCommands(CommandMixin[AnyStr_co]):
    """The pub/sub command group."""
