"""The coredis 4.x handbook's typing page: its two ``reveal_locals()`` examples, checked by
mypy (``typing_check_4x.py`` holds them, inside coroutines), and its runtime-checking
example run as the page runs it (``python -c`` with ``COREDIS_RUNTIME_CHECKS=1``), the
client pointed at the test server.

Where the page's mypy output is not what coredis 4.5.6's annotations give, the test
follows 4.5.6: ``get`` returns ``Optional[AnyStr]`` there (``bytes | None``, not the
page's ``bytes``). ``zrange`` without ``withscores`` is the page's ``tuple[bytes, ...]``
here, narrower than 4.5.6's ``Tuple[Union[AnyStr, ScoredMember], ...]``; the checked file
also assigns both replies to variables annotated with 4.5.6's types, so code typed
against 4.5.6 still checks (mypy must report no error). mypy's own spelling changed since
the page was written (``dict[...]`` for ``builtins.dict*[...]``) and the class lives in
``coredis.client._client`` here, so the comparison is on the types, not on mypy's text.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from mypy import api

from coredis_testing import ServerInfo, command

ROOT = Path(__file__).resolve().parents[3]
CHECKED = Path(__file__).with_name("typing_check_4x.py")


def _revealed(stdout: str) -> list[dict[str, str]]:
    """One ``{variable: type}`` per ``reveal_locals()`` of the checked file."""
    blocks: list[dict[str, str]] = []
    for line in stdout.splitlines():
        note = line.split(" note: ", 1)[-1]
        if note.startswith("Revealed local types are:"):
            blocks.append({})
        elif note.startswith("    ") and blocks:
            name, _, revealed = note.strip().partition(": ")
            blocks[-1][name] = revealed
    return blocks


@pytest.mark.slow
def test_reveal_locals_with_and_without_decoding() -> None:
    stdout, stderr, status = api.run(
        ["--config-file", str(ROOT / "pyproject.toml"), "--no-incremental", str(CHECKED)]
    )
    assert status == 0, stdout + stderr
    without_decoding, with_decoding = _revealed(stdout)
    assert without_decoding == {
        "client": "coredis.client._client.Redis[bytes]",
        "hash_response": "dict[bytes, bytes]",
        "list_response_": "list[bytes]",
        "set_response": "set[bytes]",
        "sorted_set_members_only_response": "tuple[bytes, ...]",
        "str_response": "bytes | None",
    }
    assert with_decoding == {
        "client": "coredis.client._client.Redis[str]",
        "hash_response": "dict[str, str]",
        "list_response_": "list[str]",
        "set_response": "set[str]",
        "sorted_set_members_only_response": "tuple[str, ...]",
        "str_response": "str | None",
    }


# The page's program, with coredis.Redis() pointed at the test server.
RUNTIME_CHECK_PROGRAM = """
import coredis
import asyncio
import sys
asyncio.new_event_loop().run_until_complete(coredis.Redis(sys.argv[1], int(sys.argv[2])).set(1,1))
"""


@pytest.mark.redis
def test_runtime_type_checking(redis_clean: ServerInfo) -> None:
    env = dict(os.environ, COREDIS_RUNTIME_CHECKS="1")
    done = subprocess.run(
        [sys.executable, "-c", RUNTIME_CHECK_PROGRAM, redis_clean.host, str(redis_clean.port)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("beartype.roar.BeartypeCallHintParamViolation: ")
    assert "set()" in last and "parameter key=1" in last
    # nothing reached the server: the call was refused before it was sent
    assert command(redis_clean, "EXISTS", "1") == 0
