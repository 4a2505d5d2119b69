"""Typed access to the command table (``_command_table.py``, generated).

The table is what Redis 7.0 and Valkey 9.1 say about their commands (``COMMAND INFO`` and
``COMMAND DOCS``, merged by ``tools/generate_command_table.py``). Every command set the
layers use is derived from it, here or next to the policy that uses it:

- here: :data:`READONLY_COMMANDS` and :data:`BLOCKING_NAMES` (server flags);
- ``_commands.py`` (this package): the blocking set and its timeouts, the retry rule;
- coredis-pool: what a multiplexed pool dedicates a connection to;
- coredis-client: minimum versions (``_versions.py``), deprecation warnings
  (``_deprecations.py``), cacheable reads (``_cache.py``);
- coredis-cluster: key positions and replica reads (``_keys.py``), fan-out and split
  commands (``_routing.py``).

Internal to the coredis distributions (the client and the cluster import this module by
its private name; their version ranges on coredis-connection keep it in step): the names
here are not a public API.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from ._command_table import ROWS, SERVERS

__all__ = (
    "BLOCKING_NAMES",
    "COMMANDS",
    "CONTAINERS",
    "READONLY_COMMANDS",
    "SERVERS",
    "CommandInfo",
    "KeySpec",
    "Version",
    "lookup",
    "names_where",
    "table_name",
)

Version = tuple[int, int, int]
#: ``(begin_type, begin_arg, startfrom, find_type, a, b, c)``: ``("index", 1, 0, "range",
#: 0, 1, 0)`` is "the first argument"; ``keyword`` begins after a token; ``keynum`` reads
#: the number of keys from an argument (as ``COMMAND DOCS`` describes key specs)
KeySpec = tuple[Any, ...]


def _version(text: str | None) -> Version | None:
    if text is None:
        return None
    major, minor, patch = (int(part) for part in text.split("."))
    return major, minor, patch


@dataclass(frozen=True)
class CommandInfo:
    """One command (``"GET"``) or sub-command (``"CLIENT INFO"``) of the table."""

    name: str
    #: ``COMMAND DOCS`` group: ``"string"``, ``"server"``, ``"connection"``...
    group: str
    #: number of arguments including the name; negative: at least that many
    arity: int
    #: ``COMMAND INFO`` flags of either server (``"readonly"``, ``"blocking"``, ``"write"``...)
    flags: frozenset[str]
    first_key: int
    last_key: int
    key_step: int
    key_specs: tuple[KeySpec, ...]
    #: ``request_policy:all_shards``, ``response_policy:agg_sum``, ``nondeterministic_output``...
    tips: tuple[str, ...]
    #: the version each server has it since; ``None``: that server lacks it
    redis_since: Version | None
    valkey_since: Version | None
    #: ``(deprecated since, replaced by)`` as each server documents it, or ``None``
    redis_deprecated: tuple[str, str] | None
    valkey_deprecated: tuple[str, str] | None

    @property
    def readonly(self) -> bool:
        """Flagged ``readonly``: reads keys and writes none (may run on a replica)."""
        return "readonly" in self.flags

    @property
    def blocking(self) -> bool:
        """Flagged ``blocking``: may wait for data or replicas before replying."""
        return "blocking" in self.flags

    def _tip(self, prefix: str) -> str | None:
        return next((tip[len(prefix) :] for tip in self.tips if tip.startswith(prefix)), None)

    @property
    def request_policy(self) -> str | None:
        """Where a cluster client sends it: ``all_shards``, ``all_nodes``, ``multi_shard``,
        ``special``; ``None``: by its keys, or anywhere when keyless."""
        return self._tip("request_policy:")

    @property
    def response_policy(self) -> str | None:
        """How the replies of several nodes combine: ``agg_sum``, ``all_succeeded``..."""
        return self._tip("response_policy:")

    @property
    def nondeterministic(self) -> bool:
        """Its reply may differ for the same data (``RANDOMKEY``, ``SRANDMEMBER``...)."""
        return "nondeterministic_output" in self.tips

    def since(self, product: str) -> Version | None:
        """The version of ``product`` (``"redis"``/``"valkey"``) that added it, ``None``
        when that product lacks it."""
        return self.valkey_since if product == "valkey" else self.redis_since

    def deprecated_on(self, product: str) -> tuple[str, str] | None:
        """``(since, replaced by)`` when ``product`` documents it as deprecated."""
        return self.valkey_deprecated if product == "valkey" else self.redis_deprecated


def _info(name: str, row: tuple[Any, ...]) -> CommandInfo:
    group, arity, flags, first, last, step, specs, tips, redis, valkey, r_dep, v_dep = row
    return CommandInfo(
        name, group, arity, frozenset(flags), first, last, step, specs, tips,
        _version(redis), _version(valkey), r_dep, v_dep,
    )  # fmt: skip


#: ``"GET"`` / ``"CLIENT INFO"`` -> :class:`CommandInfo`, every command of either server
COMMANDS: Mapping[str, CommandInfo] = MappingProxyType(
    {name: _info(name, row) for name, row in ROWS.items()}
)
#: commands with sub-commands (``CLIENT``, ``XINFO``...): their table name has two words
CONTAINERS: frozenset[str] = frozenset(name.split(" ", 1)[0] for name in COMMANDS if " " in name)


def lookup(name: str) -> CommandInfo | None:
    """The entry of ``name`` (upper case, ``"NAME SUB"`` for a sub-command), if any."""
    return COMMANDS.get(name)


def names_where(predicate: Callable[[CommandInfo], bool]) -> frozenset[str]:
    """The names of the entries ``predicate`` holds for."""
    return frozenset(name for name, info in COMMANDS.items() if predicate(info))


def _text(value: Any) -> str:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("latin-1").upper()
    return str(value).upper()


def table_name(command: bytes | str, args: Sequence[Any] = ()) -> str:
    """The table name of ``command args``: ``"GET"``, or ``"XINFO STREAM"`` for a
    container (``"XINFO"`` alone when no sub-command is given)."""
    name = _text(command)
    if name in CONTAINERS and args:
        return f"{name} {_text(args[0])}"
    return name


#: commands flagged ``readonly`` (``NAME`` or ``NAME SUBCOMMAND``)
READONLY_COMMANDS: frozenset[str] = names_where(lambda info: info.readonly)
#: commands flagged ``blocking`` by either server
BLOCKING_NAMES: frozenset[str] = names_where(lambda info: info.blocking)
