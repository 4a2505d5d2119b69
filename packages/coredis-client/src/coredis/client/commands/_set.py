"""Redis set commands."""

from __future__ import annotations

from ._base import AnyStr_co, CommandMixin

__all__ = ("SetCommands",)


class SetCommands(CommandMixin[AnyStr_co]):
    """The set command group."""
