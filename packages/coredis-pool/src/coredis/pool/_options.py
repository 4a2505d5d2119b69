"""The keyword options of the standalone pools, typed once (see ``coredis.connection``'s)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coredis.connection import ConnectionArguments

if TYPE_CHECKING:
    from coredis.connection import BaseConnection

__all__ = ("PoolOptions",)


class PoolOptions(ConnectionArguments, total=False):
    """The keyword arguments of :class:`~coredis.pool.ConnectionPool`: its own settings
    (``connection_class``, ``max_connections``, ``max_idle_time``,
    ``idle_check_interval``) and the :class:`~coredis.connection.ConnectionArguments` it
    hands to its connection class. :class:`~coredis.pool.MultiplexedConnectionPool` takes
    them as ``**kwargs: Unpack[PoolOptions]``.
    """

    connection_class: type[BaseConnection] | None
    max_connections: int | None
    max_idle_time: float
    idle_check_interval: float
