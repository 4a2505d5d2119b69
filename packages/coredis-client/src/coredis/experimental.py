"""``coredis.experimental`` (4.x import path): 4.x's KeyDB clients are not provided.

Importing ``KeyDB`` or ``KeyDBCluster`` raises an :class:`ImportError` that says so and
names the replacement (:class:`coredis.Redis` / :class:`coredis.RedisCluster` talk to KeyDB
for every command the two servers share).
"""

from __future__ import annotations

from typing import Any

__all__: tuple[str, ...] = ()

KEYDB_MESSAGE = (
    "coredis.{name} (4.x's experimental KeyDB client) is not provided: use "
    "coredis.{replacement}, which runs every command KeyDB shares with Redis (see "
    "'Migrating from coredis 4.x', Import paths and names)"
)


def keydb_missing(name: str) -> ImportError:
    """The error raised for 4.x's ``KeyDB`` / ``KeyDBCluster`` (``name`` as imported)."""
    replacement = "RedisCluster" if name.endswith("KeyDBCluster") else "Redis"
    return ImportError(KEYDB_MESSAGE.format(name=name, replacement=replacement))


def __getattr__(name: str) -> Any:
    if name in ("KeyDB", "KeyDBCluster"):
        raise keydb_missing(f"experimental.{name}")
    raise AttributeError(f"module 'coredis.experimental' has no attribute {name!r}")
