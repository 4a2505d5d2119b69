"""``DeprecationWarning`` for the commands the server documents as deprecated (as 4.x did).

The deprecations are derived from the generated command table
(``coredis/connection/_command_info.py``: ``COMMAND DOCS`` of Redis 7.0 and Valkey 9.1),
never written by hand. Redis and Valkey disagree: Valkey withdrew most of Redis's
deprecations (``HMSET``, ``GETSET``, ``ZRANGEBYSCORE``, ``GEORADIUS``... are plain
commands there) and keeps only ``SLAVEOF`` and ``CLUSTER SLAVES``. The rule: warn for what
the connected server's own product deprecates (:data:`DEPRECATED` for Redis,
:data:`VALKEY_DEPRECATED` for Valkey), so a Valkey user is never told to rewrite a command
Valkey still supports; when the product is unknown, Redis's list applies (coredis 4.x's
behaviour). The client tests the command name against :data:`DEPRECATED_COMMANDS` on the
same branch as its ``verify_version`` check, so commands that are not deprecated pay
nothing more.

The warning names the replacement and points at the caller's line (the first frame
outside the coredis packages), so Python's default filters show it once per call site in
``__main__`` and ``-W error::DeprecationWarning`` turns it into an error.
"""

from __future__ import annotations

import inspect
import os
import re
import warnings
from typing import Any

import coredis
from coredis.connection._command_info import COMMANDS, SERVERS

__all__ = (
    "DEPRECATED",
    "DEPRECATED_COMMANDS",
    "GENERATED_FROM",
    "VALKEY_DEPRECATED",
    "deprecated_on",
    "deprecation_message",
    "replacement_method",
    "warn_if_deprecated",
)

#: the servers whose ``COMMAND DOCS`` the deprecations were read from
GENERATED_FROM = ", ".join(SERVERS)
#: ``b"HMSET"`` or ``b"CLUSTER SLAVES"`` -> (deprecated since, replaced by), as Redis
#: documents them
DEPRECATED: dict[bytes, tuple[str, str]] = {
    name.encode(): info.redis_deprecated
    for name, info in COMMANDS.items()
    if info.redis_deprecated is not None
}
#: the same, as Valkey documents them
VALKEY_DEPRECATED: dict[bytes, tuple[str, str]] = {
    name.encode(): info.valkey_deprecated
    for name, info in COMMANDS.items()
    if info.valkey_deprecated is not None
}
_BY_PRODUCT = {"redis": DEPRECATED, "valkey": VALKEY_DEPRECATED}

#: the command names to look at: a plain command (``HMSET``) or a container one of whose
#: sub-commands is deprecated (``CLUSTER``), on either product
DEPRECATED_COMMANDS = frozenset(
    name.split(b" ", 1)[0] for table in _BY_PRODUCT.values() for name in table
)
_CONTAINERS = frozenset(
    name.split(b" ", 1)[0] for table in _BY_PRODUCT.values() for name in table if b" " in name
)

Version = tuple[int, int, int]

# where coredis' own frames live (one directory per installed distribution of the namespace)
_OWN_PREFIXES = tuple(os.path.join(os.path.abspath(p), "") for p in coredis.__path__)
_BACKTICKED = re.compile(r"`!?([^`]+)`")


def _version(text: str) -> Version:
    major, minor, patch = ([int(p) for p in re.findall(r"\d+", text)[:3]] + [0, 0, 0])[:3]
    return major, minor, patch


def replacement_method(replaced_by: str) -> str:
    """The coredis method sending the first command of ``replaced_by``:
    ``"`HSET` with multiple field-value pairs"`` -> ``"hset"``."""
    match = _BACKTICKED.search(replaced_by)
    name = match.group(1) if match else replaced_by.split(" with ", 1)[0]
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def deprecated_on(product: str | None, name: bytes) -> tuple[str, str] | None:
    """``(since, replaced by)`` when ``product`` (``"redis"``, ``"valkey"``; ``None``:
    unknown, Redis's list) deprecates ``name`` (``b"HMSET"``, ``b"CLUSTER SLAVES"``)."""
    return _BY_PRODUCT.get(product or "redis", DEPRECATED).get(name)


def deprecation_message(name: bytes, product: str | None = None) -> str:
    """The warning text for ``name`` (``b"HMSET"``, ``b"CLUSTER SLAVES"``) as ``product``
    deprecates it (default: Redis).

    :raises KeyError: when ``product`` does not deprecate ``name``.
    """
    entry = deprecated_on(product, name)
    if entry is None:
        raise KeyError(name)
    since, replaced_by = entry
    readable = _BACKTICKED.sub(r"\1", replaced_by)
    return (
        f"{name.decode()} is deprecated since Redis {since}: use {readable} "
        f"(coredis.Redis.{replacement_method(replaced_by)}) instead"
    )


def _name_of(command: bytes, args: tuple[Any, ...]) -> bytes:
    if command in _CONTAINERS and args:
        sub = args[0]
        if isinstance(sub, str):
            return command + b" " + sub.encode().upper()
        if isinstance(sub, (bytes, bytearray, memoryview)):
            return command + b" " + bytes(sub).upper()
    return command


def _stacklevel() -> int:
    """How far up the caller's frame is: the first frame that is not coredis code."""
    frame = inspect.currentframe()
    level = 0
    while frame is not None and frame.f_code.co_filename.startswith(_OWN_PREFIXES):
        frame = frame.f_back
        level += 1
    return max(level, 1)


def warn_if_deprecated(
    command: bytes, args: tuple[Any, ...], server: tuple[str, Version] | None
) -> None:
    """Warn when ``command args`` is deprecated on ``server`` (``(product, version)`` as
    :func:`coredis.client._versions.server_version_of` tells it; ``None``: unknown, warn).

    Only what the server's own product deprecates warns (see the module's docstring). As
    in 4.x, a server older than the deprecation gets no warning (its replacement may not
    exist there yet); the versions are Redis's, which Valkey shares up to its fork.
    """
    name = _name_of(command, args)
    product = server[0] if server is not None else None
    entry = deprecated_on(product, name)
    if entry is None or (server is not None and server[1] < _version(entry[0])):
        return
    # _stacklevel() counts its own frame, which warnings.warn does not: the two offsets
    # cancel out and the warning points at the caller's line
    warnings.warn(deprecation_message(name, product), DeprecationWarning, stacklevel=_stacklevel())
