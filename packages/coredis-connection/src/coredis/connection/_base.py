"""BaseConnection: one socket, one conversation, replies matched to requests in FIFO order."""

from __future__ import annotations

import asyncio
import inspect
import logging
import os
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Sequence
from itertools import repeat
from typing import Any, ClassVar, Literal, TypeVar, cast

from coredis.protocol import (
    NOT_ENOUGH_DATA,
    ConnectionError,
    ProtocolError,
    PushFrame,
    Reader,
    RedisError,
    ResponseError,
    encode_command,
    encode_commands,
)
from coredis.protocol import TimeoutError as RedisTimeoutError

from ._busypoll import DEFAULT_BUSY_POLL, BusyPoller, waiting_count
from ._credentials import CredentialSource
from ._handshake import LIB_NAME, LIB_VERSION, perform_handshake
from ._lowlevel import Lost, LowLevelAPI, PushHandler
from ._reply import Batch, Reply
from ._settings import DEFAULT_MAX_PUSH_MESSAGES, check_settings
from ._timeout import wait_for
from .events import LISTENERS, ConnectionClosed, ConnectionCreated, emit

__all__ = ("BaseConnection", "CommandArg", "ConnectCallback", "PushHandler")

CommandArg = bytes | bytearray | memoryview | str | int | float
ConnectCallback = Callable[["BaseConnection"], Awaitable[None] | None]
_BC = TypeVar("_BC", bound="BaseConnection")
#: Connects, handshakes and closes (with the reason) at DEBUG. Never logs credentials.
_log = logging.getLogger("coredis.connection")


#: First size of a connection's receive buffer, and the largest it grows to (x4 each time
#: a read fills it: a big reply is arriving). asyncio reads 256 KiB at most per call.
READ_BUFFER_SIZE = 16 * 1024
MAX_READ_BUFFER_SIZE = 256 * 1024
#: Reads this long or longer are fed as (buffer, offset, length), so that the pure reader
#: writes the rest of a big bulk string straight into its collector; shorter ones as the
#: bytes the reader would copy them into anyway (fewer checks per small reply).
DIRECT_FEED = 4096
#: Commands queued for one coalesced write (see :meth:`BaseConnection._write`) are written
#: at once, without waiting for the flush, when they reach this many bytes; a command this
#: long or longer is never copied into the queue (what is queued is written, then it).
COALESCE_LIMIT = 64 * 1024
_Future = asyncio.Future
_BASE_CREATE_FUTURE = asyncio.BaseEventLoop.create_future


def _close_orphaned(transport: Any) -> None:
    """Close the socket of a transport whose event loop is closed (the loop can no longer
    do it): otherwise the descriptor leaks until garbage collection, with a warning."""
    inner = getattr(getattr(transport, "_ssl_protocol", None), "_transport", None)
    if inner is not None:
        _close_orphaned(inner)
    sock = getattr(transport, "_sock", None)
    if sock is not None:
        sock.close()
        transport._sock = None


