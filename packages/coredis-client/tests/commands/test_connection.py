"""Connection commands against a real server, RESP2/RESP3 x bytes/str."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from coredis.client._tokens import PureToken
from coredis.exceptions import (
    AuthenticationError,
    CommandSyntaxError,
    DataError,
    UnblockedError,
)
from coredis_testing import ServerKind

pytestmark = pytest.mark.redis


async def test_ping_echo(client: Any, _s: Any) -> None:
    assert await client.ping() == _s("PONG")
    assert await client.ping("hi") == _s("hi")
    assert await client.echo("héllo") == _s("héllo")


async def test_auth(client: Any) -> None:
    # The test server's default user is ``nopass``: any password is accepted for it.
    assert await client.auth("anything", username="default") is True
    with pytest.raises(AuthenticationError):
        await client.auth("secret", username="nobody")
    with pytest.raises(AuthenticationError):
        await client.auth("secret")


async def test_hello(client: Any, _s: Any, protocol_version: int, server_kind: ServerKind) -> None:
    info = await client.hello()
    assert info[_s("server")] == _s(server_kind.product)
    assert info[_s("version")] == _s(".".join(map(str, server_kind.version)))
    assert info[_s("proto")] == protocol_version
    # Valkey 9 lists its Lua engine as a module; no other module is loaded
    assert [m for m in info[_s("modules")] if m[_s("name")] != _s("lua")] == []
    assert info[_s("role")] == _s("master")
    # HELLO changes the connection it runs on: only its own pipeline sees the new name,
    # and the connection is closed afterwards instead of going back to the pool.
    async with client.pipeline(transaction=False) as pipe:
        await pipe.hello(protocol_version, username="default", password="x", setname="n1")
        await pipe.client_id()
        await pipe.client_getname()
        info, ident, name = await pipe.execute()
    assert info[_s("id")] == ident
    assert name == _s("n1")
    assert await client.client_getname() is None
    with pytest.raises(CommandSyntaxError):
        await client.hello(setname="x")
    with pytest.raises(CommandSyntaxError):
        await client.hello(3, username="u")


async def test_select_and_names(client: Any, _s: Any) -> None:
    assert await client.client_getname() is None
    assert await client.client_setname("coredis-test") is True
    # the client's pool names every connection from now on (as 4.x programs expect)
    assert await client.client_getname() == _s("coredis-test")
    assert await client.client_setname("") is True  # removes the name again
    assert await client.client_getname() is None
    async with client.pipeline(transaction=False) as pipe:
        # in a pipeline it names the pipeline's connection only (closed afterwards)
        await pipe.client_setname("in-pipeline")
        await pipe.client_getname()
        assert await pipe.execute() == (True, _s("in-pipeline"))
    assert await client.client_getname() is None
    assert await client.select(0) is True
    ident = await client.client_id()
    assert isinstance(ident, int) and ident > 0


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_client_info_and_list(client: Any, protocol_version: int) -> None:
    async with client.pipeline(transaction=False) as pipe:
        await pipe.client_setname("me")
        await pipe.client_info()
        await pipe.client_id()
        _, info, ident = await pipe.execute()
    assert info["name"] == "me"
    assert info["id"] == ident
    assert info["db"] == 0
    assert info["resp"] == protocol_version
    assert info["cmd"] == "client|info"
    assert ":" in info["addr"]
    own = await client.client_id()
    listed = await client.client_list()
    assert own in [c["id"] for c in listed]
    # the connection named "me" was closed after its pipeline (CLIENT SETNAME)
    assert info["id"] not in [c["id"] for c in listed]
    only = await client.client_list(identifiers=[own])
    assert len(only) == 1 and only[0]["name"] == ""
    normal = await client.client_list(type_=PureToken.NORMAL)
    assert all("N" in c["flags"] for c in normal)
    with pytest.raises(DataError):
        await client.client_list(identifiers=[])


async def test_client_kill(client: Any, redis_clean: Any) -> None:
    import socket

    victim = socket.create_connection((redis_clean.host, redis_clean.port))
    try:
        victim.sendall(b"CLIENT SETNAME victim\r\n")
        assert victim.recv(100) == b"+OK\r\n"
        target = next(c for c in await client.client_list() if c["name"] == "victim")
        assert await client.client_kill(ip_port=target["addr"]) is True
        assert await client.client_kill(identifier=target["id"]) == 0
        assert await client.client_kill(laddr="1.2.3.4:5", skipme=True) == 0
        assert await client.client_kill(type_=PureToken.PUBSUB, user="default") == 0
        with pytest.raises(DataError):
            await client.client_kill()
    finally:
        victim.close()


async def test_pause_unpause(client: Any) -> None:
    assert await client.client_pause(50, PureToken.WRITE) is True
    assert await client.client_unpause() is True
    assert await client.client_pause(10) is True
    assert await client.client_unpause() is True


async def _blocked_xread(client: Any) -> tuple[asyncio.Future[Any], Any]:
    """An XREAD blocking for 10 s on another connection, and that connection's client id
    once the server lists it as blocked."""
    blocked = asyncio.ensure_future(client.xread({"s": "$"}, block=10_000))
    for _ in range(100):
        await asyncio.sleep(0.02)
        waiting = [c for c in await client.client_list() if c["cmd"] == "xread"]
        if waiting:
            break
    return blocked, waiting[0]["id"]


async def test_client_unblock(client: Any, _s: Any) -> None:
    blocked, blocked_id = await _blocked_xread(client)
    assert await client.client_unblock(blocked_id) is True
    assert await asyncio.wait_for(blocked, 5) is None
    assert await client.client_unblock(blocked_id) is False
    blocked, blocked_id = await _blocked_xread(client)
    assert await client.client_unblock(blocked_id, PureToken.ERROR) is True
    with pytest.raises(UnblockedError):
        await asyncio.wait_for(blocked, 5)


async def test_tracking(client: Any, _s: Any) -> None:
    assert await client.client_getredir() == -1
    assert await client.client_trackinginfo() == {
        _s("flags"): {_s("off")},
        _s("redirect"): -1,
        _s("prefixes"): [],
    }
    own = await client.client_id()
    # CLIENT TRACKING changes its connection: one pipeline (one connection) sees it all,
    # then that connection is closed instead of going back to the pool.
    async with client.pipeline(transaction=False) as pipe:
        await pipe.client_tracking(PureToken.ON, "a:", "b:", redirect=own, bcast=True, noloop=True)
        await pipe.client_trackinginfo()
        await pipe.client_getredir()
        await pipe.client_tracking(PureToken.OFF)
        await pipe.client_tracking(PureToken.ON, redirect=own, optin=True)
        await pipe.client_caching(PureToken.YES)
        await pipe.client_tracking(PureToken.OFF)
        on, info, redir, *rest = await pipe.execute()
    assert on is True and rest == [True, True, True, True]
    assert info[_s("flags")] == {_s("on"), _s("bcast"), _s("noloop")}
    assert info[_s("redirect")] == own
    assert sorted(info[_s("prefixes")]) == [_s("a:"), _s("b:")]
    assert redir == own
    own = await client.client_id()
    assert await client.client_tracking(PureToken.ON, redirect=own, optin=True) is True
    assert (await client.client_trackinginfo())[_s("flags")] == {_s("off")}
    with pytest.raises(CommandSyntaxError):
        await client.client_tracking(PureToken.ON, optin=True, optout=True)


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_no_evict_reply_reset(client: Any, _s: Any) -> None:
    assert await client.client_no_evict(PureToken.ON) is True
    assert await client.client_no_evict(PureToken.OFF) is True
    assert await client.client_reply(PureToken.ON) is True
    with pytest.raises(DataError):
        await client.client_reply(PureToken.OFF)
    await client.client_setname("before-reset")
    assert await client.reset() is None
    assert await client.ping() == _s("PONG")
