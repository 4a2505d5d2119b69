"""The standalone client, :class:`Redis`.

How the pieces fit (the seam the cluster client builds on):

* :class:`~coredis.client._surface.CoreCommands` stacks every command-group mixin. A mixin
  method builds its arguments and calls ``self.execute_command(command, *args,
  callback=..., **options)``; it never touches connections.
  The iterators (``scan_iter``...) and the ``bitfield`` builder live in the mixins too.
* :class:`Redis` supplies ``execute_command`` (pool → connection → reply → callback), the
  connection pool built from the constructor arguments, and the objects that need a
  connection of their own or a batch: :meth:`Redis.pipeline`, :meth:`Redis.pubsub`,
  :meth:`Redis.monitor`, scripts and libraries.
* ``coredis.RedisCluster`` inherits ``CoreCommands`` the same way and
  provides its own ``execute_command`` (slot routing, MOVED/ASK) and pipeline; it does not
  inherit :class:`Redis`.
"""

from __future__ import annotations

import asyncio
import ssl
import warnings
from collections.abc import Generator
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from coredis.connection import (
    BLOCKING_COMMANDS,
    STATEFUL_COMMANDS,
    changes_connection_state,
    read_timeout,
)
from coredis.connection.events import LISTENERS
from coredis.exceptions import ConnectionError, ReplicationError, TimeoutError
from coredis.pool import ConnectionPool
from coredis.protocol import encode_commands

from ._cache_abc import invalidate_for
from ._deprecations import DEPRECATED_COMMANDS, warn_if_deprecated
from ._observe import OBSERVING, observed
from ._options import RedisExtraOptions, RedisOptions, RedisURLOptions, TLSOptions
from ._reply_modes import ReplyModes
from ._retry import RetryPolicy
from ._state import client_wide_setting
from ._surface import CoreCommands
from ._typing import KeyT, R, ResponseType, ValueT
from ._versions import (
    VERSIONED_COMMANDS,
    Server,
    ServerVersion,
    check_version,
    gated_commands,
    parse_version,
    server_version_of,
)
from .commands._base import AnyStr_co, ResponseCallback

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ._cache_abc import AbstractCache
    from ._lock import Lock
    from ._monitor import Monitor
    from ._pipeline import Pipeline
    from ._pubsub import PubSub
    from ._scripting_objects import Library, Script

__all__ = ("Redis",)

ClientT = TypeVar("ClientT", bound="Redis[Any]")
# _execute_special's answer when nothing special applies to the command after all
_PLAIN: Any = object()
# what execute_command hands to _verify_version (with verify_version on)
_GATED = VERSIONED_COMMANDS | DEPRECATED_COMMANDS


