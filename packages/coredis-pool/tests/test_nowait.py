"""get_connection_nowait(): the synchronous fast path of acquiring, and when it declines."""

from __future__ import annotations

import asyncio
from typing import Any

from coredis.connection import BaseConnection
from coredis.pool import BlockingConnectionPool, ConnectionPool, MultiplexedConnectionPool
from coredis_testing import ServerInfo


async def test_takes_the_connection_just_released(redis_clean: ServerInfo) -> None:
    pool = ConnectionPool(host=redis_clean.host, port=redis_clean.port)
    assert pool.get_connection_nowait() is None  # nothing idle yet: await get_connection()
    first = await pool.get_connection()
    pool.release(first)
    again = pool.get_connection_nowait()
    assert again is first
    assert pool.statistics().in_use == 1
    assert await again.execute_command(b"PING") == b"PONG"
    assert pool.get_connection_nowait() is None  # the only connection is checked out
    pool.release(again)
    assert pool.statistics().idle == 1
    pool.disconnect()


async def test_declines_stale_dirty_and_reaped_connections(redis_clean: ServerInfo) -> None:
    pool = ConnectionPool(host=redis_clean.host, port=redis_clean.port)
    conn = await pool.get_connection()
    pool.release(conn)
    conn.last_used -= 1.0  # idle for a second: the socket gets a look first (slow path)
    assert pool.get_connection_nowait() is None
    assert await pool.get_connection() is conn
    pool.release(conn)
    conn.disconnect()  # closed while idle
    assert pool.get_connection_nowait() is None
    replacement = await pool.get_connection()
    assert replacement is not conn and replacement.is_connected
    pool.release(replacement)
    pool.disconnect()

    reaping = ConnectionPool(host=redis_clean.host, port=redis_clean.port, max_idle_time=5)
    conn = await reaping.get_connection()
    reaping.release(conn)
    assert reaping.get_connection_nowait() is None  # idle reaping runs on the slow path
    reaping.disconnect()


async def test_blocking_pool_fast_path(redis_clean: ServerInfo) -> None:
    pool = BlockingConnectionPool(host=redis_clean.host, port=redis_clean.port, max_connections=1)
    conn = await pool.get_connection()
    waiter = asyncio.ensure_future(pool.get_connection())
    await asyncio.sleep(0.01)
    pool.release(conn)  # handed straight to the waiter: nothing idle to take
    assert pool.get_connection_nowait() is None
    assert await waiter is conn
    pool.release(conn)
    assert pool.get_connection_nowait() is conn
    pool.release(conn)
    pool.disconnect()


async def test_subclasses_that_choose_connections_are_not_bypassed(
    redis_clean: ServerInfo,
) -> None:
    class Counting(ConnectionPool):
        handed = 0

        async def get_connection(
            self, command_name: bytes | None = None, *args: Any, **kwargs: Any
        ) -> BaseConnection:
            Counting.handed += 1
            return await super().get_connection(command_name, *args, **kwargs)

    pool = Counting(host=redis_clean.host, port=redis_clean.port)
    conn = await pool.get_connection()
    pool.release(conn)
    assert pool.get_connection_nowait() is None
    assert Counting.handed == 1
    pool.disconnect()

    class Choosing(MultiplexedConnectionPool):
        async def get_connection(
            self, command_name: bytes | None = None, *args: Any, **kwargs: Any
        ) -> BaseConnection:
            Counting.handed += 1
            return await super().get_connection(command_name, *args, **kwargs)

    shared = Choosing(host=redis_clean.host, port=redis_clean.port)
    conn = await shared.get_connection(b"GET")
    shared.release(conn)
    assert shared.get_connection_nowait(b"GET") is None
    assert Counting.handed == 2
    shared.disconnect()


