"""``verify_version``: the minimum server version of the commands newer than Redis 6.0.

``Redis(..., verify_version=True)`` (the default, as in 4.x) refuses a command the connected
server is too old for with :class:`~coredis.exceptions.CommandNotSupportedError` before
sending it, instead of letting the server answer ``ERR unknown command``.

Only the commands in :data:`MIN_SERVER_VERSION` are checked (6.0 is the oldest server the
client supports), so the hot path pays one ``frozenset`` membership test and nothing else for
``GET``/``SET``; once the server is known to be new enough for the whole table even that
set is emptied. The server version comes from the ``HELLO`` reply the connection recorded
(``server_version``), or ``INFO server`` once per client when the handshake did not tell
(RESP2).
"""

from __future__ import annotations

import re
from typing import Any

from coredis.connection import BaseConnection
from coredis.exceptions import CommandNotSupportedError, ResponseError

__all__ = (
    "MIN_SERVER_VERSION",
    "ServerVersion",
    "NEWEST_REQUIREMENT",
    "VERSIONED_COMMANDS",
    "check_version",
    "parse_version",
    "server_version_of",
)

Version = tuple[int, int, int]
_V62: Version = (6, 2, 0)
_V70: Version = (7, 0, 0)
_V72: Version = (7, 2, 0)
_V74: Version = (7, 4, 0)
_V80: Version = (8, 0, 0)

#: command -> minimum server version; for a container command (``CLIENT INFO``) a dict
#: of sub-command -> minimum version (sub-commands not listed are not checked)
MIN_SERVER_VERSION: dict[bytes, Version | dict[bytes, Version]] = {
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
    # 7.2, 7.4, 8.0
    b"WAITAOF": _V72,
    **dict.fromkeys(
        (
            b"HEXPIRE", b"HPEXPIRE", b"HEXPIREAT", b"HPEXPIREAT", b"HTTL", b"HPTTL",
            b"HEXPIRETIME", b"HPEXPIRETIME", b"HPERSIST",
        ),
        _V74,
    ),
    **dict.fromkeys((b"HGETDEL", b"HGETEX", b"HSETEX"), _V80),
    # containers
    b"CLIENT": {
        b"INFO": _V62, b"UNPAUSE": _V62, b"TRACKINGINFO": _V62, b"NO-EVICT": _V70,
        b"NO-TOUCH": _V72, b"SETINFO": _V72,
    },
    b"CLUSTER": {
        b"SHARDS": _V70, b"LINKS": _V70, b"ADDSLOTSRANGE": _V70, b"DELSLOTSRANGE": _V70,
        b"MYSHARDID": _V72,
    },
    b"COMMAND": {b"DOCS": _V70, b"LIST": _V70, b"GETKEYSANDFLAGS": _V70},
    b"LATENCY": {b"HISTOGRAM": _V70},
    b"MODULE": {b"LOADEX": _V70},
    b"PUBSUB": {b"SHARDCHANNELS": _V70, b"SHARDNUMSUB": _V70},
}  # fmt: skip

#: the commands :func:`check_version` may refuse (what the client's hot path tests)
VERSIONED_COMMANDS = frozenset(MIN_SERVER_VERSION)

#: a server at least this new runs every command of the table
NEWEST_REQUIREMENT: Version = max(
    v
    for entry in MIN_SERVER_VERSION.values()
    for v in (entry.values() if isinstance(entry, dict) else (entry,))
)

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


def check_version(command: bytes, args: tuple[Any, ...], server: Version) -> None:
    """Refuse ``command args`` when ``server`` is older than it requires.

    :raises CommandNotSupportedError: naming the command, the version it needs and the
        server's.
    """
    entry = MIN_SERVER_VERSION.get(command)
    name = _text(command)
    if isinstance(entry, dict):
        if not args:
            return
        sub = _text(args[0]).upper()
        entry = entry.get(sub.encode())
        name = f"{name} {sub}"
    elif command in _WHOLE_CONTAINERS and args:
        name = f"{name} {_text(args[0]).upper()}"
    if entry is not None and server < entry:
        needed = ".".join(map(str, entry))
        raise CommandNotSupportedError(
            f"{name} (requires redis {needed})", ".".join(map(str, server))
        )


async def server_version_of(conn: BaseConnection) -> Version | None:
    """The version of the server ``conn`` is connected to: from its ``HELLO`` reply, else
    ``INFO server``; ``None`` when neither tells (the check is then skipped).

    :raises ConnectionError: / :raises TimeoutError: when ``INFO`` cannot be run.

    Cancelling it while ``INFO`` is pending closes ``conn`` (as any request).
    """
    known = parse_version(conn.server_version)
    if known is not None:
        return known
    try:
        info = await conn.wait_for_reply(conn.create_request(b"INFO", b"server", decode=False))
    except ResponseError:  # INFO refused (ACL): do not check
        return None
    match = re.search(rb"redis_version:([0-9.]+)", info if isinstance(info, bytes) else b"")
    return parse_version(match.group(1)) if match else None
