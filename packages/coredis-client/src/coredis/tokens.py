"""``coredis.tokens`` (4.x import path): :class:`PureToken`, from :mod:`coredis.client`."""

from __future__ import annotations

from typing import Any

from coredis.client import PureToken

__all__ = ("PureToken",)


def __getattr__(name: str) -> Any:
    if name == "PrefixToken":
        raise ImportError(
            "coredis.tokens.PrefixToken was internal to coredis 4.x's command methods and is "
            "not provided: pass argument values to the command methods (see 'Migrating from "
            "coredis 4.x', Import paths and names)"
        )
    raise AttributeError(f"module 'coredis.tokens' has no attribute {name!r}")
