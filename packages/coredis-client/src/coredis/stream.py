"""``coredis.stream`` (4.x import path): stream consumers.

:class:`Consumer` and :class:`GroupConsumer` live in :mod:`coredis.client._consumers`.
"""

from __future__ import annotations

from coredis.client._consumers import Consumer, GroupConsumer, State, StreamParameters

__all__ = ("Consumer", "GroupConsumer", "State", "StreamParameters")
