"""RetryPolicy: attempts, backoff with jitter, which errors; idempotence from server flags."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import coredis
from coredis.client import RetryPolicy
from coredis.client._retry import NO_SIDE_EFFECT_COMMANDS, is_idempotent
from coredis.connection._command_info import READONLY_COMMANDS
from coredis.exceptions import ConnectionError, TimeoutError
from coredis_testing import ServerInfo, command

pytestmark = pytest.mark.redis


def _flags(server: ServerInfo, names: list[str]) -> dict[str, set[str]]:
    """``COMMAND INFO`` flags of ``names`` (``NAME`` or ``NAME SUB``) as the server knows them."""
    wire = [name.lower().replace(" ", "|") for name in names]
    reply = command(server, "COMMAND", "INFO", *wire, decode=True)
    flags: dict[str, set[str]] = {}
    for name, info in zip(names, reply, strict=True):
        if info is not None:
            flags[name] = {str(flag) for flag in info[2]}
    return flags


@pytest.mark.min_server(redis="7.0")  # sub-commands have their own flags since Redis 7.0
def test_readonly_table_matches_the_servers_flags(redis_server: ServerInfo) -> None:
    """What the generated table calls readonly is what the running server (Redis 7.0 or
    Valkey 9.1, the table's sources) flags readonly, for every command it knows."""
    names = sorted(READONLY_COMMANDS)
    flags = _flags(redis_server, names)
    assert len(flags) >= len(names) - 8  # Redis 7.0 lacks what Valkey 9.1 added
    wrong = [name for name, found in flags.items() if "readonly" not in found]
    assert wrong == []
    everything = command(redis_server, "COMMAND", decode=True)
    live = {
        str(sub[0]).upper().replace("|", " ")
        for info in everything
        for sub in [info, *(info[9] or ())]
        if "readonly" in {str(flag) for flag in sub[2]}
    }
    assert live <= READONLY_COMMANDS


@pytest.mark.min_server(redis="7.0")  # the table is read from Redis 7.0's command flags
def test_side_effect_free_commands_are_not_writes(redis_server: ServerInfo) -> None:
    flags = _flags(redis_server, sorted(NO_SIDE_EFFECT_COMMANDS))
    assert set(flags) == NO_SIDE_EFFECT_COMMANDS
    assert [name for name, found in flags.items() if "write" in found] == []
    # ... and the server indeed does not call them readonly: that is why the list exists.
    assert all("readonly" not in flags[name] for name in ("PING", "ECHO", "TIME", "INFO"))


@pytest.mark.parametrize(
    ("cmd", "args", "expected"),
    [
        (b"SORT_RO", (b"k",), True),
        (b"TOUCH", (b"k",), True),
        (b"XREAD", (b"STREAMS", b"s", b"0"), True),
        (b"XREAD", (b"BLOCK", 100, b"STREAMS", b"s", b"$"), False),
        (b"XREAD", (b"COUNT", 1, b"BLOCK", 0, b"STREAMS", b"s", b"$"), False),
        (b"GET", (b"k",), True),
        (b"ECHO", (b"x",), True),
        (b"PING", (), True),
        (b"INFO", (), True),
        (b"TIME", (), True),
        (b"XINFO", (b"STREAM", b"s"), True),
        (b"CLIENT", (b"LIST",), True),
        (b"SET", (b"k", b"v"), False),
        (b"INCR", (b"k",), False),
        (b"BLPOP", (b"k", 0), False),
        (b"XREADGROUP", (b"GROUP", b"g", b"c", b"STREAMS", b"s", b">"), False),
        (b"EVAL", (b"return 1", 0), False),
        (b"CLIENT", (b"SETNAME", b"x"), False),
        (b"CONFIG", (b"SET", b"a", b"b"), False),
    ],
)
def test_is_idempotent(cmd: bytes, args: tuple[Any, ...], expected: bool) -> None:
    assert is_idempotent(cmd, args) is expected


def test_backoff_with_jitter_is_bounded() -> None:
    policy = RetryPolicy(attempts=5, backoff=0.1, backoff_max=0.3, jitter=0.5)
    for _ in range(200):
        assert 0.05 <= policy.delay(1) <= 0.1
        assert 0.1 <= policy.delay(2) <= 0.2
        assert 0.15 <= policy.delay(5) <= 0.3
    assert RetryPolicy(backoff=0.2, jitter=0).delay(1) == 0.2
    assert RetryPolicy().delay(3) == 0.0  # the default retries at once


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"attempts": -1}, ValueError),
        ({"attempts": 1.5}, ValueError),
        ({"backoff": -0.1}, ValueError),
        ({"jitter": 2}, ValueError),
        ({"retry_on": (ValueError, "x")}, TypeError),
    ],
)
def test_bad_policies_refused_at_construction(kwargs: dict[str, Any], error: type) -> None:
    with pytest.raises(error):
        RetryPolicy(**kwargs)
    with pytest.raises(TypeError, match="RetryPolicy"):
        coredis.Redis(retry_policy=3)  # type: ignore[call-overload]


