"""One retry rule: the cluster sends a command again after a broken connection exactly
when the standalone client would (``coredis.connection.is_idempotent``).

Before the command table was one, the cluster's batches and pipelines retried what the
server flags ``readonly`` (``SORT_RO``, ``TOUCH``, ``XREAD`` even with ``BLOCK``) while the
standalone client retried its own list (``PING``, ``ECHO``, ``INFO``, ``TIME``...).
"""

from __future__ import annotations

from typing import Any

import pytest

import coredis
from coredis.cluster import RedisCluster
from coredis.cluster._sender import Sender
from coredis.connection import is_idempotent
from coredis.connection._command_info import COMMANDS
from coredis.exceptions import ConnectionError, TimeoutError

pytestmark = [pytest.mark.redis, pytest.mark.cluster]

#: every command and sub-command of the table as it is sent, plus the blocking forms
_SENT: list[tuple[Any, ...]] = [
    tuple(part.encode() for part in name.split(" ")) for name in sorted(COMMANDS)
] + [
    (b"BLPOP", b"k", 0),
    (b"BLPOP", b"k", 1.5),
    (b"XREAD", b"BLOCK", 100, b"STREAMS", b"s", b"$"),
    (b"XREAD", b"COUNT", 1, b"STREAMS", b"s", b"0"),
    (b"XREADGROUP", b"GROUP", b"g", b"c", b"BLOCK", 0, b"STREAMS", b"s", b">"),
    (b"WAIT", 1, 100),
    (b"client", b"list"),  # names as a caller may spell them
    (b"ping",),
]


async def test_standalone_and_cluster_retry_the_same_commands(redis_cluster: Any) -> None:
    node = redis_cluster.primaries[0]
    standalone = coredis.Redis(node.host, node.port)
    cluster: RedisCluster[Any] = RedisCluster(startup_nodes=redis_cluster.startup_nodes)
    sender = Sender(cluster)
    try:
        for error in (ConnectionError("lost"), TimeoutError("slow")):
            standalone_policy = standalone.retry_policy.with_timeouts()
            disagree = [
                cmd
                for cmd in _SENT
                if standalone_policy.repeats_after_write(cmd[0], cmd[1:], error)
                != sender.repeats_after_write(cmd, error)
            ]
            assert disagree == [], disagree
        retried = {cmd for cmd in _SENT if sender.repeats_after_write(cmd, ConnectionError("x"))}
        # the commands the two used to disagree about
        for name in (b"SORT_RO", b"TOUCH", b"XREAD", b"ECHO", b"PING", b"INFO", b"TIME"):
            assert (name,) in retried, name
        assert (b"XREAD", b"BLOCK", 100, b"STREAMS", b"s", b"$") not in retried
        assert (b"SET",) not in retried and (b"INCR",) not in retried
        assert retried == {cmd for cmd in _SENT if is_idempotent(cmd[0], cmd[1:])}
    finally:
        await standalone.aclose()
        await cluster.aclose()
