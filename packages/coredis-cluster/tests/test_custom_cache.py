"""RedisCluster(cache=<a user-written AbstractCache>) on the plugin's 3+3 cluster: the cache
is initialized once, consulted and filled for single-key reads on every primary, and the
client's own writes invalidate it. Changes made behind the client's back go through the
plugin's raw admin connection, so a cached answer can be told from a server answer."""

from __future__ import annotations

from typing import Any, Literal

import pytest

from coredis.cache import AbstractCache
from coredis.cluster import RedisCluster
from coredis.pool.cluster import hash_slot
from coredis_testing import command


class DictCache(AbstractCache):
    def __init__(self) -> None:
        self.data: dict[tuple[Any, ...], Any] = {}
        self.initialized: list[Any] = []
        self.invalidated: list[Any] = []
        self.shut_down = 0

    async def initialize(self, client: Any) -> DictCache:
        self.initialized.append(client)
        return self

    @property
    def healthy(self) -> bool:
        return True

    def get(self, command: bytes, key: Any, *args: Any) -> Any:
        return self.data[(command, key, self.hashable_args(*args))]

    def put(self, command: bytes, key: Any, *args: Any, value: Any) -> None:
        self.data[(command, key, self.hashable_args(*args))] = value

    def invalidate(self, *keys: Any) -> None:
        self.invalidated.extend(keys)
        for entry in [e for e in self.data if e[1] in keys]:
            del self.data[entry]

    def reset(self) -> None:
        self.data.clear()

    def shutdown(self) -> None:
        self.shut_down += 1


@pytest.mark.parametrize("protocol", [2, 3], ids=["resp2", "resp3"])
async def test_a_user_cache_on_a_cluster(redis_cluster_clean: Any, protocol: Literal[2, 3]) -> None:
    cache = DictCache()
    client: Any = RedisCluster(
        startup_nodes=redis_cluster_clean.startup_nodes, protocol_version=protocol, cache=cache
    )
    keys = [f"key:{i}" for i in range(12)]
    assert len({redis_cluster_clean.node_for_slot(hash_slot(k)).port for k in keys}) == 3
    try:
        for i, key in enumerate(keys):
            await client.set(key, i)
        assert set(cache.invalidated) >= set(keys)  # own writes invalidate first
        for i, key in enumerate(keys):
            assert await client.get(key) == str(i).encode()  # misses: filled
        assert {e[1] for e in cache.data} == set(keys)
        for key in keys:  # changed behind the client's back: the cache answers
            command(redis_cluster_clean.node_for_slot(hash_slot(key)), "SET", key, "x")
        for i, key in enumerate(keys):
            assert await client.get(key) == str(i).encode()
        await client.set(keys[0], "mine")  # the client's own write is seen at once
        assert await client.get(keys[0]) == b"mine"
        assert cache.initialized == [client]
    finally:
        await client.aclose()
    assert cache.shut_down == 1
