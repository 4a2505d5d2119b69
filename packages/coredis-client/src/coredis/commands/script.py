"""``coredis.commands.script`` (4.x import path): :class:`Script`, from :mod:`coredis.client`."""

from __future__ import annotations

from coredis.client import Script

__all__ = ("Script",)
