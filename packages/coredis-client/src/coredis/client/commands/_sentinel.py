"""Redis Sentinel commands (``SENTINEL *``), sent to a sentinel process.

:class:`coredis.sentinel.Sentinel` (when available) uses them to discover primaries and
replicas; they are here so a plain client connected to a sentinel can call them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...exceptions import DataError
from .._callbacks import as_str, ok, pairs, parse_info, typed_value
from .._typing import StringT, ValueT
from ._base import AnyStr_co, CommandMixin

__all__ = ("SentinelCommands",)

_FLAG_NAMES = ("master", "slave", "sentinel", "s_down", "o_down", "disconnected", "master_down")


def _state(raw: Any) -> dict[str, Any]:
    """One monitored instance's state: numbers as ``int``, flags also as ``is_*`` booleans."""
    state: dict[str, Any] = {}
    for key, value in pairs(raw):
        name = as_str(key)
        state[name] = typed_value(value) if name not in ("name", "ip", "runid") else as_str(value)
    flags = set(str(state.get("flags", "")).split(","))
    for flag in _FLAG_NAMES:
        state[f"is_{flag.replace('s_down', 'sdown').replace('o_down', 'odown')}"] = flag in flags
    return state


def _master(response: Any, **options: Any) -> dict[str, Any]:
    return _state(response)


def _masters(response: Any, **options: Any) -> dict[str, dict[str, Any]]:
    states = (_state(raw) for raw in response)
    return {state["name"]: state for state in states}


def _states(response: Any, **options: Any) -> tuple[dict[str, Any], ...]:
    return tuple(_state(raw) for raw in response)


def _addr(response: Any, **options: Any) -> tuple[str, int] | None:
    if not response:
        return None
    host, port = response
    return as_str(host), int(port)


def _infocache(response: Any, **options: Any) -> dict[Any, dict[int, dict[str, Any]]]:
    cache: dict[Any, dict[int, dict[str, Any]]] = {}
    for name, entries in pairs(response):
        cache[name] = {int(age): parse_info(text) for age, text in entries if text is not None}
    return cache


