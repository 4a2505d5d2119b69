"""HyperLogLog commands against a real server, RESP2/RESP3 x bytes/str."""

from __future__ import annotations

from typing import Any

import pytest

from coredis.exceptions import DataError

pytestmark = pytest.mark.redis


async def test_pfadd_pfcount_pfmerge(client: Any) -> None:
    assert await client.pfadd("h1", "a", "b", "c") is True
    assert await client.pfadd("h1", "a") is False
    assert await client.pfadd("h0") is True
    assert await client.pfadd("h0") is False
    assert await client.pfcount(["h1"]) == 3
    assert await client.pfcount(["nope"]) == 0
    assert await client.pfadd("h2", *[str(i) for i in range(100)], 1) is True
    assert await client.pfcount(["h1", "h2"]) == 103
    assert await client.pfmerge("m", ["h1", "h2"]) is True
    assert await client.pfcount(["m"]) == 103
    with pytest.raises(DataError):
        await client.pfcount("h1")
