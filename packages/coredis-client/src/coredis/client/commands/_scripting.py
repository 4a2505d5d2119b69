"""Redis scripting and functions commands."""

from __future__ import annotations

from ._base import AnyStr_co, CommandMixin

__all__ = ("ScriptingCommands",)


class ScriptingCommands(CommandMixin[AnyStr_co]):
    """The scripting and functions command group."""
