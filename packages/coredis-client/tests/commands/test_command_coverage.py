"""Every command the test server knows is either a ``coredis.Redis`` method or excluded here.

It runs against each server of the CI matrix (Redis 7.0, Redis 6.2, Valkey 9): the list is
that server's own, so a command only Valkey has must be covered too.

The list comes from the server itself (``COMMAND DOCS``, read with the raw helper of
coredis-testing so the client under test plays no part in it). For a container command
(``CLIENT``, ``CONFIG``, ``XINFO``...) each subcommand counts on its own.

Command → method: lowercase, ``|``/space/``-`` → ``_`` (``CLIENT KILL`` → ``client_kill``,
``CLUSTER COUNT-FAILURE-REPORTS`` → ``cluster_count_failure_reports``), unless
:data:`METHOD_OVERRIDES` says otherwise. A mapped method must be a coroutine function of
``coredis.Redis`` whose docstring links the command's page (``redis.io/commands/<name>``, or
``valkey.io/commands/<name>`` for a command only Valkey has),
so a method cannot satisfy the test by name alone; :data:`NOT_A_COMMAND_METHOD` lists the
mapped methods that return a builder object instead.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

import pytest

import coredis
from coredis_testing import ReplyError, command

pytestmark = pytest.mark.redis

#: Commands whose method name does not follow the rule.
METHOD_OVERRIDES: dict[str, str] = {
    "del": "delete",  # ``del`` is a Python keyword; the 4.x name
}

#: Methods that stand for a command without sending it themselves (they build an object).
NOT_A_COMMAND_METHOD: frozenset[str] = frozenset({"bitfield", "bitfield_ro", "monitor"})

#: Commands with no method of their own, and why. Keep it short: each entry is a promise
#: that users reach the command another way or should not send it at all.
EXCLUDED: dict[str, str] = {
    # Replication protocol: spoken by replicas to their primary, never by a client.
    "sync": "replication internals (a replica's full sync request)",
    "psync": "replication internals (a replica's partial sync request)",
    "replconf": "replication internals (replica/primary handshake)",
    "restore-asking": "cluster internals (MIGRATE sends it to the target node)",
    # Stateful connection modes, served by dedicated objects.
    "multi": "transactions: Redis.pipeline(transaction=True)",
    "exec": "transactions: Pipeline.execute()",
    "discard": "transactions: Pipeline.reset()",
    "watch": "transactions: Pipeline.watch() / Redis.pipeline(watches=...)",
    "unwatch": "transactions: Pipeline.unwatch() / reset()",
    "subscribe": "pub/sub: Redis.pubsub().subscribe()",
    "unsubscribe": "pub/sub: PubSub.unsubscribe()",
    "psubscribe": "pub/sub: Redis.pubsub().psubscribe()",
    "punsubscribe": "pub/sub: PubSub.punsubscribe()",
    "ssubscribe": "pub/sub: sharded_pubsub()/pubsub().ssubscribe()",
    "sunsubscribe": "pub/sub: PubSub.sunsubscribe()",
    # Debugging internals.
    "debug": "server debugging internals (crash, reload, sleep...); debug_object() covers "
    "DEBUG OBJECT",
    "pfdebug": "HyperLogLog internals debugging",
    "pfselftest": "HyperLogLog internals self test",
    # Valkey 9.0 atomic slot migration: spoken between the source and target nodes.
    # Redis 6.2 only (7.0 no longer lists them).
    "host:": "not a command: Redis closes connections that send HTTP headers (attack guard)",
    "post": "not a command: Redis closes connections that send an HTTP POST (attack guard)",
    "stralgo": "removed in Redis 7.0; lcs() (7.0+) replaces STRALGO LCS",
    "cluster|syncslots": "cluster internals (the nodes' own slot-migration sub-protocol); "
    "cluster_migrateslots() starts a migration",
}

#: Exclusions of commands that not every server of the matrix has (not stale when absent).
NOT_ON_EVERY_SERVER = frozenset(
    {"ssubscribe", "sunsubscribe", "cluster|syncslots", "host:", "post", "stralgo"}
)

#: ``<CONTAINER> HELP`` subcommands print usage text for humans; excluded as a rule unless a
#: method exists anyway.
HELP_REASON = "usage text for humans (every container command has one)"


def method_name(name: str) -> str:
    """``client|kill`` → ``client_kill``; overrides win."""
    return METHOD_OVERRIDES.get(name) or re.sub(r"[ |\-]", "_", name.lower())


def doc_slug(name: str) -> str:
    """``client|kill`` → ``client-kill`` (the path of the command's documentation page)."""
    return re.sub(r"[ |]", "-", name.lower())


def _pairs(flat: list[Any]) -> dict[str, Any]:
    it = iter(flat)
    return {key.decode(): value for key, value in zip(it, it, strict=True)}


@pytest.fixture(scope="module")
def server_commands(redis_server: Any) -> list[str]:
    """Every command and subcommand name (``get``, ``client|kill``...) the server documents.

    Redis 6.2 has no ``COMMAND DOCS``: its ``COMMAND`` reply names the top-level commands
    only, and a container (``client``) counts as covered by its ``client_*`` methods (its
    subcommands are checked against the 7.0+ servers).
    """
    names: list[str] = []
    try:
        docs = command(redis_server, "COMMAND", "DOCS")
    except ReplyError:
        for info in command(redis_server, "COMMAND"):
            name = info[0].decode()
            if name in EXCLUDED or not any(a.startswith(f"{name}_") for a in dir(coredis.Redis)):
                names.append(name)
        return sorted(names)
    for name, doc in _pairs(docs).items():
        subcommands = _pairs(doc).get("subcommands")
        if subcommands:
            names.extend(_pairs(subcommands))
        else:
            names.append(name)
    return sorted(names)


def _covered(name: str) -> tuple[bool, str]:
    method = getattr(coredis.Redis, method_name(name), None)
    if method is not None:
        return True, method_name(name)
    if name in EXCLUDED:
        return True, EXCLUDED[name]
    if name.endswith("|help"):
        return True, HELP_REASON
    return False, ""


def test_every_command_is_implemented_or_excluded(server_commands: list[str]) -> None:
    assert len(server_commands) > 150  # 6.2: ~180 commands; 7.0: ~370 commands and subcommands
    missing = [name for name in server_commands if not _covered(name)[0]]
    assert missing == [], f"commands with neither a Redis method nor an exclusion: {missing}"


def test_methods_are_coroutines_that_document_their_command(server_commands: list[str]) -> None:
    wrong = []
    for name in server_commands:
        attr = method_name(name)
        method = getattr(coredis.Redis, attr, None)
        if method is None or attr in NOT_A_COMMAND_METHOD:
            continue
        doc = method.__doc__ or ""
        links = (f"redis.io/commands/{doc_slug(name)}", f"valkey.io/commands/{doc_slug(name)}")
        if not inspect.iscoroutinefunction(method) or not any(link in doc for link in links):
            wrong.append(f"{name} -> {attr}")
    assert wrong == [], f"methods that are not coroutines linking their command: {wrong}"


def test_exclusions_are_current(server_commands: list[str]) -> None:
    known = set(server_commands)
    stale = [
        name
        for name in list(EXCLUDED) + list(METHOD_OVERRIDES)
        if name not in known and name not in NOT_ON_EVERY_SERVER
    ]
    assert stale == [], f"exclusions/overrides naming commands the server does not know: {stale}"
    # An excluded command that gained a method should leave the exclusion list.
    both = [
        name
        for name in EXCLUDED
        if getattr(coredis.Redis, method_name(name), None) is not None
        and method_name(name) not in NOT_A_COMMAND_METHOD
    ]
    assert both == [], f"excluded commands that have a method: {both}"
