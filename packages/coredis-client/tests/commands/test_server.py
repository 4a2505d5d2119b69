"""Server commands (incl. ACL, COMMAND, LATENCY, MEMORY, MODULE, SLOWLOG) against real
servers, RESP2/RESP3 x bytes/str. State-changing ones run on servers started for the test."""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

import coredis
from coredis.client._result_types import RoleInfo, SlowLogInfo
from coredis.client._tokens import PureToken
from coredis.exceptions import AuthorizationError, CommandSyntaxError, DataError, ResponseError
from coredis_testing import ServerKind

pytestmark = pytest.mark.redis


@pytest.fixture
async def private(
    request: pytest.FixtureRequest, redis_server_factory: Any, server_kind: ServerKind
) -> AsyncIterator[Any]:
    """A client (RESP3, bytes) on a server of the test's own."""
    # enable-module-command is 7.0+ (6.2 always allows MODULE)
    modules = server_kind.at_least(redis="7.0", valkey="7.0")
    server = redis_server_factory(*(["--enable-module-command", "yes"] if modules else []))
    c: Any = coredis.Redis(host=server.host, port=server.port)
    c.server_info = server
    try:
        yield c
    finally:
        await c.aclose()


async def _busy_retry(call: Any) -> Any:
    """Run ``call`` again while a background save from an earlier step is running."""
    for _ in range(200):
        try:
            return await call()
        except ResponseError as exc:
            if "in progress" not in str(exc) and "child process" not in str(exc):
                raise
            await asyncio.sleep(0.05)
    raise AssertionError("background job never finished")


async def test_persistence(private: Any) -> None:
    assert await private.save() is True
    saved = await private.lastsave()
    assert isinstance(saved, datetime.datetime)
    assert abs((datetime.datetime.now() - saved).total_seconds()) < 60
    assert await _busy_retry(private.bgrewriteaof) is True
    assert await _busy_retry(lambda: private.bgsave(schedule=True)) is True
    assert await _busy_retry(private.bgsave) is True


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_config(client: Any, _s: Any) -> None:
    original = await client.config_get(["maxmemory-samples"])
    assert original == {_s("maxmemory-samples"): _s("5")}
    try:
        assert await client.config_set({"maxmemory-samples": 7, "slowlog-max-len": 200})
        assert await client.config_get(["maxmemory-samples", "slowlog-max-len"]) == {
            _s("maxmemory-samples"): _s("7"),
            _s("slowlog-max-len"): _s("200"),
        }
        assert len(await client.config_get(["maxmemory*"])) > 2
    finally:
        await client.config_set({"maxmemory-samples": 5, "slowlog-max-len": 128})
    assert await client.config_resetstat() is True
    assert await client.config_rewrite() is True
    with pytest.raises(DataError):
        await client.config_get("maxmemory")
    with pytest.raises(DataError):
        await client.config_get([])
    with pytest.raises(DataError):
        await client.config_set({})
    with pytest.raises(ResponseError):
        await client.config_set({"no-such-parameter": 1})


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_info(client: Any) -> None:
    await client.xadd("s", {"a": 1})
    info = await client.info()
    assert info["redis_version"].startswith("7.")
    assert isinstance(info["connected_clients"], int)
    assert isinstance(info["used_cpu_sys"], float)
    assert info["db0"]["keys"] == 1
    assert info["db0"]["expires"] == 0
    server = await client.info("server")
    assert "redis_version" in server and "connected_clients" not in server
    stats = await client.info("commandstats")
    assert stats["cmdstat_xadd"]["calls"] >= 1
    both = await client.info("server", "clients")
    assert "tcp_port" in both and "connected_clients" in both


async def test_keyspace_admin(client: Any, _s: Any) -> None:
    await client.xadd("s", {"a": 1})
    assert await client.dbsize() == 1
    obj = await client.debug_object("s")
    assert obj["encoding"] == "stream"
    assert obj["refcount"] == 1
    assert await client.swapdb(0, 1) is True
    assert await client.dbsize() == 0
    assert await client.swapdb(0, 1) is True
    assert await client.dbsize() == 1
    assert await client.flushdb(PureToken.SYNC) is True
    assert await client.dbsize() == 0
    await client.xadd("s", {"a": 1})
    assert await client.flushall(PureToken.ASYNC) is True
    assert await client.dbsize() == 0
    assert await client.flushall() is True


