"""Checking pool settings up front: a wrong one fails at construction, naming itself."""

from __future__ import annotations

from typing import Any

from coredis.connection import check_timeout

__all__ = ("check_pool_settings",)


def _check_count(name: str, value: Any, minimum: int) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int or None, not {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum} or None, not {value!r}")


def check_pool_settings(**settings: Any) -> None:
    """Validate the pool settings given (those it knows).

    ``max_connections``: ``None`` or an ``int`` >= 1; ``max_idle_time`` (0: never) and
    ``timeout`` (``None``: for ever): seconds >= 0; ``idle_check_interval``: seconds > 0;
    ``reinitialize_steps`` (cluster pools): ``None`` or an ``int`` >= 0.

    :raises TypeError: a setting of the wrong type (the message names it)
    :raises ValueError: a setting out of range (the message names it)
    """
    for name, value in settings.items():
        if name == "max_connections":
            _check_count(name, value, 1)
        elif name == "reinitialize_steps":
            _check_count(name, value, 0)
        elif name == "max_idle_time":
            check_timeout(name, value, allow_none=False)
        elif name == "timeout":
            check_timeout(name, value)
        elif name == "idle_check_interval":
            check_timeout(name, value, allow_none=False)
            if value == 0:
                raise ValueError("idle_check_interval must be > 0, not 0")
