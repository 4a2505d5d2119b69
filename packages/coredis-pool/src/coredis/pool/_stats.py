"""An immutable snapshot of a pool's counters."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ("PoolStatistics",)


@dataclass(frozen=True)
class PoolStatistics:
    """What a pool holds at one moment; returned by ``pool.statistics()``.

    Frozen: later pool activity never changes a snapshot already taken.
    """

    #: connections checked out
    in_use: int
    #: open connections waiting in the pool to be reused
    idle: int
    #: callers waiting for a connection (blocking pools only)
    waiting: int
    #: slots reserved for a connection being opened, or handed to a waiter that has not
    #: resumed yet (counted against ``max_connections``)
    connecting: int
    #: connections opened successfully since the pool was created or reset
    created: int
    #: connections closed because they were broken, dirty (a request cancelled or failed
    #: mid-flight), came back closed, or failed to connect
    discarded: int
    #: idle connections closed because they stayed unused longer than ``max_idle_time``
    expired: int
    #: the pool's limit, ``None`` when unlimited
    max_connections: int | None

    @property
    def closed_on_error(self) -> int:
        """Alias of :attr:`discarded`."""
        return self.discarded

    @property
    def total(self) -> int:
        """Connections counted against ``max_connections`` plus idle ones."""
        return self.in_use + self.idle + self.connecting