class BaseConnection(LowLevelAPI, asyncio.BufferedProtocol):
    """One connection to a Redis server, built on an asyncio transport (uvloop works too).

    The transport reads into the connection's own receive buffer (it is an
    :class:`asyncio.BufferedProtocol`), which the reader is fed from: a read allocates only
    the copy the reader keeps (asyncio gives a plain protocol a new 256 KiB ``bytes`` per
    read). The buffer starts at 16 KiB and grows, up to 256 KiB, while reads fill it.

    Subclasses only say how the transport is opened, by implementing
    :meth:`open_transport`. Everything else lives here: the protocol reader, the handshake
    (``HELLO``/``AUTH``/``SELECT``/``CLIENT SETNAME``), and matching replies to requests in
    FIFO order.

    Rules kept by every method: an error reply is raised to the caller that sent the
    command and leaves the connection usable; any other exception or a cancellation
    between writing a command and receiving its whole reply closes the connection, so no
    reply ever reaches the wrong caller.

    RESP3 push frames (and, for RESP2 pub/sub, replies nobody asked for) never resolve a
    request: they go to :meth:`set_push_handler`'s handler when one is set, otherwise to
    the :attr:`push_messages` queue, which :meth:`read_response` reads. At most
    ``max_push_messages`` of them wait there unread: one more closes the connection
    (what is queued can still be read, then :meth:`read_response` and every request in
    flight raise :class:`~coredis.protocol.ConnectionError` saying so), as Redis itself
    disconnects a client that does not read its pub/sub messages.

    ``reader_options`` are extra arguments of :func:`coredis.protocol.Reader` (its limits
    ``max_buffer``, ``max_elements``, ``max_bulk_length``, ``max_depth``, and
    ``use_hiredis``); a reply beyond a limit raises
    :class:`~coredis.protocol.ProtocolError` and closes the connection. Every setting is
    checked here, at construction (:func:`check_settings`): a wrong one raises
    ``TypeError``/``ValueError`` naming it.
    """

    description: ClassVar[str] = "BaseConnection"
    locator: ClassVar[str] = ""
    #: Set by a multiplexing pool on the connections it shares between callers: a caller
    #: cancelled while waiting then leaves its reply to be read and discarded instead of
    #: closing the connection under everyone else's requests. Once connected, such a
    #: connection also coalesces the requests written in one turn of the event loop while
    #: others are in flight into one write (one system call for many callers), sent when
    #: the turn ends; a request on an idle connection is written at once.
    multiplexed: bool = False
    #: Sent with ``CLIENT SETINFO LIB-NAME`` / ``LIB-VER`` during the handshake (Redis 7.2+,
    #: Valkey); set either to ``None`` (on a subclass or an instance) to send nothing.
    lib_name: str | None = LIB_NAME
    lib_version: str | None = LIB_VERSION

    def __init__(
        self,
        retry_on_timeout: bool = False,
        stream_timeout: float | None = None,
        encoding: str = "utf-8",
        decode_responses: bool = False,
        *,
        client_name: str | None = None,
        protocol_version: Literal[2, 3] = 3,
        noreply: bool = False,
        username: str | None = None,
        password: str | None = None,
        db: int | None = 0,
        connect_timeout: float | None = None,
        credential_provider: CredentialSource | None = None,
        busy_poll: float = DEFAULT_BUSY_POLL,
        max_push_messages: int = DEFAULT_MAX_PUSH_MESSAGES,
        reader_options: dict[str, Any] | None = None,
    ) -> None:
        check_settings(
            stream_timeout=stream_timeout,
            connect_timeout=connect_timeout,
            encoding=encoding,
            client_name=client_name,
            protocol_version=protocol_version,
            username=username,
            db=db,
            busy_poll=busy_poll,
            max_push_messages=max_push_messages,
            reader_options=reader_options,
        )
        self.retry_on_timeout = retry_on_timeout
        self.stream_timeout = stream_timeout
        self.connect_timeout = connect_timeout
        self.encoding = encoding
        self.decode_responses = decode_responses
        self.client_name = client_name
        #: The version asked for; :attr:`protocol_version` is what the server agreed to.
        self.requested_protocol_version: Literal[2, 3] = protocol_version
        self.protocol_version: Literal[2, 3] = protocol_version
        self.noreply = noreply
        self.username = username
        self.password = password
        self.db = db
        self.credential_provider = credential_provider
        #: ``"7.0.15"`` after the handshake (from ``HELLO``); ``None`` when the server did
        #: not answer ``HELLO`` (older than 6.0) or before connecting.
        self.server_version: str | None = None
        #: The server's id for this connection (``CLIENT ID``), from the ``HELLO`` reply
        #: as in 4.x; ``None`` before connecting or when the server did not answer ``HELLO``.
        self.client_id: int | None = None
        #: ``"redis"`` or ``"valkey"`` after a RESP3 handshake (``HELLO``'s ``server``).
        self.server_name: str | None = None
        #: Process that created the connection; pools refuse to reuse it in another one.
        self.pid = os.getpid()
        #: ``time.monotonic()`` of the last request written (or of creation).
        self.last_used = time.monotonic()
        #: RESP3 push frames and unsolicited replies, when no push handler is set.
        self.push_messages: asyncio.Queue[Any] = asyncio.Queue()
        #: Most unread push messages queued before the connection is closed.
        self.max_push_messages = max_push_messages
        self._push_handler: PushHandler | None = None
        self._transport: asyncio.Transport | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        #: Extra arguments of :func:`coredis.protocol.Reader` (limits, ``use_hiredis``).
        self.reader_options: dict[str, Any] = dict(reader_options or {})
        self._reader = Reader(encoding=encoding, **self.reader_options)
        # (future, Batch or None, decode). None routes the reply to push_messages, in
        # order; a Batch collects the replies of a whole batch (execute_commands).
        self._requests: deque[tuple[asyncio.Future[Any] | Batch | None, bool]] = deque()
        self._batches = 0  # Batch entries in _requests (pending_requests stays O(1) without)
        self._connect_callbacks: list[ConnectCallback] = []
        self._disconnect_calls = 0
        self._connecting: asyncio.Future[None] | None = None
        self._connected = False
        self._broken = False
        #: Set once a subscription command or ``MONITOR`` went out through
        #: :meth:`send_command`: the server may then push replies nobody asked for, so the
        #: connection is not :attr:`is_usable` (pools close it) until it reconnects.
        self.dedicated = False
        self._write_paused = False
        self._drain_waiters: list[asyncio.Future[None]] = []
        # Commands written while others were in flight, waiting for the one coalesced
        # write (_flush) scheduled with them; empty otherwise. See _write.
        self._out: list[bytes] = []
        self._out_size = 0
        # asyncio's own loops: make futures without the Python-level create_future call
        self._base_loop = False
        # What the transport reads into (made on the first connect, kept after).
        self._read_buffer = bytearray()
        self._read_view = memoryview(self._read_buffer)
        #: This connection's busy polling (window, counters, trigger); see ``_busypoll``.
        self.poller = BusyPoller(self, self._on_read_error, busy_poll)
        # Tasks of this connection's thread waiting for a reply (see _busypoll.WAITING):
        # looked up again in connection_made, in the thread of the event loop.
        self._waiting = waiting_count()

    # -- busy polling (the poller holds the state; these are the 4.x-style names) ----------
    @property
    def busy_poll(self) -> float:
        """Seconds a lone request may read its socket without blocking before the task
        yields to the event loop (0 turns busy polling off for this connection)."""
        return self.poller.window

    @busy_poll.setter
    def busy_poll(self, window: float) -> None:
        check_settings(busy_poll=window)
        self.poller.window = float(window)
        if self._transport is not None:
            self.poller.attach(self._transport)

    @property
    def busy_poll_hits(self) -> int:
        """Replies read by busy polling."""
        return self.poller.hits

    @property
    def busy_poll_misses(self) -> int:
        """Busy-polling windows that ended without the reply."""
        return self.poller.misses

    # -- description --------------------------------------------------------------------
    def _description_args(self) -> dict[str, Any]:
        return {"db": self.db}

    def describe(self) -> str:
        """A short human description, e.g. ``Connection<host=127.0.0.1,port=6379,db=0>``."""
        return self.description.format(**self._description_args())

    @property
    def location(self) -> str:
        """Where the connection goes, e.g. ``127.0.0.1:6379`` or ``unix:///tmp/r.sock``."""
        return self.locator.format(**self._description_args())

    def __repr__(self) -> str:
        state = "connected" if self.is_connected else "disconnected"
        return f"<{self.describe()} {state}>"

    # -- state used by pools --------------------------------------------------------------
    @property
    def is_connected(self) -> bool:
        """True once connected and the handshake is done, until closed or broken."""
        return self._connected and self._transport is not None and not self._broken

    @property
    def loop(self) -> asyncio.AbstractEventLoop | None:
        """The event loop the transport lives in (``None`` before the first connect)."""
        return self._loop

    @property
    def pending_requests(self) -> int:
        """Requests written whose reply has not arrived yet."""
        count = len(self._requests)
        if self._batches:
            for target, _ in self._requests:
                if isinstance(target, Batch):
                    count += target.count - len(target.replies) - 1
        return count

    @property
    def is_usable(self) -> bool:
        """Connected, not broken, nothing in flight, no unread push messages, and never
        switched to pub/sub or ``MONITOR`` mode (:attr:`dedicated`).

        Pools hand out and take back only usable connections; anything else is closed.
        """
        # Checked on every acquire and release: kept flat. (_connected implies a transport
        # and not _broken: _close clears all three together.)
        transport = self._transport
        return (
            self._connected
            and transport is not None
            and not self._requests
            and not self.dedicated
            and not transport.is_closing()  # EOF seen, connection_lost not yet delivered
            and self.push_messages.empty()
        )

    # -- connecting -----------------------------------------------------------------------
    async def open_transport(self) -> None:
        """Open the transport with ``self`` as its protocol (the one hook subclasses write).

        For example ``await loop.create_connection(lambda: self, host, port)``. Raising
        :class:`OSError` is turned into :class:`~coredis.protocol.ConnectionError` naming
        :attr:`location`.

        :raises NotImplementedError: here; subclasses raise :class:`OSError` on failure.

        Cancelling it (through :meth:`connect`) closes the half-open connection.
        """
        raise NotImplementedError

    async def connect(self) -> None:
        """Open the transport and run the handshake; a no-op when already connected.

        Concurrent calls share one attempt. ``connect_timeout`` bounds the whole of it.

        :raises ConnectionError: the server could not be reached (message names the address)
        :raises TimeoutError: connecting and the handshake took longer than ``connect_timeout``
        :raises AuthenticationRequiredError: the server wants credentials and none were given
        :raises AuthenticationFailureError: the credentials were rejected
        :raises ResponseError: ``SELECT``/``CLIENT SETNAME``/``READONLY`` was refused

        Cancelling it closes the half-open connection; it may be connected again later.
        """
        if self.is_connected:
            return
        if self._connecting is not None:
            await asyncio.shield(self._connecting)
            return
        loop = asyncio.get_running_loop()
        self._connecting = attempt = loop.create_future()
        began = time.perf_counter()
        try:
            await wait_for(self._connect(), self.connect_timeout)
        except BaseException as exc:
            _log.debug("connecting to %s failed: %r", self.location, exc)
            self._abandon(exc)
            error: BaseException = exc
            if isinstance(exc, (asyncio.TimeoutError, TimeoutError)) and not isinstance(
                exc, RedisError
            ):
                error = RedisTimeoutError(
                    f"Timed out connecting to {self.location} after {self.connect_timeout}s"
                )
            elif isinstance(exc, OSError):
                error = ConnectionError(f"Error connecting to {self.location}: {exc}")
            if isinstance(error, asyncio.CancelledError):
                # a concurrent connect() was not cancelled itself: tell it what happened
                error = ConnectionError(f"Connecting to {self.location} was cancelled")
            attempt.set_exception(error)
            attempt.exception()  # retrieved: concurrent waiters get it, nobody else must
            if error is exc or isinstance(exc, asyncio.CancelledError):
                raise
            raise error from exc
        else:
            attempt.set_result(None)
            if _log.isEnabledFor(logging.DEBUG):
                _log.debug(
                    "connected to %s: RESP%d, server %s, db %s, %.1f ms",
                    self.location,
                    self.protocol_version,
                    self.server_version or "version unknown",
                    self.db,
                    (time.perf_counter() - began) * 1000,
                )
            if LISTENERS:
                emit(ConnectionCreated(self, self.location, time.perf_counter() - began))
        finally:
            self._connecting = None

    async def _connect(self) -> None:
        self._reader = Reader(encoding=self.encoding, **self.reader_options)
        self._requests = deque()
        self._batches = 0
        self.push_messages = asyncio.Queue()
        self.dedicated = False
        self.protocol_version = self.requested_protocol_version
        self.server_version = None
        self.client_id = None
        closes = self._disconnect_calls
        await self.open_transport()
        if self._transport is None or closes != self._disconnect_calls:
            # disconnect() was called while the transport was being opened: honour it
            raise ConnectionError(f"Connection to {self.location} closed during connect")
        await self.perform_handshake()
        await self.on_connect()
        if self.noreply:
            self._write(encode_command(b"CLIENT", b"REPLY", b"OFF", encoding=self.encoding))
        self._connected = True
        self.pid = os.getpid()
        for callback in list(self._connect_callbacks):
            result = callback(self)
            if inspect.isawaitable(result):
                await result

    async def perform_handshake(self) -> None:
        """``HELLO`` (or ``AUTH`` for servers without it), ``SELECT``, ``CLIENT SETNAME``.

        Called by :meth:`connect` on a freshly opened transport; not meant to be called
        again on a connection in use.

        :raises AuthenticationRequiredError: credentials are required
        :raises AuthenticationFailureError: credentials were rejected
        :raises ResponseError: another handshake command was refused

        Cancelling it (through :meth:`connect`) closes the connection.
        """
        await perform_handshake(self)

    async def on_connect(self) -> None:
        """Hook run after the handshake, before the connection is marked connected.

        Subclasses send extra setup commands here with ``self._raw_request(...)``. What
        it raises makes :meth:`connect` fail and close the connection; cancelling it
        (through :meth:`connect`) closes the connection.

        :raises: nothing here; an override's errors (e.g. ``ResponseError``) fail :meth:`connect`.
        """

    def register_connect_callback(self, callback: ConnectCallback) -> None:
        """Call ``callback(connection)`` (sync or async) after every successful connect."""
        self._connect_callbacks.append(callback)

    def clear_connect_callbacks(self) -> None:
        """Forget every callback given to :meth:`register_connect_callback`."""
        self._connect_callbacks.clear()

    async def __aenter__(self: _BC) -> _BC:
        """``async with Connection(...) as conn:`` connects (see :meth:`connect` for what it
        raises and what cancelling does) and disconnects on exit."""
        await self.connect()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.disconnect()

    # -- asyncio.BufferedProtocol -----------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not asyncio.Transport subclasses, but quack alike.
        self._transport = cast(asyncio.Transport, transport)
        self._loop = loop = asyncio.get_running_loop()
        self._base_loop = type(loop).create_future is _BASE_CREATE_FUTURE
        self._waiting = waiting_count()
        self._broken = False
        if not self._read_buffer:
            self._read_buffer = bytearray(READ_BUFFER_SIZE)
            self._read_view = memoryview(self._read_buffer)
        self.poller.attach(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        transport = self._transport
        if transport is not None and not transport.is_closing():
            # The late notice of a transport closed before a reconnect: the current one
            # is alive (a transport is always marked closing before it reports the loss).
            return
        detail = f": {exc}" if exc else " (closed by the server)"
        self._close(ConnectionError(f"Connection to {self.location} lost{detail}"), abort=False)

    def eof_received(self) -> bool:
        """The server closed its side: let the transport close (returns ``False``)."""
        return False

    def pause_writing(self) -> None:
        self._write_paused = True

    def resume_writing(self) -> None:
        self._write_paused = False
        self._wake_drain_waiters(None)

    def get_buffer(self, sizehint: int) -> memoryview:
        """Where the transport (or the busy poller) reads the next bytes into."""
        return self._read_view

    def buffer_updated(self, nbytes: int) -> None:
        """The transport read ``nbytes`` into :meth:`get_buffer`'s buffer: parse them and
        resolve the requests whose replies are whole, in order."""
        reader = self._reader
        view = self._read_view
        if nbytes:
            try:
                if nbytes < DIRECT_FEED:
                    reader.feed(view[:nbytes].tobytes())
                else:
                    reader.feed(view, 0, nbytes)
            except ProtocolError as exc:  # e.g. max_buffer exceeded: the stream is lost
                self._abandon(ProtocolError(f"Invalid data from {self.location}: {exc}"))
                return
            if nbytes == len(view) and nbytes < MAX_READ_BUFFER_SIZE:
                # A read filled the buffer: a big reply is arriving, read bigger pieces.
                # (A new buffer: the transport may still hold a view of the current one.)
                self._read_buffer = bytearray(min(4 * nbytes, MAX_READ_BUFFER_SIZE))
                self._read_view = memoryview(self._read_buffer)
        requests = self._requests
        while True:
            if requests:
                target, decode = requests[0]
                if isinstance(target, Batch):
                    # A batch: its replies in one reader call, its waiter resolved once.
                    replies = target.replies
                    before = len(replies)
                    try:
                        outcome = reader.gets_into(replies, target.count - before, decode)
                    except ProtocolError as exc:
                        self._abandon(ProtocolError(f"Invalid data from {self.location}: {exc}"))
                        return
                    if outcome is None:  # the batch is whole
                        requests.popleft()
                        self._batches -= 1
                        waiter = target.waiter
                        if not waiter.done():
                            waiter.set_result(replies)
                        if not requests and not reader.has_data():
                            return
                        continue
                    if target.timer is not None and len(replies) > before:
                        target.progress = cast(asyncio.AbstractEventLoop, self._loop).time()
                    if outcome is NOT_ENOUGH_DATA:
                        return
                    self._on_push(outcome)  # a push frame between two of its replies
                    if self._broken:
                        return
                    continue
            else:
                target, decode = None, self.decode_responses
            try:
                reply = reader.gets(decode)
            except ProtocolError as exc:
                self._abandon(ProtocolError(f"Invalid data from {self.location}: {exc}"))
                return
            if reply is NOT_ENOUGH_DATA:
                return
            if isinstance(reply, PushFrame) or not requests:
                # (without a request: RESP2 pub/sub messages, or anything unsolicited)
                self._on_push(reply)
                if self._broken:
                    return  # max_push_messages exceeded: the connection is closed
                continue
            requests.popleft()
            future = target  # (the head: not a batch, checked above)
            if future is None:
                self.push_messages.put_nowait(reply)
            elif not future.done():
                if isinstance(reply, Exception):
                    future.set_exception(reply)
                    future.exception()  # awaiting still raises; no "never retrieved" noise
                else:
                    future.set_result(reply)
            if not requests and not reader.has_data():
                return  # the last reply owed, nothing behind it: no gets() to say so

    def data_received(self, data: bytes) -> None:
        """Bytes from a transport that does not read into :meth:`get_buffer`: parse them."""
        try:
            self._reader.feed(data)
        except ProtocolError as exc:
            self._abandon(ProtocolError(f"Invalid data from {self.location}: {exc}"))
            return
        self.buffer_updated(0)  # (nothing more to feed: resolves what is whole)

    def _on_read_error(self, exc: OSError) -> None:
        self._abandon(ConnectionError(f"Connection to {self.location} lost: {exc}"))

    # -- requests ---------------------------------------------------------------------------
    def _write(self, data: bytes) -> None:
        """Write ``data`` (whole commands) in order after everything written before.

        Written at once when no other request is in flight: a lone caller (sequential
        commands, busy polling) never waits. While requests are in flight (callers sharing
        a multiplexed connection, a batch of ``create_request`` calls), the commands of
        one event-loop iteration are queued and written together by one callback
        scheduled with the first of them (:meth:`_flush`): one ``send`` for many
        commands. Nothing is delayed beyond the callbacks already ready to run.
        """
        transport = self._transport
        if transport is None or self._broken:
            raise ConnectionError(f"Not connected to {self.location}")
        if self._out or self._requests:
            self._queue(data)
        else:
            transport.write(data)
        self.last_used = time.monotonic()

    def _queue(self, data: bytes) -> None:
        """Add ``data`` to the coalesced write (scheduling it when it is the first).

        :raises ConnectionError: writing what was queued failed (the connection is closed)
        """
        out = self._out
        if len(data) >= COALESCE_LIMIT:
            self._flush()  # what was queued first goes first; then this, uncopied
            transport = self._transport
            if transport is None or self._broken:
                raise ConnectionError(f"Connection to {self.location} lost while writing")
            transport.write(data)
            return
        if not out:
            cast(asyncio.AbstractEventLoop, self._loop).call_soon(self._flush)
        out.append(data)
        self._out_size += len(data)
        if self._out_size >= COALESCE_LIMIT:
            self._flush()  # bounded: the transport's flow control sees it now
            if self._broken:
                raise ConnectionError(f"Connection to {self.location} lost while writing")

    def _flush(self) -> None:
        """Write the queued commands in one write (a no-op when nothing is queued).

        A write that raises closes the connection, failing every request in flight (the
        queued ones included) with :class:`~coredis.protocol.ConnectionError`.
        """
        out = self._out
        if not out:
            return
        self._out = []
        self._out_size = 0
        transport = self._transport
        if transport is None or self._broken:
            return  # closed meanwhile: _close failed the requests already
        try:
            transport.write(out[0] if len(out) == 1 else b"".join(out))
        except Exception as exc:  # (asyncio reports socket errors via connection_lost)
            self._abandon(ConnectionError(f"Writing to {self.location} failed: {exc!r}"))

    def _raw_request(self, *command: CommandArg) -> Reply:
        """Write a command during the handshake or :meth:`on_connect` (before the connection
        counts as connected); the reply is not decoded."""
        return self._send(encode_command(*command, encoding=self.encoding), 1, False)[0]

    def _check_ready(self) -> None:
        if not self.is_connected:
            raise ConnectionError(f"Not connected to {self.location}")

    def create_request(
        self, command: bytes | str, *args: CommandArg, decode: bool | None = None
    ) -> Reply:
        """Write one command now and return the awaitable of its reply.

        ``decode`` overrides ``decode_responses`` for this reply. With ``noreply`` the
        awaitable resolves to ``None`` at once.

        :raises ConnectionError: the connection is not connected
        :raises DataError: an argument cannot be encoded (nothing is written)
        """
        # The hot path: _check_ready() + _send() inlined for a single command.
        transport = self._transport
        if transport is None or not self._connected or self._broken:
            raise ConnectionError(f"Not connected to {self.location}")
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            return self._send(b"", 1, decode)[0]  # raises the "another event loop" error
        data = encode_command(command, *args, encoding=self.encoding)
        requests = self._requests
        if self._out or requests:
            self._queue(data)  # (_write's rule, inlined)
        else:
            transport.write(data)
        self.last_used = time.monotonic()
        future = _Future(loop=loop) if self._base_loop else loop.create_future()
        if self.noreply:
            future.set_result(None)
        else:
            requests.append((future, self.decode_responses if decode is None else decode))
        return Reply(self, future)

    def create_requests(
        self, commands: Iterable[Sequence[CommandArg]], decode: bool | None = None
    ) -> list[Reply]:
        """Write a batch of commands in one write; one awaitable per command, in order.

        :raises ConnectionError: the connection is not connected
        :raises DataError: an argument cannot be encoded (nothing is written)
        """
        self._check_ready()
        commands = list(commands)
        return self._send(encode_commands(commands, encoding=self.encoding), len(commands), decode)

    async def execute_commands(
        self, commands: Iterable[Sequence[CommandArg]], decode: bool | None = None
    ) -> list[Any]:
        """Send a batch of commands in one write and return every reply, in order.

        An error reply takes its command's place as its
        :class:`~coredis.protocol.ResponseError` instance (returned, not raised), so the
        other replies are still read and returned. The batch is one entry of the
        connection's FIFO: the read loop collects its replies in a list, with one reader
        call per read from the socket, and wakes the caller once, when the last one
        arrived. ``stream_timeout`` bounds each reply, as in :meth:`wait_for_reply`: it is
        counted from the previous reply of the batch (or from sending), not for the whole
        batch. A batch's reply is never waited for by busy polling.

        :raises DataError: an argument cannot be encoded (nothing is written)
        :raises ConnectionError: not connected, or the connection broke (it is closed)
        :raises TimeoutError: a reply took longer than ``stream_timeout``; the connection
         is closed

        Cancelling it closes the connection (replies may still be on their way); the
        commands may or may not have run. On a :attr:`multiplexed` connection a cancelled
        batch keeps its place instead: its replies are read and dropped.
        """
        self._check_ready()
        if not isinstance(commands, (list, tuple)):
            commands = list(commands)
        count = len(commands)
        if not count:
            return []
        batch = self._send_batch(encode_commands(commands, encoding=self.encoding), count, decode)
        if batch is None:
            return [None] * count
        return await self._wait_for_batch(batch)

    def _send_batch(self, data: bytes, count: int, decode: bool | None) -> Batch | None:
        """Write ``data`` (``count`` commands) and queue one :class:`Batch` for their
        replies; ``None`` with ``noreply`` (the server sends nothing)."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            raise ConnectionError(
                f"Connection to {self.location} belongs to another event loop; "
                "connect it again (or let the pool make a new one) in this loop"
            )
        self._write(data)
        if self.noreply and self._connected:
            return None
        batch = Batch(count, loop.create_future())
        self._requests.append((batch, self.decode_responses if decode is None else decode))
        self._batches += 1
        return batch

    async def _wait_for_batch(self, batch: Batch) -> list[Any]:
        """Await ``batch``'s replies, with ``stream_timeout`` per reply and flow control;
        anything but the list of replies closes the connection (see execute_commands)."""
        waiter = batch.waiter
        timeout = self.stream_timeout
        if timeout is not None:
            loop = asyncio.get_running_loop()
            batch.progress = loop.time()
            batch.timer = loop.call_at(
                batch.progress + timeout, self._on_batch_timeout, batch, timeout
            )
        waiting = self._waiting
        waiting.count += 1  # (no connection busy polls while this task waits)
        try:
            if self._write_paused:
                await self._drain()
            return await waiter
        except BaseException as exc:
            if not (self.multiplexed and waiter.cancelled()):
                self._abandon(exc)
            raise
        finally:
            waiting.count -= 1
            if batch.timer is not None:
                batch.timer.cancel()
                batch.timer = None

    def _on_batch_timeout(self, batch: Batch, timeout: float) -> None:
        """The timer of a batch: replies arrived meanwhile move it (each reply has
        ``timeout`` seconds from the previous one); otherwise the batch times out."""
        waiter = batch.waiter
        if waiter.done():
            return
        loop = asyncio.get_running_loop()
        deadline = batch.progress + timeout
        if deadline > loop.time():
            batch.timer = loop.call_at(deadline, self._on_batch_timeout, batch, timeout)
            return
        batch.timer = None
        waiter.set_exception(
            RedisTimeoutError(f"Timed out after {timeout}s waiting for {self.location}")
        )
        waiter.exception()  # (retrieved: its task may be gone)
        self._abandon(ConnectionError(f"Connection to {self.location} closed after a timeout"))

    def _send(self, data: bytes, count: int, decode: bool | None) -> list[Reply]:
        return [Reply(self, future) for future in self._send_futures(data, count, decode)]

    def _send_futures(
        self, data: bytes, count: int, decode: bool | None
    ) -> list[asyncio.Future[Any]]:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            raise ConnectionError(
                f"Connection to {self.location} belongs to another event loop; "
                "connect it again (or let the pool make a new one) in this loop"
            )
        self._write(data)
        if self._base_loop:  # (loop is self._loop: decided once, in connection_made)
            # asyncio's own loops: the same future, without a Python-level call per command
            futures: list[asyncio.Future[Any]] = [_Future(loop=loop) for _ in range(count)]
        else:
            create_future = loop.create_future
            futures = [create_future() for _ in range(count)]
        if self.noreply and self._connected:
            for future in futures:
                future.set_result(None)
        else:
            flag = self.decode_responses if decode is None else decode
            self._requests.extend(zip(futures, repeat(flag)))
        return futures

    async def execute_command(
        self, command: bytes | str, *args: CommandArg, decode: bool | None = None
    ) -> Any:
        """Send one command and wait for its reply, at most ``stream_timeout`` seconds.

        :raises ResponseError: the server answered with an error (connection stays usable)
        :raises TimeoutError: no reply within ``stream_timeout``; the connection is closed
        :raises ConnectionError: not connected, or the connection broke (it is closed)

        Cancelling it closes the connection (the reply may still be on its way).
        """
        reply = self.create_request(command, *args, decode=decode)
        return await self.wait_for_reply(reply)

    async def wait_for_reply(
        self, reply: Reply, timeout: float | None = None, *, poll: bool = True
    ) -> Any:
        """Await ``reply`` with ``timeout`` (default ``stream_timeout``) and flow control.

        When ``reply`` is the only request in flight and no other task waits for a reply,
        the socket is first read without blocking for up to :attr:`busy_poll` seconds
        (see "Busy polling" in the performance handbook); ``poll=False`` skips that, for
        replies known to take long (blocking commands).

        :raises TimeoutError: the reply did not arrive in time; the connection is closed
        :raises ResponseError: the server answered with an error
        :raises ConnectionError: the connection broke

        Cancelling it closes the connection.
        """
        timeout = self.stream_timeout if timeout is None else timeout
        future = reply._future
        waiting = self._waiting
        if poll and not waiting.count and not self._out:  # (queued: not sent yet)
            self.poller.maybe_poll(future, len(self._requests), self._write_paused, self._loop)
        handle = None
        if timeout is not None and not future.done():
            handle = asyncio.get_running_loop().call_later(
                timeout, self._on_timeout, reply, timeout
            )
        waiting.count += 1
        try:
            if self._write_paused:
                await self._drain()
            # ``await reply`` without the Reply.__await__ generator in between (one frame
            # less to suspend and resume per command); the same rules.
            return await future
        except ResponseError:
            raise
        except BaseException as exc:
            if not (self.multiplexed and future.cancelled()):
                self._abandon(exc)
            raise
        finally:
            waiting.count -= 1
            if handle is not None:
                handle.cancel()

    def _on_timeout(self, reply: Reply, timeout: float) -> None:
        if not reply._future.done():
            reply._future.set_exception(
                RedisTimeoutError(f"Timed out after {timeout}s waiting for {self.location}")
            )
            self._abandon(ConnectionError(f"Connection to {self.location} closed after a timeout"))

    async def _drain(self) -> None:
        waiter = asyncio.get_running_loop().create_future()
        self._drain_waiters.append(waiter)
        try:
            await waiter
        except BaseException as exc:
            self._abandon(exc)
            raise

    def _wake_drain_waiters(self, exc: BaseException | None) -> None:
        waiters, self._drain_waiters = self._drain_waiters, []
        for waiter in waiters:
            if not waiter.done():
                if exc is None:
                    waiter.set_result(None)
                else:
                    waiter.set_exception(exc)
                    waiter.exception()

    # -- closing ----------------------------------------------------------------------------
    def disconnect(self) -> None:
        """Close the connection at once; requests still in flight fail with ConnectionError.

        The socket is aborted rather than shut down gracefully: a TLS close_notify
        exchange would need more turns of the event loop, which may be about to close.
        Called while :meth:`connect` is in progress, that connect fails with
        ``ConnectionError``.
        """
        self._disconnect_calls += 1
        self._close(
            ConnectionError(f"Connection to {self.location} closed by disconnect()"), abort=True
        )

    def _abandon(self, reason: BaseException) -> None:
        """Close at once because the conversation can no longer be trusted."""
        if isinstance(reason, RedisError) and not isinstance(reason, RedisTimeoutError):
            exc: BaseException = reason
        else:
            exc = ConnectionError(f"Connection to {self.location} abandoned ({reason!r})")
        self._close(exc, abort=True)

    def _close(self, exc: BaseException, abort: bool = False) -> None:
        if self._broken and self._transport is None:
            return  # already closed; connection_lost after abort() lands here
        was_connected = self._connected
        if self._transport is not None:
            _log.debug("closing connection to %s: %s", self.location, exc)
        self._connected = False
        self._broken = True
        self.poller.detach()
        if self._out:
            # Queued commands go out first, as if each had been written directly (what a
            # caller wrote before the close reaches the server, as without coalescing).
            out, self._out, self._out_size = self._out, [], 0
            if self._transport is not None and not self._transport.is_closing():
                try:
                    self._transport.write(b"".join(out))
                except Exception:  # (closing anyway: the requests fail below)
                    pass
        transport, self._transport = self._transport, None
        if transport is not None:
            try:
                if abort:
                    transport.abort()
                else:
                    transport.close()
            except RuntimeError:
                _close_orphaned(transport)
        requests, self._requests = self._requests, deque()
        self._batches = 0
        for target, _ in requests:
            future = target.waiter if isinstance(target, Batch) else target
            if future is not None and not future.done():
                future.set_exception(exc)
                future.exception()  # mark retrieved: nobody may be awaiting it
        self._wake_drain_waiters(exc)
        self.push_messages.put_nowait(Lost(exc))
        if was_connected and LISTENERS:
            emit(ConnectionClosed(self, self.location, exc))
