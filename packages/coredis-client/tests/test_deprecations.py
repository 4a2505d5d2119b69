"""Deprecated commands warn, as in coredis 4.x; the table is the servers' ``COMMAND DOCS``.

The deprecations come from the generated command table, checked here against a live
server through the same code ``tools/generate_command_table.py`` uses to write it. A
command warns only on a server whose product deprecates it (Valkey withdrew most of
Redis's deprecations).
"""

from __future__ import annotations

import importlib.util
import inspect
import sys
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import coredis
from coredis import PureToken
from coredis.client import _deprecations
from coredis.connection._command_info import SERVERS
from coredis_testing import ServerInfo, ServerKind

GENERATOR = Path(__file__).resolve().parents[3] / "tools" / "generate_command_table.py"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_command_table", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


def _is_source(kind: ServerKind) -> bool:
    """Whether ``kind`` is one of the servers the table was read from (same minor)."""
    return f"{kind.product} {kind.version[0]}.{kind.version[1]}" in SERVERS


@pytest.mark.min_server(redis="7.0")  # COMMAND DOCS is Redis 7.0
def test_deprecations_match_a_live_servers_command_docs(
    redis_server: ServerInfo, server_kind: ServerKind
) -> None:
    generator = _generator()
    product, _, entries, _ = generator.read_server(redis_server)
    live = {
        name.encode(): entry["deprecated"] for name, entry in entries.items() if entry["deprecated"]
    }
    assert live, "COMMAND DOCS lists no deprecated command at all?"
    table = _deprecations.VALKEY_DEPRECATED if product == "valkey" else _deprecations.DEPRECATED
    if _is_source(server_kind):
        assert table == live, "stale table: run python tools/generate_command_table.py"
    else:  # another version: every deprecation of the table still holds there
        for name, entry in table.items():
            assert live.get(name) == entry, f"{name!r}: {live.get(name)} on {server_kind.label}"


@pytest.mark.min_server(redis="7.0")  # COMMAND DOCS is Redis 7.0
def test_committed_prefix_tokens_match_a_live_servers_command_docs(
    redis_server: ServerInfo,
    server_kind: ServerKind,
) -> None:
    if server_kind.product != "redis":
        # Valkey's COMMAND DOCS lists other argument tokens: the committed enum is Redis's
        pytest.skip(f"the committed enum is read from Redis; the server is {server_kind.label}")
    from coredis.client import _prefix_tokens
    from coredis.tokens import PrefixToken

    generator = _generator()
    _, version, _, docs = generator.read_server(redis_server)
    live = generator.prefix_tokens(docs)
    assert {"COUNT", "MATCH", "LIMIT", "BY", "STORE"} <= set(live)
    assert "NX" not in live  # a pure token carries no value
    if version == _prefix_tokens.GENERATED_FROM:
        assert [token.value.decode() for token in PrefixToken] == live, (
            "stale PrefixToken: run python tools/generate_command_table.py"
        )
    else:  # another server: tokens are never withdrawn from the command syntax
        assert {token.value.decode() for token in PrefixToken} <= set(live)
    assert PrefixToken.COUNT == b"COUNT" and str(PrefixToken.MATCH) == "MATCH"


def test_valkey_warns_only_for_what_valkey_deprecates() -> None:
    # Valkey withdrew Redis's deprecation of HMSET, GETSET, ZRANGEBYSCORE...; it keeps SLAVEOF
    assert _deprecations.deprecated_on("redis", b"HMSET") is not None
    assert _deprecations.deprecated_on("valkey", b"HMSET") is None
    assert _deprecations.deprecated_on(None, b"HMSET") is not None  # unknown: Redis's list
    assert _deprecations.deprecated_on("valkey", b"SLAVEOF") is not None
    _deprecations.warn_if_deprecated(b"HMSET", (b"h", b"f", b"v"), ("valkey", (9, 1, 0)))
    _deprecations.warn_if_deprecated(b"CLUSTER", (b"SLOTS",), ("valkey", (9, 1, 0)))
    with pytest.warns(DeprecationWarning, match="CLUSTER SLAVES"):
        _deprecations.warn_if_deprecated(b"CLUSTER", (b"SLAVES", b"x"), ("valkey", (9, 1, 0)))
    with pytest.warns(DeprecationWarning, match="HMSET"):
        _deprecations.warn_if_deprecated(b"HMSET", (b"h", b"f", b"v"), ("redis", (7, 0, 0)))


def test_every_replacement_named_is_a_client_method() -> None:
    for name, (_, replaced_by) in _deprecations.DEPRECATED.items():
        method = _deprecations.replacement_method(replaced_by)
        assert callable(getattr(coredis.Redis, method, None)), (name, method)
        assert f"coredis.Redis.{method}" in _deprecations.deprecation_message(name)


