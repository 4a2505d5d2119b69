"""A loopback TCP fault proxy between a client and a redis-server.

The proxy runs an asyncio loop in a background thread, so synchronous and asynchronous
tests (and benchmarks) drive it the same way: every control method is thread-safe and
takes effect for data forwarded after it returns.

Faults:

* ``set_latency(latency, jitter)``: every chunk, in both directions, is delayed by
  ``latency + uniform(0, jitter)`` seconds (order is kept per direction).
* ``black_hole()`` / ``restore()``: stop forwarding in both directions without closing or
  resetting anything (like a dropped route); new connections are accepted and hang too.
  Held data is delivered after :meth:`restore`, as TCP retransmission would.
* ``reset_all()``: close every proxied connection with a TCP RST (``SO_LINGER`` 0).
* ``drop_next_reply()``: the next server-to-client chunk is discarded (the client never
  sees that reply).
* ``cut_next_reply(keep)``: forward only the first ``keep`` bytes of the next
  server-to-client chunk, then close that connection (a reply cut mid-frame).
* ``garble_next_reply()``: the next server-to-client chunk has its first byte replaced
  by one that starts no RESP type (a corrupt reply).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import socket
import struct
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

__all__ = ("FaultProxy",)

_T = TypeVar("_T")
_CHUNK = 65536


@dataclass(eq=False)
class _Link:
    client: asyncio.StreamWriter
    server: asyncio.StreamWriter | None = None
    tasks: list[asyncio.Task[None]] = field(default_factory=list)


class FaultProxy:
    """Forward ``127.0.0.1:<port>`` to ``target_host:target_port``, injecting faults.

    Use as a context manager (or call :meth:`start`/:meth:`close`). ``port`` is chosen by
    the OS unless given. ``seed`` makes the jitter reproducible.
    """

    def __init__(
        self, target_host: str, target_port: int, *, port: int = 0, seed: int | None = None
    ) -> None:
        self.target_host = target_host
        self.target_port = target_port
        self.host = "127.0.0.1"
        self.port = port
        self.latency = 0.0
        self.jitter = 0.0
        #: connections accepted since start
        self.accepted = 0
        #: the server behind the proxy, when a fixture made it (a ``ServerInfo``)
        self.server: Any = None
        self._random = random.Random(seed)
        self._links: set[_Link] = set()
        self._open: asyncio.Event | None = None
        self._server: asyncio.base_events.Server | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._next_reply: Callable[[bytes], tuple[bytes, bool]] | None = None

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> FaultProxy:
        """Start listening (returns once ``port`` is bound)."""
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()

        def run() -> None:
            assert self._loop is not None
            asyncio.set_event_loop(self._loop)
            self._loop.run_until_complete(self._listen())
            ready.set()
            self._loop.run_forever()
            self._loop.run_until_complete(self._shutdown())
            self._loop.close()

        self._thread = threading.Thread(target=run, name=f"fault-proxy:{self.port}", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fault proxy did not start")
        return self

    def close(self) -> None:
        """Close every connection and stop the proxy thread."""
        if self._loop is not None and self._thread is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
        self._thread = None

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def url(self) -> str:
        """``redis://127.0.0.1:<port>``."""
        return f"redis://{self.host}:{self.port}"

    @property
    def connections(self) -> int:
        """Client connections currently proxied."""
        return len(self._links)

    # -- faults (thread-safe) -------------------------------------------------------------
    def set_latency(self, latency: float = 0.0, jitter: float = 0.0) -> None:
        """Delay every chunk by ``latency`` plus up to ``jitter`` seconds (0, 0: none)."""
        self.latency, self.jitter = latency, jitter

    def black_hole(self) -> None:
        """Stop forwarding (no FIN, no RST); :meth:`restore` resumes."""
        self._call(self._set_open, False)

    def restore(self) -> None:
        """Forward again after :meth:`black_hole` (held data is delivered)."""
        self._call(self._set_open, True)

    def reset_all(self) -> None:
        """Send a TCP RST on every proxied connection (both sides) and forget them."""
        self._call(self._reset_all)

    def drop_next_reply(self) -> None:
        """Discard the next chunk the server sends (on any connection)."""
        self._next_reply = lambda data: (b"", False)

    def cut_next_reply(self, keep: int = 3) -> None:
        """Forward ``keep`` bytes of the next server chunk, then close that connection."""
        self._next_reply = lambda data: (data[: min(keep, max(len(data) - 1, 0))], True)

    def garble_next_reply(self) -> None:
        """Replace the first byte of the next server chunk by ``b"?"`` (no RESP type)."""
        self._next_reply = lambda data: (b"?" + data[1:], False)

    def clear(self) -> None:
        """Remove latency, a pending reply fault and any black hole."""
        self.set_latency()
        self._next_reply = None
        self.restore()

    # -- internals (proxy thread) ---------------------------------------------------------
    def _call(self, func: Callable[..., Any], *args: Any) -> None:
        if self._loop is None:
            raise RuntimeError("the fault proxy is not started")

        async def run() -> None:
            func(*args)

        self._run(run())

    def _run(self, coro: Coroutine[Any, Any, _T]) -> _T:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(10)

    def _set_open(self, value: bool) -> None:
        assert self._open is not None
        if value:
            self._open.set()
        else:
            self._open.clear()

    async def _listen(self) -> None:
        self._open = asyncio.Event()
        self._open.set()
        self._server = await asyncio.start_server(self._accept, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        for link in list(self._links):
            self._abort(link, rst=False)
        current = asyncio.current_task()
        tasks = [task for task in asyncio.all_tasks() if task is not current]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        link = _Link(client=writer)
        self._links.add(link)
        try:
            assert self._open is not None
            await self._open.wait()
            server_reader, server_writer = await asyncio.open_connection(
                self.target_host, self.target_port
            )
        except (OSError, asyncio.CancelledError):
            self._abort(link, rst=True)
            return
        link.server = server_writer
        link.tasks = [
            asyncio.ensure_future(self._pump(reader, server_writer, link, upstream=True)),
            asyncio.ensure_future(self._pump(server_reader, writer, link, upstream=False)),
        ]

    async def _pump(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        link: _Link,
        *,
        upstream: bool,
    ) -> None:
        assert self._open is not None
        try:
            while True:
                data = await reader.read(_CHUNK)
                if not data:
                    break
                if self.latency or self.jitter:
                    await asyncio.sleep(self.latency + self._random.uniform(0, self.jitter))
                await self._open.wait()
                close_after = False
                fault = None if upstream else self._next_reply
                if fault is not None:
                    self._next_reply = None
                    data, close_after = fault(data)
                if data:
                    writer.write(data)
                    await writer.drain()
                if close_after:
                    self._abort(link, rst=False)
                    return
        except (OSError, asyncio.CancelledError):
            pass
        self._abort(link, rst=False)

    def _reset_all(self) -> None:
        for link in list(self._links):
            self._abort(link, rst=True)

    def _abort(self, link: _Link, *, rst: bool) -> None:
        if link not in self._links:
            return
        self._links.discard(link)
        for writer in (link.client, link.server):
            if writer is None:
                continue
            if rst:
                sock = writer.get_extra_info("socket")
                if sock is not None:
                    with contextlib.suppress(OSError):
                        sock.setsockopt(
                            socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                        )
                writer.transport.abort()
            else:
                writer.close()
        current = asyncio.current_task()
        for task in link.tasks:
            if task is not current:
                task.cancel()
