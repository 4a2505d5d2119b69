"""Redis list commands."""

from __future__ import annotations

from ._base import AnyStr_co, CommandMixin

__all__ = ("ListCommands",)


class ListCommands(CommandMixin[AnyStr_co]):
    """The list command group."""
