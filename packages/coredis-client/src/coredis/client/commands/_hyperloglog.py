"""Redis hyperloglog commands."""

from __future__ import annotations

from ._base import AnyStr_co, CommandMixin

__all__ = ("HyperLogLogCommands",)


class HyperLogLogCommands(CommandMixin[AnyStr_co]):
    """The hyperloglog command group."""
