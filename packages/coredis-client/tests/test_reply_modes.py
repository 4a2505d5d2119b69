"""ensure_replication()/ignore_replies(): one implementation for Redis and RedisCluster,
arguments checked when the block is entered."""

from __future__ import annotations

from typing import Any

import pytest

import coredis
from coredis.client._reply_modes import ReplyModes
from coredis.exceptions import ReplicationError
from coredis_testing import ServerInfo

pytestmark = pytest.mark.redis


def test_redis_uses_the_shared_implementation() -> None:
    assert issubclass(coredis.Redis, ReplyModes)
    assert coredis.Redis.ensure_replication is ReplyModes.ensure_replication
    assert coredis.Redis.ignore_replies is ReplyModes.ignore_replies


@pytest.mark.parametrize(
    ("replicas", "timeout_ms", "bad"),
    [(-1, 100, "replicas"), (1.5, 100, "replicas"), (True, 100, "replicas"), (1, -5, "timeout")],
)
async def test_bad_arguments_are_refused_before_the_block(
    redis_clean: ServerInfo, replicas: Any, timeout_ms: Any, bad: str
) -> None:
    client = coredis.Redis(host=redis_clean.host, port=redis_clean.port)
    ran = False
    with pytest.raises(ValueError, match=bad), client.ensure_replication(replicas, timeout_ms):
        ran = True
    assert not ran
    assert client._special == 0  # nothing left switched on
    await client.aclose()


@pytest.mark.parametrize("protocol", [2, 3], ids=["resp2", "resp3"])
async def test_zero_replicas_on_a_lone_server(redis_clean: ServerInfo, protocol: int) -> None:
    async with coredis.Redis(
        host=redis_clean.host, port=redis_clean.port, protocol_version=protocol
    ) as client:
        with client.ensure_replication(replicas=0):
            assert await client.set("k", "v") is True
        with pytest.raises(ReplicationError), client.ensure_replication(1, timeout_ms=10):
            await client.set("k", "w")
