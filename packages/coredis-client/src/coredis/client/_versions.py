"""``verify_version``: the minimum server version of the commands newer than Redis 6.0, in
Redis's numbering and in Valkey's.

``Redis(..., verify_version=True)`` (the default, as in 4.x) refuses a command the connected
server is too old for (or, for a command only one of Redis and Valkey has, a server of the
other product) with :class:`~coredis.exceptions.CommandNotSupportedError` before sending it,
instead of letting the server answer ``ERR unknown command``.

The minimum versions are derived from the generated command table
(``coredis/connection/_command_info.py``: the version Redis 7.0's and Valkey 9.1's own
``COMMAND DOCS`` give for each command and sub-command). A command is checked when the
oldest supported server could lack it: Redis newer than 6.0 (the oldest server the client
supports), Valkey newer than its fork, or a product that lacks it altogether. Once the
server is known, the client keeps only the commands that server could refuse
(:func:`gated_commands`), so the hot path pays one ``frozenset`` membership test and nothing
else for ``GET``/``SET``. The server comes from the ``HELLO`` reply the connection recorded
(``server_name``, ``server_version``), or ``INFO server`` once per client when the
handshake did not tell (RESP2).

Valkey forked from Redis 7.2.4 and documents what it inherited with Redis's numbering: a
command Valkey lists since 7.2.4 or earlier is in every Valkey; a later one carries
Valkey's own version (hash-field expiry is Redis 7.4 and Valkey 9.0).
"""

from __future__ import annotations

import re
from typing import Any

from coredis.connection import BaseConnection
from coredis.connection._command_info import COMMANDS, CONTAINERS, CommandInfo
from coredis.exceptions import CommandNotSupportedError, ResponseError

__all__ = (
    "MIN_SERVER_VERSION",
    "MIN_VALKEY_VERSION",
    "REQUIREMENTS",
    "ServerVersion",
    "VERSIONED_COMMANDS",
    "Requirement",
    "Server",
    "check_version",
    "gated_commands",
    "parse_version",
    "server_version_of",
)

Version = tuple[int, int, int]
#: a minimum version; ``None``: the product does not have the command at all
Requirement = Version | None
#: ``(product, version)``: ``("redis", (7, 0, 15))``, ``("valkey", (9, 1, 2))``
Server = tuple[str, Version]
_UNCHECKED: Version = (0, 0, 0)  # a requirement every server meets
#: the oldest Redis the client supports: what it has needs no check
_OLDEST_REDIS: Version = (6, 0, 0)
_VALKEY_FORK: Version = (7, 2, 4)


def _needs(since: Version | None, floor: Version) -> Requirement:
    if since is None:
        return None
    return since if since > floor else _UNCHECKED


def _pair(info: CommandInfo) -> tuple[Requirement, Requirement]:
    return _needs(info.redis_since, _OLDEST_REDIS), _needs(info.valkey_since, _VALKEY_FORK)


#: Hand-written, because no data server's ``COMMAND`` lists them: Sentinel's commands are
#: answered by ``redis-sentinel``/``valkey-sentinel``, whose ``PRIMARY`` spellings are
#: Valkey 8.0's (Redis keeps ``MASTER``).
_SENTINEL_PRIMARY = (
    b"PRIMARY", b"PRIMARIES", b"GET-PRIMARY-ADDR-BY-NAME", b"IS-PRIMARY-DOWN-BY-ADDR",
)  # fmt: skip
_NOT_IN_TABLE: dict[bytes, dict[bytes | None, tuple[Requirement, Requirement]]] = {
    b"SENTINEL": dict.fromkeys(_SENTINEL_PRIMARY, (None, (8, 0, 0)))
}


def _requirements() -> dict[bytes, dict[bytes | None, tuple[Requirement, Requirement]]]:
    table: dict[bytes, dict[bytes | None, tuple[Requirement, Requirement]]] = {}
    for name, info in COMMANDS.items():
        pair = _pair(info)
        if pair == (_UNCHECKED, _UNCHECKED):
            continue
        command, _, sub = name.partition(" ")
        table.setdefault(command.encode(), {})[sub.encode() if sub else None] = pair
    table.update(_NOT_IN_TABLE)
    return table


#: command -> {sub-command (``None``: the command itself) -> (Redis, Valkey) requirement},
#: for every command or sub-command some supported server lacks
REQUIREMENTS = _requirements()

#: command -> minimum Redis version (``None``: not in Redis, Valkey only); for a container
#: command whose sub-commands differ (``CLIENT INFO``) a dict of sub-command -> minimum
#: (a view of :data:`REQUIREMENTS`, as 4.x-era code read it)
MIN_SERVER_VERSION: dict[bytes, Requirement | dict[bytes, Requirement]] = {}
#: the same for Valkey
MIN_VALKEY_VERSION: dict[bytes, Requirement | dict[bytes, Requirement]] = {}
for _command, _entries in REQUIREMENTS.items():
    for _table, _index in ((MIN_SERVER_VERSION, 0), (MIN_VALKEY_VERSION, 1)):
        _subs = {sub: pair[_index] for sub, pair in _entries.items() if sub is not None}
        _table[_command] = _subs if _subs else _entries[None][_index]

#: the commands :func:`check_version` may refuse (what the client's hot path tests)
VERSIONED_COMMANDS = frozenset(MIN_SERVER_VERSION)

_VERSION_RE = re.compile(r"(\d+)\.(\d+)(?:\.(\d+))?")


