"""coredis 4.x's ``PrefixToken``, read from ``COMMAND DOCS``: GENERATED, do not edit.

The tokens that precede an argument's value (``COUNT 10``, ``MATCH pattern``); the
command methods write them for you, so programs rarely need these. Regenerate with
``python tools/generate_command_table.py``; ``nox -s command_table`` checks this enum
against a live server.
"""

from __future__ import annotations

import enum

__all__ = ("GENERATED_FROM", "PrefixToken")

#: the Redis version whose ``COMMAND DOCS`` this enum was read from
GENERATED_FROM = "7.0"


class PrefixToken(bytes, enum.Enum):
    """A token sent before an argument's value; its value is the bytes sent."""

    def __str__(self) -> str:
        return self.value.decode("ascii")

    ACLCAT = b"ACLCAT"
    ADDR = b"ADDR"
    AGGREGATE = b"AGGREGATE"
    ARGS = b"ARGS"
    AUTH = b"AUTH"
    AUTH2 = b"AUTH2"
    BLOCK = b"BLOCK"
    BY = b"BY"
    BYBOX = b"BYBOX"
    BYRADIUS = b"BYRADIUS"
    CONFIG = b"CONFIG"
    COUNT = b"COUNT"
    DB = b"DB"
    ENTRIESADDED = b"ENTRIESADDED"
    ENTRIESREAD = b"ENTRIESREAD"
    EX = b"EX"
    EXAT = b"EXAT"
    FILTERBY = b"FILTERBY"
    FREQ = b"FREQ"
    FROMLONLAT = b"FROMLONLAT"
    FROMMEMBER = b"FROMMEMBER"
    FULL = b"FULL"
    GET = b"GET"
    GROUP = b"GROUP"
    ID = b"ID"
    IDLE = b"IDLE"
    IDLETIME = b"IDLETIME"
    IMPORTING = b"IMPORTING"
    INCRBY = b"INCRBY"
    KEYS = b"KEYS"
    LADDR = b"LADDR"
    LASTID = b"LASTID"
    LIBRARYNAME = b"LIBRARYNAME"
    LIMIT = b"LIMIT"
    MATCH = b"MATCH"
    MAXDELETEDID = b"MAXDELETEDID"
    MAXLEN = b"MAXLEN"
    MIGRATING = b"MIGRATING"
    MINMATCHLEN = b"MINMATCHLEN"
    MODULE = b"MODULE"
    NODE = b"NODE"
    OVERFLOW = b"OVERFLOW"
    PATTERN = b"PATTERN"
    PREFIX = b"PREFIX"
    PX = b"PX"
    PXAT = b"PXAT"
    RANK = b"RANK"
    REDIRECT = b"REDIRECT"
    RETRYCOUNT = b"RETRYCOUNT"
    SAMPLES = b"SAMPLES"
    SET = b"SET"
    SETNAME = b"SETNAME"
    SKIPME = b"SKIPME"
    STORE = b"STORE"
    STOREDIST = b"STOREDIST"
    STREAMS = b"STREAMS"
    TIME = b"TIME"
    TIMEOUT = b"TIMEOUT"
    TO = b"TO"
    TYPE = b"TYPE"
    USER = b"USER"
    VERSION = b"VERSION"
    WEIGHTS = b"WEIGHTS"
