"""Redis server commands: persistence, configuration, ``INFO``, replication, shutdown.

``ACL *`` lives in :mod:`._acl`; ``COMMAND``, ``LATENCY``, ``MEMORY``, ``MODULE`` and
``SLOWLOG`` in :mod:`._introspection`.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Literal

from ...exceptions import CommandSyntaxError, ConnectionError, DataError
from .._callbacks import as_str, ok, parse_info, to_dict, typed_value
from .._result_types import RoleInfo
from .._tokens import PureToken
from .._typing import KeyT, Parameters, StringT, ValueT
from ._acl import ACLCommands
from ._base import AnyStr_co
from ._introspection import IntrospectionCommands

__all__ = ("ServerCommands",)


def _started(response: Any, **options: Any) -> bool:
    # BGSAVE/BGREWRITEAOF answer with a status sentence ("Background saving started").
    return isinstance(response, (bytes, str))


def _info(response: Any, **options: Any) -> dict[str, Any]:
    return parse_info(response)


def _lastsave(response: Any, **options: Any) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(int(response))


def _time(response: Any, **options: Any) -> datetime.datetime:
    secs, usecs = response
    return datetime.datetime.fromtimestamp(int(secs) + int(usecs) / 1_000_000)


def _debug_object(response: Any, **options: Any) -> dict[str, Any]:
    text = as_str(response)
    result: dict[str, Any] = {}
    for token in text.split(" "):
        key, sep, value = token.partition(":")
        if sep and key != "at":
            result[key] = typed_value(value)
    return result


def _role(response: Any, **options: Any) -> RoleInfo:
    role = as_str(response[0])
    if role == "master":
        replicas = tuple(
            {"ip": as_str(ip), "port": int(port), "offset": int(offset)}
            for ip, port, offset in response[2]
        )
        return RoleInfo(role, int(response[1]), None, replicas, None)
    if role == "slave":
        host, port, state, offset = response[1:5]
        return RoleInfo(role, int(offset), as_str(state), None, (as_str(host), str(port)))
    return RoleInfo(role, None, None, None, tuple(as_str(name) for name in response[1]))


class ServerCommands(ACLCommands[AnyStr_co], IntrospectionCommands[AnyStr_co]):
    """The server command group (persistence, configuration, ``INFO``, replication)."""

    async def bgrewriteaof(self) -> bool:
        """Start rewriting the append-only file in the background.

        https://redis.io/commands/bgrewriteaof

        :return: ``True`` once the rewrite is started or scheduled.
        """
        return await self.execute_command(b"BGREWRITEAOF", callback=_started)

    async def bgsave(self, schedule: bool | None = None) -> bool:
        """Save the dataset to disk in the background.

        https://redis.io/commands/bgsave

        :return: ``True`` once saving is started (or scheduled, with ``schedule``).
        """
        args: list[ValueT] = [b"SCHEDULE"] if schedule else []
        return await self.execute_command(b"BGSAVE", *args, callback=_started)

    async def save(self) -> bool:
        """Save the dataset to disk, blocking the server.

        https://redis.io/commands/save

        :return: ``True``.
        """
        return await self.execute_command(b"SAVE", callback=ok)

    async def lastsave(self) -> datetime.datetime:
        """Time of the last successful save.

        https://redis.io/commands/lastsave

        :return: a naive local ``datetime``.
        """
        return await self.execute_command(b"LASTSAVE", callback=_lastsave)

    async def config_get(self, parameters: Parameters[StringT]) -> dict[AnyStr_co, AnyStr_co]:
        """Values of configuration parameters (glob patterns allowed).

        https://redis.io/commands/config-get

        :return: ``{parameter: value}``.
        :raises DataError: when ``parameters`` is empty or a single string.
        """
        if isinstance(parameters, (str, bytes)):
            raise DataError("parameters must be an iterable of names, not a single string")
        names = list(parameters)
        if not names:
            raise DataError("config_get needs at least one parameter")
        return await self.execute_command(b"CONFIG", b"GET", *names, callback=to_dict)

    async def config_set(self, parameter_values: Mapping[StringT, ValueT]) -> bool:
        """Set configuration parameters (atomically: all or none).

        https://redis.io/commands/config-set

        :return: ``True``.
        :raises DataError: when ``parameter_values`` is empty.
        """
        if not parameter_values:
            raise DataError("config_set needs at least one parameter")
        args: list[ValueT] = []
        for name, value in parameter_values.items():
            args.extend((name, value))
        return await self.execute_command(b"CONFIG", b"SET", *args, callback=ok)

    async def config_resetstat(self) -> bool:
        """Reset the statistics ``INFO`` reports.

        https://redis.io/commands/config-resetstat

        :return: ``True``.
        """
        return await self.execute_command(b"CONFIG", b"RESETSTAT", callback=ok)

    async def config_rewrite(self) -> bool:
        """Rewrite the configuration file with the running configuration.

        https://redis.io/commands/config-rewrite

        :return: ``True``.
        """
        return await self.execute_command(b"CONFIG", b"REWRITE", callback=ok)

    async def dbsize(self) -> int:
        """Number of keys in the selected database.

        https://redis.io/commands/dbsize

        :return: the count.
        """
        reply: int = await self.execute_command(b"DBSIZE")
        return reply

    async def debug_object(self, key: KeyT) -> dict[str, Any]:
        """Debugging information about a key (``enable-debug-command`` must allow it).

        https://redis.io/commands/debug-object

        :return: ``refcount``, ``encoding``, ``serializedlength``, ``lru``... numbers as int.
        """
        return await self.execute_command(b"DEBUG", b"OBJECT", key, callback=_debug_object)

    async def failover(
        self,
        host: StringT | None = None,
        port: int | None = None,
        force: bool | None = None,
        abort: bool | None = None,
        timeout: int | datetime.timedelta | None = None,
    ) -> bool:
        """Start (or ``abort``) a coordinated failover to a replica.

        https://redis.io/commands/failover

        :return: ``True``.
        :raises CommandSyntaxError: when ``host`` and ``port`` are not given together, or
            ``force`` comes without target and ``timeout``.

        .. versionadded:: 6.2.0
           Redis version that introduced the command.
        """
        args: list[ValueT] = []
        if (host is None) != (port is None):
            raise CommandSyntaxError({"host", "port"}, "host and port go together")
        if host is not None and port is not None:
            args.extend((b"TO", host, port))
            if force:
                if timeout is None:
                    raise CommandSyntaxError({"force", "timeout"}, "force needs timeout")
                args.append(PureToken.FORCE)
        elif force:
            raise CommandSyntaxError({"force", "host"}, "force needs host and port")
        if abort:
            args.append(b"ABORT")
        if timeout is not None:
            ms = (
                int(timeout.total_seconds() * 1000)
                if isinstance(timeout, datetime.timedelta)
                else timeout
            )
            args.extend((PureToken.TIMEOUT, ms))
        return await self.execute_command(b"FAILOVER", *args, callback=ok)

    async def flushall(
        self, async_: Literal[PureToken.ASYNC, PureToken.SYNC] | None = None
    ) -> bool:
        """Delete every key of every database.

        https://redis.io/commands/flushall

        :return: ``True``.
        """
        args: list[ValueT] = [async_] if async_ is not None else []
        return await self.execute_command(b"FLUSHALL", *args, callback=ok)

    async def flushdb(self, async_: Literal[PureToken.ASYNC, PureToken.SYNC] | None = None) -> bool:
        """Delete every key of the selected database.

        https://redis.io/commands/flushdb

        :return: ``True``.
        """
        args: list[ValueT] = [async_] if async_ is not None else []
        return await self.execute_command(b"FLUSHDB", *args, callback=ok)

    async def info(self, *sections: StringT) -> dict[str, Any]:
        """Server information and statistics.

        https://redis.io/commands/info

        :return: ``{field: value}`` over the requested sections; numbers as ``int``/``float``,
            ``k=v,...`` values (``db0``, ``cmdstat_*``...) as dicts.
        """
        return await self.execute_command(b"INFO", *sections, callback=_info)

    async def lolwut(self, version: int | None = None) -> AnyStr_co:
        """Computer art and the Redis version.

        https://redis.io/commands/lolwut

        :return: the art, as text.
        """
        args: list[ValueT] = [b"VERSION", version] if version is not None else []
        reply: AnyStr_co = await self.execute_command(b"LOLWUT", *args)
        return reply

    async def replicaof(self, host: StringT | None = None, port: int | None = None) -> bool:
        """Make the server a replica of ``host:port``, or a primary again (no arguments).

        https://redis.io/commands/replicaof

        :return: ``True``.
        :raises CommandSyntaxError: when only one of ``host`` and ``port`` is given.
        """
        return await self._replicate(b"REPLICAOF", host, port)

    async def slaveof(self, host: StringT | None = None, port: int | None = None) -> bool:
        """Deprecated alias of :meth:`replicaof`.

        https://redis.io/commands/slaveof

        :return: ``True``.
        :raises CommandSyntaxError: when only one of ``host`` and ``port`` is given.
        """
        return await self._replicate(b"SLAVEOF", host, port)

    async def _replicate(self, command: bytes, host: StringT | None, port: int | None) -> bool:
        if (host is None) != (port is None):
            raise CommandSyntaxError({"host", "port"}, "host and port go together")
        args: list[ValueT] = (
            [host, port] if host is not None and port is not None else [b"NO", b"ONE"]
        )
        return await self.execute_command(command, *args, callback=_started)

    async def role(self) -> RoleInfo:
        """The replication role of the server.

        https://redis.io/commands/role

        :return: a :class:`RoleInfo`: for a master its ``offset`` and ``slaves``
            (``ip``/``port``/``offset`` dicts), for a replica its ``offset``, ``status`` and
            ``masters`` (``(host, port)``), for a sentinel the monitored ``masters``.
        """
        return await self.execute_command(b"ROLE", callback=_role)

    async def shutdown(
        self,
        nosave_save: Literal[PureToken.NOSAVE, PureToken.SAVE] | None = None,
        *,
        now: bool | None = None,
        force: bool | None = None,
        abort: bool | None = None,
    ) -> bool:
        """Stop the server (or ``abort`` a shutdown waiting for replicas).

        https://redis.io/commands/shutdown

        :return: ``True`` when the server closed the connection (or aborted the shutdown).
        :raises ResponseError: when the server refuses to shut down (e.g. it cannot save).
        """
        args: list[ValueT] = [nosave_save] if nosave_save is not None else []
        if now:
            args.append(PureToken.NOW)
        if force:
            args.append(PureToken.FORCE)
        if abort:
            args.append(b"ABORT")
        try:
            return await self.execute_command(b"SHUTDOWN", *args, callback=ok)
        except ConnectionError:
            # Success: the server exits without replying.
            return True

    async def swapdb(self, index1: int, index2: int) -> bool:
        """Swap two databases.

        https://redis.io/commands/swapdb

        :return: ``True``.
        """
        return await self.execute_command(b"SWAPDB", index1, index2, callback=ok)

    async def time(self) -> datetime.datetime:
        """The server's clock.

        https://redis.io/commands/time

        :return: a naive local ``datetime`` with microseconds.
        """
        return await self.execute_command(b"TIME", callback=_time)
