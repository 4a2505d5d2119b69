"""Redis string commands."""

from __future__ import annotations

from ._base import AnyStr_co, CommandMixin

__all__ = ("StringCommands",)


class StringCommands(CommandMixin[AnyStr_co]):
    """The string command group."""
