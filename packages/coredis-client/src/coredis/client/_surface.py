"""The whole command surface as one generic base class.

:class:`CoreCommands` stacks every command-group mixin. Each mixin method only builds
arguments and calls ``self.execute_command``; whatever class inherits from
:class:`CoreCommands` decides what "executing" means:

* :class:`coredis.Redis` sends the command on a pooled connection and waits for the reply;
* :class:`coredis.client.Pipeline` queues it;
* ``coredis.RedisCluster`` (coredis-cluster) routes it to the node owning the key slot.
"""

from __future__ import annotations

from ._runtime_checks import check_command_arguments
from .commands import (
    BitmapCommands,
    ClusterCommands,
    ClusterExtCommands,
    ConnectionCommands,
    GenericCommands,
    GeoCommands,
    HashCommands,
    HashFieldCommands,
    HyperLogLogCommands,
    ListCommands,
    PubSubCommands,
    ScriptingCommands,
    SentinelCommands,
    SentinelExtCommands,
    ServerCommands,
    ServerExtCommands,
    SetCommands,
    SortedSetCommands,
    StreamCommands,
    StringCommands,
    StringExtCommands,
)
from .commands._base import AnyStr_co

__all__ = ("CoreCommands",)


class CoreCommands(
    BitmapCommands[AnyStr_co],
    ClusterCommands[AnyStr_co],
    ClusterExtCommands[AnyStr_co],
    ConnectionCommands[AnyStr_co],
    GenericCommands[AnyStr_co],
    GeoCommands[AnyStr_co],
    HashCommands[AnyStr_co],
    HashFieldCommands[AnyStr_co],
    HyperLogLogCommands[AnyStr_co],
    ListCommands[AnyStr_co],
    PubSubCommands[AnyStr_co],
    ScriptingCommands[AnyStr_co],
    SentinelCommands[AnyStr_co],
    SentinelExtCommands[AnyStr_co],
    ServerCommands[AnyStr_co],
    ServerExtCommands[AnyStr_co],
    SetCommands[AnyStr_co],
    SortedSetCommands[AnyStr_co],
    StreamCommands[AnyStr_co],
    StringCommands[AnyStr_co],
    StringExtCommands[AnyStr_co],
):
    """Every Redis command method; subclasses provide ``execute_command``."""


# COREDIS_RUNTIME_CHECKS=1 (with beartype installed): check the arguments of every command.
# Otherwise this does nothing: the methods stay as they are.
check_command_arguments(CoreCommands)