async def test_multiplexed_nowait_hands_out_the_shared_connections(
    redis_clean: ServerInfo,
) -> None:
    """The multiplexed pool's fast path gives an ordinary command the next open shared
    connection (round-robin, as get_connection does) and nothing else."""
    pool = MultiplexedConnectionPool(
        host=redis_clean.host, port=redis_clean.port, multiplex_connections=2
    )
    assert pool.get_connection_nowait(b"GET") is None  # not opened yet
    first = await pool.get_connection(b"GET")
    second = await pool.get_connection(b"GET")
    assert first is not second and first.multiplexed and second.multiplexed
    assert pool.get_connection_nowait(b"GET") is first
    assert pool.get_connection_nowait(b"SET") is second
    assert pool.get_connection_nowait(b"BLPOP") is None  # dedicated commands: never
    assert pool.get_connection_nowait() is None  # pipelines, transactions: never
    for conn in (first, second, first, second):
        pool.release(conn)
    assert await first.execute_command(b"PING") == b"PONG"
    first.disconnect()  # a broken shared connection is left for get_connection
    assert pool.get_connection_nowait(b"GET") is None
    replaced = await pool.get_connection(b"GET")
    assert replaced is not first and replaced.is_connected
    pool.release(replaced)
    pool.disconnect()


async def test_nowait_reuses_idle_is_the_subclass_hook(redis_clean: ServerInfo) -> None:
    """The fast path is decided by the ``nowait_reuses_idle`` class attribute and the class
    hierarchy as it is written; no method is replaced behind the subclass's back."""

    class Counting(ConnectionPool):
        async def get_connection(
            self, command_name: bytes | None = None, *args: Any, **kwargs: Any
        ) -> BaseConnection:
            return await super().get_connection(command_name, *args, **kwargs)

    class CountingChild(Counting):  # inherits the override: still not bypassed
        pass

    class Skippable(Counting):  # its override may be skipped for a just-released one
        nowait_reuses_idle = True

    class Off(ConnectionPool):  # no override, fast path turned off all the same
        nowait_reuses_idle = False

    class Waiting(BlockingConnectionPool):  # overrides the blocking pool's get_connection
        async def get_connection(
            self, command_name: bytes | None = None, *args: Any, **kwargs: Any
        ) -> BaseConnection:
            return await super().get_connection(command_name, *args, **kwargs)

    class Own(Counting):  # decides in its own get_connection_nowait, keeping the rule
        def get_connection_nowait(self, command_name: bytes | None = None) -> BaseConnection | None:
            self.asked = True
            return super().get_connection_nowait(command_name)

    class Plain(ConnectionPool):  # leaves get_connection alone: the fast path stays on
        pass

    for written in (Counting, CountingChild, Skippable, Off, Waiting, Plain):
        assert written.get_connection_nowait is ConnectionPool.get_connection_nowait, written
    expected: dict[type[ConnectionPool], bool] = {
        ConnectionPool: True,
        BlockingConnectionPool: True,
        MultiplexedConnectionPool: False,
        Counting: False,
        CountingChild: False,
        Skippable: True,
        Off: False,
        Waiting: False,
        Own: False,
        Plain: True,
    }
    for cls, reuses in expected.items():
        pool = cls(host=redis_clean.host, port=redis_clean.port)
        conn = await pool.get_connection()
        pool.release(conn)
        taken = pool.get_connection_nowait()
        assert (taken is conn) is reuses, cls
        if taken is not None:
            pool.release(taken)
        pool.disconnect()
    own = Own(host=redis_clean.host, port=redis_clean.port)
    assert own.get_connection_nowait() is None and own.asked
    own.disconnect()


def test_connection_of_a_finished_event_loop_is_not_taken(redis_server: ServerInfo) -> None:
    pool = ConnectionPool(host=redis_server.host, port=redis_server.port)

    async def use() -> tuple[BaseConnection | None, BaseConnection]:
        nowait = pool.get_connection_nowait()
        conn = nowait or await pool.get_connection()
        await conn.execute_command(b"PING")
        pool.release(conn)
        return nowait, conn

    first_nowait, first = asyncio.run(use())
    second_nowait, second = asyncio.run(use())  # a new loop: the old connection is replaced
    assert first_nowait is None and second_nowait is None
    assert second is not first
    pool.disconnect()
