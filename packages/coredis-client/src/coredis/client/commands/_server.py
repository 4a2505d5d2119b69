"""Redis server (including ACL) commands."""

from __future__ import annotations

from ._base import AnyStr_co, CommandMixin

__all__ = ("ServerCommands",)


class ServerCommands(CommandMixin[AnyStr_co]):
    """The server (including ACL) command group."""
