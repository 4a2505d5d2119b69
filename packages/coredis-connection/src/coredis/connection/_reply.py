"""The awaitable handed back for one request."""

from __future__ import annotations

import asyncio
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from coredis.protocol import ResponseError

if TYPE_CHECKING:
    from ._base import BaseConnection

__all__ = ("Batch", "Reply")


class Reply:
    """The pending reply of one request; ``await`` it to get the value.

    An error reply from the server is raised as its :class:`~coredis.protocol.ResponseError`
    subclass and leaves the connection usable. Any other failure while waiting
    (cancellation, timeout, connection loss) closes the connection, so the reply can never
    be read by someone else later.

    Awaiting it is optional: a reply that is never awaited is simply dropped (its slot in
    the FIFO is still consumed when it arrives).
    """

    __slots__ = ("_connection", "_future")

    def __init__(self, connection: BaseConnection, future: asyncio.Future[Any]) -> None:
        self._connection = connection
        self._future = future

    def done(self) -> bool:
        """Whether the reply (or a failure) has arrived."""
        return self._future.done()

    def __await__(self) -> Generator[Any, None, Any]:
        try:
            return (yield from self._future.__await__())
        except ResponseError:
            raise
        except BaseException as exc:
            if self._connection.multiplexed and self._future.cancelled():
                # A shared connection: the cancelled future keeps its FIFO slot, so its
                # reply is read and discarded and the other callers' replies stay matched.
                raise
            # Cancelled or failed between write and full reply: the conversation is out of
            # step, so the connection must not carry anything else.
            self._connection._abandon(exc)
            raise


class Batch:
    """The replies owed to one batch of requests: a single FIFO entry for all of them.

    The connection's read loop appends each reply to :attr:`replies` (an error reply as its
    exception instance, in its place) and resolves :attr:`waiter` with that list when the
    :attr:`count`-th arrives: one future and one wake-up per batch instead of one per
    command. :attr:`progress` is the loop time of the last reply appended (or of the
    start of the wait), from which ``stream_timeout`` is counted; :attr:`timer` the
    pending timeout check, if any.
    """

    __slots__ = ("count", "progress", "replies", "timer", "waiter")

    def __init__(self, count: int, waiter: asyncio.Future[list[Any]]) -> None:
        self.count = count
        self.waiter = waiter
        self.replies: list[Any] = []
        self.progress = 0.0
        self.timer: asyncio.TimerHandle | None = None
