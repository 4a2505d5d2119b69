"""coredis.client — the standalone Redis client and the objects it hands out."""

from __future__ import annotations

from ._client import Redis
from ._lock import Lock
from ._monitor import Monitor, MonitoredCommandInfo
from ._options import (
    ClientOptions,
    RedisExtraOptions,
    RedisOptions,
    RedisURLOptions,
    TLSOptions,
)
from ._pipeline import Pipeline
from ._pubsub import PubSub, PubSubMessage
from ._pubsub_close import Closing
from ._retry import RetryPolicy
from ._scripting_objects import Function, Library, Script
from ._surface import CoreCommands
from ._threads import MonitorThread, PubSubWorkerThread
from ._tokens import PureToken
from ._version import __version__
from .commands._bitmap import BitFieldOperation

__all__ = (
    "__version__",
    "Redis",
    "RetryPolicy",
    "RedisOptions",
    "RedisExtraOptions",
    "RedisURLOptions",
    "ClientOptions",
    "TLSOptions",
    "Pipeline",
    "PubSub",
    "PubSubMessage",
    "PubSubWorkerThread",
    "Closing",
    "Script",
    "Library",
    "Function",
    "Monitor",
    "MonitorThread",
    "Lock",
    "MonitoredCommandInfo",
    "BitFieldOperation",
    "CoreCommands",
    "PureToken",
)
