"""mypy sees ``Redis(decode_responses=True)`` as ``Redis[str]`` and its replies as ``str``."""

from __future__ import annotations

from pathlib import Path

import pytest
from mypy import api

ROOT = Path(__file__).resolve().parents[3]
CHECKED = Path(__file__).with_name("typing_check.py")


@pytest.mark.slow
def test_response_types_follow_decode_responses() -> None:
    stdout, stderr, status = api.run(
        ["--config-file", str(ROOT / "pyproject.toml"), "--no-incremental", str(CHECKED)]
    )
    assert status == 0, stdout + stderr
    revealed = [
        line.split("Revealed type is ", 1)[1].strip('"')
        for line in stdout.splitlines()
        if "Revealed type is" in line
    ]
    assert revealed == [
        "coredis.client._client.Redis[str]",
        "coredis.client._client.Redis[bytes]",
        "str | None",
        "bytes | None",
        "coredis.client._client.Redis[str]",
        "coredis.client._pipeline.Pipeline[str]",
        "str",
    ]