def test_default_and_retry_on_timeout() -> None:
    assert coredis.Redis().retry_policy == RetryPolicy(attempts=1, retry_on=(ConnectionError,))
    timeouts = coredis.Redis(retry_on_timeout=True).retry_policy
    assert timeouts.attempts == 1 and timeouts.retry_on == (ConnectionError, TimeoutError)
    policy = RetryPolicy(attempts=4, backoff=0.01)
    assert coredis.Redis(retry_policy=policy).retry_policy is policy
    url = coredis.Redis.from_url("redis://127.0.0.1:1/0", retry_policy=policy)
    assert url.retry_policy is policy


async def test_more_attempts_outlast_a_longer_pause(redis_clean: ServerInfo) -> None:
    server = redis_clean
    patient = coredis.Redis(
        host=server.host,
        port=server.port,
        stream_timeout=0.3,
        connect_timeout=0.3,  # a retry's new connection must not wait out the pause
        retry_policy=RetryPolicy(attempts=4, retry_on=(ConnectionError, TimeoutError)),
    )
    once = coredis.Redis(
        host=server.host,
        port=server.port,
        stream_timeout=0.3,
        connect_timeout=0.3,
        retry_on_timeout=True,
    )
    await patient.set("k", "v")
    await once.ping()
    command(server, "CLIENT", "PAUSE", 1000, "ALL")
    with pytest.raises(TimeoutError):
        await once.get("k")  # 0.3 s, one retry (its connect times out at 0.6 s)
    # the patient client's tries would run out at ~1.5 s; the pause ends at 1 s
    assert await patient.get("k") == b"v"
    patient.connection_pool.disconnect()
    once.connection_pool.disconnect()


async def test_writes_never_repeated_whatever_the_policy(redis_clean: ServerInfo) -> None:
    server = redis_clean
    client = coredis.Redis(
        host=server.host,
        port=server.port,
        stream_timeout=0.2,
        retry_policy=RetryPolicy(attempts=5, retry_on=(ConnectionError, TimeoutError)),
    )
    await client.ping()
    command(server, "CLIENT", "PAUSE", 500, "ALL")
    with pytest.raises(TimeoutError):
        await client.incr("counter")
    await asyncio.sleep(0.5)
    # the timed-out connection was closed, so the paused server dropped the INCR, and no
    # second INCR was sent
    assert await client.get("counter") is None
    client.connection_pool.disconnect()


async def test_no_attempts_no_retry(redis_clean: ServerInfo) -> None:
    server = redis_clean
    client = coredis.Redis(
        host=server.host,
        port=server.port,
        stream_timeout=0.3,
        retry_policy=RetryPolicy(attempts=0, retry_on=(ConnectionError, TimeoutError)),
    )
    await client.set("k", "v")
    command(server, "CLIENT", "PAUSE", 500, "ALL")
    with pytest.raises(TimeoutError):
        await client.get("k")  # the reply would come 0.2 s later: not waited for
    client.connection_pool.disconnect()
