"""Checking pool settings up front: a wrong one fails at construction, naming itself."""

from __future__ import annotations

from typing import Any

from coredis.connection import check_timeout

__all__ = ("check_pool_settings",)


def check_pool_settings(**settings: Any) -> None:
    """Validate the pool settings given (those it knows).

    ``max_connections``: ``None`` or an ``int`` >= 1; ``max_idle_time`` (0: never) and
    ``timeout`` (``None``: for ever): seconds >= 0; ``idle_check_interval``: seconds > 0.

    :raises TypeError: a setting of the wrong type (the message names it)
    :raises ValueError: a setting out of range (the message names it)
    """
    for name, value in settings.items():
        if name == "max_connections":
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"max_connections must be an int or None, not {value!r}")
            if value < 1:
                raise ValueError(f"max_connections must be >= 1 or None, not {value!r}")
        elif name == "max_idle_time":
            check_timeout(name, value, allow_none=False)
        elif name == "timeout":
            check_timeout(name, value)
        elif name == "idle_check_interval":
            check_timeout(name, value, allow_none=False)
            if value == 0:
                raise ValueError("idle_check_interval must be > 0, not 0")