class SentinelCommands(CommandMixin[AnyStr_co]):
    """``SENTINEL *`` commands (the client must be connected to a sentinel).

    An unknown primary name raises :class:`~coredis.exceptions.ResponseError`.
    """

    async def sentinel_ckquorum(self, service_name: StringT) -> bool:
        """Whether the sentinels can reach the quorum to fail a primary over.

        https://redis.io/commands/sentinel-ckquorum

        :return: ``True`` (an error reply explains when not).
        """
        return await self.execute_command(b"SENTINEL", b"CKQUORUM", service_name, callback=_ok_text)

    async def sentinel_config_get(self, name: ValueT) -> dict[AnyStr_co, AnyStr_co]:
        """Sentinel configuration parameters (glob patterns allowed).

        https://redis.io/commands/sentinel-config

        :return: ``{parameter: value}``.

        .. versionadded:: 6.2.0
           Redis version that introduced the command.
        """
        return await self.execute_command(b"SENTINEL", b"CONFIG", b"GET", name, callback=_dict)

    async def sentinel_config_set(self, name: ValueT, value: ValueT) -> bool:
        """Set a sentinel configuration parameter.

        https://redis.io/commands/sentinel-config

        :return: ``True``.

        .. versionadded:: 6.2.0
           Redis version that introduced the command.
        """
        return await self.execute_command(b"SENTINEL", b"CONFIG", b"SET", name, value, callback=ok)

    async def sentinel_failover(self, service_name: StringT) -> bool:
        """Force a failover of a primary without asking the other sentinels.

        https://redis.io/commands/sentinel-failover

        :return: ``True``.
        """
        return await self.execute_command(b"SENTINEL", b"FAILOVER", service_name, callback=ok)

    async def sentinel_flushconfig(self) -> bool:
        """Rewrite the sentinel's configuration file.

        https://redis.io/commands/sentinel-flushconfig

        :return: ``True``.
        """
        return await self.execute_command(b"SENTINEL", b"FLUSHCONFIG", callback=ok)

    async def sentinel_get_master_addr_by_name(
        self, service_name: StringT
    ) -> tuple[str, int] | None:
        """Address of a monitored primary.

        https://redis.io/commands/sentinel-get-master-addr-by-name

        :return: ``(host, port)``, ``None`` for an unknown name.
        """
        return await self.execute_command(
            b"SENTINEL", b"GET-MASTER-ADDR-BY-NAME", service_name, callback=_addr
        )

    async def sentinel_infocache(
        self, *nodenames: StringT
    ) -> dict[AnyStr_co, dict[int, dict[str, Any]]]:
        """The ``INFO`` output the sentinel cached for primaries and their replicas.

        https://redis.io/commands/sentinel-info-cache

        :return: ``{primary name: {age in ms: parsed INFO}}``.
        """
        return await self.execute_command(
            b"SENTINEL", b"INFO-CACHE", *nodenames, callback=_infocache
        )

    async def sentinel_master(self, service_name: StringT) -> dict[str, Any]:
        """State of a monitored primary.

        https://redis.io/commands/sentinel-master

        :return: the fields (numbers as ``int``) plus ``is_master``, ``is_sdown``... flags.
        """
        return await self.execute_command(b"SENTINEL", b"MASTER", service_name, callback=_master)

    async def sentinel_masters(self) -> dict[str, dict[str, Any]]:
        """State of every monitored primary.

        https://redis.io/commands/sentinel-masters

        :return: ``{name: state}`` (see :meth:`sentinel_master`).
        """
        return await self.execute_command(b"SENTINEL", b"MASTERS", callback=_masters)

    async def sentinel_monitor(self, name: ValueT, ip: ValueT, port: int, quorum: int) -> bool:
        """Start monitoring a primary.

        https://redis.io/commands/sentinel-monitor

        :return: ``True``.
        """
        return await self.execute_command(
            b"SENTINEL", b"MONITOR", name, ip, port, quorum, callback=ok
        )

    async def sentinel_myid(self) -> AnyStr_co:
        """The sentinel's id.

        https://redis.io/commands/sentinel-myid

        :return: the 40-character id.

        .. versionadded:: 6.2.0
           Redis version that introduced the command.
        """
        reply: AnyStr_co = await self.execute_command(b"SENTINEL", b"MYID")
        return reply

    async def sentinel_remove(self, name: ValueT) -> bool:
        """Stop monitoring a primary.

        https://redis.io/commands/sentinel-remove

        :return: ``True``.
        """
        return await self.execute_command(b"SENTINEL", b"REMOVE", name, callback=ok)

    async def sentinel_replicas(self, service_name: StringT) -> tuple[dict[str, Any], ...]:
        """State of the replicas of a monitored primary.

        https://redis.io/commands/sentinel-replicas

        :return: one state per replica (see :meth:`sentinel_master`).
        """
        return await self.execute_command(b"SENTINEL", b"REPLICAS", service_name, callback=_states)

    async def sentinel_slaves(self, service_name: StringT) -> tuple[dict[str, Any], ...]:
        """Deprecated alias of :meth:`sentinel_replicas`.

        https://redis.io/commands/sentinel-slaves

        :return: one state per replica.
        """
        return await self.execute_command(b"SENTINEL", b"SLAVES", service_name, callback=_states)

    async def sentinel_sentinels(self, service_name: StringT) -> tuple[dict[str, Any], ...]:
        """The other sentinels monitoring a primary.

        https://redis.io/commands/sentinel-sentinels

        :return: one state per sentinel.
        """
        return await self.execute_command(b"SENTINEL", b"SENTINELS", service_name, callback=_states)

    async def sentinel_reset(self, pattern: StringT) -> int:
        """Reset the state of the primaries matching ``pattern``.

        https://redis.io/commands/sentinel-reset

        :return: the number of primaries reset.
        """
        reply: int = await self.execute_command(b"SENTINEL", b"RESET", pattern)
        return reply

    async def sentinel_set(self, name: ValueT, option: ValueT, value: ValueT) -> bool:
        """Change a monitoring option of a primary (``down-after-milliseconds``...).

        https://redis.io/commands/sentinel-set

        :return: ``True``.
        """
        return await self.execute_command(b"SENTINEL", b"SET", name, option, value, callback=ok)

    async def sentinel_debug(
        self, parameters: Mapping[StringT, ValueT] | None = None
    ) -> dict[AnyStr_co, AnyStr_co] | bool:
        """Show (no argument) or change the sentinel's internal timing parameters.

        https://redis.io/commands/sentinel-debug

        :return: ``{parameter: value}`` when reading, ``True`` after a change.

        .. versionadded:: 7.0.0
           Redis version that introduced the command.
        """
        args: list[ValueT] = []
        for name, value in (parameters or {}).items():
            args.extend((name, value))
        return await self.execute_command(b"SENTINEL", b"DEBUG", *args, callback=_debug)

    async def sentinel_is_master_down_by_addr(
        self, ip: StringT, port: int, current_epoch: int, runid: StringT
    ) -> tuple[bool, AnyStr_co, int]:
        """Ask whether this sentinel considers a primary down (``runid`` ``*`` just asks;
        a run id also requests a vote for that sentinel as failover leader).

        https://redis.io/commands/sentinel-is-master-down-by-addr

        :return: ``(down, leader run id or "*", leader epoch)``.
        """
        return await self.execute_command(
            b"SENTINEL",
            b"IS-MASTER-DOWN-BY-ADDR",
            ip,
            port,
            current_epoch,
            runid,
            callback=_down_by_addr,
        )

    async def sentinel_pending_scripts(self) -> tuple[dict[AnyStr_co, Any], ...]:
        """Notification/reconfiguration scripts queued or running.

        https://redis.io/commands/sentinel-pending-scripts

        :return: one dict per script (``argv``, ``flags``, ``pid``, ``run-time``...).
        """
        return await self.execute_command(
            b"SENTINEL", b"PENDING-SCRIPTS", callback=_pending_scripts
        )

    async def sentinel_simulate_failure(self, *modes: StringT) -> bool:
        """Arm crash points for testing (``crash-after-election``,
        ``crash-after-promotion``): the sentinel exits when it reaches them.

        https://redis.io/commands/sentinel-simulate-failure

        :return: ``True``.
        :raises DataError: when no mode is given.
        """
        if not modes:
            raise DataError("sentinel_simulate_failure needs at least one mode")
        return await self.execute_command(b"SENTINEL", b"SIMULATE-FAILURE", *modes, callback=ok)


def _ok_text(response: Any, **options: Any) -> bool:
    # CKQUORUM answers "+OK 1 usable Sentinels. Quorum and failover authorization ...".
    return str(as_str(response)).startswith("OK")


def _dict(response: Any, **options: Any) -> dict[Any, Any]:
    return dict(pairs(response))


def _debug(response: Any, **options: Any) -> bool | dict[Any, Any]:
    if isinstance(response, (bytes, str)):
        return response in (b"OK", "OK")
    return dict(pairs(response))


def _down_by_addr(response: Any, **options: Any) -> tuple[bool, Any, int]:
    down, leader, epoch = response
    return bool(down), leader, int(epoch)


def _pending_scripts(response: Any, **options: Any) -> tuple[dict[Any, Any], ...]:
    return tuple(dict(pairs(script)) for script in response)
