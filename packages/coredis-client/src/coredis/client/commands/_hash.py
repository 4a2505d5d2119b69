"""Redis hash commands."""

from __future__ import annotations

from ._base import AnyStr_co, CommandMixin

__all__ = ("HashCommands",)


class HashCommands(CommandMixin[AnyStr_co]):
    """The hash command group."""
