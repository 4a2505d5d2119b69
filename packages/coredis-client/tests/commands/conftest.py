"""Fixtures shared by the command tests of this folder."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

import coredis


@pytest.fixture(params=[2, 3], ids=["resp2", "resp3"])
async def node_client(request: pytest.FixtureRequest, redis_cluster: Any) -> AsyncIterator[Any]:
    """A ``Redis[str]`` on the first primary of the shared cluster (RESP2 and RESP3), for the
    CLUSTER commands a node answers about itself."""
    primary = redis_cluster.primaries[0]
    c: Any = coredis.Redis(
        host=primary.host,
        port=primary.port,
        protocol_version=request.param,
        decode_responses=True,
    )
    try:
        yield c
    finally:
        await c.aclose()
