"""Checking connection settings up front, so a typo fails at construction, naming itself.

:func:`check_settings` validates the settings a connection (or a pool, for the
connections it will make) was given; a setting it does not know is left alone (custom
connection classes take their own).
"""

from __future__ import annotations

import codecs
import math
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ("DEFAULT_MAX_PUSH_MESSAGES", "check_settings", "check_timeout", "check_port")

#: Unread push messages a connection queues before it gives up on the conversation.
DEFAULT_MAX_PUSH_MESSAGES = 100_000


def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, not {type(value).__name__}")
    if math.isnan(value):
        raise ValueError(f"{name} must be a number of seconds, not NaN")
    return float(value)


def check_timeout(name: str, value: Any, *, allow_none: bool = True) -> None:
    """``value`` is ``None`` (when allowed) or a number of seconds >= 0, not NaN.

    :raises TypeError: not a number (a string such as ``"5"`` included)
    :raises ValueError: negative or NaN
    """
    if value is None and allow_none:
        return
    if _number(name, value) < 0:
        raise ValueError(f"{name} must be >= 0, not {value!r}")


def check_port(value: Any, name: str = "port") -> None:
    """A TCP port: an ``int`` from 1 to 65535 (never wrapped, never 0).

    :raises TypeError: not an ``int``
    :raises ValueError: out of range
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int from 1 to 65535, not {type(value).__name__}")
    if not 1 <= value <= 65535:
        raise ValueError(f"{name} must be from 1 to 65535, not {value!r}")


def _check_int(name: str, value: Any, minimum: int, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, not {value!r}")


def _check_str(name: str, value: Any, allow_none: bool = True) -> None:
    if value is None and allow_none:
        return
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")


def _check_encoding(name: str, value: Any) -> None:
    _check_str(name, value, allow_none=False)
    try:
        codecs.lookup(value)
    except LookupError:
        raise ValueError(f"{name}: unknown encoding {value!r}") from None


def _check_protocol(name: str, value: Any) -> None:
    if isinstance(value, bool) or value not in (2, 3):
        raise ValueError(f"{name} must be 2 or 3, not {value!r}")


def _check_reader_options(name: str, value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a dict of Reader() arguments, not {value!r}")
    from coredis.protocol import Reader

    try:
        Reader(**value)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"{name}: {exc}") from None


_CHECKS: dict[str, Callable[[str, Any], None]] = {
    "host": lambda name, value: _check_str(name, value),
    "port": lambda name, value: check_port(value, name),
    "path": lambda name, value: _check_str(name, value),
    "db": lambda name, value: _check_int(name, value, 0, allow_none=True),
    "username": lambda name, value: _check_str(name, value),
    "client_name": lambda name, value: _check_str(name, value),
    "stream_timeout": check_timeout,
    "connect_timeout": check_timeout,
    "busy_poll": lambda name, value: check_timeout(name, value, allow_none=False),
    "encoding": _check_encoding,
    "protocol_version": _check_protocol,
    "max_push_messages": lambda name, value: _check_int(name, value, 1),
    "reader_options": _check_reader_options,
}


def check_settings(**settings: Any) -> None:
    """Validate the connection settings given (those it knows; others are left alone).

    ``port`` is an ``int`` from 1 to 65535; ``db`` an ``int`` >= 0; timeouts ``None`` or
    a number of seconds >= 0 (``busy_poll`` a number); ``encoding`` a codec Python knows;
    ``protocol_version`` 2 or 3; ``max_push_messages`` >= 1;
    ``reader_options`` arguments :func:`coredis.protocol.Reader` accepts.

    :raises TypeError: a setting of the wrong type (the message names it)
    :raises ValueError: a setting out of range (the message names it)
    """
    for name, value in settings.items():
        check = _CHECKS.get(name)
        if check is not None:
            check(name, value)
