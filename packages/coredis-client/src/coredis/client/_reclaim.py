"""Giving back, from a finalizer, a connection an object held for itself.

A pub/sub subscriber, a ``MONITOR`` and a pipeline after ``watch()`` each hold a connection
of their own, taken from their client's pool. Dropped without being closed, their
``__del__`` must still give the slot back, or the pool's in-use count leaks toward
``max_connections``; and the connection must be closed, since its state (subscribed,
monitoring, watching) makes it useless to anyone else. That is the pool's
:meth:`~coredis.pool.ConnectionPool.discard`. What a finalizer adds, and what lives here: it
may run on a half-built object (no pool or no connection attribute yet), during interpreter
shutdown, or after the event loop closed, and it must never raise.

This was ``_pubsub_close.reclaim_connection`` (and imported from ``_pubsub``), though only
one of its three users is about pub/sub: it lives on its own so the pipeline and the monitor
do not import the pub/sub machinery to clean up after themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coredis.connection import BaseConnection

__all__ = ("reclaim_connection",)


def reclaim_connection(pool: Any, conn: BaseConnection | None) -> None:
    """``pool.discard(conn)`` from a finalizer (see the module docstring): nothing when
    either is missing; never raises."""
    if conn is None or pool is None:
        return
    try:
        pool.discard(conn)
    except Exception:  # the loop may be closed already; nothing more can be done
        pass
