"""Redis connection commands (``AUTH``, ``HELLO``, ``PING``, ``CLIENT *``...).

Commands that change connection state (``AUTH``, ``SELECT``, ``HELLO``, ``CLIENT SETNAME``,
``CLIENT TRACKING``, ``CLIENT REPLY``...) affect only the pooled connection that happened to
run them: configure them on the client (``password=``, ``db=``, ``client_name=``...) instead.
"""

from __future__ import annotations

from typing import Any, Literal, cast

from ...exceptions import CommandSyntaxError, DataError
from .._arguments import as_list
from .._callbacks import as_str, boolean, ok, pairs
from .._result_types import ClientInfo
from .._tokens import PureToken
from .._typing import Parameters, StringT, ValueT
from ._base import AnyStr_co, CommandMixin

__all__ = ("ConnectionCommands", "parse_client_info")

#: ``CLIENT LIST``/``CLIENT INFO`` fields that are not numbers.
_TEXT_FIELDS = frozenset(
    ("addr", "laddr", "name", "flags", "events", "cmd", "user", "lib-name", "lib-ver")
)


def parse_client_info(line: Any) -> ClientInfo:
    """One ``CLIENT LIST`` line (``id=3 addr=... name=...``) as a dict, numbers as ``int``."""
    info: dict[str, Any] = {}
    for token in as_str(line).strip().split(" "):
        key, _, value = token.partition("=")
        if not key:
            continue
        if key in _TEXT_FIELDS:
            info[key] = value
        else:
            try:
                info[key] = int(value)
            except ValueError:
                info[key] = value
    return cast(ClientInfo, info)


def _client_list(response: Any, **options: Any) -> tuple[ClientInfo, ...]:
    return tuple(parse_client_info(line) for line in as_str(response).splitlines() if line)


def _client_info(response: Any, **options: Any) -> ClientInfo:
    return parse_client_info(response)


def _tracking_info(response: Any, **options: Any) -> dict[Any, Any]:
    info: dict[Any, Any] = {}
    for key, value in pairs(response):
        name = as_str(key)
        if name == "flags":
            value = set(value)
        elif name == "prefixes":
            value = list(value)
        info[key] = value
    return info


def _hello(response: Any, **options: Any) -> dict[Any, Any]:
    info: dict[Any, Any] = {}
    for key, value in pairs(response):
        if as_str(key) == "modules":
            value = [dict(pairs(m)) for m in value]
        info[key] = value
    return info


def _kill(response: Any, **options: Any) -> int | bool:
    return response in (b"OK", "OK") if isinstance(response, (bytes, str)) else int(response)


def _reset(response: Any, **options: Any) -> None:
    return None