class Redis(ReplyModes, CoreCommands[AnyStr_co]):
    """An asyncio Redis client backed by a connection pool.

    ``Redis(decode_responses=True)`` is a ``Redis[str]``: replies are decoded with
    ``encoding``; otherwise a ``Redis[bytes]``.

    The pool is built from the arguments unless ``connection_pool`` is given; a given pool
    is shared and never closed by this client, and its ``decode_responses`` decides
    whether replies are decoded: passing the opposite raises :class:`ValueError` (pass
    ``decode_responses=True`` along with a decoding pool to get a ``Redis[str]``).
    ``unix_socket_path`` selects
    :class:`~coredis.connection.UnixDomainSocketConnection`; ``ssl=True`` builds an
    :class:`ssl.SSLContext` from the ``ssl_*`` arguments (with
    :func:`coredis.pool.build_ssl_context`, as ``rediss://`` URLs do), or ``ssl_context``
    is used as given; ``ssl_*`` arguments without ``ssl=True`` raise ``ValueError``. Every
    setting is checked here, at construction: a wrong one (``port=99146``,
    ``stream_timeout="5"``, ``encoding="bogus"``...) raises ``ValueError`` or
    ``TypeError`` naming it. The other keyword arguments (``kwargs``, typed by
    :class:`~coredis.client.RedisExtraOptions`: the
    :class:`~coredis.connection.ConnectionOptions` such as ``busy_poll`` and
    ``credential_provider``, ``socket_keepalive``, ``timeout`` of
    :class:`~coredis.pool.BlockingConnectionPool`...) reach the pool class and the
    connection class; one neither takes (a misspelt name) raises :class:`TypeError`
    naming it, here, and is a type error for mypy.

    Retries follow ``retry_policy`` (a :class:`~coredis.client.RetryPolicy`; the default
    retries once, at once): a command that fails *before it was written* (the connection
    could not be acquired or was already closed) is retried whatever it is. A command whose
    reply was lost *after it was written* is retried only if it is idempotent (flagged
    ``readonly`` by the server, or free of side effects such as ``PING``) and the error is
    one of the policy's ``retry_on`` (``ConnectionError``; ``TimeoutError`` too with
    ``retry_on_timeout=True``). A non-idempotent command is never repeated silently.

    ``verify_version`` (default on): a command newer than the connected server (the 6.2+
    commands of :data:`coredis.client._versions.MIN_SERVER_VERSION`) raises
    :class:`~coredis.exceptions.CommandNotSupportedError` without being sent. The version
    is read once per client (from the ``HELLO`` reply, else ``INFO server``) and is
    :attr:`server_version`. With ``verify_version`` a command the server documents as
    deprecated also emits a :class:`DeprecationWarning` naming its replacement, as in 4.x
    (see :mod:`coredis.client._deprecations`).
    """

    connection_pool: ConnectionPool

    # Typing only: the reply type follows decode_responses. Every other argument is typed by
    # RedisOptions; the implementation below names (and documents) each of them.
    @overload
    def __init__(
        self: Redis[bytes],
        host: str | None = ...,
        port: int | None = ...,
        db: int = ...,
        *,
        decode_responses: Literal[False] = ...,
        **kwargs: Unpack[RedisOptions],
    ) -> None: ...

    @overload
    def __init__(
        self: Redis[str],
        host: str | None = ...,
        port: int | None = ...,
        db: int = ...,
        *,
        decode_responses: Literal[True],
        **kwargs: Unpack[RedisOptions],
    ) -> None: ...

    @overload
    def __init__(
        self: Redis[Any],
        host: str | None = ...,
        port: int | None = ...,
        db: int = ...,
        *,
        decode_responses: bool,
        **kwargs: Unpack[RedisOptions],
    ) -> None: ...

    def __init__(
        self,
        host: str | None = "localhost",
        port: int | None = 6379,
        db: int = 0,
        *,
        username: str | None = None,
        password: str | None = None,
        stream_timeout: float | None = None,
        connect_timeout: float | None = None,
        connection_pool: ConnectionPool | None = None,
        connection_pool_cls: type[ConnectionPool] = ConnectionPool,
        unix_socket_path: str | None = None,
        encoding: str = "utf-8",
        decode_responses: bool | None = None,
        ssl: bool = False,
        ssl_context: ssl.SSLContext | None = None,
        ssl_keyfile: str | None = None,
        ssl_certfile: str | None = None,
        ssl_cert_reqs: Literal["optional", "required", "none"] | None = None,
        ssl_check_hostname: bool | None = None,
        ssl_ca_certs: str | None = None,
        max_connections: int | None = None,
        retry_on_timeout: bool = False,
        max_idle_time: float = 0,
        idle_check_interval: float = 1,
        client_name: str | None = None,
        protocol_version: Literal[2, 3] = 3,
        verify_version: bool = True,
        retry_policy: RetryPolicy | None = None,
        noreply: bool = False,
        cache: AbstractCache | None = None,
        **kwargs: Unpack[RedisExtraOptions],
    ) -> None:
        if protocol_version not in (2, 3):
            raise ValueError(f"protocol_version must be 2 or 3, not {protocol_version!r}")
        if "loop" in kwargs:
            # 4.x accepted (and ignored) the event loop; asyncio finds the running one
            kwargs.pop("loop")
            warnings.warn(
                "Redis(loop=...) is deprecated and ignored: the client uses the running loop",
                DeprecationWarning,
                stacklevel=2,
            )
        self._owns_pool = connection_pool is None
        if connection_pool is None:
            from ._options import check_connection_kwargs, pool_kwargs

            tls = TLSOptions(
                ssl=ssl,
                ssl_context=ssl_context,
                ssl_keyfile=ssl_keyfile,
                ssl_certfile=ssl_certfile,
                ssl_cert_reqs=ssl_cert_reqs,
                ssl_check_hostname=ssl_check_hostname,
                ssl_ca_certs=ssl_ca_certs,
            )
            connection_pool = connection_pool_cls(
                **pool_kwargs(
                    host=host,
                    port=port,
                    unix_socket_path=unix_socket_path,
                    tls=tls,
                    db=db,
                    username=username,
                    password=password,
                    stream_timeout=stream_timeout,
                    connect_timeout=connect_timeout,
                    encoding=encoding,
                    decode_responses=bool(decode_responses),
                    retry_on_timeout=retry_on_timeout,
                    max_connections=max_connections,
                    max_idle_time=max_idle_time,
                    idle_check_interval=idle_check_interval,
                    client_name=client_name,
                    protocol_version=protocol_version,
                    noreply=noreply,
                    **kwargs,
                )
            )
            # Connections are made lazily: refuse a misspelt argument now, not at the
            # first command.
            check_connection_kwargs(connection_pool)
        self.connection_pool = connection_pool
        pool_options: dict[str, Any] = getattr(connection_pool, "connection_kwargs", {})
        self.encoding: str = pool_options.get("encoding", encoding)
        #: The pool's connections decode (or not): a shared pool decides, and a client asked
        #: for the opposite would return what its type does not say.
        self.decode_responses: bool = bool(pool_options.get("decode_responses", False))
        if decode_responses is not None and decode_responses != self.decode_responses:
            raise ValueError(
                f"decode_responses={decode_responses} conflicts with the connection pool, "
                f"whose connections have decode_responses={self.decode_responses}: omit "
                "decode_responses (the client follows the pool) or create the pool with it"
            )
        self.protocol_version: Literal[2, 3] = pool_options.get(
            "protocol_version", protocol_version
        )
        self.retry_on_timeout = retry_on_timeout
        if retry_policy is not None and not isinstance(retry_policy, RetryPolicy):
            raise TypeError(f"retry_policy must be a RetryPolicy, not {retry_policy!r}")
        policy = retry_policy or RetryPolicy()
        #: When and how a failed command is sent again (see :class:`RetryPolicy`).
        self.retry_policy: RetryPolicy = policy.with_timeouts() if retry_on_timeout else policy
        self.verify_version = verify_version
        # commands checked against the server (see ._versions) or warned about
        # (._deprecations): empty when verify_version is off (as in 4.x); once the server is
        # known, only what it could refuse and the deprecated commands
        self._version_gated: frozenset[bytes] = _GATED if verify_version else frozenset()
        self._server_version: Server | None = None
        self._version_unknown = False  # the server did not tell its version
        # noreply, and ensure_replication()/ignore_replies() (shared with RedisCluster)
        self._init_reply_modes(noreply)
        self._context_depth = 0
        #: the :class:`~coredis.cache.AbstractCache` answering cacheable reads, if any
        self.cache = cache
        self._cache_ready = False  # cache.initialize(self) awaited yet
        if cache is not None:
            self._special += 1  # the cache check lives on the special path only

    @overload
    @classmethod
    def from_url(
        cls,
        url: str,
        db: int | None = ...,
        *,
        decode_responses: Literal[False] = ...,
        protocol_version: Literal[2, 3] = ...,
        verify_version: bool = ...,
        retry_policy: RetryPolicy | None = ...,
        noreply: bool = ...,
        **kwargs: Unpack[RedisURLOptions],
    ) -> Redis[bytes]: ...

    @overload
    @classmethod
    def from_url(
        cls,
        url: str,
        db: int | None = ...,
        *,
        decode_responses: Literal[True],
        protocol_version: Literal[2, 3] = ...,
        verify_version: bool = ...,
        retry_policy: RetryPolicy | None = ...,
        noreply: bool = ...,
        **kwargs: Unpack[RedisURLOptions],
    ) -> Redis[str]: ...

    @overload
    @classmethod
    def from_url(
        cls,
        url: str,
        db: int | None = ...,
        *,
        decode_responses: bool = ...,
        protocol_version: Literal[2, 3] = ...,
        verify_version: bool = ...,
        retry_policy: RetryPolicy | None = ...,
        noreply: bool = ...,
        **kwargs: Unpack[RedisURLOptions],
    ) -> Redis[Any]: ...

    @classmethod
    def from_url(
        cls,
        url: str,
        db: int | None = None,
        *,
        decode_responses: bool = False,
        protocol_version: Literal[2, 3] = 3,
        verify_version: bool = True,
        retry_policy: RetryPolicy | None = None,
        noreply: bool = False,
        **kwargs: Unpack[RedisURLOptions],
    ) -> Redis[Any]:
        """A client for ``redis://``, ``rediss://`` or ``unix://`` ``url``.

        Query options of the URL (``?db=1&stream_timeout=2``...) and ``kwargs`` reach the
        pool and its connections (see :meth:`coredis.pool.ConnectionPool.from_url`); ``db``
        is used when the URL names no database. The client owns (and closes) the pool it creates.

        Query options and ``kwargs`` are checked here, as the constructor checks its
        arguments (see :meth:`coredis.pool.ConnectionPool.from_url`).

        :raises ValueError: when the URL cannot be parsed, or an option is unknown or wrong
        :raises TypeError: ``url`` is not a ``str``, or an option of the wrong type
        """
        from ._options import check_connection_kwargs

        options: dict[str, Any] = dict(kwargs)
        pool_cls: type[ConnectionPool] = options.pop("connection_pool_cls", ConnectionPool)
        cache: AbstractCache | None = options.pop("cache", None)
        pool = pool_cls.from_url(
            url,
            db=db,
            decode_responses=decode_responses,
            protocol_version=protocol_version,
            noreply=noreply,
            **options,
        )
        check_connection_kwargs(pool)
        client: Redis[Any] = cls(
            connection_pool=pool,  # decode_responses: the client follows the pool's
            protocol_version=protocol_version,
            verify_version=verify_version,
            retry_policy=retry_policy,
            noreply=noreply,
            cache=cache,
        )
        client._owns_pool = True
        return client

    def __repr__(self) -> str:
        return f"{type(self).__name__}<{self.connection_pool!r}>"

    @property
    def server_version(self) -> ServerVersion | None:
        """The version of the server, known once a connection was made (the first
        command, ``await client``); ``None`` before that, or when the server did not tell
        (no ``HELLO``). Compares with tuples, ``"7.0"`` strings and
        :class:`packaging.version.Version` (4.x gave the latter)."""
        version = self._server_version[1] if self._server_version is not None else None
        if version is None:
            peek = getattr(self.connection_pool, "peek_available", None)
            conn = peek() if peek is not None else None
            version = parse_version(getattr(conn, "server_version", None))
            if version is None:
                return None
        return ServerVersion(*version)

    # -- the hot path -------------------------------------------------------------------

    # Typed by the callback (see CommandMixin.execute_command): a callback's return type is
    # the reply's type; without one the reply is the raw ResponseType.
    @overload
    async def execute_command(
        self,
        command: bytes,
        *args: ValueT,
        callback: ResponseCallback[R],
        **options: Any,
    ) -> R: ...

    @overload
    async def execute_command(
        self,
        command: bytes,
        *args: ValueT,
        callback: None = None,
        **options: Any,
    ) -> ResponseType: ...

    async def execute_command(
        self,
        command: bytes,
        *args: ValueT,
        callback: ResponseCallback[Any] | None = None,
        **options: Any,
    ) -> Any:
        """Send ``command`` with ``args`` and return its reply through ``callback``.

        ``options`` reach the callback (with ``version``, the connection's protocol); the
        ``decode=False`` option asks for raw bytes.

        :raises ResponseError: (or the subclass mapped from the error code) for an error reply
        :raises ConnectionError: when no connection can be acquired or it is lost
        :raises TimeoutError: when the reply takes longer than ``stream_timeout``

        Cancelling it while the reply is pending closes that connection (it is never
        returned to the pool with a reply in flight); the command may have been applied.

        A command that changes its connection's state (``SELECT``, ``HELLO``, ``AUTH``,
        ``RESET``, ``CLIENT SETNAME``/``TRACKING``/``REPLY``, ``SCRIPT DEBUG``,
        ``READONLY``/``READWRITE``) runs on a connection that is closed afterwards instead
        of going back to the pool, so no other caller inherits that state. ``SELECT`` and
        ``CLIENT SETNAME`` then apply to the whole pool: every connection used from then
        on is in that database / has that name (see :mod:`coredis.client._state`).

        With ``verify_version`` a command newer than the server raises
        :class:`~coredis.exceptions.CommandNotSupportedError` without being sent.
        """
        if LISTENERS and not OBSERVING.get():  # subscribers of coredis.connection.events
            return await observed(self, command, args, dict(options, callback=callback))
        if command in self._version_gated:
            await self._verify_version(command, args)
        if self._special:
            result = await self._execute_special(command, args, callback, options)
            if result is not _PLAIN:
                return result
        if command in STATEFUL_COMMANDS and changes_connection_state(command, args):
            return await self._execute_and_close(command, args, callback, options)
        pool = self.connection_pool
        conn = pool.get_connection_nowait(command)  # (a multiplexing pool needs the name)
        if conn is None:
            conn = await pool.get_connection(command)
        try:
            request = conn.create_request(command, *args, decode=options.get("decode"))
        except ConnectionError as exc:
            pool.release(conn)
            # Nothing was written: safe to retry whatever the command is.
            if not self.retry_policy.attempts:
                raise
            return await self._retry(command, args, callback, options, exc)
        except BaseException:
            pool.release(conn)
            raise
        try:
            if command in BLOCKING_COMMANDS:
                reply = await conn.wait_for_reply(
                    request, read_timeout(command, args, conn.stream_timeout), poll=False
                )
            else:
                reply = await conn.wait_for_reply(request)
        except (ConnectionError, TimeoutError) as exc:
            pool.release(conn)
            policy = self.retry_policy
            if policy.attempts and policy.repeats_after_write(command, args, exc):
                return await self._retry(command, args, callback, options, exc)
            raise
        except BaseException:
            pool.release(conn)
            raise
        pool.release(conn)
        if callback is None:
            return reply
        if options:
            return callback(reply, version=conn.protocol_version, **options)
        return callback(reply, version=conn.protocol_version)

    async def _retry(
        self,
        command: bytes,
        args: tuple[ValueT, ...],
        callback: ResponseCallback[Any] | None,
        options: dict[str, Any],
        error: BaseException | None = None,
    ) -> Any:
        """Run the command again under :attr:`retry_policy` after ``error`` (``None``: a
        fresh run, e.g. a cache's fallback, with the retries still to come)."""
        policy = self.retry_policy
        pool = self.connection_pool
        retries = 0
        while True:
            if error is not None:
                retries += 1
                delay = policy.delay(retries)
                if delay:
                    await asyncio.sleep(delay)
            written = False
            try:
                async with pool.connection() as conn:
                    request = conn.create_request(command, *args, decode=options.get("decode"))
                    written = True
                    reply = await conn.wait_for_reply(
                        request,
                        read_timeout(command, args, conn.stream_timeout),
                        poll=command not in BLOCKING_COMMANDS,
                    )
            except (ConnectionError, TimeoutError) as exc:
                if retries >= policy.attempts:
                    raise
                if written and not policy.repeats_after_write(command, args, exc):
                    raise
                error = exc
                continue
            if callback is None:
                return reply
            return callback(reply, version=conn.protocol_version, **options)

    async def _verify_version(self, command: bytes, args: tuple[ValueT, ...]) -> None:
        version = self._server_version
        if version is None and not self._version_unknown:
            async with self.connection_pool.connection() as conn:
                version = await server_version_of(conn)
            self._server_version = version
            self._version_unknown = version is None
            # only what this server could refuse, and the deprecated commands, stay on the
            # hot path's check (an unknown server: the deprecations only)
            self._version_gated = DEPRECATED_COMMANDS | (
                gated_commands(version) if version is not None else frozenset()
            )
        if command in DEPRECATED_COMMANDS:
            warn_if_deprecated(command, args, version)
        if version is not None and command in VERSIONED_COMMANDS:
            check_version(command, args, version)

    async def _execute_and_close(
        self,
        command: bytes,
        args: tuple[ValueT, ...],
        callback: ResponseCallback[Any] | None,
        options: dict[str, Any],
    ) -> Any:
        # SELECT, HELLO, AUTH, RESET, CLIENT SETNAME/TRACKING/REPLY, SCRIPT DEBUG,
        # READONLY/READWRITE: the connection's state changed, so it is closed rather than
        # handed to another caller in the wrong db/protocol/user (see coredis.connection._commands).
        pool = self.connection_pool
        conn = await pool.get_connection()
        try:
            reply = await conn.wait_for_reply(
                conn.create_request(command, *args, decode=options.get("decode"))
            )
        finally:
            pool.discard(conn)
        # SELECT and CLIENT SETNAME: from now on for every connection of the pool
        setting = client_wide_setting(command, args)
        reconfigure = getattr(pool, "reconfigure", None)
        if setting is not None and reconfigure is not None:
            reconfigure(**setting)
        if callback is None:
            return reply
        return callback(reply, version=conn.protocol_version, **options)

    async def _execute_special(
        self,
        command: bytes,
        args: tuple[ValueT, ...],
        callback: ResponseCallback[Any] | None,
        options: dict[str, Any],
    ) -> Any:
        wait = self._waitcontext.get()
        noreply = self.noreply or self._noreplycontext.get()
        if wait is None and not noreply:
            cache = self.cache
            if cache is None:
                return _PLAIN
            if not cache.cacheable(command, args):
                invalidate_for(cache, command, args)  # the client's own writes
                return _PLAIN
            if not self._cache_ready:
                cache = self.cache = await cache.initialize(self)
                self._cache_ready = True
            pool = self.connection_pool
            return await cache.read(
                command,
                args,
                callback,
                options,
                pool.get_connection,
                pool.release,
                lambda: self._retry(command, args, callback, options),
                pool,
                self.decode_responses,
            )
        decode = options.get("decode")
        async with self.connection_pool.connection() as conn:
            if noreply:
                if conn.noreply:  # CLIENT REPLY OFF was sent by the connection itself
                    conn.create_request(command, *args, decode=decode)
                else:
                    # CLIENT REPLY SKIP: the server answers neither it nor the command.
                    conn.send_packed_command(
                        encode_commands(
                            [(b"CLIENT", b"REPLY", b"SKIP"), (command, *args)],
                            encoding=conn.encoding,
                        ),
                        expected_replies=0,
                    )
                return None
            if wait is None:
                request = conn.create_request(command, *args, decode=decode)
                reply = await conn.wait_for_reply(
                    request,
                    read_timeout(command, args, conn.stream_timeout),
                    poll=command not in BLOCKING_COMMANDS,
                )
            else:
                replicas, timeout_ms = wait
                reply_request, wait_request = conn.create_requests(
                    [(command, *args), (b"WAIT", replicas, timeout_ms)], decode=decode
                )
                reply = await conn.wait_for_reply(reply_request)
                acknowledged = await conn.wait_for_reply(wait_request)
                if acknowledged < replicas:
                    raise ReplicationError(
                        f"{command!r} was acknowledged by {acknowledged} replica(s) "
                        f"within {timeout_ms} ms, {replicas} required"
                    )
            if callback is None:
                return reply
            return callback(reply, version=conn.protocol_version, **options)

    # -- lifecycle ----------------------------------------------------------------------

    async def initialize(self: ClientT) -> ClientT:
        """Open one connection (handshake included) to check the server is reachable;
        also what ``await client`` and ``async with client`` do.

        :raises ConnectionError: / :raises AuthenticationError: when it is not

        Cancelling it closes the half-open connection.
        """
        async with self.connection_pool.connection():
            pass
        return self

    def __await__(self: ClientT) -> Generator[Any, None, ClientT]:
        return self.initialize().__await__()

    async def __aenter__(self: ClientT) -> ClientT:
        # Nested/concurrent ``async with`` on one shared client: only the last exit closes
        # the pool, so one task leaving its block never cuts off the others' commands.
        self._context_depth += 1
        try:
            return await self.initialize()
        except BaseException:
            self._context_depth -= 1
            raise

    async def __aexit__(self, *exc_info: object) -> None:
        self._context_depth -= 1
        if self._context_depth <= 0:
            self._context_depth = 0
            await self.aclose()

    async def aclose(self) -> None:
        """Close the connections of the pool this client created (a shared pool is left
        alone). The client can still be used afterwards: connections are reopened.

        Never raises; connections in use by other tasks fail their pending requests with
        :class:`~coredis.exceptions.ConnectionError`.

        :raises: nothing; safe to call more than once.

        Cancelling it has no effect: closing is synchronous.
        """
        if self.cache is not None:
            self.cache.shutdown()
        if self._owns_pool:
            self.connection_pool.disconnect()
        # the next connection may reach another server
        self._server_version = None
        self._version_unknown = False
        if self.verify_version:
            self._version_gated = _GATED

    close = aclose

    # ensure_replication() / ignore_replies(): see ._reply_modes.ReplyModes

    # -- objects with their own connection or batch -------------------------------------

    def lock(
        self,
        name: KeyT,
        timeout: float | None = None,
        sleep: float = 0.1,
        blocking: bool = True,
        blocking_timeout: float | None = None,
    ) -> Lock:
        """A :class:`~coredis.client.Lock` named ``name`` (Lua-free; see its docstring)."""
        from ._lock import Lock

        return Lock(self, name, timeout, sleep, blocking, blocking_timeout)

    def pipeline(
        self, transaction: bool | None = True, watches: Any | None = None
    ) -> Pipeline[AnyStr_co]:
        """A pipeline (``transaction=True``: wrapped in MULTI/EXEC) on this client's pool.

        Use it as ``pipe = await client.pipeline()`` or ``async with client.pipeline() as
        pipe``; awaiting it runs ``WATCH watches`` first when ``watches`` is given.
        """
        from ._pipeline import Pipeline

        return Pipeline(self, transaction=bool(transaction), watches=watches)

    async def transaction(self, func: Any, *watches: Any, **kwargs: Any) -> Any:
        """Run ``func(pipe)`` then ``pipe.execute()`` with ``watches`` watched, again and
        again until no :class:`~coredis.exceptions.WatchError` occurs.

        ``value_from_callable=True`` returns ``func``'s value instead of the EXEC results;
        ``watch_delay`` (seconds) sleeps between attempts.

        :raises ResponseError: a command of the transaction failed (see
            :meth:`Pipeline.execute`); whatever ``func`` raises is raised as is

        Cancelling it stops retrying; the transaction in flight may or may not be applied.
        """
        from ._pipeline import run_transaction

        return await run_transaction(self, func, *watches, **kwargs)

    def pubsub(self, ignore_subscribe_messages: bool = False, **kwargs: Any) -> PubSub[AnyStr_co]:
        """A :class:`~coredis.client.PubSub` with a dedicated connection from this pool."""
        from ._pubsub import PubSub

        return PubSub(self, ignore_subscribe_messages=ignore_subscribe_messages, **kwargs)

    def monitor(self) -> Monitor[AnyStr_co]:
        """A :class:`~coredis.client.Monitor` streaming every command the server runs."""
        from ._monitor import Monitor

        return Monitor(self)

    def register_script(self, script: ValueT) -> Script[AnyStr_co]:
        """A callable :class:`~coredis.client.Script` (EVALSHA, loading it on NOSCRIPT)."""
        from ._scripting_objects import Script

        return Script(self, script)

    async def get_library(self, name: str | bytes) -> Library[AnyStr_co]:
        """The loaded function library ``name``.

        :raises FunctionError: when no such library is loaded

        Cancelling it leaves nothing behind (only reads are sent).
        """
        from ._scripting_objects import Library

        return await Library(self, name)

    async def register_library(
        self, name: str | bytes, code: str | bytes, replace: bool = False
    ) -> Library[AnyStr_co]:
        """Load (``FUNCTION LOAD``) ``code`` and return its :class:`Library`.

        :raises ResponseError: when the code does not load (or exists and not ``replace``)

        Cancelling it may leave the library loaded.
        """
        from ._scripting_objects import Library

        return await Library(self, name, code, replace=replace)
