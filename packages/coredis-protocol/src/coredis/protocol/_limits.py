"""The readers' limits: their defaults, the fixed line limit, and their validation."""

from __future__ import annotations

__all__ = (
    "DEFAULT_MAX_BUFFER",
    "DEFAULT_MAX_BULK_LENGTH",
    "DEFAULT_MAX_DEPTH",
    "DEFAULT_MAX_ELEMENTS",
    "MAX_LINE_LENGTH",
    "check_limits",
)

#: Redis' own ``proto-max-bulk-len`` default.
DEFAULT_MAX_BULK_LENGTH = 512 * 1024 * 1024
#: Redis replies nest a handful of levels deep; 64 leaves ample room.
DEFAULT_MAX_DEPTH = 64
#: A whole maximal bulk plus room for what surrounds it.
DEFAULT_MAX_BUFFER = DEFAULT_MAX_BULK_LENGTH + 16 * 1024 * 1024
#: Elements of all nesting levels in one reply (4 Mi): a reply of that many small elements
#: is already hundreds of MiB of Python objects.
DEFAULT_MAX_ELEMENTS = 4 * 1024 * 1024
#: Longest line (header, simple string, error) accepted without its CRLF: Redis itself
#: refuses inline requests longer than this.
MAX_LINE_LENGTH = 64 * 1024


def check_limits(**limits: int) -> None:
    """Raise when a reader limit is not a positive ``int``, naming it.

    :raises TypeError: a limit is not an ``int`` (``bool`` included)
    :raises ValueError: a limit is below 1
    """
    for name, value in limits.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an int, not {type(value).__name__}")
        if value < 1:
            raise ValueError(f"{name} must be >= 1, not {value!r}")
