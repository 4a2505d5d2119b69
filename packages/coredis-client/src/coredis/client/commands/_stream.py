"""Redis stream commands."""

from __future__ import annotations

from ._base import AnyStr_co, CommandMixin

__all__ = ("StreamCommands",)


class StreamCommands(CommandMixin[AnyStr_co]):
    """The stream command group."""
