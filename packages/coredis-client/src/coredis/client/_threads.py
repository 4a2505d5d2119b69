"""``run_in_thread()`` of :class:`PubSub` and :class:`Monitor` (the coredis 4.x API).

As in 4.x, the "thread" only hands a coroutine to the event loop that was running when
``run_in_thread()`` was called (``asyncio.run_coroutine_threadsafe``) and then ends: the
messages are read, and the handlers run, in that loop. ``stop()`` may be called from any
thread; it cancels that coroutine, which then unsubscribes (or stops monitoring) and gives
the connection back.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from coredis.exceptions import PubSubError

if TYPE_CHECKING:
    from ._monitor import Monitor, MonitoredCommandInfo
    from ._pubsub import PubSub

__all__ = ("MonitorThread", "PubSubWorkerThread", "start_pubsub_worker")


class _LoopThread(threading.Thread):
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(daemon=True)
        self._loop = loop
        self._future: Future[None] | None = None
        self._stopped = False
        self._started_work = threading.Lock()

    async def _run(self) -> None:
        raise NotImplementedError

    async def _cleanup(self) -> None:
        raise NotImplementedError

    async def _main(self) -> None:
        try:
            if not self._stopped:
                await self._run()
        finally:
            # Whatever ended the work (stop(), nothing left subscribed, a handler's error),
            # the connection is given back.
            await self._cleanup()

    def run(self) -> None:
        """Schedule the reading coroutine in the event loop (``Thread.start()`` calls it).

        :meta private:
        """
        with self._started_work:
            # stop() may even come first (start() returns before run() has run): _main()
            # then only cleans up.
            if self._future is None:
                self._future = asyncio.run_coroutine_threadsafe(self._main(), self._loop)

    def stop(self) -> None:
        """Stop processing messages; safe to call from any thread, more than once."""
        with self._started_work:
            self._stopped = True
            future = self._future
        if future is not None:
            future.cancel()

    @property
    def future(self) -> Future[None] | None:
        """The scheduled coroutine's future: what it raised (e.g. a handler's error) is
        kept there; ``None`` until the thread has run."""
        return self._future


class PubSubWorkerThread(_LoopThread):
    """Returned by :meth:`PubSub.run_in_thread`: reads messages until :meth:`stop`.

    Each message is passed to the handler of its channel or pattern; subscription
    confirmations are ignored. Once stopped, the subscriber unsubscribes from everything
    and gives its connection back (as :meth:`PubSub.close`).
    """

    def __init__(
        self,
        pubsub: PubSub[Any],
        poll_timeout: float = 1.0,
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(loop or asyncio.get_running_loop())
        self._pubsub = pubsub
        self._poll_timeout = poll_timeout

    async def _run(self) -> None:
        pubsub = self._pubsub
        while pubsub.subscribed and not self._stopped:
            await pubsub.get_message(ignore_subscribe_messages=True, timeout=self._poll_timeout)

    async def _cleanup(self) -> None:
        await self._pubsub.close()


class MonitorThread(_LoopThread):
    """Returned by :meth:`Monitor.run_in_thread`: passes every command the server runs to
    the handler until :meth:`stop`, which stops monitoring and closes the connection."""

    def __init__(
        self,
        monitor: Monitor[Any],
        loop: asyncio.AbstractEventLoop,
        response_handler: Callable[[MonitoredCommandInfo], Any],
    ) -> None:
        super().__init__(loop)
        self._monitor = monitor
        self._response_handler = response_handler

    async def _run(self) -> None:
        async for command in await self._monitor.start():
            self._response_handler(command)

    async def _cleanup(self) -> None:
        await self._monitor.stop()


def start_pubsub_worker(pubsub: PubSub[Any], poll_timeout: float) -> PubSubWorkerThread:
    """:meth:`PubSub.run_in_thread`: check that every subscription has a handler, then
    start the worker.

    :raises PubSubError: a channel or pattern without a handler
    :raises RuntimeError: no event loop running in this thread
    """
    for kind, registry in (
        ("Channel", pubsub.channels),
        ("Pattern", pubsub.patterns),
        ("Shard channel", pubsub.shard_channels),
    ):
        for name, handler in registry.items():
            if handler is None:
                raise PubSubError(f"{kind} {name!r} has no handler registered")
    thread = PubSubWorkerThread(pubsub, poll_timeout=poll_timeout)
    thread.start()
    return thread
