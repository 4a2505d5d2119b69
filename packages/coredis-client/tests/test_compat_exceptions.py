"""``coredis.exceptions`` has 4.5.6's classes with 4.5.6's base classes, and the error
replies 4.x mapped outside ResponseError (NOGROUP, BUSYGROUP) raise those classes."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

import coredis.exceptions as E
from coredis.protocol import error_from_reply

# name -> the names of its direct base classes in coredis 4.5.6, in order.
BASES_4X: dict[str, tuple[str, ...]] = {
    "AskError": ("ResponseError",),
    "AuthenticationError": ("ResponseError",),
    "AuthenticationFailureError": ("AuthenticationError",),
    "AuthenticationRequiredError": ("AuthenticationError",),
    "AuthorizationError": ("ResponseError",),
    "BusyLoadingError": ("ConnectionError",),
    "ClusterCrossSlotError": ("ResponseError",),
    "ClusterDownError": ("ClusterError", "ResponseError"),
    "ClusterError": ("RedisError",),
    "ClusterResponseError": ("ClusterError",),
    "ClusterRoutingError": ("RedisClusterException",),
    "ClusterTransactionError": ("ClusterError",),
    "CommandNotSupportedError": ("RedisError",),
    "CommandSyntaxError": ("RedisError",),
    "ConnectionError": ("RedisError",),
    "DataError": ("RedisError",),
    "ExecAbortError": ("ResponseError",),
    "FunctionError": ("RedisError",),
    "InvalidResponse": ("RedisError",),
    "LockError": ("RedisError", "ValueError"),
    "MovedError": ("AskError",),
    "NoKeyError": ("RedisError",),
    "NoScriptError": ("ResponseError",),
    "NotBusyError": ("ResponseError",),
    "PrimaryNotFoundError": ("SentinelConnectionError",),
    "ProtocolError": ("ConnectionError",),
    "PubSubError": ("RedisError",),
    "ReadOnlyError": ("ResponseError",),
    "RedisClusterException": ("Exception",),
    "RedisError": ("Exception",),
    "ReplicaNotFoundError": ("SentinelConnectionError",),
    "ReplicationError": ("RedisError",),
    "ResponseError": ("RedisError",),
    "SentinelConnectionError": ("ConnectionError",),
    "StreamConsumerError": ("RedisError",),
    "StreamConsumerGroupError": ("StreamConsumerError",),
    "StreamConsumerInitializationError": ("StreamConsumerError",),
    "StreamDuplicateConsumerGroupError": ("StreamConsumerGroupError",),
    "TimeoutError": ("RedisError",),
    "TryAgainError": ("ResponseError",),
    "UnblockedError": ("ResponseError",),
    "UnknownCommandError": ("ResponseError",),
    "WatchError": ("RedisError",),
    "WrongTypeError": ("ResponseError",),
}


def test_the_list_has_every_4x_class() -> None:
    assert len(BASES_4X) == 44


@pytest.mark.parametrize("name", sorted(BASES_4X))
def test_class_has_its_4x_bases(name: str) -> None:
    cls = getattr(E, name)
    assert name in E.__all__
    assert tuple(base.__name__ for base in cls.__bases__) == BASES_4X[name]
    for base in cls.__bases__:
        if base.__name__ not in ("Exception", "ValueError"):
            # The bases are coredis's own classes, not builtins of the same name.
            assert base is getattr(E, base.__name__)


def test_builtin_name_clashes_are_coredis_classes() -> None:
    assert E.ConnectionError is not ConnectionError
    assert E.TimeoutError is not TimeoutError
    assert not issubclass(E.ClusterCrossSlotError, E.RedisClusterException)
    assert issubclass(E.ClusterRoutingError, E.RedisClusterException)
    assert not issubclass(E.RedisClusterException, E.RedisError)


@pytest.mark.parametrize(
    ("reply", "cls"),
    [
        ("NOGROUP No such key 's' or consumer group 'g'", E.StreamConsumerGroupError),
        ("BUSYGROUP Consumer Group name already exists", E.StreamDuplicateConsumerGroupError),
        ("NOKEY no such key", E.NoKeyError),
    ],
)
def test_4x_reply_codes_become_their_4x_classes(reply: str, cls: type[Exception]) -> None:
    error = error_from_reply(reply)
    assert isinstance(error, cls)
    # Still an error reply: `except ResponseError` code and the connection layer (which
    # keeps a connection usable after an error reply) treat it as one.
    assert isinstance(error, E.ResponseError)
    assert error.message == reply
    assert error.code == reply.split()[0]
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is type(error) and clone.message == reply


async def test_nogroup_reply_raises_stream_consumer_group_error(client: Any, _s: Any) -> None:
    await client.xadd("s", {"f": "v"})
    with pytest.raises(E.StreamConsumerGroupError, match="NOGROUP") as info:
        await client.xreadgroup("missing", "c1", {"s": ">"})
    assert isinstance(info.value, E.StreamConsumerError)
    with pytest.raises(E.StreamConsumerGroupError):
        await client.xgroup_createconsumer("s", "missing", "c1")
    # The connection that carried the error reply is still good.
    assert await client.xlen("s") == 1


async def test_busygroup_reply_raises_duplicate_group_error(client: Any) -> None:
    assert await client.xgroup_create("s", "g", "$", mkstream=True) is True
    with pytest.raises(E.StreamDuplicateConsumerGroupError, match="BUSYGROUP"):
        await client.xgroup_create("s", "g", "$")
    with pytest.raises(E.StreamConsumerGroupError):
        await client.xgroup_create("s", "g", "$")
    with pytest.raises(E.ResponseError):
        await client.xgroup_create("s", "g", "$")
