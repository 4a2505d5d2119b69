"""``coredis.stream`` (4.x import path): stream consumers.

:class:`Consumer` lives in :mod:`coredis.client._consumers`, :class:`GroupConsumer` in
:mod:`coredis.client._group_consumer`.
"""

from __future__ import annotations

from coredis.client._consumers import Consumer, State, StreamParameters
from coredis.client._group_consumer import GroupConsumer

__all__ = ("Consumer", "GroupConsumer", "State", "StreamParameters")
