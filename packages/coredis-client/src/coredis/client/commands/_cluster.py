"""Redis cluster commands."""

from __future__ import annotations

from ._base import AnyStr_co, CommandMixin

__all__ = ("ClusterCommands",)


class ClusterCommands(CommandMixin[AnyStr_co]):
    """The cluster command group."""