async def test_time_lolwut_role(client: Any, _s: Any, server_kind: ServerKind) -> None:
    now = await client.time()
    assert abs((datetime.datetime.now() - now).total_seconds()) < 5
    art = await client.lolwut()
    signature = _s(f"{server_kind.product.capitalize()} ver.")  # "Redis ver." / "Valkey ver."
    assert signature in art
    assert signature in await client.lolwut(5)
    role = await client.role()
    assert role == RoleInfo("master", role.offset, None, (), None)


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_acl(client: Any, _s: Any) -> None:
    try:
        assert _s("keyspace") in await client.acl_cat()
        assert _s("get") in await client.acl_cat("string")
        assert await client.acl_whoami() == _s("default")
        assert len(await client.acl_genpass()) == 64
        assert len(await client.acl_genpass(32)) == 8
        assert await client.acl_setuser("u1", "on", ">pw", "+get", "~k*") is True
        assert await client.acl_users() == (_s("default"), _s("u1"))
        assert _s("user u1 on") in (await client.acl_list())[1]
        user = await client.acl_getuser("u1")
        assert user[_s("flags")] == [_s("on")]
        assert len(user[_s("passwords")]) == 1
        assert user[_s("keys")] == _s("~k*")
        assert user[_s("selectors")] == []
        assert await client.acl_getuser("nobody") == {}
        assert await client.acl_dryrun("u1", "get", "k1") is True
        # a denial raises AuthorizationError with the server's explanation, as in 4.x
        with pytest.raises(AuthorizationError, match="no permissions to run the 'set'"):
            await client.acl_dryrun("u1", "set", "k1", "v")
        assert await client.acl_log(reset=True) is True
        with pytest.raises(ResponseError):
            await client.auth("bad", username="u1")
        log = await client.acl_log(count=1)
        assert len(log) == 1
        assert log[0][_s("reason")] == _s("auth")
        assert isinstance(log[0][_s("age-seconds")], float)
        with pytest.raises(DataError):
            await client.acl_deluser("u1")
    finally:
        assert await client.acl_deluser(["u1"]) == 1


async def test_acl_file(redis_server_factory: Any, tmp_path: Path) -> None:
    acl_file = tmp_path / "users.acl"
    acl_file.write_text("user default on nopass ~* &* +@all\n")
    server = redis_server_factory("--aclfile", str(acl_file))
    c: Any = coredis.Redis(host=server.host, port=server.port, decode_responses=True)
    try:
        await c.acl_setuser("saved", "on", ">pw")
        assert await c.acl_save() is True
        assert "user saved" in acl_file.read_text()
        acl_file.write_text("user default on nopass ~* &* +@all\n")
        assert await c.acl_load() is True
        assert await c.acl_users() == ("default",)
    finally:
        await c.aclose()


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_command_introspection(client: Any, _s: Any) -> None:
    count = await client.command_count()
    assert count > 200
    every = await client.command()
    assert len(every) == count
    get = every["get"]
    assert get["arity"] == 2 and get["flags"] == {"readonly", "fast"}
    assert get["first-key"] == 1 and get["last-key"] == 1 and get["step"] == 1
    assert get["acl-categories"] == {"@read", "@string", "@fast"}
    spec = get["key-specifications"][0]
    assert spec["flags"] == {"RO", "access"}
    assert spec["begin_search"]["type"] == "index"
    assert spec["begin_search"]["spec"] == {"index": 1}
    info = await client.command_info("get", "xgroup", "nosuchcommand")
    assert set(info) == {"get", "xgroup"}
    assert info["get"] == get
    assert "xgroup|create" in info["xgroup"]["sub-commands"]
    docs = await client.command_docs("xadd", "client")
    xadd = docs[_s("xadd")]
    assert xadd[_s("group")] == _s("stream")
    assert xadd[_s("since")] == _s("5.0.0")
    assert xadd[_s("arguments")][0][_s("name")] == _s("key")
    assert _s("client|kill") in docs[_s("client")][_s("subcommands")]
    assert await client.command_getkeys("mset", ["a", 1, "b", 2]) == (_s("a"), _s("b"))
    assert await client.command_getkeysandflags("lmove", ["a", "b", "LEFT", "RIGHT"]) == {
        _s("a"): {_s("RW"), _s("access"), _s("delete")},
        _s("b"): {_s("RW"), _s("insert")},
    }
    names = await client.command_list()
    assert _s("xadd") in names and _s("xgroup|create") in names
    assert len({n for n in names if _s("|") not in n}) == count
    assert await client.command_list(pattern="xa*") == {_s("xack"), _s("xadd"), _s("xautoclaim")}
    assert _s("get") in await client.command_list(aclcat="string")
    assert await client.command_list(module="nosuchmodule") == set()
    with pytest.raises(CommandSyntaxError):
        await client.command_list(pattern="a", aclcat="b")


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_latency(client: Any, _s: Any) -> None:
    await client.config_set({"latency-monitor-threshold": 1})
    try:
        await client.execute_command(b"DEBUG", b"SLEEP", "0.01")
        latest = await client.latency_latest()
        stamp, last, high = latest[_s("command")]
        assert last >= 10 and high >= last and stamp > 0
        history = await client.latency_history("command")
        assert history[-1][1] >= 10
        assert _s("command") in await client.latency_graph("command")
        assert len(await client.latency_doctor()) > 0
        assert await client.latency_reset("command") == 1
        assert await client.latency_reset() == 0
        assert await client.latency_latest() == {}
    finally:
        await client.config_set({"latency-monitor-threshold": 0})
    await client.ping()
    hist = await client.latency_histogram("ping", "nosuchcommand")
    assert list(hist) == [_s("ping")]
    assert hist[_s("ping")][_s("calls")] >= 1
    buckets = hist[_s("ping")][_s("histogram_usec")]
    assert all(isinstance(k, int) and isinstance(v, int) for k, v in buckets.items())


