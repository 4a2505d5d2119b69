"""Redis connection commands."""

from __future__ import annotations

from ._base import AnyStr_co, CommandMixin

__all__ = ("ConnectionCommands",)


class ConnectionCommands(CommandMixin[AnyStr_co]):
    """The connection command group."""
