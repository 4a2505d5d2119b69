"""A cluster-wide cap on checked-out connections: raise at once, or wait in FIFO order."""

from __future__ import annotations

import asyncio
from collections import deque

from coredis.connection import wait_for
from coredis.protocol import ConnectionError

__all__ = ("Limiter",)


class Limiter:
    """Counts checked-out connections against ``limit`` (``None``: unlimited).

    Non-blocking: :meth:`acquire` raises ``ConnectionError("Too many connections")`` when the
    cap is reached. Blocking: it waits, first come first served, up to ``timeout`` seconds.
    """

    def __init__(self, limit: int | None, *, blocking: bool, timeout: float | None) -> None:
        self.limit = limit
        self.blocking = blocking
        self.timeout = timeout
        self.in_use = 0
        self._waiters: deque[asyncio.Future[None]] = deque()

    @property
    def waiting(self) -> int:
        return sum(1 for w in self._waiters if not w.done())

    def try_acquire(self) -> bool:
        """Take one unit if one is free right now (no waiting, no error)."""
        if self.limit is None or (self.in_use < self.limit and not self._waiters):
            self.in_use += 1
            return True
        return False

    async def acquire(self) -> None:
        """Take one unit.

        :raises ConnectionError: non-blocking and the cap is reached.
        :raises ConnectionError: blocking and no unit freed within ``timeout``
            (``No connection available``, as the standalone blocking pool says).

        Cancelling a waiter takes nothing (a unit handed to it meanwhile is passed on).
        """
        if self.limit is None:
            self.in_use += 1
            return
        if self.in_use < self.limit and not self._waiters:
            self.in_use += 1
            return
        if not self.blocking:
            raise ConnectionError(f"Too many connections (cluster-wide limit {self.limit})")
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await wait_for(waiter, self.timeout)
        except BaseException as exc:
            if waiter.done() and not waiter.cancelled():
                # The unit was handed over just as we gave up: pass it on.
                self.release()
            else:
                waiter.cancel()
            try:
                self._waiters.remove(waiter)
            except ValueError:
                pass
            if isinstance(exc, asyncio.TimeoutError):
                raise ConnectionError(
                    f"No connection available within {self.timeout}s "
                    f"(cluster-wide limit {self.limit})"
                ) from None
            raise

    def release(self) -> None:
        """Give one unit back, handing it straight to the oldest waiter if any."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)  # the unit moves to the waiter: in_use unchanged
                return
        self.in_use = max(0, self.in_use - 1)