async def test_memory(client: Any, _s: Any) -> None:
    await client.xadd("s", {"a": "x" * 100})
    size = await client.memory_usage("s", samples=0)
    assert isinstance(size, int) and size > 100
    assert await client.memory_usage("missing") is None
    stats = await client.memory_stats()
    assert stats[_s("keys.count")] == 1
    db0 = stats[_s("db.0")]
    # 0 on Redis; Valkey 8+'s hashtable has a fixed overhead even with no volatile key
    assert isinstance(db0[_s("overhead.hashtable.expires")], int)
    assert db0[_s("overhead.hashtable.main")] > 0
    assert isinstance(stats[_s("peak.allocated")], int)
    assert isinstance(stats[_s("dataset.percentage")], float)
    assert len(await client.memory_doctor()) > 0
    assert len(await client.memory_malloc_stats()) > 0
    assert await client.memory_purge() is True


async def test_slowlog(client: Any, _s: Any) -> None:
    await client.config_set({"slowlog-log-slower-than": 0})
    try:
        assert await client.slowlog_reset() is True
        await client.echo("slow")
        assert await client.slowlog_len() >= 1
        entries = await client.slowlog_get(-1)
        echo = next(e for e in entries if e.command[0] == _s("ECHO"))
        assert isinstance(echo, SlowLogInfo)
        assert echo.command == (_s("ECHO"), _s("slow"))
        assert echo.duration >= 0 and echo.start_time > 0
        assert _s(":") in echo.client_addr
        assert len(await client.slowlog_get(1)) == 1
        with pytest.raises(DataError):
            await client.slowlog_get(-2)
    finally:
        await client.config_set({"slowlog-log-slower-than": 10000})


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_modules(private: Any) -> None:
    loaded = await private.module_list()
    # Valkey 9 lists its Lua engine as a module; no other module is loaded
    assert [m for m in loaded if m[b"name"] != b"lua"] == []
    with pytest.raises(ResponseError):
        await private.module_load("/nonexistent/module.so", "arg")
    with pytest.raises(ResponseError):
        await private.module_loadex("/nonexistent/module.so", {"c": 1}, ["a"])
    with pytest.raises(ResponseError):
        await private.module_unload("nosuchmodule")


async def test_replication(redis_server_factory: Any) -> None:
    primary_server = redis_server_factory()
    replica_server = redis_server_factory()
    primary: Any = coredis.Redis(host=primary_server.host, port=primary_server.port)
    replica: Any = coredis.Redis(host=replica_server.host, port=replica_server.port)
    try:
        await primary.xadd("s", {"a": 1})
        with pytest.raises(CommandSyntaxError):
            await replica.replicaof("127.0.0.1")
        assert await replica.replicaof(primary_server.host, primary_server.port) is True
        for _ in range(200):
            role = await replica.role()
            if role.status == "connected":
                break
            await asyncio.sleep(0.05)
        assert role.role == "slave"
        assert role.masters == (primary_server.host, str(primary_server.port))
        assert role.status == "connected"
        for _ in range(200):
            master_role = await primary.role()
            if master_role.slaves:
                break
            await asyncio.sleep(0.05)
        assert master_role.role == "master"
        assert master_role.slaves[0]["port"] == replica_server.port
        with pytest.raises(CommandSyntaxError):
            await primary.failover(host="127.0.0.1")
        with pytest.raises(CommandSyntaxError):
            await primary.failover(force=True)
        with pytest.raises(ResponseError):
            await primary.failover(abort=True)  # no failover in progress
        with pytest.warns(DeprecationWarning, match="SLAVEOF .* REPLICAOF"):
            assert await replica.slaveof() is True
        assert (await replica.role()).role == "master"
    finally:
        await primary.aclose()
        await replica.aclose()


async def test_failover(redis_server_factory: Any) -> None:
    primary_server = redis_server_factory()
    replica_server = redis_server_factory("--replicaof", "127.0.0.1", str(primary_server.port))
    primary: Any = coredis.Redis(host=primary_server.host, port=primary_server.port)
    replica: Any = coredis.Redis(host=replica_server.host, port=replica_server.port)
    try:
        for _ in range(200):
            if (await primary.role()).slaves:
                break
            await asyncio.sleep(0.05)
        assert await primary.failover(timeout=datetime.timedelta(seconds=5)) is True
        for _ in range(200):
            if (await replica.role()).role == "master":
                break
            await asyncio.sleep(0.05)
        assert (await replica.role()).role == "master"
    finally:
        await primary.aclose()
        await replica.aclose()


@pytest.mark.min_server(redis="7.0")  # SHUTDOWN NOW/FORCE/ABORT
async def test_shutdown(private: Any) -> None:
    with pytest.raises(ResponseError):
        await private.shutdown(abort=True)  # nothing to abort
    assert await private.shutdown(PureToken.NOSAVE, now=True, force=True) is True
    for _ in range(100):
        if not private.server_info.is_running():
            break
        await asyncio.sleep(0.05)
    assert not private.server_info.is_running()
