"""The lock on a cluster waits for its token to reach the shard's replicas (coredis 4.x's
LuaLock recipe), and gives the lock up when it does not."""

from __future__ import annotations

import asyncio
import warnings
from typing import Any, Literal

import pytest

from coredis.client import Lock
from coredis.cluster import RedisCluster
from coredis.exceptions import LockError
from coredis.pool.cluster import hash_slot
from coredis_testing import command


async def _put_to_sleep(node: Any, seconds: int) -> asyncio.Task[Any]:
    """``DEBUG SLEEP`` on ``node`` (in a thread); returns once the node stopped answering,
    so the caller knows a ``WAIT`` issued now gets no acknowledgement from it."""
    sleeper = asyncio.create_task(asyncio.to_thread(command, node, "DEBUG", "SLEEP", seconds))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 5
    while True:
        try:
            await asyncio.to_thread(command, node, "PING", timeout=0.1)
        except OSError:  # no answer within 0.1 s: it is asleep
            return sleeper
        assert loop.time() < deadline, "the node never went to sleep"
        await asyncio.sleep(0.01)


@pytest.mark.parametrize("protocol", [2, 3], ids=["resp2", "resp3"])
async def test_lock_is_replicated_before_acquire_returns(
    redis_cluster_clean: Any, protocol: Literal[2, 3]
) -> None:
    client: RedisCluster[bytes] = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes, protocol_version=protocol
    )
    lock = Lock(client, "mylock", timeout=5)
    assert lock.replication_factor == 0  # 4.5.6: 0 until the client has discovered
    await client.initialize()
    assert lock.replication_factor == 1  # ceil(1 replica per shard / 2)
    # watch the replica's commands: the SET must have reached it when acquire() returns
    assert await lock.acquire() is True
    replica = client.connection_pool.nodes.slots[hash_slot("mylock")][1]
    by_port = {n.port: n for n in redis_cluster_clean.nodes}
    assert command(by_port[replica.port], "KEYS", "mylock") == [b"mylock"]
    assert await lock.extend(1) is True
    await lock.release()
    assert await client.exists(["mylock"]) == 0
    with pytest.raises(LockError):
        await lock.release()
    await client.aclose()


async def test_lock_not_replicated_in_time_is_given_up(redis_cluster_clean: Any) -> None:
    client: RedisCluster[bytes] = await RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes
    )
    replica = client.connection_pool.nodes.slots[hash_slot("slow")][1]
    by_port = {n.port: n for n in redis_cluster_clean.nodes}
    # the shard's only replica stops answering for a while: WAIT gets no acknowledgement
    sleeper = await _put_to_sleep(by_port[replica.port], 1)  # < cluster-node-timeout
    lock = Lock(client, "slow", timeout=5, blocking=False)
    with pytest.warns(RuntimeWarning, match="replicated"):
        assert await lock.acquire() is False
    assert lock.token is None
    assert await client.exists(["slow"]) == 0  # our token was removed again
    await sleeper
    # once the replica is back the same lock can be taken
    assert await lock.acquire() is True
    await lock.release()
    await client.aclose()


async def test_lock_never_deletes_another_holders_key(redis_cluster_clean: Any) -> None:
    client: RedisCluster[bytes] = await RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes
    )
    holder = Lock(client, "held", timeout=5)
    assert await holder.acquire() is True
    replica = client.connection_pool.nodes.slots[hash_slot("held")][1]
    by_port = {n.port: n for n in redis_cluster_clean.nodes}
    sleeper = await _put_to_sleep(by_port[replica.port], 1)  # < cluster-node-timeout
    contender = Lock(client, "held", timeout=5, blocking=False)
    # The contender's SET NX changes nothing. Redis 7.0 still waits for the sleeping replica
    # and warns that the token did not replicate; Valkey answers WAIT at once for a client
    # that has written nothing new. Either way the contender fails and deletes nothing.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert await contender.acquire() is False
    assert all(issubclass(w.category, RuntimeWarning) for w in caught), caught
    assert await client.get("held") == holder.token  # the holder keeps its lock
    await sleeper
    await holder.release()
    await client.aclose()
