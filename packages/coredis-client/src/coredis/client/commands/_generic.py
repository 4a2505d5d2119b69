"""Redis generic (keyspace) commands."""

from __future__ import annotations

from ._base import AnyStr_co, CommandMixin

__all__ = ("GenericCommands",)


class GenericCommands(CommandMixin[AnyStr_co]):
    """The generic (keyspace) command group."""
