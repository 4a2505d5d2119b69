"""Redis geo commands."""

from __future__ import annotations

from ._base import AnyStr_co, CommandMixin

__all__ = ("GeoCommands",)


class GeoCommands(CommandMixin[AnyStr_co]):
    """The geo command group."""