class ConnectionCommands(CommandMixin[AnyStr_co]):
    """The connection command group."""

    async def auth(self, password: StringT, username: StringT | None = None) -> bool:
        """Authenticate the connection that runs it.

        https://redis.io/commands/auth

        :return: ``True``.
        :raises AuthenticationError: when the credentials are refused.

        On :class:`~coredis.Redis` and its pipelines, the pooled connection it ran on is
        then closed, not reused: its state changed
        and no other caller may inherit it (use the client's constructor arguments for a
        lasting change).
        """
        args: list[ValueT] = [username, password] if username is not None else [password]
        return await self.execute_command(b"AUTH", *args, callback=ok)

    async def echo(self, message: StringT) -> AnyStr_co:
        """The message, echoed by the server.

        https://redis.io/commands/echo

        :return: ``message``.
        """
        reply: AnyStr_co = await self.execute_command(b"ECHO", message)
        return reply

    async def hello(
        self,
        protover: int | None = None,
        username: StringT | None = None,
        password: StringT | None = None,
        setname: StringT | None = None,
    ) -> dict[AnyStr_co, Any]:
        """Handshake: switch protocol, authenticate, name the connection.

        https://redis.io/commands/hello

        :return: the server's description (``server``, ``version``, ``proto``, ``id``,
            ``mode``, ``role``, ``modules``).
        :raises CommandSyntaxError: when ``username``/``password``/``setname`` come without
            ``protover`` or ``username`` without ``password``.

        On :class:`~coredis.Redis` and its pipelines, the pooled connection it ran on is
        then closed, not reused: its state changed
        and no other caller may inherit it (use the client's constructor arguments for a
        lasting change).

        .. versionadded:: 6.0.0
           Redis version that introduced the command.
        """
        args: list[ValueT] = []
        if protover is not None:
            args.append(protover)
        elif username is not None or password is not None or setname is not None:
            raise CommandSyntaxError({"protover"}, "hello options need protover")
        if password is not None:
            args.extend((b"AUTH", username if username is not None else "default", password))
        elif username is not None:
            raise CommandSyntaxError({"username", "password"}, "username needs password")
        if setname is not None:
            args.extend((b"SETNAME", setname))
        return await self.execute_command(b"HELLO", *args, callback=_hello)

    async def ping(self, message: StringT | None = None) -> AnyStr_co:
        """Ping the server.

        https://redis.io/commands/ping

        :return: ``PONG``, or ``message`` when given.
        """
        args: list[ValueT] = [message] if message is not None else []
        reply: AnyStr_co = await self.execute_command(b"PING", *args)
        return reply

    async def quit(self) -> bool:
        """Ask the server to close the connection (it is then discarded).

        https://redis.io/commands/quit

        :return: ``True``.
        """
        return await self.execute_command(b"QUIT", callback=ok)

    async def reset(self) -> None:
        """Reset the connection's state (database, name, tracking, subscriptions, auth).

        https://redis.io/commands/reset

        On :class:`~coredis.Redis` and its pipelines, the pooled connection it ran on is
        then closed, not reused: its state changed
        and no other caller may inherit it (use the client's constructor arguments for a
        lasting change).

        .. versionadded:: 6.2.0
           Redis version that introduced the command.
        """
        await self.execute_command(b"RESET", callback=_reset)

    async def select(self, index: int) -> bool:
        """Change the database.

        https://redis.io/commands/select

        :return: ``True``.

        On :class:`~coredis.Redis` it changes the database of the client's pool: every
        command sent from then on, on a new or a reused connection, runs in ``index``
        (as a 4.x program expects), and so do other clients sharing that pool. The
        connection it ran on is closed. In a pipeline it applies to the pipeline's own
        connection only, which is closed afterwards.
        """
        return await self.execute_command(b"SELECT", index, callback=ok)

    async def client_caching(self, mode: Literal[PureToken.NO, PureToken.YES]) -> bool:
        """Whether the next command's keys are tracked (``OPTIN``/``OPTOUT`` tracking).

        https://redis.io/commands/client-caching

        :return: ``True``.

        .. versionadded:: 6.0.0
           Redis version that introduced the command.
        """
        return await self.execute_command(b"CLIENT", b"CACHING", mode, callback=ok)

    async def client_getname(self) -> AnyStr_co | None:
        """The connection's name.

        https://redis.io/commands/client-getname

        :return: the name, ``None`` when unset.
        """
        reply: AnyStr_co | None = await self.execute_command(b"CLIENT", b"GETNAME")
        return reply

    async def client_getredir(self) -> int:
        """Id of the client receiving this connection's tracking invalidations.

        https://redis.io/commands/client-getredir

        :return: the id, 0 when not redirecting, -1 when tracking is off.

        .. versionadded:: 6.0.0
           Redis version that introduced the command.
        """
        reply: int = await self.execute_command(b"CLIENT", b"GETREDIR")
        return reply

    async def client_id(self) -> int:
        """Id of the connection.

        https://redis.io/commands/client-id

        :return: the id.
        """
        reply: int = await self.execute_command(b"CLIENT", b"ID")
        return reply

    async def client_info(self) -> ClientInfo:
        """Information about the connection (the ``CLIENT LIST`` fields).

        https://redis.io/commands/client-info

        :return: a dict, numbers as ``int``.

        .. versionadded:: 6.2.0
           Redis version that introduced the command.
        """
        return await self.execute_command(b"CLIENT", b"INFO", callback=_client_info)

    async def client_kill(
        self,
        ip_port: StringT | None = None,
        identifier: int | None = None,
        type_: Literal[
            PureToken.NORMAL, PureToken.MASTER, PureToken.SLAVE, PureToken.REPLICA, PureToken.PUBSUB
        ]
        | None = None,
        user: StringT | None = None,
        addr: StringT | None = None,
        laddr: StringT | None = None,
        skipme: bool | None = None,
    ) -> int | bool:
        """Close client connections, by address (``ip_port``) or by filters.

        https://redis.io/commands/client-kill

        :return: ``True`` for the ``ip_port`` form, else the number of clients killed.
        :raises DataError: when no criterion is given.
        """
        args: list[ValueT] = []
        if ip_port is not None:
            args.append(ip_port)
        if identifier is not None:
            args.extend((b"ID", identifier))
        if type_ is not None:
            args.extend((PureToken.TYPE, type_))
        if user is not None:
            args.extend((b"USER", user))
        if addr is not None:
            args.extend((b"ADDR", addr))
        if laddr is not None:
            args.extend((b"LADDR", laddr))
        if skipme is not None:
            args.extend((b"SKIPME", PureToken.YES if skipme else PureToken.NO))
        if not args:
            raise DataError("client_kill needs ip_port or at least one filter")
        return await self.execute_command(b"CLIENT", b"KILL", *args, callback=_kill)

    async def client_list(
        self,
        type_: Literal[PureToken.MASTER, PureToken.NORMAL, PureToken.PUBSUB, PureToken.REPLICA]
        | None = None,
        identifiers: Parameters[int] | None = None,
    ) -> tuple[ClientInfo, ...]:
        """The connected clients.

        https://redis.io/commands/client-list

        :return: one dict per client, numbers as ``int``.
        """
        args: list[ValueT] = []
        if type_ is not None:
            args.extend((PureToken.TYPE, type_))
        if identifiers is not None:
            ids = as_list(identifiers, "identifiers", allow_empty=False)
            args.append(b"ID")
            args.extend(ids)
        return await self.execute_command(b"CLIENT", b"LIST", *args, callback=_client_list)

    async def client_no_evict(self, enabled: Literal[PureToken.ON, PureToken.OFF]) -> bool:
        """Exclude (``ON``) the connection from client eviction.

        https://redis.io/commands/client-no-evict

        :return: ``True``.

        .. versionadded:: 7.0.0
           Redis version that introduced the command.
        """
        return await self.execute_command(b"CLIENT", b"NO-EVICT", enabled, callback=ok)

    async def client_pause(
        self, timeout: int, mode: Literal[PureToken.WRITE, PureToken.ALL] | None = None
    ) -> bool:
        """Suspend all (or write) clients for ``timeout`` milliseconds.

        https://redis.io/commands/client-pause

        :return: ``True``.
        """
        args: list[ValueT] = [timeout]
        if mode is not None:
            args.append(mode)
        return await self.execute_command(b"CLIENT", b"PAUSE", *args, callback=ok)

    async def client_unpause(self) -> bool:
        """End a ``CLIENT PAUSE``.

        https://redis.io/commands/client-unpause

        :return: ``True``.

        .. versionadded:: 6.2.0
           Redis version that introduced the command.
        """
        return await self.execute_command(b"CLIENT", b"UNPAUSE", callback=ok)

    async def client_reply(
        self, mode: Literal[PureToken.OFF, PureToken.ON, PureToken.SKIP]
    ) -> bool:
        """Turn server replies on or off for this connection.

        ``OFF``/``SKIP`` leave later commands without a reply: only ``ON`` is safe on a
        pooled client (use :meth:`~coredis.Redis.ignore_replies` instead).

        https://redis.io/commands/client-reply

        :return: ``True``.
        :raises DataError: for ``OFF``/``SKIP`` (the reply the client waits for never comes).

        On :class:`~coredis.Redis` and its pipelines, the pooled connection it ran on is
        then closed, not reused: its state changed
        and no other caller may inherit it (use the client's constructor arguments for a
        lasting change).
        """
        if mode != PureToken.ON:
            raise DataError("client_reply OFF/SKIP would desynchronise a pooled connection")
        return await self.execute_command(b"CLIENT", b"REPLY", mode, callback=ok)

    async def client_setname(self, connection_name: StringT) -> bool:
        """Name the client's connections.

        https://redis.io/commands/client-setname

        :return: ``True``.

        On :class:`~coredis.Redis` it names every connection of the client's pool from
        then on (new and reused ones; ``""`` removes the name), as ``client_name=`` does.
        The connection it ran on is closed. In a pipeline it applies to the pipeline's own
        connection only, which is closed afterwards.
        """
        return await self.execute_command(b"CLIENT", b"SETNAME", connection_name, callback=ok)

    async def client_tracking(
        self,
        status: Literal[PureToken.OFF, PureToken.ON],
        *prefixes: StringT,
        redirect: int | None = None,
        bcast: bool | None = None,
        optin: bool | None = None,
        optout: bool | None = None,
        noloop: bool | None = None,
    ) -> bool:
        """Turn server-assisted client-side caching on or off.

        https://redis.io/commands/client-tracking

        :return: ``True``.
        :raises CommandSyntaxError: when both ``optin`` and ``optout`` are set.

        On :class:`~coredis.Redis` and its pipelines, the pooled connection it ran on is
        then closed, not reused: its state changed
        and no other caller may inherit it (use the client's constructor arguments for a
        lasting change).

        .. versionadded:: 6.0.0
           Redis version that introduced the command.
        """
        if optin and optout:
            raise CommandSyntaxError({"optin", "optout"}, "optin and optout are exclusive")
        args: list[ValueT] = [status]
        for prefix in prefixes:
            args.extend((b"PREFIX", prefix))
        if redirect is not None:
            args.extend((PureToken.REDIRECT, redirect))
        for flag, token in (
            (bcast, PureToken.BCAST),
            (optin, PureToken.OPTIN),
            (optout, PureToken.OPTOUT),
            (noloop, PureToken.NOLOOP),
        ):
            if flag:
                args.append(token)
        return await self.execute_command(b"CLIENT", b"TRACKING", *args, callback=ok)

    async def client_trackinginfo(self) -> dict[AnyStr_co, Any]:
        """The connection's tracking state.

        https://redis.io/commands/client-trackinginfo

        :return: ``{"flags": set, "redirect": int, "prefixes": list}``.

        .. versionadded:: 6.2.0
           Redis version that introduced the command.
        """
        return await self.execute_command(b"CLIENT", b"TRACKINGINFO", callback=_tracking_info)

    async def client_unblock(
        self,
        client_id: int,
        timeout_error: Literal[PureToken.TIMEOUT, PureToken.ERROR] | None = None,
    ) -> bool:
        """Unblock a client blocked in a blocking command.

        https://redis.io/commands/client-unblock

        :return: ``True`` if the client was blocked and is now unblocked.
        """
        args: list[ValueT] = [client_id]
        if timeout_error is not None:
            args.append(timeout_error)
        return await self.execute_command(b"CLIENT", b"UNBLOCK", *args, callback=boolean)