# (method, args, kwargs, the server's command name) for every deprecated command
_CALLS: list[tuple[str, tuple[Any, ...], dict[str, Any], str]] = [
    ("hmset", ("h", {"f": "v"}), {}, "HMSET"),
    ("getset", ("s", "v"), {}, "GETSET"),
    ("substr", ("s", 0, 1), {}, "SUBSTR"),
    ("rpoplpush", ("l1", "l2"), {}, "RPOPLPUSH"),
    ("brpoplpush", ("l1", "l2", 0.01), {}, "BRPOPLPUSH"),
    ("zrangebyscore", ("z", 0, 1), {}, "ZRANGEBYSCORE"),
    ("zrevrangebyscore", ("z", 1, 0), {}, "ZREVRANGEBYSCORE"),
    ("zrangebylex", ("z", "-", "+"), {}, "ZRANGEBYLEX"),
    ("zrevrangebylex", ("z", "+", "-"), {}, "ZREVRANGEBYLEX"),
    ("zrevrange", ("z", 0, -1), {}, "ZREVRANGE"),
    ("georadius", ("g", 15, 37, 10, PureToken.KM), {}, "GEORADIUS"),
    ("georadius_ro", ("g", 15, 37, 10, PureToken.KM), {}, "GEORADIUS_RO"),
    ("georadiusbymember", ("g", "m", 10, PureToken.KM), {}, "GEORADIUSBYMEMBER"),
    ("georadiusbymember_ro", ("g", "m", 10, PureToken.KM), {}, "GEORADIUSBYMEMBER_RO"),
]


def test_the_calls_cover_every_plain_deprecated_command() -> None:
    plain = {name.decode() for name in _deprecations.DEPRECATED if b" " not in name}
    # SLAVEOF changes replication (test_server.py covers it), the rest is called below
    assert plain - {command for *_, command in _CALLS} == {"SLAVEOF"}


@pytest.mark.parametrize(("method", "args", "kwargs", "command"), _CALLS)
async def test_deprecated_command_warns_naming_the_replacement(
    client: Any,
    method: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    command: str,
    server_kind: ServerKind,
) -> None:
    await client.geoadd("g", [(15.0, 37.0, "m")])
    if _deprecations.deprecated_on(server_kind.product, command.encode()) is None:
        await getattr(client, method)(*args, **kwargs)  # not deprecated there: no warning
        return
    line = inspect.currentframe().f_lineno + 2  # type: ignore[union-attr]
    with pytest.warns(DeprecationWarning) as caught:
        await getattr(client, method)(*args, **kwargs)
    assert len(caught) == 1
    message = str(caught[0].message)
    _, replaced_by = _deprecations.DEPRECATED[command.encode()]
    assert message.startswith(f"{command} is deprecated since Redis ")
    assert f"coredis.Redis.{_deprecations.replacement_method(replaced_by)}" in message
    # it points at the caller's line, not at coredis' internals
    assert caught[0].filename == __file__
    assert caught[0].lineno == line


@pytest.mark.min_server(redis="7.0")  # CLUSTER SLOTS is deprecated since 7.0
async def test_a_deprecated_sub_command_warns(client: Any, server_kind: ServerKind) -> None:
    if server_kind.product == "valkey":  # Valkey does not deprecate CLUSTER SLOTS
        with pytest.raises(coredis.exceptions.ResponseError):
            await client.cluster_slots()
        return
    # CLUSTER SLOTS on a non-cluster server: the warning comes before the server's error
    with (
        pytest.warns(DeprecationWarning, match="CLUSTER SLOTS is deprecated .* SHARDS"),
        pytest.raises(coredis.exceptions.ResponseError),
    ):
        await client.cluster_slots()


async def test_pipelined_deprecated_command_warns_too(
    client: Any, _s: Any, server_kind: ServerKind
) -> None:
    await client.hset("h", {"a": "1"})
    async with client.pipeline(transaction=False) as pipe:
        if server_kind.product == "valkey":  # HMSET is not deprecated there
            await pipe.hmset("h", {"b": "2"})
        else:
            with pytest.warns(DeprecationWarning, match="HMSET") as caught:
                await pipe.hmset("h", {"b": "2"})  # warns where it is queued, as in 4.x
            assert caught[0].filename == __file__
        await pipe.hgetall("h")
        result = await pipe.execute()
    assert result == (True, _s({"a": "1", "b": "2"}))


async def test_no_warning_with_verify_version_off(redis_clean: ServerInfo) -> None:
    # 4.x only checked (and warned) with verify_version; filterwarnings=error proves silence
    async with coredis.Redis(redis_clean.host, redis_clean.port, verify_version=False) as r:
        assert await r.hmset("h", {"f": "v"}) is True
        assert await r.getset("s", "v") is None


def test_no_warning_for_a_server_older_than_the_deprecation() -> None:
    # as 4.x: on a 6.0 server ZRANGE BYSCORE does not exist yet, so nothing to suggest
    _deprecations.warn_if_deprecated(b"ZRANGEBYSCORE", (b"z", 0, 1), ("redis", (6, 0, 20)))
    _deprecations.warn_if_deprecated(b"CLUSTER", (b"SLOTS",), ("redis", (6, 2, 0)))
    with pytest.warns(DeprecationWarning, match="ZRANGEBYSCORE"):
        _deprecations.warn_if_deprecated(b"ZRANGEBYSCORE", (b"z", 0, 1), ("redis", (6, 2, 0)))
    with pytest.warns(DeprecationWarning, match="CLUSTER SLOTS"):
        _deprecations.warn_if_deprecated(b"CLUSTER", ("slots",), None)  # version unknown


async def test_default_filters_show_it_once_per_call_site(
    client_resp3: Any, server_kind: ServerKind
) -> None:
    if server_kind.product == "valkey":
        pytest.skip("GETSET is not deprecated on Valkey (test_valkey_warns_only_for_...)")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        for _ in range(3):
            await client_resp3.getset("k", "v")  # one call site, three calls
        await client_resp3.getset("k", "w")  # another call site
    assert [str(w.message).split(" ")[0] for w in caught] == ["GETSET", "GETSET"]
    assert caught[0].lineno != caught[1].lineno
