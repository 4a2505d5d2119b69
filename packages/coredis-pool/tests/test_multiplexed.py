"""MultiplexedConnectionPool: ordinary commands share one connection (replies matched in
FIFO order), everything else gets a dedicated one; a cancelled caller never breaks the
others' requests on the shared connection."""

from __future__ import annotations

import asyncio
import os

import pytest

from coredis.pool import MultiplexedConnectionPool
from coredis.protocol import ConnectionError
from coredis_testing import ServerInfo, command


async def _echo(pool: MultiplexedConnectionPool, i: int) -> bytes:
    nonce = f"{os.getpid()}-{i}".encode()
    conn = await pool.get_connection(b"ECHO")
    try:
        reply: bytes = await conn.wait_for_reply(conn.create_request(b"ECHO", nonce))
    finally:
        pool.release(conn)
    assert reply == nonce
    return reply


async def test_concurrent_callers_share_one_connection(redis_server: ServerInfo) -> None:
    pool = MultiplexedConnectionPool(host=redis_server.host, port=redis_server.port)
    try:
        replies = await asyncio.gather(*[_echo(pool, i) for i in range(500)])
        assert replies == [f"{os.getpid()}-{i}".encode() for i in range(500)]
        stats = pool.statistics()
        assert (stats.created, stats.in_use, stats.idle, stats.discarded) == (1, 1, 0, 0)
        clients = command(redis_server, "CLIENT", "LIST").decode().count("cmd=echo")
        assert clients == 1
    finally:
        pool.disconnect()


async def test_round_robin_over_several_connections(redis_server: ServerInfo) -> None:
    pool = MultiplexedConnectionPool(
        host=redis_server.host, port=redis_server.port, multiplex_connections=3
    )
    try:
        await asyncio.gather(*[_echo(pool, i) for i in range(300)])
        assert pool.statistics().created == 3
    finally:
        pool.disconnect()


async def test_dedicated_connections_for_blocking_and_unnamed(redis_clean: ServerInfo) -> None:
    pool = MultiplexedConnectionPool(host=redis_clean.host, port=redis_clean.port)
    try:
        shared = await pool.get_connection(b"GET")
        blocking = await pool.get_connection(b"BLPOP")
        unnamed = await pool.get_connection()  # pipelines, transactions, pub/sub
        assert shared.multiplexed and not blocking.multiplexed and not unnamed.multiplexed
        assert len({id(shared), id(blocking), id(unnamed)}) == 3
        # BLPOP blocks its own connection only: the shared one keeps answering.
        waiting = blocking.create_request(b"BLPOP", b"list", b"5")
        assert await _echo(pool, 1) == f"{os.getpid()}-1".encode()
        await shared.execute_command(b"RPUSH", b"list", b"item")
        assert await asyncio.wait_for(waiting, 5) == [b"list", b"item"]
        for conn in (shared, blocking, unnamed):
            pool.release(conn)
        stats = pool.statistics()
        assert (stats.in_use, stats.idle) == (1, 2)  # the shared one, two dedicated idle
    finally:
        pool.disconnect()


async def test_cancelled_caller_does_not_break_the_others(redis_clean: ServerInfo) -> None:
    pool = MultiplexedConnectionPool(host=redis_clean.host, port=redis_clean.port)
    try:
        await _echo(pool, 0)
        shared = await pool.get_connection(b"GET")
        pool.release(shared)

        async def slow() -> object:
            conn = await pool.get_connection(b"EVAL")
            try:
                script = b"local t = redis.call('TIME') repeat until redis.call('TIME')[2] ~= t[2]"
                return await conn.wait_for_reply(
                    conn.create_request(b"EVAL", script + b" return 'slow'", b"0")
                )
            finally:
                pool.release(conn)

        for round_ in range(20):
            victim = asyncio.ensure_future(slow())
            others = [asyncio.ensure_future(_echo(pool, i)) for i in range(50)]
            await asyncio.sleep(0)
            victim.cancel()
            assert await asyncio.gather(*others) == [
                f"{os.getpid()}-{i}".encode() for i in range(50)
            ], round_
            with pytest.raises(asyncio.CancelledError):
                await victim
        # Still the same, never-closed connection; the cancelled replies were discarded.
        assert (await pool.get_connection(b"GET")) is shared
        assert shared.is_connected and shared.pending_requests == 0
        assert pool.statistics().discarded == 0
    finally:
        pool.disconnect()


async def test_broken_shared_connection_is_replaced(redis_clean: ServerInfo) -> None:
    pool = MultiplexedConnectionPool(host=redis_clean.host, port=redis_clean.port)
    try:
        await _echo(pool, 0)
        first = await pool.get_connection(b"GET")
        pool.release(first)
        command(redis_clean, "CLIENT", "KILL", "TYPE", "normal")
        for _ in range(50):
            if not first.is_connected:
                break
            await asyncio.sleep(0.01)
        request = None
        try:
            request = first.create_request(b"PING")
        except ConnectionError:
            pass
        if request is not None:
            with pytest.raises(ConnectionError):
                await request
        pool.release(first)
        assert await _echo(pool, 1)
        second = await pool.get_connection(b"GET")
        assert second is not first and second.is_connected
        stats = pool.statistics()
        assert (stats.created, stats.discarded) == (2, 1)
    finally:
        pool.disconnect()


def test_invalid_multiplex_connections() -> None:
    with pytest.raises(ValueError):
        MultiplexedConnectionPool(multiplex_connections=0)


def test_dedicated_commands_come_from_the_shared_classification() -> None:
    from coredis.connection import (
        BLOCKING_COMMANDS,
        STATEFUL_COMMANDS,
        SUBSCRIPTION_COMMANDS,
        TRANSACTION_COMMANDS,
    )
    from coredis.pool import DEDICATED_COMMANDS

    for group in (
        BLOCKING_COMMANDS,
        STATEFUL_COMMANDS,
        SUBSCRIPTION_COMMANDS,
        TRANSACTION_COMMANDS,
    ):
        assert group <= DEDICATED_COMMANDS
    assert {b"MONITOR", b"WAITAOF", b"QUIT"} <= DEDICATED_COMMANDS
    assert b"GET" not in DEDICATED_COMMANDS
