"""ConnectionPool: the default, non-blocking pool; the bookkeeping every pool shares."""

from __future__ import annotations

import asyncio
import logging
import os
import time
import weakref
from collections import deque
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from coredis.connection import (
    BaseConnection,
    Connection,
    UnixDomainSocketConnection,
    check_connection_arguments,
    check_settings,
)
from coredis.protocol import ConnectionError

from ._connect import open_connection
from ._fork import _Process
from ._settings import check_pool_settings
from ._stats import PoolStatistics
from ._url import accepted_options, parse_url

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from coredis.connection import ConnectionArguments

    from ._options import URLOptions

__all__ = ("ConnectionPool",)

_CPT = TypeVar("_CPT", bound="ConnectionPool")
#: New and discarded connections at DEBUG (never on the path of a reused connection).
_log = logging.getLogger("coredis.pool")

#: An idle connection unused for this long (seconds) gets one event-loop turn before it is
#: handed out, so a close by the server is seen first. Cheap next to the idle time itself.
_STALE_AFTER = 0.1
#: The running event loop or ``None`` (never raises: the nowait path raises nothing).
_running_loop = asyncio._get_running_loop


def _usable(connection: BaseConnection) -> bool:
    return connection.is_usable


def _nowait_reuses_idle(cls: type[ConnectionPool]) -> bool:
    """Whether :meth:`ConnectionPool.get_connection_nowait` may hand out idle connections
    for instances of ``cls`` (see :attr:`ConnectionPool.nowait_reuses_idle`): the nearest
    class in the MRO that sets the attribute decides; before it, one that overrides
    ``get_connection`` says no."""
    for klass in cls.__mro__:
        declared = klass.__dict__.get("nowait_reuses_idle")
        if declared is not None:
            return bool(declared)
        if "get_connection" in klass.__dict__ and klass is not ConnectionPool:
            return False
    return True


class _PooledConnection:
    """``async with pool.connection() as conn``: acquire, then release whatever happens."""

    __slots__ = ("_args", "_connection", "_pool")

    def __init__(self, pool: ConnectionPool, args: tuple[Any, ...]) -> None:
        self._pool = pool
        self._args = args
        self._connection: BaseConnection | None = None

    async def __aenter__(self) -> BaseConnection:
        self._connection = await self._pool.get_connection(*self._args)
        return self._connection

    async def __aexit__(self, *exc_info: object) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            self._pool.release(connection)


async def _reap_periodically(pool_ref: weakref.ref[ConnectionPool], interval: float) -> None:
    # Holds only a weak reference: an abandoned pool is collected and the task ends.
    while True:
        await asyncio.sleep(interval)
        pool = pool_ref()
        if pool is None:
            return
        pool._reap_idle()
        del pool


