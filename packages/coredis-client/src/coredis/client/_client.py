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

import contextlib
import contextvars
import ssl
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from coredis.connection import (
    BLOCKING_COMMANDS,
    STATEFUL_COMMANDS,
    changes_connection_state,
    read_timeout,
)
from coredis.exceptions import ConnectionError, ReplicationError, TimeoutError
from coredis.pool import ConnectionPool
from coredis.protocol import encode_commands

from ._cache_abc import invalidate_for
from ._retry import IDEMPOTENT_COMMANDS
from ._surface import CoreCommands
from ._typing import KeyT, ValueT
from ._versions import (
    VERSIONED_COMMANDS,
    Server,
    check_version,
    gated_commands,
    server_version_of,
)
from .commands._base import AnyStr_co, ResponseCallback

if TYPE_CHECKING:
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


class Redis(CoreCommands[AnyStr_co]):
    """An asyncio Redis client backed by a connection pool.

    ``Redis(decode_responses=True)`` is a ``Redis[str]``: replies are decoded with
    ``encoding``; otherwise a ``Redis[bytes]``.

    The pool is built from the arguments unless ``connection_pool`` is given; a given pool
    is shared and never closed by this client. ``unix_socket_path`` selects
    :class:`~coredis.connection.UnixDomainSocketConnection`; ``ssl=True`` (or any ``ssl_*``
    argument) builds an :class:`ssl.SSLContext` unless ``ssl_context`` is given. Unknown
    keyword arguments reach the pool class (e.g. ``timeout`` of
    :class:`~coredis.pool.BlockingConnectionPool`) and the connection class.

    Retries: a command that fails *before it was written* (the connection could not be
    acquired or was already closed) is retried once. A command whose reply was lost *after
    it was written* is retried once only if it is a read/idempotent command
    (:data:`coredis.client._retry.IDEMPOTENT_COMMANDS`), and for a timeout only with
    ``retry_on_timeout=True``. A non-idempotent command is never repeated silently.

    ``verify_version`` (default on): a command newer than the connected server (the 6.2+
    commands of :data:`coredis.client._versions.MIN_SERVER_VERSION`) raises
    :class:`~coredis.exceptions.CommandNotSupportedError` without being sent. The version
    is read once per client (from the ``HELLO`` reply, else ``INFO server``).
    """

    connection_pool: ConnectionPool

    @overload
    def __init__(
        self: Redis[bytes],
        host: str | None = ...,
        port: int | None = ...,
        db: int = ...,
        *,
        username: str | None = ...,
        password: str | None = ...,
        stream_timeout: float | None = ...,
        connect_timeout: float | None = ...,
        connection_pool: ConnectionPool | None = ...,
        connection_pool_cls: type[ConnectionPool] = ...,
        unix_socket_path: str | None = ...,
        encoding: str = ...,
        decode_responses: Literal[False] = ...,
        ssl: bool = ...,
        ssl_context: ssl.SSLContext | None = ...,
        ssl_keyfile: str | None = ...,
        ssl_certfile: str | None = ...,
        ssl_cert_reqs: Literal["optional", "required", "none"] | None = ...,
        ssl_check_hostname: bool | None = ...,
        ssl_ca_certs: str | None = ...,
        max_connections: int | None = ...,
        retry_on_timeout: bool = ...,
        max_idle_time: float = ...,
        idle_check_interval: float = ...,
        client_name: str | None = ...,
        protocol_version: Literal[2, 3] = ...,
        verify_version: bool = ...,
        noreply: bool = ...,
        **kwargs: Any,
    ) -> None: ...

    @overload
    def __init__(
        self: Redis[str],
        host: str | None = ...,
        port: int | None = ...,
        db: int = ...,
        *,
        username: str | None = ...,
        password: str | None = ...,
        stream_timeout: float | None = ...,
        connect_timeout: float | None = ...,
        connection_pool: ConnectionPool | None = ...,
        connection_pool_cls: type[ConnectionPool] = ...,
        unix_socket_path: str | None = ...,
        encoding: str = ...,
        decode_responses: Literal[True],
        ssl: bool = ...,
        ssl_context: ssl.SSLContext | None = ...,
        ssl_keyfile: str | None = ...,
        ssl_certfile: str | None = ...,
        ssl_cert_reqs: Literal["optional", "required", "none"] | None = ...,
        ssl_check_hostname: bool | None = ...,
        ssl_ca_certs: str | None = ...,
        max_connections: int | None = ...,
        retry_on_timeout: bool = ...,
        max_idle_time: float = ...,
        idle_check_interval: float = ...,
        client_name: str | None = ...,
        protocol_version: Literal[2, 3] = ...,
        verify_version: bool = ...,
        noreply: bool = ...,
        **kwargs: Any,
    ) -> None: ...

    @overload
    def __init__(
        self: Redis[Any],
        host: str | None = ...,
        port: int | None = ...,
        db: int = ...,
        *,
        username: str | None = ...,
        password: str | None = ...,
        stream_timeout: float | None = ...,
        connect_timeout: float | None = ...,
        connection_pool: ConnectionPool | None = ...,
        connection_pool_cls: type[ConnectionPool] = ...,
        unix_socket_path: str | None = ...,
        encoding: str = ...,
        decode_responses: bool = ...,
        ssl: bool = ...,
        ssl_context: ssl.SSLContext | None = ...,
        ssl_keyfile: str | None = ...,
        ssl_certfile: str | None = ...,
        ssl_cert_reqs: Literal["optional", "required", "none"] | None = ...,
        ssl_check_hostname: bool | None = ...,
        ssl_ca_certs: str | None = ...,
        max_connections: int | None = ...,
        retry_on_timeout: bool = ...,
        max_idle_time: float = ...,
        idle_check_interval: float = ...,
        client_name: str | None = ...,
        protocol_version: Literal[2, 3] = ...,
        verify_version: bool = ...,
        noreply: bool = ...,
        **kwargs: Any,
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
        decode_responses: bool = False,
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
        noreply: bool = False,
        cache: AbstractCache | None = None,
        **kwargs: Any,
    ) -> None:
        if protocol_version not in (2, 3):
            raise ValueError(f"protocol_version must be 2 or 3, not {protocol_version!r}")
        if kwargs.pop("cache", None) is not None:
            raise NotImplementedError("client-side caching (cache=) is not supported yet")
        self._owns_pool = connection_pool is None
        if connection_pool is None:
            from ._options import check_connection_kwargs, pool_kwargs

            connection_pool = connection_pool_cls(
                **pool_kwargs(
                    host=host,
                    port=port,
                    unix_socket_path=unix_socket_path,
                    ssl_enabled=ssl,
                    ssl_context=ssl_context,
                    ssl_keyfile=ssl_keyfile,
                    ssl_certfile=ssl_certfile,
                    ssl_cert_reqs=ssl_cert_reqs,
                    ssl_check_hostname=ssl_check_hostname,
                    ssl_ca_certs=ssl_ca_certs,
                    db=db,
                    username=username,
                    password=password,
                    stream_timeout=stream_timeout,
                    connect_timeout=connect_timeout,
                    encoding=encoding,
                    decode_responses=decode_responses,
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
        self.decode_responses: bool = pool_options.get("decode_responses", decode_responses)
        self.protocol_version: Literal[2, 3] = pool_options.get(
            "protocol_version", protocol_version
        )
        self.retry_on_timeout = retry_on_timeout
        self.verify_version = verify_version
        # commands checked against the server version (see ._versions): emptied when
        # verify_version is off or the server is new enough for all of them
        self._version_gated: frozenset[bytes] = (
            VERSIONED_COMMANDS if verify_version else frozenset()
        )
        self._server_version: Server | None = None
        self.noreply: bool = noreply
        self._waitcontext: contextvars.ContextVar[tuple[int, int] | None] = contextvars.ContextVar(
            "ensure_replication", default=None
        )
        self._noreplycontext: contextvars.ContextVar[bool] = contextvars.ContextVar(
            "ignore_replies", default=False
        )
        # Non-zero while ensure_replication()/ignore_replies() is active somewhere: keeps
        # the context-variable lookups off the hot path of execute_command.
        self._special = 1 if noreply else 0
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
        noreply: bool = ...,
        **kwargs: Any,
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
        noreply: bool = ...,
        **kwargs: Any,
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
        noreply: bool = ...,
        **kwargs: Any,
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
        noreply: bool = False,
        **kwargs: Any,
    ) -> Redis[Any]:
        """A client for ``redis://``, ``rediss://`` or ``unix://`` ``url``.

        Query options of the URL (``?db=1&stream_timeout=2``...) and ``kwargs`` reach the
        pool and its connections (see :meth:`coredis.pool.ConnectionPool.from_url`); ``db``
        is used when the URL names no database. The client owns (and closes) the pool it creates.

        :raises ValueError: when the URL cannot be parsed
        """
        pool_cls: type[ConnectionPool] = kwargs.pop("connection_pool_cls", ConnectionPool)
        cache: AbstractCache | None = kwargs.pop("cache", None)
        pool = pool_cls.from_url(
            url,
            db=db,
            decode_responses=decode_responses,
            protocol_version=protocol_version,
            noreply=noreply,
            **kwargs,
        )
        client: Redis[Any] = cls(
            connection_pool=pool,
            decode_responses=decode_responses,
            protocol_version=protocol_version,
            verify_version=verify_version,
            noreply=noreply,
            cache=cache,
        )
        client._owns_pool = True
        return client

    def __repr__(self) -> str:
        return f"{type(self).__name__}<{self.connection_pool!r}>"

    # -- the hot path -------------------------------------------------------------------

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
        of going back to the pool, so no other caller inherits that state.

        With ``verify_version`` a command newer than the server raises
        :class:`~coredis.exceptions.CommandNotSupportedError` without being sent.
        """
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
        except ConnectionError:
            pool.release(conn)
            # Nothing was written: safe to retry once whatever the command is.
            return await self._retry(command, args, callback, options)
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
            if command in IDEMPOTENT_COMMANDS and (
                self.retry_on_timeout or not isinstance(exc, TimeoutError)
            ):
                return await self._retry(command, args, callback, options)
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
    ) -> Any:
        pool = self.connection_pool
        async with pool.connection() as conn:
            request = conn.create_request(command, *args, decode=options.get("decode"))
            reply = await conn.wait_for_reply(
                request,
                read_timeout(command, args, conn.stream_timeout),
                poll=command not in BLOCKING_COMMANDS,
            )
            if callback is None:
                return reply
            return callback(reply, version=conn.protocol_version, **options)

    async def _verify_version(self, command: bytes, args: tuple[ValueT, ...]) -> None:
        version = self._server_version
        if version is None:
            async with self.connection_pool.connection() as conn:
                version = await server_version_of(conn)
            if version is None:
                self._version_gated = frozenset()  # unknown: check nothing
                return
            self._server_version = version
            # only what this server could refuse stays on the hot path's check
            self._version_gated = gated_commands(version)
            if command not in self._version_gated:
                return
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
            conn.disconnect()
            pool.release(conn)
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
        if self.verify_version:  # the next connection may reach another server
            self._server_version = None
            self._version_gated = VERSIONED_COMMANDS

    close = aclose

    # -- context managers ---------------------------------------------------------------

    @contextlib.contextmanager
    def ensure_replication(
        self: ClientT, replicas: int = 1, timeout_ms: int = 100
    ) -> Iterator[ClientT]:
        """Within the block, every command is followed by ``WAIT replicas timeout_ms`` on the
        same connection; a command acknowledged by fewer replicas raises
        :class:`~coredis.exceptions.ReplicationError` (the write itself was applied on the
        primary). Applies to the current task (a context variable)."""
        token = self._waitcontext.set((replicas, timeout_ms))
        self._special += 1
        try:
            yield self
        finally:
            self._special -= 1
            self._waitcontext.reset(token)

    @contextlib.contextmanager
    def ignore_replies(self: ClientT) -> Iterator[ClientT]:
        """Within the block, commands are sent with ``CLIENT REPLY SKIP`` and return
        ``None`` without waiting for the server. Applies to the current task."""
        token = self._noreplycontext.set(True)
        self._special += 1
        try:
            yield self
        finally:
            self._special -= 1
            self._noreplycontext.reset(token)

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