def parse_version(text: Any) -> Version | None:
    """``"7.0.15"`` -> ``(7, 0, 15)``; ``None`` when ``text`` is not a version."""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("ascii", "replace")
    if not isinstance(text, str):
        return None
    match = _VERSION_RE.match(text.strip())
    if match is None:
        return None
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch or 0)


class ServerVersion(tuple[int, int, int]):
    """The version of a Redis server, as :attr:`coredis.Redis.server_version` gives it.

    A ``(major, minor, micro)`` tuple that prints as ``"7.0.15"`` and compares with tuples,
    with version strings (``version >= "6.2"``) and with :class:`packaging.version.Version`
    (what 4.x returned), so 4.x code comparing against either keeps working.
    """

    __slots__ = ()

    def __new__(cls, major: int, minor: int, micro: int) -> ServerVersion:
        return super().__new__(cls, (major, minor, micro))

    @property
    def major(self) -> int:
        return self[0]

    @property
    def minor(self) -> int:
        return self[1]

    @property
    def micro(self) -> int:
        return self[2]

    @property
    def release(self) -> tuple[int, int, int]:
        """``(major, minor, micro)`` (the name :class:`packaging.version.Version` uses)."""
        return (self[0], self[1], self[2])

    def __str__(self) -> str:
        return f"{self[0]}.{self[1]}.{self[2]}"

    def __repr__(self) -> str:
        return f"ServerVersion('{self}')"

    @staticmethod
    def _other(other: object) -> tuple[int, ...] | None:
        if isinstance(other, tuple):
            return other
        release = getattr(other, "release", None)  # packaging.version.Version
        if isinstance(release, tuple):
            other = ".".join(map(str, release))
        if isinstance(other, (str, bytes)):
            return parse_version(other)
        return None

    def __eq__(self, other: object) -> bool:
        value = self._other(other)
        return tuple(self) == value if value is not None else NotImplemented

    def __ne__(self, other: object) -> bool:
        value = self._other(other)
        return tuple(self) != value if value is not None else NotImplemented

    def __hash__(self) -> int:
        return tuple.__hash__(self)

    def __lt__(self, other: object) -> bool:
        value = self._other(other)
        return tuple(self) < value if value is not None else NotImplemented

    def __le__(self, other: object) -> bool:
        value = self._other(other)
        return tuple(self) <= value if value is not None else NotImplemented

    def __gt__(self, other: object) -> bool:
        value = self._other(other)
        return tuple(self) > value if value is not None else NotImplemented

    def __ge__(self, other: object) -> bool:
        value = self._other(other)
        return tuple(self) >= value if value is not None else NotImplemented


def _text(value: Any) -> str:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def _stricter(first: Requirement, second: Requirement) -> Requirement:
    if first is None or second is None:
        return None
    return max(first, second)


def _requirement(product: str, command: bytes, sub: bytes | None) -> Requirement:
    """What ``command [sub]`` needs on ``product``: a minimum version or ``None`` (absent)."""
    index = 1 if product == "valkey" else 0
    entries = REQUIREMENTS.get(command, {})
    own = entries.get(None)
    needed = own[index] if own is not None else _UNCHECKED
    if sub is not None and sub in entries:
        needed = _stricter(needed, entries[sub][index])
    return needed


def gated_commands(server: Server) -> frozenset[bytes]:
    """The commands (or containers) ``server`` could refuse: what the client keeps checking."""
    product, version = server
    gated = set()
    for command, entries in REQUIREMENTS.items():
        for sub in entries:
            needed = _requirement(product, command, sub)
            if needed is None or version < needed:
                gated.add(command)
    return frozenset(gated)


def check_version(command: bytes, args: tuple[Any, ...], server: Server) -> None:
    """Refuse ``command args`` when ``server`` (product, version) is older than it requires,
    or is of a product that lacks it.

    :raises CommandNotSupportedError: naming the command, the version it needs (or that the
        product lacks it) and the server's.
    """
    product, version = server
    name = _text(command)
    sub: bytes | None = None
    if (name in CONTAINERS or command in _NOT_IN_TABLE) and args:
        sub = _text(args[0]).upper().encode()
        name = f"{name} {sub.decode()}"
    needed = _requirement(product, command, sub)
    running = f"{product} {'.'.join(map(str, version))}"
    if needed is None:
        raise CommandNotSupportedError(f"{name} (not available on {product})", running)
    if version < needed:
        wanted = ".".join(map(str, needed))
        raise CommandNotSupportedError(f"{name} (requires {product} {wanted})", running)


async def server_version_of(conn: BaseConnection) -> Server | None:
    """The product and version of the server ``conn`` is connected to: from its ``HELLO``
    reply, else ``INFO server`` (``server_name``/``valkey_version`` tell Valkey); ``None``
    when neither tells (the check is then skipped).

    :raises ConnectionError: / :raises TimeoutError: when ``INFO`` cannot be run.

    Cancelling it while ``INFO`` is pending closes ``conn`` (as any request).
    """
    known = parse_version(conn.server_version)
    if known is not None:
        return (conn.server_name or "redis").lower(), known
    try:
        info = await conn.wait_for_reply(conn.create_request(b"INFO", b"server", decode=False))
    except ResponseError:  # INFO refused (ACL): do not check
        return None
    text = info if isinstance(info, bytes) else b""
    valkey = re.search(rb"valkey_version:([0-9.]+)", text)
    if valkey is not None and b"server_name:valkey" in text:
        version = parse_version(valkey.group(1))
        return ("valkey", version) if version else None
    match = re.search(rb"redis_version:([0-9.]+)", text)
    version = parse_version(match.group(1)) if match else None
    return ("redis", version) if version else None
