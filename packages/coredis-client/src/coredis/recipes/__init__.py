"""``coredis.recipes`` (4.x import path): see :mod:`coredis.recipes.locks`."""

from __future__ import annotations
