"""``verify_version``: the minimum server version of the commands newer than Redis 6.0, in
Redis's numbering and in Valkey's.

``Redis(..., verify_version=True)`` (the default, as in 4.x) refuses a command the connected
server is too old for (or, for a command only one of Redis and Valkey has, a server of the
other product) with :class:`~coredis.exceptions.CommandNotSupportedError` before sending it,
instead of letting the server answer ``ERR unknown command``.

Only the commands in :data:`MIN_SERVER_VERSION` / :data:`MIN_VALKEY_VERSION` are checked (6.0
is the oldest server the client supports). Once the server is known, the client keeps only
the commands that server could refuse (:func:`gated_commands`), so the hot path pays one
``frozenset`` membership test and nothing else for ``GET``/``SET``. The server comes from the
``HELLO`` reply the connection recorded (``server_name``, ``server_version``), or ``INFO
server`` once per client when the handshake did not tell (RESP2).

Valkey forked from Redis 7.2.4: a command of Redis 7.2 or older is in every Valkey; a newer
Redis command is in Valkey only when :data:`MIN_VALKEY_VERSION` lists it (often in another
release: hash-field expiry is Redis 7.4 and Valkey 9.0).
"""

from __future__ import annotations

import re
from typing import Any

from coredis.connection import BaseConnection
from coredis.exceptions import CommandNotSupportedError, ResponseError

