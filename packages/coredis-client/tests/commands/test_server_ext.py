"""WAITAOF, CLIENT NO-TOUCH/SETINFO/CAPA/IMPORT-SOURCE, SCRIPT SHOW and COMMANDLOG against a
real server, gated on the server that has them (Redis 7.2 / Valkey 8.0, 8.1).

Connection-state commands run on a one-connection client so that the connection they change
is the one the test inspects.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

import coredis
from coredis.client._result_types import SlowLogInfo
from coredis.client._tokens import PureToken
from coredis.exceptions import DataError, NoScriptError, ResponseError
from coredis_testing import ServerKind

pytestmark = pytest.mark.redis


@pytest.fixture(params=[2, 3], ids=["resp2", "resp3"])
async def single(request: pytest.FixtureRequest, redis_clean: Any) -> AsyncIterator[Any]:
    """A ``Redis[str]`` with one connection (RESP2 and RESP3)."""
    c: Any = coredis.Redis(
        host=redis_clean.host,
        port=redis_clean.port,
        protocol_version=request.param,
        decode_responses=True,
        max_connections=1,
    )
    try:
        yield c
    finally:
        await c.aclose()


async def test_handshake_reports_the_library_where_supported(
    single: Any, server_kind: ServerKind
) -> None:
    info = await single.client_info()  # the handshake succeeded on every server
    assert await single.ping() in ("PONG", True)
    if server_kind.at_least(redis="7.2", valkey="7.2"):
        assert info["lib-name"] == "coredis"
        assert info["lib-ver"] == coredis.connection.__version__
    else:  # CLIENT SETINFO refused by the server, and the refusal dropped silently
        assert "lib-name" not in info


@pytest.mark.min_server(redis="7.2")
async def test_client_setinfo_and_no_touch(single: Any) -> None:
    assert await single.client_setinfo(lib_name="myapp") is True
    assert await single.client_setinfo(lib_ver="1.2.3") is True
    info = await single.client_info()
    assert (info["lib-name"], info["lib-ver"]) == ("myapp", "1.2.3")
    with pytest.raises(ResponseError):
        await single.client_setinfo(lib_name="has spaces")
    with pytest.raises(DataError):
        await single.client_setinfo()
    with pytest.raises(DataError):
        await single.client_setinfo(lib_name="a", lib_ver="b")
    assert await single.client_no_touch(PureToken.ON) is True
    assert "T" in (await single.client_info())["flags"]
    assert await single.client_no_touch(PureToken.OFF) is True
    assert "T" not in (await single.client_info())["flags"]


@pytest.mark.min_server(redis="7.2")
async def test_waitaof(single: Any) -> None:
    await single.set("k", "v")
    assert await single.waitaof(0, 0, 0) == (0, 0)
    with pytest.raises(ResponseError, match="appendonly"):
        await single.waitaof(1, 0, 10)  # appendonly is off on the test servers
    await single.config_set({"appendonly": "yes"})
    try:
        for _ in range(100):  # the first rewrite must finish before fsyncs are counted
            info = await single.info("persistence")
            if not info.get("aof_rewrite_in_progress") and info.get("aof_enabled"):
                break
            await single.echo("wait")
        await single.set("k", "v2")
        assert await single.waitaof(1, 0, 5000) == (1, 0)
    finally:
        await single.config_set({"appendonly": "no"})


@pytest.mark.min_server(redis=None, valkey="8.0")
async def test_client_capa_and_import_source(single: Any) -> None:
    assert await single.client_capa(["redirect"]) is True
    assert "r" in (await single.client_info())["capa"]
    with pytest.raises(DataError):
        await single.client_capa([])
    with pytest.raises(ResponseError, match="import mode"):
        await single.client_import_source(PureToken.ON)


@pytest.mark.min_server(redis=None, valkey="8.1")
async def test_client_import_source_in_import_mode(single: Any) -> None:
    await single.config_set({"import-mode": "yes"})
    try:
        assert await single.client_import_source(PureToken.ON) is True
        assert await single.client_import_source(PureToken.OFF) is True
    finally:
        await single.config_set({"import-mode": "no"})


@pytest.mark.min_server(redis=None, valkey="8.0")
async def test_script_show(single: Any) -> None:
    sha = await single.script_load("return 'shown'")
    assert await single.script_show(sha) == "return 'shown'"
    with pytest.raises(NoScriptError):
        await single.script_show("0" * 40)


@pytest.mark.min_server(redis=None, valkey="8.1")
async def test_commandlog(single: Any) -> None:
    await single.config_set({"commandlog-execution-slower-than": 0})
    try:
        assert await single.commandlog_reset(PureToken.SLOW) is True
        await single.echo("logged")
        assert await single.commandlog_len(PureToken.SLOW) >= 1
        entries = await single.commandlog_get(-1, PureToken.SLOW)
        assert entries and all(isinstance(entry, SlowLogInfo) for entry in entries)
        assert any(entry.command == ("ECHO", "logged") for entry in entries)
        assert await single.commandlog_get(1, PureToken.LARGE_REPLY) == ()
        assert await single.commandlog_len(PureToken.LARGE_REQUEST) == 0
        with pytest.raises(DataError):
            await single.commandlog_get(-2, PureToken.SLOW)
    finally:
        await single.config_set({"commandlog-execution-slower-than": 10000})
