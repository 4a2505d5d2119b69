"""``coredis.recipes.locks`` (4.x import path): the distributed lock.

``LuaLock`` is :class:`coredis.client.Lock` under its 4.x name, with the 4.x constructor
``LuaLock(client, name, timeout=None, sleep=0.1, blocking=True, blocking_timeout=None)``.
It no longer runs Lua: the token check of ``release``/``extend`` is a
``WATCH``/``MULTI``/``EXEC`` transaction (same guarantees, no script to load).
"""

from __future__ import annotations

from coredis.client import Lock as LuaLock

__all__ = ("LuaLock",)
