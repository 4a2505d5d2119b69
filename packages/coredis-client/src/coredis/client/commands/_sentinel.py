"""Redis sentinel commands."""

from __future__ import annotations

from ._base import AnyStr_co, CommandMixin

__all__ = ("SentinelCommands",)


class SentinelCommands(CommandMixin[AnyStr_co]):
    """The sentinel command group."""
