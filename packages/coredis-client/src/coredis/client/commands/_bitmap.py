"""Redis bitmap commands."""

from __future__ import annotations

from ._base import AnyStr_co, CommandMixin

__all__ = ("BitmapCommands",)


class BitmapCommands(CommandMixin[AnyStr_co]):
    """The bitmap command group."""