__all__ = (
    "MIN_SERVER_VERSION",
    "MIN_VALKEY_VERSION",
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
_V62: Version = (6, 2, 0)
_V70: Version = (7, 0, 0)
_V72: Version = (7, 2, 0)
_V74: Version = (7, 4, 0)
_V80: Version = (8, 0, 0)
_V81: Version = (8, 1, 0)
_V82: Version = (8, 2, 0)
_V84: Version = (8, 4, 0)
_V90: Version = (9, 0, 0)
_V91: Version = (9, 1, 0)
_VALKEY_FORK: Version = (7, 2, 4)
_HASH_FIELD_EXPIRY = (
    b"HEXPIRE", b"HPEXPIRE", b"HEXPIREAT", b"HPEXPIREAT", b"HTTL", b"HPTTL",
    b"HEXPIRETIME", b"HPEXPIRETIME", b"HPERSIST",
)  # fmt: skip
_SLOT_MIGRATION = (
    b"MIGRATESLOTS", b"CANCELSLOTMIGRATIONS", b"GETSLOTMIGRATIONS", b"SYNCSLOTS", b"FLUSHSLOT",
)  # fmt: skip

_SENTINEL_PRIMARY = (
    b"PRIMARY", b"PRIMARIES", b"GET-PRIMARY-ADDR-BY-NAME", b"IS-PRIMARY-DOWN-BY-ADDR",
)  # fmt: skip

#: command -> minimum Redis version (``None``: not in Redis, Valkey only); for a container
#: command (``CLIENT INFO``) a dict of sub-command -> minimum (sub-commands not listed are
#: not checked)
MIN_SERVER_VERSION: dict[bytes, Requirement | dict[bytes, Requirement]] = {
    # 6.2
    **dict.fromkeys(
        (
            b"GETDEL", b"GETEX", b"LMOVE", b"BLMOVE", b"SMISMEMBER", b"ZRANDMEMBER",
            b"HRANDFIELD", b"ZRANGESTORE", b"ZUNION", b"ZINTER", b"ZDIFF", b"ZDIFFSTORE",
            b"ZMSCORE", b"GEOSEARCH", b"GEOSEARCHSTORE", b"XAUTOCLAIM", b"COPY", b"RESET",
            b"FAILOVER",
        ),
        _V62,
    ),
    # 7.0
    **dict.fromkeys(
        (
            b"LMPOP", b"BLMPOP", b"ZMPOP", b"BZMPOP", b"SINTERCARD", b"ZINTERCARD",
            b"EXPIRETIME", b"PEXPIRETIME", b"FUNCTION", b"FCALL", b"FCALL_RO", b"EVAL_RO",
            b"EVALSHA_RO", b"SORT_RO", b"LCS", b"SPUBLISH", b"SSUBSCRIBE", b"SUNSUBSCRIBE",
        ),
        _V70,
    ),
    # 7.2 and later
    b"WAITAOF": _V72,
    **dict.fromkeys(_HASH_FIELD_EXPIRY, _V74),
    **dict.fromkeys((b"HGETDEL", b"HGETEX", b"HSETEX"), _V80),
    b"MSETEX": _V84,
    # Valkey only
    b"DELIFEQ": None,
    b"CLUSTERSCAN": None,
    b"COMMANDLOG": None,
    # containers
    b"CLIENT": {
        b"INFO": _V62, b"UNPAUSE": _V62, b"TRACKINGINFO": _V62, b"NO-EVICT": _V70,
        b"NO-TOUCH": _V72, b"SETINFO": _V72, b"CAPA": None, b"IMPORT-SOURCE": None,
    },
    b"CLUSTER": {
        b"SHARDS": _V70, b"LINKS": _V70, b"ADDSLOTSRANGE": _V70, b"DELSLOTSRANGE": _V70,
        b"MYSHARDID": _V72, b"SLOT-STATS": _V82, **dict.fromkeys(_SLOT_MIGRATION, None),
    },
    b"COMMAND": {b"DOCS": _V70, b"LIST": _V70, b"GETKEYSANDFLAGS": _V70},
    b"LATENCY": {b"HISTOGRAM": _V70},
    b"MODULE": {b"LOADEX": _V70},
    b"PUBSUB": {b"SHARDCHANNELS": _V70, b"SHARDNUMSUB": _V70},
    b"SCRIPT": {b"SHOW": None},
    b"SENTINEL": dict.fromkeys(_SENTINEL_PRIMARY, None),
}  # fmt: skip

#: Valkey's minimum for what Valkey added after the fork (``None``: not in Valkey); a command
#: missing here follows the fork rule (Redis <= 7.2: any Valkey; newer: not in Valkey)
MIN_VALKEY_VERSION: dict[bytes, Requirement | dict[bytes, Requirement]] = {
    **dict.fromkeys(_HASH_FIELD_EXPIRY, _V90),
    b"HGETEX": _V90,
    b"HSETEX": _V90,
    b"HGETDEL": _V91,
    b"MSETEX": _V91,
    b"DELIFEQ": _V90,
    b"CLUSTERSCAN": _V91,
    b"COMMANDLOG": _V81,
    b"CLIENT": {b"CAPA": _V80, b"IMPORT-SOURCE": _V81},
    b"CLUSTER": {b"SLOT-STATS": _V80, **dict.fromkeys(_SLOT_MIGRATION, _V90)},
    b"SCRIPT": {b"SHOW": _V80},
    b"SENTINEL": dict.fromkeys(_SENTINEL_PRIMARY, _V80),
}

#: the commands :func:`check_version` may refuse (what the client's hot path tests)
VERSIONED_COMMANDS = frozenset(MIN_SERVER_VERSION)

#: containers whose every sub-command has the same minimum (named in the error)
_WHOLE_CONTAINERS = frozenset({b"FUNCTION"})

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


_UNCHECKED = (0, 0, 0)  # a requirement every server meets


def _requirement(product: str, command: bytes, sub: bytes | None) -> Requirement:
    """What ``command [sub]`` needs on ``product``: a minimum version or ``None`` (absent)."""
    redis = MIN_SERVER_VERSION.get(command, _UNCHECKED)
    if isinstance(redis, dict):
        redis = redis.get(sub, _UNCHECKED) if sub is not None else _UNCHECKED
    if product != "valkey":
        return redis
    valkey = MIN_VALKEY_VERSION.get(command)
    if isinstance(valkey, dict):
        if sub is not None and sub in valkey:
            return valkey[sub]
    elif command in MIN_VALKEY_VERSION:
        return valkey
    if redis is None or redis > _VALKEY_FORK:
        return None
    return _UNCHECKED  # older than the fork: every Valkey has it


def _subcommands(command: bytes) -> list[bytes | None]:
    subs: set[bytes] = set()
    for table in (MIN_SERVER_VERSION, MIN_VALKEY_VERSION):
        entry = table.get(command)
        if isinstance(entry, dict):
            subs.update(entry)
    return [None, *sorted(subs)]


def gated_commands(server: Server) -> frozenset[bytes]:
    """The commands (or containers) ``server`` could refuse: what the client keeps checking."""
    product, version = server
    gated = set()
    for command in VERSIONED_COMMANDS:
        for sub in _subcommands(command):
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
    entry = MIN_SERVER_VERSION.get(command)
    if isinstance(entry, dict) or isinstance(MIN_VALKEY_VERSION.get(command), dict):
        if not args:
            return
        sub = _text(args[0]).upper().encode()
        name = f"{name} {sub.decode()}"
    elif command in _WHOLE_CONTAINERS and args:
        name = f"{name} {_text(args[0]).upper()}"
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
