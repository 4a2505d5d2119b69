"""Sentinel commands against a real sentinel (``redis-server <conf> --sentinel``) watching a
primary and a replica started for the test."""

from __future__ import annotations

import asyncio
import inspect
import re
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

import coredis
from coredis.exceptions import DataError, ResponseError
from coredis_testing import command, free_port, redis_binary

pytestmark = pytest.mark.redis


@pytest.fixture
def sentinel_port(redis_server_factory: Any, tmp_path: Path) -> Iterator[tuple[int, Any, Any]]:
    primary = redis_server_factory()
    replica = redis_server_factory("--replicaof", primary.host, str(primary.port))
    port = free_port()
    conf = tmp_path / "sentinel.conf"
    conf.write_text(
        f"port {port}\nbind 127.0.0.1\ndir {tmp_path}\n"
        f"sentinel monitor mymaster {primary.host} {primary.port} 1\n"
        "sentinel down-after-milliseconds mymaster 5000\n"
    )
    process = subprocess.Popen(
        [redis_binary(), str(conf), "--sentinel"],  # the server kind under test
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.02)
        yield port, primary, replica
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(params=[2, 3], ids=["resp2", "resp3"])
async def sentinel(
    request: pytest.FixtureRequest, sentinel_port: tuple[int, Any, Any]
) -> AsyncIterator[tuple[Any, Any, Any]]:
    port, primary, replica = sentinel_port
    c: Any = coredis.Redis(
        host="127.0.0.1", port=port, protocol_version=request.param, decode_responses=True
    )
    try:
        yield c, primary, replica
    finally:
        await c.aclose()


async def test_sentinel_queries(sentinel: tuple[Any, Any, Any]) -> None:
    c, primary, replica = sentinel
    assert await c.sentinel_get_master_addr_by_name("mymaster") == (primary.host, primary.port)
    assert await c.sentinel_get_master_addr_by_name("nosuch") is None
    state = await c.sentinel_master("mymaster")
    assert state["name"] == "mymaster" and state["port"] == primary.port
    assert state["is_master"] is True and state["is_sdown"] is False
    assert state["quorum"] == 1
    masters = await c.sentinel_masters()
    assert list(masters) == ["mymaster"]
    assert masters["mymaster"]["ip"] == primary.host
    for _ in range(200):
        replicas = await c.sentinel_replicas("mymaster")
        if replicas:
            break
        await asyncio.sleep(0.05)
    assert replicas[0]["port"] == replica.port and replicas[0]["is_slave"] is True
    assert [r["port"] for r in await c.sentinel_slaves("mymaster")] == [replica.port]
    assert await c.sentinel_sentinels("mymaster") == ()
    assert await c.sentinel_ckquorum("mymaster") is True
    assert len(await c.sentinel_myid()) == 40
    cache = await c.sentinel_infocache("mymaster")
    (entries,) = cache.values()
    assert any(info.get("tcp_port") == primary.port for info in entries.values())
    assert await c.sentinel_config_get("resolve-hostnames") == {"resolve-hostnames": "no"}
    with pytest.raises(ResponseError):
        await c.sentinel_master("nosuch")
    assert (await c.role()).role == "sentinel"
    assert (await c.role()).masters == ("mymaster",)


async def test_sentinel_changes(sentinel: tuple[Any, Any, Any]) -> None:
    c, primary, replica = sentinel
    assert await c.sentinel_set("mymaster", "down-after-milliseconds", 6000) is True
    assert (await c.sentinel_master("mymaster"))["down-after-milliseconds"] == 6000
    assert await c.sentinel_config_set("announce-hostnames", "no") is True
    assert await c.sentinel_flushconfig() is True
    assert await c.sentinel_reset("mymaster") == 1
    assert await c.sentinel_remove("mymaster") is True
    assert await c.sentinel_masters() == {}
    assert await c.sentinel_monitor("again", primary.host, primary.port, 1) is True
    assert list(await c.sentinel_masters()) == ["again"]
    for _ in range(200):
        if await c.sentinel_replicas("again"):
            break
        await asyncio.sleep(0.05)
    for _ in range(100):
        try:
            assert await c.sentinel_failover("again") is True
            break
        except ResponseError:  # "NOGOODSLAVE" until the replica reported its offset
            await asyncio.sleep(0.1)
    for _ in range(200):
        if await c.sentinel_get_master_addr_by_name("again") == (replica.host, replica.port):
            break
        await asyncio.sleep(0.05)
    assert await c.sentinel_get_master_addr_by_name("again") == (replica.host, replica.port)


@pytest.mark.min_server(redis="7.0")  # SENTINEL DEBUG
async def test_sentinel_internals(sentinel: tuple[Any, Any, Any]) -> None:
    c, primary, _ = sentinel
    timings = await c.sentinel_debug()
    assert timings["PING-PERIOD"] == "1000"
    assert await c.sentinel_debug({"ping-period": 2000}) is True
    assert (await c.sentinel_debug())["PING-PERIOD"] == "2000"
    down, leader, epoch = await c.sentinel_is_master_down_by_addr(
        primary.host, primary.port, 0, "*"
    )
    assert (down, leader, epoch) == (False, "*", 0)
    assert await c.sentinel_pending_scripts() == ()
    assert await c.sentinel_simulate_failure("crash-after-promotion") is True
    with pytest.raises(DataError):
        await c.sentinel_simulate_failure()


@pytest.mark.min_server(redis=None, valkey="8.0")
async def test_valkey_primary_names(sentinel: tuple[Any, Any, Any]) -> None:
    c, primary, _ = sentinel
    assert await c.sentinel_get_primary_addr_by_name("mymaster") == (primary.host, primary.port)
    assert await c.sentinel_get_primary_addr_by_name("nosuch") is None
    state = await c.sentinel_primary("mymaster")
    assert state["name"] == "mymaster" and state["port"] == primary.port
    assert list(await c.sentinel_primaries()) == ["mymaster"]
    down = await c.sentinel_is_primary_down_by_addr(primary.host, primary.port, 0, "*")
    assert down == (False, "*", 0)


#: SENTINEL subcommands whose method name does not follow the coverage rule.
SENTINEL_OVERRIDES = {
    "sentinel|config": ("sentinel_config_get", "sentinel_config_set"),
    "sentinel|info-cache": ("sentinel_infocache",),
}


@pytest.mark.min_server(redis="7.0")  # COMMAND DOCS
def test_every_sentinel_subcommand_has_a_method(sentinel_port: tuple[int, Any, Any]) -> None:
    """Like test_command_coverage, for the subcommands a real sentinel documents."""
    port = sentinel_port[0]

    class _Sentinel:
        host, port, username, password, tls = "127.0.0.1", 0, None, None, None

    server: Any = _Sentinel()
    server.port = port
    flat = command(server, "COMMAND", "DOCS", "SENTINEL")
    doc = dict(zip(flat[1][::2], flat[1][1::2], strict=True))
    names = [n.decode() for n in doc[b"subcommands"][::2]]
    assert len(names) >= 20
    missing = []
    for name in names:
        if name == "sentinel|help":
            continue  # usage text for humans
        methods = SENTINEL_OVERRIDES.get(name, (re.sub(r"[|\-]", "_", name),))
        for attr in methods:
            method = getattr(coredis.Redis, attr, None)
            slug = name.replace("|", "-")
            links = (f"redis.io/commands/{slug}", f"valkey.io/commands/{slug}")
            doc = (method.__doc__ or "") if method is not None else ""
            if not inspect.iscoroutinefunction(method) or not any(x in doc for x in links):
                missing.append(f"{name} -> {attr}")
    assert missing == []
