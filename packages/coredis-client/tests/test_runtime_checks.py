"""COREDIS_RUNTIME_CHECKS: read when coredis is imported, so each case runs in a subprocess.

With the variable set (and beartype installed) command arguments are checked before
anything is sent; without it no method is wrapped and beartype is not even imported.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from coredis_testing import ServerInfo

pytestmark = pytest.mark.redis

PROGRAM = """
import asyncio, inspect, sys
import coredis
import coredis.typing
from coredis.client import _runtime_checks
from coredis.client.commands._string import StringCommands

HOST, PORT = sys.argv[1], int(sys.argv[2])


async def main():
    client = coredis.Redis(host=HOST, port=PORT, decode_responses=True)
    async with client:
        print("enabled", _runtime_checks.RUNTIME_TYPECHECKS)
        assert coredis.typing.RUNTIME_TYPECHECKS is _runtime_checks.RUNTIME_TYPECHECKS
        print("beartype imported", "beartype" in sys.modules)
        print("get wrapped", hasattr(StringCommands.get, "__wrapped__"))
        print("unwraps to", inspect.unwrap(StringCommands.get).__qualname__)
        await client.set("k", "v")
        print("get", await client.get("k"))
        print("set kwargs", await client.set("k2", "v2", ex=10))
        print("zadd ints", await client.zadd("z", {"a": 1, "b": 2.5}))  # int is a float
        try:
            await client.get(["not", "a", "key"])
        except Exception as exc:
            print("wrong type", type(exc).__module__.split(".")[0], type(exc).__name__)
        try:
            await client.expire("k", "ten")
        except Exception as exc:
            print("wrong int", type(exc).__module__.split(".")[0], type(exc).__name__)
        print("untouched", await client.get("k"))


asyncio.run(main())
"""


LABELS = (
    "enabled",
    "beartype imported",
    "get wrapped",
    "unwraps to",
    "get",
    "set kwargs",
    "zadd ints",
    "wrong type",
    "wrong int",
    "untouched",
)


def _run(server: ServerInfo, env_value: str | None) -> dict[str, str]:
    """Run PROGRAM with COREDIS_RUNTIME_CHECKS set to ``env_value`` (unset: ``None``);
    ``{label: rest of the line}`` for each line it printed."""
    env = dict(os.environ)
    env.pop("COREDIS_RUNTIME_CHECKS", None)
    if env_value is not None:
        env["COREDIS_RUNTIME_CHECKS"] = env_value
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(PROGRAM), server.host, str(server.port)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    found: dict[str, str] = {}
    for line in done.stdout.splitlines():
        for label in sorted(LABELS, key=len, reverse=True):
            if line.startswith(label + " "):
                found[label] = line[len(label) + 1 :]
                break
    return found


@pytest.mark.parametrize("value", ["1", "true", "T"])
def test_checks_arguments_when_asked(redis_clean: ServerInfo, value: str) -> None:
    pytest.importorskip("beartype")  # the client's test environment installs it
    out = _run(redis_clean, value)
    assert out["enabled"] == "True"
    assert out["beartype imported"] == "True"
    assert out["get wrapped"] == "True"
    assert out["unwraps to"] == "StringCommands.get"  # docs and introspection still work
    assert out["get"] == "v"
    assert out["set kwargs"] == "True"
    assert out["zadd ints"] == "2"
    assert out["wrong type"] == "beartype BeartypeCallHintParamViolation"
    assert out["wrong int"] == "beartype BeartypeCallHintParamViolation"
    assert out["untouched"] == "v"


@pytest.mark.parametrize("value", [None, "", "0", "no"])
def test_no_wrapper_at_all_otherwise(redis_clean: ServerInfo, value: str | None) -> None:
    out = _run(redis_clean, value)
    assert out["enabled"] == "False"
    assert out["beartype imported"] == "False"
    assert out["get wrapped"] == "False"
    assert out["get"] == "v"
    assert out["zadd ints"] == "2"
    # Without checks, the wrong types reach the usual validation (or the server).
    assert not out["wrong type"].startswith("beartype")
    assert not out["wrong int"].startswith("beartype")
