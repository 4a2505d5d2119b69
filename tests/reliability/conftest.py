"""Shared helpers for the reliability scenarios.

Scenario sizes are CI-friendly by default; set ``COREDIS_SOAK_SCALE`` (a multiplier, e.g.
``10``) to run every count-driven scenario longer by hand.
"""

from __future__ import annotations

import os

SCALE = float(os.environ.get("COREDIS_SOAK_SCALE", "1"))


def scaled(count: int) -> int:
    """``count`` times ``COREDIS_SOAK_SCALE`` (at least 1)."""
    return max(1, int(count * SCALE))
