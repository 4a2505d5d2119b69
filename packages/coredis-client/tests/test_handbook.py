"""The examples of the Connections handbook page, run as written through coredis.Redis.

Only the connection target changes (the page's default localhost:6379 is somebody else's
server): ``coredis.Redis(`` gets the test server's host and port. Each program calls
``asyncio.run`` itself, so the tests are synchronous.
"""

from __future__ import annotations

import gc
import re
import warnings
from pathlib import Path
from typing import Any

import pytest

from coredis_testing import ServerInfo

pytestmark = pytest.mark.redis

HANDBOOK = Path(__file__).resolve().parents[3] / "docs" / "handbook" / "connections.rst"


def _examples() -> list[str]:
    """Every ``::`` literal block of the page that runs a program (``asyncio.run``)."""
    lines = HANDBOOK.read_text().splitlines()
    blocks: list[str] = []
    i = 0
    while i < len(lines):
        if lines[i].rstrip().endswith("::") and not lines[i].lstrip().startswith(".."):
            body: list[str] = []
            i += 1
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith("    ")):
                body.append(lines[i][4:])
                i += 1
            code = "\n".join(body).strip("\n")
            if "asyncio.run(" in code:
                blocks.append(code)
        else:
            i += 1
    return blocks


def _run(code: str, server: ServerInfo) -> dict[str, Any]:
    code = code.replace(
        "coredis.Redis(", f"coredis.Redis(host={server.host!r}, port={server.port}, "
    )
    namespace: dict[str, Any] = {"__name__": "__main__"}
    # The examples never close their client, as many short scripts do: asyncio.run() then
    # closes the loop under open sockets, whose finalizers emit ResourceWarning. That is
    # the page's choice, not a coredis failure, so it is collected and silenced here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        exec(compile(code, str(HANDBOOK), "exec"), namespace)
        namespace.clear()
        gc.collect()
    return namespace


def test_page_has_the_three_pool_examples() -> None:
    examples = _examples()
    assert len(examples) == 3
    assert "max_connections=2" in examples[0]
    assert "== 8" in examples[0]
    assert "max_connections=10" in examples[1]
    assert "BlockingConnectionPool" in examples[2]


@pytest.mark.parametrize("index", [0, 1, 2], ids=["nonblocking-2", "nonblocking-10", "blocking-2"])
def test_handbook_example(index: int, redis_clean: ServerInfo, capsys: Any) -> None:
    _run(_examples()[index], redis_clean)
    if index == 0:
        assert capsys.readouterr().out.strip() == "8"


def test_unix_socket_example(redis_clean: ServerInfo) -> None:
    import asyncio

    import coredis

    assert redis_clean.unix_socket is not None
    source = HANDBOOK.read_text()
    assert re.search(r"coredis\.Redis\(unix_socket_path=[\"']/tmp/redis\.sock[\"']\)", source)
    r = coredis.Redis(unix_socket_path=redis_clean.unix_socket)

    async def check() -> None:
        async with r:
            assert await r.execute_command(b"PING") == b"PONG"

    asyncio.run(check())
