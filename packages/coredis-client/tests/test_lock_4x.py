"""The lock as coredis 4.x's LuaLock behaved on a standalone client: no replication wait,
argument checks at construction, extend() answering True."""

from __future__ import annotations

from typing import Any

import pytest

from coredis.client import Lock
from coredis.client._lock_replication import is_cluster_client
from coredis.exceptions import LockError

pytestmark = pytest.mark.redis


async def test_standalone_lock_waits_for_no_replica(client_resp2: Any) -> None:
    lock = Lock(client_resp2, "res", timeout=5)
    assert not is_cluster_client(client_resp2)
    assert lock.replication_factor == 0
    assert await lock.acquire() is True
    assert await lock.extend(1) is True
    assert 5000 < await client_resp2.execute_command(b"PTTL", "res") <= 6000
    await lock.release()
    assert await client_resp2.execute_command(b"EXISTS", "res") == 0


async def test_sleep_longer_than_timeout_is_refused(client_resp3: Any) -> None:
    with pytest.raises(LockError, match="sleep"):
        Lock(client_resp3, "res", timeout=0.5, sleep=1)
    Lock(client_resp3, "res", timeout=None, sleep=1)  # no timeout: any sleep will do
