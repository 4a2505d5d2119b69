"""Shared helpers for the reliability scenarios.

Scenario sizes are CI-friendly by default; set ``COREDIS_SOAK_SCALE`` (a multiplier, e.g.
``10``) to run every count-driven scenario longer by hand.
"""

from __future__ import annotations

import os
from typing import Any

from coredis_testing import command

SCALE = float(os.environ.get("COREDIS_SOAK_SCALE", "1"))


def scaled(count: int) -> int:
    """``count`` times ``COREDIS_SOAK_SCALE`` (at least 1)."""
    return max(1, int(count * SCALE))


def calls(server: Any, name: str) -> int:
    """How many times ``server`` ran command ``name`` (``INFO commandstats``), e.g. ``"incr"``."""
    text = command(server, "INFO", "commandstats").decode()
    for line in text.splitlines():
        if line.startswith(f"cmdstat_{name}:"):
            return int(line.split("calls=")[1].split(",")[0])
    return 0


def info_stat(server: Any, field: str) -> int:
    """An integer field of ``INFO stats``/``INFO clients`` (``total_connections_received``...)."""
    text = command(server, "INFO", "everything").decode()
    for line in text.splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split(":")[1])
    raise KeyError(field)


def client_count(server: Any) -> int:
    """Connections the server has open, minus the one asking."""
    return len(command(server, "CLIENT", "LIST").decode().strip().splitlines()) - 1
