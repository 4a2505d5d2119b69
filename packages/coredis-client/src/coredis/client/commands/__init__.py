"""Command groups of the Redis client, one mixin module per group."""

from __future__ import annotations

from ._bitmap import BitmapCommands
from ._cluster import ClusterCommands
from ._cluster_ext import ClusterExtCommands
from ._connection import ConnectionCommands
from ._generic import GenericCommands
from ._geo import GeoCommands
from ._hash import HashCommands
from ._hash_fields import HashFieldCommands
from ._hyperloglog import HyperLogLogCommands
from ._list import ListCommands
from ._pubsub import PubSubCommands
from ._scripting import ScriptingCommands
from ._sentinel import SentinelCommands
from ._sentinel_ext import SentinelExtCommands
from ._server import ServerCommands
from ._server_ext import ServerExtCommands
from ._set import SetCommands
from ._sorted_set import SortedSetCommands
from ._stream import StreamCommands
from ._string import StringCommands
from ._string_ext import StringExtCommands

__all__ = (
    "BitmapCommands",
    "GenericCommands",
    "GeoCommands",
    "HashCommands",
    "HyperLogLogCommands",
    "ListCommands",
    "SetCommands",
    "SortedSetCommands",
    "StringCommands",
    "StreamCommands",
    "ServerCommands",
    "ConnectionCommands",
    "ScriptingCommands",
    "PubSubCommands",
    "ClusterCommands",
    "SentinelCommands",
    "HashFieldCommands",
    "StringExtCommands",
    "ServerExtCommands",
    "ClusterExtCommands",
    "SentinelExtCommands",
)