class ConnectionPool:
    """The default pool: at most ``max_connections`` connections checked out at once.

    One request more raises ``ConnectionError("Too many connections")`` at once (use
    :class:`~coredis.pool.BlockingConnectionPool` to wait instead). ``None`` means no limit.

    Idle connections are reused last-in first-out; those unused for longer than
    ``max_idle_time`` seconds (0: never) are closed, checked every ``idle_check_interval``
    seconds by a background task holding only a weak reference to the pool, and on every
    acquire. A connection is handed out only when connected and idle; anything released
    dirty (a request still in flight, cancelled or failed) or closed is closed and counted
    as discarded. After a ``fork()`` the child starts with an empty pool and never touches
    the parent's sockets. One pool may be shared by several clients.

    Every other keyword argument is passed to ``connection_class`` (default
    :class:`~coredis.connection.Connection`), so a custom subclass receives its own. They
    are typed as :class:`~coredis.connection.ConnectionArguments` and checked here, at
    construction: one the connection class does not take raises :class:`TypeError` naming
    it (a class whose ``__init__`` takes ``**kwargs`` of its own receives anything). A
    custom class's own arguments are not in ``ConnectionArguments``: pass them through a
    ``dict[str, Any]`` (``**{"label": "x"}``) to keep mypy quiet.
    """

    #: Whether :meth:`get_connection_nowait` (the clients' synchronous fast path) may hand
    #: out an idle connection without going through :meth:`get_connection`. ``None``, the
    #: default, lets the class hierarchy decide: yes for :class:`ConnectionPool` itself and
    #: subclasses that leave :meth:`get_connection` alone; no for a subclass that overrides
    #: :meth:`get_connection` (it may choose connections, count or check them on every
    #: acquire, and the fast path must not go around that). Such a subclass whose override
    #: is happy to be skipped for a just-released idle connection sets it to ``True``, as
    #: :class:`~coredis.pool.BlockingConnectionPool` does; any class may set ``False`` to
    #: turn the fast path off. A subclass that overrides :meth:`get_connection_nowait`
    #: itself decides there (calling ``super()`` keeps this rule).
    nowait_reuses_idle: ClassVar[bool | None] = None

    def __init__(
        self,
        *,
        connection_class: type[BaseConnection] | None = None,
        max_connections: int | None = None,
        max_idle_time: float = 0,
        idle_check_interval: float = 1,
        **connection_kwargs: Unpack[ConnectionArguments],
    ) -> None:
        check_pool_settings(
            max_connections=max_connections,
            max_idle_time=max_idle_time,
            idle_check_interval=idle_check_interval,
        )
        check_settings(**connection_kwargs)
        self.connection_class: type[BaseConnection] = connection_class or Connection
        # Connections are made lazily: refuse a misspelt argument now, not at first use.
        check_connection_arguments(
            self.connection_class, connection_kwargs, f"{type(self).__name__}()"
        )
        self.connection_kwargs: dict[str, Any] = dict(connection_kwargs)
        self.max_connections = max_connections
        self.max_idle_time = max_idle_time
        self.idle_check_interval = idle_check_interval
        self._reaper: asyncio.Task[None] | None = None
        # Connections inherited through fork(): kept referenced, never used or closed.
        self._inherited: list[BaseConnection] = []
        self._waiters: deque[asyncio.Future[BaseConnection | None]] = deque()
        # (read once here: get_connection_nowait is on the clients' hot path)
        self._nowait_ok = _nowait_reuses_idle(type(self))
        self.reset()

    @classmethod
    def from_url(
        cls: type[_CPT],
        url: str,
        db: int | None = None,
        decode_components: bool = False,
        **kwargs: Unpack[URLOptions],
    ) -> _CPT:
        """A pool for ``redis://``, ``rediss://`` or ``unix://`` URLs.

        ``redis://[[user]:password@]host[:port][/db][?option=value...]``; options from the
        query string (``db``, ``stream_timeout``, ``connect_timeout``, ``protocol_version``,
        ``client_name``, ``max_connections``, ``decode_responses``, ``ssl_cert_reqs``,
        ``ssl_ca_certs``, ``ssl_keyfile``, ``ssl_certfile``, ``ssl_check_hostname``...)
        override ``kwargs``. They are the pool's and its connection class's parameters,
        converted to their types and checked like constructor arguments; see
        :func:`~coredis.pool.parse_url`. :attr:`connection_kwargs` then holds ``host``,
        ``port`` (or ``path``), ``db``, ``username`` and ``password``, defaults filled in.

        :raises TypeError: ``url`` is not a ``str``, or an option of the wrong type
        :raises ValueError: unsupported scheme, unknown or malformed option, a port out of
            1..65535, or TLS options on a ``redis://``/``unix://`` URL
        """
        connection_class = kwargs.get("connection_class")
        if connection_class is None:
            scheme = url.partition(":")[0].lower() if isinstance(url, str) else ""
            connection_class = UnixDomainSocketConnection if scheme == "unix" else Connection
        accepted = accepted_options(cls, connection_class)
        return cls(
            **parse_url(
                url, db=db, decode_components=decode_components, accepted=accepted, **kwargs
            )
        )

    # -- properties the client reads ------------------------------------------------------
    @property
    def decode_responses(self) -> bool:
        """Whether connections made by this pool decode replies to ``str``."""
        return bool(self.connection_kwargs.get("decode_responses", False))

    @property
    def encoding(self) -> str:
        """The encoding connections made by this pool use."""
        return str(self.connection_kwargs.get("encoding", "utf-8"))

    @property
    def protocol_version(self) -> int:
        """The RESP version connections made by this pool ask for."""
        return int(self.connection_kwargs.get("protocol_version", 3))

    @property
    def target(self) -> str:
        """Where the pool's connections go (``host:port`` or the socket path), for messages."""
        kwargs = self.connection_kwargs
        if "path" in kwargs:
            return f"unix://{kwargs['path']}"
        return f"{kwargs.get('host', '127.0.0.1')}:{kwargs.get('port', 6379)}"

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} {self.connection_class.__name__} "
            f"max_connections={self.max_connections} {self.statistics()}>"
        )

    # -- state ----------------------------------------------------------------------------
    def reset(self) -> None:
        """Forget every connection without closing any (after a fork, or to start over).

        Use :meth:`disconnect` to close them.
        """
        self.pid = os.getpid()
        self._idle: list[BaseConnection] = []
        self._in_use: set[BaseConnection] = set()
        # connections being opened: disconnect() closes them too
        self._opening: set[BaseConnection] = set()
        self._reserved = 0
        self._created = 0
        self._discarded = 0
        self._expired = 0
        self._last_reap = time.monotonic()
        # checked-out connections made before the last reconfigure(): closed when released
        # (a plain set: release() tests it on every call, and it is almost always empty)
        self._stale: set[BaseConnection] = set()
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_exception(ConnectionError("Connection pool was reset"))
        self._waiters = deque()

    def checkpid(self) -> None:
        """After a fork, start over in the child without touching the parent's sockets."""
        if self.pid != _Process.pid:
            self._inherited.extend(self._idle)
            self._inherited.extend(self._in_use)
            self._reaper = None
            self.reset()

    def statistics(self) -> PoolStatistics:
        """An immutable snapshot of the pool's counters."""
        return PoolStatistics(
            in_use=len(self._in_use),
            idle=len(self._idle),
            waiting=sum(1 for waiter in self._waiters if not waiter.done()),
            connecting=self._reserved,
            created=self._created,
            discarded=self._discarded,
            expired=self._expired,
            max_connections=self.max_connections,
        )

    def peek_available(self) -> BaseConnection | None:
        """The idle connection the next acquire would get, without taking it."""
        return self._idle[-1] if self._idle else None

    async def initialize(self) -> None:
        """Nothing to prepare for a standalone pool (kept for the 4.x interface).

        :raises: nothing.

        Cancelling it has no effect (it does not wait).
        """

    # -- acquire --------------------------------------------------------------------------
    def get_connection_nowait(self, command_name: bytes | None = None) -> BaseConnection | None:
        """An idle connection that is ready at once, or ``None``: then await
        :meth:`get_connection`. The clients' hot path is ``get_connection_nowait()``,
        falling back to ``await get_connection()``; release either with :meth:`release`.

        Ready means: the same process, no idle reaping configured (``max_idle_time``),
        released less than 0.1 s ago (so the socket needs no look first), usable, and
        opened in the running event loop (one from another loop is left for
        :meth:`get_connection`, which replaces it), and :attr:`nowait_reuses_idle` true for
        the pool's class: a subclass that overrides :meth:`get_connection` gets ``None``
        here unless it says otherwise, so its own choice of connection is never bypassed.

        :raises: nothing.
        """
        idle = self._idle
        if not idle or self.max_idle_time or self.pid != _Process.pid or not self._nowait_ok:
            return None
        connection = idle[-1]
        if (
            connection.loop is not _running_loop()
            or time.monotonic() - connection.last_used >= _STALE_AFTER
            or not connection.is_usable
        ):
            return None
        idle.pop()
        self._in_use.add(connection)
        return connection

    def connection(self, command_name: bytes | None = None, *args: Any) -> _PooledConnection:
        """``async with pool.connection() as conn:`` gets a connection and releases it.

        Raises what :meth:`get_connection` raises; the connection goes back (or is closed
        when dirty) however the block ends, cancellation included.
        """
        return _PooledConnection(self, (command_name, *args))

    async def get_connection(
        self, command_name: bytes | None = None, *args: Any, **kwargs: Any
    ) -> BaseConnection:
        """A connected connection for the caller's exclusive use until :meth:`release`.

        ``command_name``/``args`` are accepted for the 4.x interface and not used.

        :raises ConnectionError: ``max_connections`` are checked out ("Too many
            connections"; the blocking pool waits instead), or connecting failed
        :raises TimeoutError: connecting took longer than ``connect_timeout``
        :raises AuthenticationError: the handshake's credentials were refused

        Cancelling it while connecting closes the new connection; the pool's counts are
        left as they were.
        """
        # The hot path: the common checks inlined (a method call each costs more than them).
        if self.pid != _Process.pid:
            self.checkpid()
        if self.max_idle_time:
            self._start_reaper()
            if time.monotonic() - self._last_reap >= self.idle_check_interval:
                self._reap_idle()
        loop = asyncio.get_running_loop() if self._idle else None
        while self._idle:  # (re-read: _reap_idle/disconnect replace the list meanwhile)
            connection = self._idle.pop()
            if connection.loop is not loop or not connection.is_usable:
                # Closed by the server while idle (CLIENT KILL, restart), or opened in an
                # event loop that is gone (a pool reused across asyncio.run()): replace it.
                connection.disconnect()
                self._discarded += 1
                continue
            self._in_use.add(connection)
            if time.monotonic() - connection.last_used < _STALE_AFTER:
                return connection
            # Idle for a while: let the loop poll the socket once, so a close by the server
            # (restart, CLIENT KILL, idle timeout) is noticed before a command is lost on it.
            try:
                # two turns: the first polls the selector, the second runs its callbacks
                await asyncio.sleep(0)
                await asyncio.sleep(0)
            except BaseException:
                self.release(connection)
                raise
            if _usable(connection):  # (a function: mypy would keep the narrowing above)
                return connection
            self._in_use.discard(connection)
            connection.disconnect()
            self._discarded += 1
        handed = await self._acquire_slot()
        # A slot is reserved (self._reserved counts it) until it becomes a checked-out
        # connection or is given back.
        if handed is not None:
            self._reserved -= 1
            if handed.is_usable and handed.pid == self.pid:
                self._in_use.add(handed)
                return handed
            handed.disconnect()
            self._discarded += 1
            self._reserved += 1
        return await self._open_reserved()

    async def _acquire_slot(self) -> BaseConnection | None:
        """Reserve a slot for a new connection, or raise; the blocking pool may wait."""
        if self._at_capacity():
            raise ConnectionError(
                f"Too many connections to {self.target} (max_connections={self.max_connections})"
            )
        self._reserved += 1
        return None

    def _at_capacity(self) -> bool:
        return (
            self.max_connections is not None
            and len(self._in_use) + self._reserved >= self.max_connections
        )

    async def _open_reserved(self) -> BaseConnection:
        connection: BaseConnection | None = None
        try:
            connection = self.make_connection()
            self._opening.add(connection)
            try:
                await open_connection(connection)
            finally:
                self._opening.discard(connection)
        except BaseException:
            self._reserved -= 1
            self._discarded += 1
            if connection is not None:
                connection.disconnect()
            self._slot_freed()
            raise
        self._reserved -= 1
        self._created += 1
        self._in_use.add(connection)
        if _log.isEnabledFor(logging.DEBUG):
            _log.debug(
                "pool for %s opened a connection (%d in use, %d idle)",
                self.target,
                len(self._in_use),
                len(self._idle),
            )
        return connection

    def make_connection(self) -> BaseConnection:
        """A new, unconnected connection: ``connection_class(**connection_kwargs)``."""
        return self.connection_class(**self.connection_kwargs)

    # -- release --------------------------------------------------------------------------
    def release(self, connection: BaseConnection) -> None:
        """Give a connection back; never raises.

        A clean connection becomes idle (or goes to the first waiter); a dirty one
        (request in flight, unread push messages, broken or closed) is closed and counted
        as discarded. A connection this pool did not hand out, one released twice, or one
        from before a fork is ignored and the counts stay right.
        """
        try:
            self._in_use.remove(connection)  # (one set lookup: on every command's path)
        except KeyError:
            return
        pid = self.pid
        if connection.pid != pid or pid != _Process.pid:
            return
        if self._stale and connection in self._stale:
            self._stale.discard(connection)
            connection.disconnect()  # made with settings reconfigure() replaced
        if connection.is_usable:
            connection.last_used = time.monotonic()
            if self._waiters:
                self._hand_back(connection)
            else:
                self._idle.append(connection)
            return
        _log.debug("pool for %s closes %r: released broken or mid-reply", self.target, connection)
        connection.disconnect()
        self._discarded += 1
        self._slot_freed()

    def discard(self, connection: BaseConnection) -> None:
        """Close a connection and give its slot back, never to reuse it; never raises.

        For a connection that must not serve anyone else: its state changed (``SELECT``,
        ``HELLO``, ``CLIENT SETNAME``...), it was a pub/sub or ``MONITOR`` connection, or
        its owner is being collected. Unlike :meth:`release` it never becomes idle, even
        when clean. It is counted as discarded, and its slot goes to the first waiter of a
        blocking pool, who opens a new connection. A connection this pool did not hand
        out, or one already released or discarded, is closed and the counts stay as they
        were; one from before a ``fork()`` is left alone (the parent owns its socket).
        """
        if connection.pid != _Process.pid:
            return
        connection.disconnect()
        if connection not in self._in_use:
            return
        self._in_use.discard(connection)
        if self.pid != _Process.pid:
            return
        if self._stale:
            self._stale.discard(connection)
        _log.debug("pool for %s closes %r: discarded by its user", self.target, connection)
        self._discarded += 1
        self._slot_freed()

    def _hand_back(self, connection: BaseConnection) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                self._reserved += 1
                waiter.set_result(connection)
                return
        self._idle.append(connection)

    def _slot_freed(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                self._reserved += 1
                waiter.set_result(None)
                return

    async def __aenter__(self: _CPT) -> _CPT:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """``async with pool:`` closes every connection on the way out (see
        :meth:`disconnect`); nothing to cancel."""
        self.disconnect()

    def reconfigure(self, **connection_kwargs: Unpack[ConnectionArguments]) -> None:
        """Make connections with ``connection_kwargs`` (e.g. ``db=1``,
        ``client_name="app"``) from now on, and stop reusing the ones made before.

        Idle connections are closed at once; checked-out ones (and those being opened)
        finish what they are doing and are closed when released, so after the call no
        caller gets a connection with the old settings. Used by the client to make
        ``SELECT`` and ``CLIENT SETNAME`` apply to every connection of the pool.

        :raises: nothing; the arguments are checked when the next connection is made.
        """
        self.connection_kwargs.update(connection_kwargs)
        if self.pid != _Process.pid:
            self.checkpid()
            return
        idle, self._idle = self._idle, []
        for connection in idle:
            connection.disconnect()
            self._discarded += 1
        # (only those still out: one whose opening failed was never released)
        self._stale = {c for c in self._stale if c in self._in_use or c in self._opening}
        self._stale.update(self._in_use, self._opening)

    # -- closing --------------------------------------------------------------------------
    def disconnect(self) -> None:
        """Close every connection, idle and checked out, and stop the idle reaper.

        Connections being opened fail to connect with ``ConnectionError``. Checked-out
        connections fail their pending requests with ``ConnectionError``; when
        released they are counted as discarded. The pool stays usable.
        """
        if self.pid != _Process.pid:
            self.checkpid()
            return
        if self._reaper is not None:
            try:
                self._reaper.cancel()
            except RuntimeError:
                pass  # its event loop is closed: the task can never run again anyway
            self._reaper = None
        idle, self._idle = self._idle, []
        for connection in idle:
            connection.disconnect()
        for connection in list(self._in_use):
            connection.disconnect()
        for connection in list(self._opening):
            connection.disconnect()  # its connect() fails with ConnectionError

    # -- idle connections -----------------------------------------------------------------
    def _start_reaper(self) -> None:
        if self.max_idle_time and (
            self._reaper is None
            or self._reaper.done()
            or self._reaper.get_loop() is not asyncio.get_running_loop()
        ):
            interval = max(self.idle_check_interval, 0.01)
            self._reaper = asyncio.get_running_loop().create_task(
                _reap_periodically(weakref.ref(self), interval),
                name=f"coredis pool reaper {id(self)}",
            )

    def _reap_idle(self) -> None:
        self._last_reap = now = time.monotonic()
        keep: list[BaseConnection] = []
        for connection in self._idle:
            if not connection.is_usable:
                connection.disconnect()
                self._discarded += 1
            elif now - connection.last_used > self.max_idle_time:
                connection.disconnect()
                self._expired += 1
            else:
                keep.append(connection)
        self._idle = keep

    async def disconnect_on_idle_time_exceeded(self, connection: BaseConnection) -> bool:
        """Close ``connection`` if it sits idle in this pool longer than ``max_idle_time``.

        Returns whether it was closed.

        :raises: nothing.

        Cancelling it has no effect (it does not wait).
        """
        if (
            self.max_idle_time
            and connection in self._idle
            and time.monotonic() - connection.last_used > self.max_idle_time
        ):
            self._idle.remove(connection)
            connection.disconnect()
            self._expired += 1
            return True
        return False
