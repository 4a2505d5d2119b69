"""RedisCluster's options are typed (RedisClusterOptions) and checked at construction: a
misspelt keyword argument is a TypeError naming it, and a mypy error."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from coredis import RedisCluster

ROOT = Path(__file__).resolve().parents[3]
CHECKED = Path(__file__).with_name("typing_check_cluster_options.py")

CONSTRUCTORS: list[tuple[str, Any]] = [
    ("RedisCluster", lambda **kw: RedisCluster("127.0.0.1", 7000, **kw)),
    (
        "RedisCluster(startup_nodes)",
        lambda **kw: RedisCluster(startup_nodes=[("127.0.0.1", 7000)], decode_responses=True, **kw),
    ),
    ("RedisCluster.from_url", lambda **kw: RedisCluster.from_url("redis://127.0.0.1:7000", **kw)),
]


@pytest.mark.parametrize("name", ["stream_timout", "read_from_replica", "busypoll"])
@pytest.mark.parametrize(("label", "construct"), CONSTRUCTORS, ids=[c[0] for c in CONSTRUCTORS])
def test_a_misspelt_keyword_is_a_type_error_naming_it(
    label: str, construct: Any, name: str
) -> None:
    with pytest.raises(TypeError, match=re.escape(repr(name))):
        construct(**{name: 1})


@pytest.mark.parametrize(("label", "construct"), CONSTRUCTORS, ids=[c[0] for c in CONSTRUCTORS])
def test_every_connection_option_is_accepted(label: str, construct: Any) -> None:
    client = construct(busy_poll=0.0, max_push_messages=10, reader_options={}, username="u")
    assert client.connection_pool.connection_kwargs["busy_poll"] == 0.0


@pytest.mark.slow
def test_a_misspelt_keyword_is_a_mypy_error() -> None:
    from mypy import api

    stdout, stderr, _ = api.run(
        ["--config-file", str(ROOT / "pyproject.toml"), "--no-incremental", str(CHECKED)]
    )
    expected = {
        number: line.rsplit("# error: ", 1)[1].strip()
        for number, line in enumerate(CHECKED.read_text().splitlines(), 1)
        if "# error: " in line
    }
    found: dict[int, str] = {}
    for line in stdout.splitlines():
        match = re.match(rf".*{CHECKED.name}:(\d+): error: (.*)", line)
        if match:
            number = int(match.group(1))
            found[number] = found.get(number, "") + match.group(2)
    assert sorted(found) == sorted(expected), stdout + stderr
    for number, name in expected.items():
        assert f'"{name}"' in found[number], found[number]
