"""Fixtures shared by the connection suite."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from coredis.connection import Connection
from coredis_testing import ServerInfo


@pytest.fixture
async def conn(redis_clean: ServerInfo) -> AsyncIterator[Connection]:
    """A connected :class:`Connection` to a flushed server, disconnected after the test."""
    connection = Connection(redis_clean.host, redis_clean.port)
    await connection.connect()
    try:
        yield connection
    finally:
        connection.disconnect()
