"""coredis 4.x behaviour of the standalone client that programs written for 4.5 rely on.

Server version, ``loop=``, ``PureToken`` members, 4.x's argument checks and their exception
types, booleans sent as 1/0, ``ACL DRYRUN`` denials, and ``SELECT``/``CLIENT SETNAME`` on a
pooled client. Each runs against a real server, on RESP2 and RESP3.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from packaging.version import Version

import coredis
from coredis import PureToken
from coredis.client.commands._checks import (
    MutuallyExclusiveParametersError,
    MutuallyInclusiveParametersMissing,
)
from coredis.exceptions import CommandSyntaxError, DataError, ResponseError
from coredis_testing import ServerInfo, command


def _info_version(server: ServerInfo) -> str:
    info = command(server, "INFO", "server")
    assert isinstance(info, bytes)
    # Valkey also reports the Redis version it is compatible with (redis_version:7.2.4);
    # its HELLO, and so server_version, give Valkey's own
    fields = dict(x.split(":", 1) for x in info.decode().splitlines() if ":" in x)
    return (fields.get("valkey_version") or fields["redis_version"]).strip()


# -- Redis.server_version, Redis(loop=...) ----------------------------------------------------


async def test_server_version_after_the_first_command(client: Any, redis_clean: ServerInfo) -> None:
    before = client.server_version
    assert before is None  # nothing connected yet
    await client.ping()
    version = client.server_version
    assert version is not None
    expected = _info_version(redis_clean)
    assert str(version) == expected
    major, minor, micro = (int(p) for p in expected.split("."))
    assert (version.major, version.minor, version.micro) == (major, minor, micro)
    assert version == (major, minor, micro) and version >= (6, 0)
    # 4.x gave a packaging Version: comparisons written against one keep working
    assert version >= Version("6.0") and Version("6.0") <= version
    assert version == Version(expected) and version < Version("99.0")
    assert version >= "6.2" and version != "1.0"


async def test_server_version_after_await_client(redis_clean: ServerInfo) -> None:
    client = coredis.Redis(redis_clean.host, redis_clean.port, protocol_version=2)
    try:
        await client
        assert str(client.server_version) == _info_version(redis_clean)
    finally:
        await client.aclose()
    assert client.server_version is None  # closed: the next connection may reach another


async def test_loop_argument_is_accepted_with_a_deprecation_warning(
    redis_clean: ServerInfo,
) -> None:
    with pytest.warns(DeprecationWarning, match=r"loop=\.\.\.\) is deprecated and ignored"):
        client = coredis.Redis(redis_clean.host, redis_clean.port, loop=asyncio.get_running_loop())
    async with client:
        assert await client.ping() == b"PONG"


# -- PureToken ----------------------------------------------------------------------------------

# every member of 4.x's PureToken (coredis.tokens), name -> value
_PURE_TOKENS_4X = {
    "RESET": b"RESET", "SCHEDULE": b"SCHEDULE", "BIT": b"BIT", "BYTE": b"BYTE", "FAIL": b"FAIL",
    "SAT": b"SAT", "WRAP": b"WRAP", "LEFT": b"LEFT", "RIGHT": b"RIGHT", "MAX": b"MAX",
    "MIN": b"MIN", "NO": b"NO", "YES": b"YES", "MASTER": b"MASTER", "NORMAL": b"NORMAL",
    "PUBSUB": b"PUBSUB", "REPLICA": b"REPLICA", "SLAVE": b"SLAVE", "OFF": b"OFF", "ON": b"ON",
    "ALL": b"ALL", "WRITE": b"WRITE", "SKIP": b"SKIP", "BCAST": b"BCAST", "NOLOOP": b"NOLOOP",
    "OPTIN": b"OPTIN", "OPTOUT": b"OPTOUT", "ERROR": b"ERROR", "TIMEOUT": b"TIMEOUT",
    "FORCE": b"FORCE", "TAKEOVER": b"TAKEOVER", "HARD": b"HARD", "SOFT": b"SOFT",
    "STABLE": b"STABLE", "REPLACE": b"REPLACE", "GT": b"GT", "LT": b"LT", "NX": b"NX",
    "XX": b"XX", "ABORT": b"ABORT", "ASYNC": b"ASYNC", "SYNC": b"SYNC", "WITHCODE": b"WITHCODE",
    "APPEND": b"APPEND", "FLUSH": b"FLUSH", "CHANGE": b"CH", "FT": b"FT", "KM": b"KM",
    "M": b"M", "MI": b"MI", "ANY": b"ANY", "ASC": b"ASC", "DESC": b"DESC",
    "WITHCOORD": b"WITHCOORD", "WITHDIST": b"WITHDIST", "WITHHASH": b"WITHHASH",
    "STOREDIST": b"STOREDIST", "PERSIST": b"PERSIST", "WITHVALUES": b"WITHVALUES",
    "IDX": b"IDX", "LEN": b"LEN", "WITHMATCHLEN": b"WITHMATCHLEN", "AFTER": b"AFTER",
    "BEFORE": b"BEFORE", "COPY": b"COPY", "EMPTY_STRING": b"", "ABSTTL": b"ABSTTL",
    "GET": b"GET", "KEEPTTL": b"KEEPTTL", "NOSAVE": b"NOSAVE", "NOW": b"NOW", "SAVE": b"SAVE",
    "SORTING": b"ALPHA", "APPROXIMATELY": b"~", "AUTO_ID": b"*", "EQUAL": b"=",
    "MAXLEN": b"MAXLEN", "MINID": b"MINID", "NOMKSTREAM": b"NOMKSTREAM", "JUSTID": b"JUSTID",
    "MKSTREAM": b"MKSTREAM", "NEW_ID": b"$", "NOACK": b"NOACK", "INCREMENT": b"INCR",
    "WITHSCORES": b"WITHSCORES", "SUM": b"SUM", "BYLEX": b"BYLEX", "BYSCORE": b"BYSCORE",
    "REV": b"REV",
}  # fmt: skip


def test_every_4x_pure_token_exists_with_its_value() -> None:
    missing = [name for name in _PURE_TOKENS_4X if not hasattr(PureToken, name)]
    assert missing == []
    assert {name: PureToken[name].value for name in _PURE_TOKENS_4X} == _PURE_TOKENS_4X
    # 4.x's second names are aliases of the same members
    aliases = {"CHANGE": "CH", "SORTING": "ALPHA", "INCREMENT": "INCR"}
    assert all(PureToken[old] is PureToken[new] for old, new in aliases.items())


async def test_tokens_4x_had_are_sent_as_their_value(client: Any, _s: Any) -> None:
    assert await client.xadd("s", {"f": "v"}, identifier=PureToken.AUTO_ID)
    assert await client.zadd("z", {"a": 1}, change=True) == 1
    await client.rpush("l", ["b", "a"])
    assert await client.sort("l", alpha=True) == _s(("a", "b"))  # PureToken.SORTING (ALPHA)


# -- 4.x's argument checks ----------------------------------------------------------------------


async def test_offset_without_count_raises_4x_types(client: Any) -> None:
    for call in (
        client.zrange("z", 0, 10, sortby=PureToken.BYSCORE, offset=1),
        client.zrangestore("d", "z", 0, 10, sortby=PureToken.BYSCORE, count=1),
        client.sort("l", offset=1),
    ):
        with pytest.raises(MutuallyInclusiveParametersMissing) as raised:
            await call
        # the 4.x base class, and the DataError this client documents
        assert isinstance(raised.value, CommandSyntaxError)
        assert isinstance(raised.value, DataError)
        assert raised.value.arguments == {"offset", "count"}
    # the same range with both works
    await client.zadd("z", {"a": 1, "b": 2})
    assert await client.zrange("z", 0, 10, sortby=PureToken.BYSCORE, offset=1, count=1) == (
        b"b" if not client.decode_responses else "b",
    )


async def test_zmscore_without_members_is_refused_before_sending(client: Any) -> None:
    with pytest.raises(DataError, match="non-empty") as raised:
        await client.zmscore("z", [])
    assert not isinstance(raised.value, ResponseError)
    await client.zadd("z", {"a": 1})
    assert await client.zmscore("z", ["a", "b"]) == (1.0, None)


async def test_geo_argument_checks_raise_4x_types(client: Any) -> None:
    await client.geoadd("g", [(15.0, 37.0, "m")])
    # checked before anything is sent (so before the deprecation warning of GEORADIUS)
    with pytest.raises(MutuallyExclusiveParametersError) as exclusive:
        await client.georadius("g", 15, 37, 10, PureToken.KM, withcoord=True, store="d")
    assert exclusive.value.arguments == {"store", "withcoord"}
    with pytest.raises(MutuallyExclusiveParametersError):
        await client.georadiusbymember("g", "m", 10, PureToken.KM, store="a", storedist="b")
    with pytest.raises(MutuallyInclusiveParametersMissing) as inclusive:
        await client.georadius_ro("g", 15, 37, 10, PureToken.KM, any_=True)
    assert inclusive.value.arguments == {"any_"}
    with pytest.raises(MutuallyInclusiveParametersMissing):
        await client.geosearch("g", member="m", radius=10, circle_unit=PureToken.KM, any_=True)
    with pytest.raises(MutuallyExclusiveParametersError) as both:
        await client.geosearch(
            "g", member="m", longitude=15, latitude=37, radius=10, circle_unit=PureToken.KM
        )
    assert both.value.arguments == {"member", "longitude", "latitude"}
    with pytest.raises(MutuallyInclusiveParametersMissing):
        await client.geosearch("g", longitude=15, radius=10, circle_unit=PureToken.KM)
    with pytest.raises(MutuallyInclusiveParametersMissing):
        await client.geosearchstore("d", "g", member="m", radius=10)  # no circle_unit
    for error in (exclusive.value, inclusive.value, both.value):
        assert isinstance(error, CommandSyntaxError) and isinstance(error, DataError)
    # valid combinations go through
    assert await client.geosearch(
        "g", longitude=15, latitude=37, radius=10, circle_unit=PureToken.KM, count=1, any_=True
    ) == ((b"m" if not client.decode_responses else "m"),)


@pytest.mark.min_server(redis="7.0")  # BITCOUNT BYTE|BIT is Redis 7.0
async def test_bitcount_ranges_need_start_and_end(client: Any) -> None:
    await client.set("b", b"\xff")
    with pytest.raises(MutuallyInclusiveParametersMissing):
        await client.bitcount("b", 0)
    with pytest.raises(MutuallyInclusiveParametersMissing) as unit:
        await client.bitcount("b", index_unit=PureToken.BIT)
    assert unit.value.arguments == {"index_unit"}
    assert await client.bitcount("b", 0, -1, PureToken.BYTE) == await client.bitcount("b")
    assert await client.bitcount("b", 0, 3, index_unit=PureToken.BIT) == 4


async def test_booleans_are_sent_as_one_and_zero(client: Any) -> None:
    assert await client.setbit("b", 7, True) == 0
    assert await client.getbit("b", 7) == 1
    assert await client.setbit("b", 7, False) == 1
    assert await client.getbit("b", 7) == 0
    assert await client.setbit("b", 3, True) == 0
    assert await client.bitpos("b", True) == 3
    assert await client.bitpos("b", False) == 0


# -- connection-state commands on a pooled client -----------------------------------------------


async def _many_at_once(client: Any, coro: Any, n: int = 8) -> list[Any]:
    """``n`` concurrent calls: they need ``n`` connections, new ones and reused ones."""
    return list(await asyncio.gather(*[coro() for _ in range(n)]))


async def test_select_changes_the_database_of_every_connection(client: Any, _s: Any) -> None:
    await client.set("k", "db0")
    await _many_at_once(client, client.ping)  # several idle connections in db 0
    assert await client.select(1) is True
    assert await client.get("k") is None
    await client.set("k", "db1")
    # every connection the client uses from now on, idle ones reused or new, is in db 1
    assert await _many_at_once(client, lambda: client.get("k"), 12) == [_s("db1")] * 12
    infos = await _many_at_once(client, client.client_info, 4)
    assert {info["db"] for info in infos} == {1}
    assert client.connection_pool.connection_kwargs["db"] == 1
    assert await client.select(0) is True
    assert await client.get("k") == _s("db0")


async def test_select_applies_to_clients_sharing_the_pool(redis_clean: ServerInfo) -> None:
    pool = coredis.ConnectionPool(
        host=redis_clean.host, port=redis_clean.port, decode_responses=True
    )
    first = coredis.Redis(connection_pool=pool, decode_responses=True)
    second = coredis.Redis(connection_pool=pool, decode_responses=True)
    try:
        await second.set("k", "db0")
        await first.select(2)
        assert await second.get("k") is None
        await second.set("k", "db2")
        assert await first.get("k") == "db2"
    finally:
        pool.disconnect()


async def test_select_of_a_bad_database_changes_nothing(client: Any, _s: Any) -> None:
    await client.set("k", "db0")
    with pytest.raises(ResponseError, match="out of range"):
        await client.select(100000)
    assert client.connection_pool.connection_kwargs.get("db", 0) == 0
    assert await client.get("k") == _s("db0")


async def test_select_in_a_pipeline_stays_in_the_pipeline(client: Any, _s: Any) -> None:
    await client.set("k", "db0")
    async with client.pipeline(transaction=False) as pipe:
        await pipe.select(3)
        await pipe.set("k", "db3")
        await pipe.get("k")
        assert await pipe.execute() == (True, True, _s("db3"))
    assert await client.get("k") == _s("db0")  # the client's own database did not change


async def test_select_waits_for_connections_in_use(client: Any, _s: Any) -> None:
    # a command in flight on another connection finishes in the old database; its
    # connection is closed when released, never reused in db 0
    await client.rpush("q", ["x"])
    blocked = asyncio.ensure_future(client.blpop(["q0"], 0.5))
    await asyncio.sleep(0.05)
    await client.select(1)
    await client.rpush("q0", ["in-db1"])  # db 1: the blocked BLPOP (db 0) does not see it
    assert await blocked is None
    assert await client.lrange("q0", 0, -1) == _s(["in-db1"])
    assert {info["db"] for info in await _many_at_once(client, client.client_info)} == {1}


async def test_reset_still_closes_its_connection(client: Any, _s: Any) -> None:
    # RESET would put a pooled connection back in db 0 with no name: it is closed, and
    # the client's settings (here the database chosen by SELECT) stay in force
    await client.select(4)
    await client.set("k", "db4")
    await client.reset()
    assert await client.get("k") == _s("db4")


async def test_client_tracking_stays_on_its_own_connection(client: Any, _s: Any) -> None:
    # tracking on a pooled connection would send invalidations to whoever uses it next:
    # the connection is closed; use a cache (cache=) for client-side caching instead
    assert await client.client_tracking(PureToken.ON) is True
    info = await client.client_trackinginfo()
    assert _s("off") in info[_s("flags")]
