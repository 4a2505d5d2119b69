"""Closing a subscriber's connection, from plain or async code.

``PubSub.close()`` is a plain method in coredis 4.x, so programs call it without ``await``.
A coroutine that nobody awaits never runs, which would leave the subscriber on the server;
so closing starts at once, synchronously, and :class:`Closing` (what ``close()`` returns)
is only a way to wait for the end:

1. ``UNSUBSCRIBE``, ``PUNSUBSCRIBE`` (and ``SUNSUBSCRIBE`` when shard channels were used)
   are written right away, followed by ``PING <token>``;
2. a task reads until the answer to that ``PING`` arrives: the server handles a
   connection's commands in order, so by then every subscription is gone from the server;
3. the connection is then closed and its slot given back to its pool
   (``reclaim_connection``: the pool's ``discard``).

``await pubsub.close()`` waits for step 3; ``pubsub.close()`` alone lets it finish in the
background. Without a running event loop (a finalizer, a closed loop) the connection is
closed at once, which the server also sees as the end of every subscription.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from coredis.exceptions import ResponseError
from coredis.protocol import encode_command, encode_commands

from ._reclaim import reclaim_connection

if TYPE_CHECKING:
    from coredis.connection import BaseConnection

__all__ = ("Closing", "close_subscriber")

#: How long the background task waits for the server to confirm, in seconds; past that the
#: connection is closed anyway (the server then drops the subscriptions when it sees EOF).
CONFIRM_TIMEOUT = 5.0

# Tasks still confirming a close: a task nobody references may be garbage collected.
_confirming: set[asyncio.Task[None]] = set()
_tokens = itertools.count(1)


class _Handover:
    """The connection being closed and its pool: :meth:`finish` closes the connection and
    releases it once, whichever of the confirming task and a cancelled waiter gets there
    first."""

    __slots__ = ("conn", "pool")

    def __init__(self, pool: Any, conn: BaseConnection) -> None:
        self.pool: Any = pool
        self.conn: BaseConnection | None = conn

    def finish(self) -> None:
        conn, self.conn = self.conn, None
        reclaim_connection(self.pool, conn)


class Closing:
    """A close already under way: ``await`` it to wait until the server confirmed it.

    Awaiting is optional. Cancelling the ``await`` does not stop the close: it finishes it
    at once, closing the connection without waiting for the confirmation (the server drops
    the subscriptions when it sees the connection end), so by the time the
    :class:`asyncio.CancelledError` reaches the caller the connection is back in its pool.
    """

    __slots__ = ("_handover", "_task")

    def __init__(
        self, task: asyncio.Task[None] | None = None, handover: _Handover | None = None
    ) -> None:
        self._task = task
        self._handover = handover

    def done(self) -> bool:
        """Whether the connection is closed and back in its pool."""
        return self._task is None or self._task.done()

    def __await__(self) -> Generator[Any, None, None]:
        if self._task is None:
            return
        try:
            yield from asyncio.shield(self._task).__await__()
        except BaseException:
            if self._handover is not None:
                self._handover.finish()
            self._task.cancel()
            raise

    def __repr__(self) -> str:
        return f"Closing<{'done' if self.done() else 'pending'}>"


def _is_answer(reply: Any, token: bytes) -> bool:
    if isinstance(reply, str):
        reply = reply.encode()
    if reply == token:
        return True  # RESP3, or RESP2 once the connection left the subscribed state
    # RESP2, still subscribed: [b"pong", token]
    return isinstance(reply, list) and len(reply) == 2 and _is_answer(reply[1], token)


async def _confirm(handover: _Handover, token: bytes) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + CONFIRM_TIMEOUT
    try:
        while (conn := handover.conn) is not None and (left := deadline - loop.time()) > 0:
            try:
                if _is_answer(await conn.read_response(timeout=left), token):
                    break
            except ResponseError:
                continue  # the answer to an unsubscribe the server refused; read on
    except Exception:
        pass  # lost or timed out: closing the connection below ends the subscriptions
    finally:
        handover.finish()


def close_subscriber(pool: Any, conn: BaseConnection | None, shard: bool, wait: bool) -> Closing:
    """Unsubscribe ``conn`` from everything and give it back to ``pool`` (see the module).

    ``wait=False`` closes the connection at once without waiting for the server's answer:
    for a connection another task is reading from, whose reads would compete for it.
    """
    if conn is None:
        return Closing()
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    if loop is None or loop is not conn.loop or not conn.is_connected:
        reclaim_connection(pool, conn)
        return Closing()
    token = b"coredis-close-%d" % next(_tokens)
    commands: list[tuple[bytes, ...]] = [(b"UNSUBSCRIBE",), (b"PUNSUBSCRIBE",)]
    if shard:
        commands.append((b"SUNSUBSCRIBE",))
    try:
        # Subscription commands owe no reply of their own (their confirmations are
        # pushed); the PING owes one.
        conn.send_packed_command(encode_commands(commands), expected_replies=0)
        if wait:
            conn.send_packed_command(encode_command(b"PING", token), expected_replies=1)
    except Exception:
        wait = False
    if not wait:
        reclaim_connection(pool, conn)
        return Closing()
    handover = _Handover(pool, conn)
    task = loop.create_task(_confirm(handover, token))
    _confirming.add(task)
    task.add_done_callback(_confirming.discard)
    return Closing(task, handover)
