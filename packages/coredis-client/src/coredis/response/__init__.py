"""``coredis.response`` (4.x import path): see :mod:`coredis.response.types`."""

from __future__ import annotations

from . import types

__all__ = ("types",)
