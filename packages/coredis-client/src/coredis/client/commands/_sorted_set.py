"""Redis sorted set commands."""

from __future__ import annotations

from ._base import AnyStr_co, CommandMixin

__all__ = ("SortedSetCommands",)


class SortedSetCommands(CommandMixin[AnyStr_co]):
    """The sorted set command group."""
