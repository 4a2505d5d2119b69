"""Deprecated Redis commands, read from ``COMMAND DOCS``: GENERATED, do not edit.

Regenerate with ``python tools/generate_deprecations.py``; the client's tests check
this table against a live server.
"""

from __future__ import annotations

__all__ = ("DEPRECATED", "GENERATED_FROM")

#: the version of the redis-server whose ``COMMAND DOCS`` this table was read from
GENERATED_FROM = "7.0.15"

#: ``b"HMSET"`` or ``b"CLUSTER SLAVES"`` -> (deprecated since, replaced by), as the
#: server documents them
DEPRECATED: dict[bytes, tuple[str, str]] = {
    b"BRPOPLPUSH": ("6.2.0", "`BLMOVE` with the `RIGHT` and `LEFT` arguments"),
    b"CLUSTER SLAVES": ("5.0.0", "`CLUSTER REPLICAS`"),
    b"CLUSTER SLOTS": ("7.0.0", "`CLUSTER SHARDS`"),
    b"GEORADIUS": ("6.2.0", "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` argument"),
    b"GEORADIUSBYMEMBER": (
        "6.2.0",
        "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` and `FROMMEMBER` arguments",
    ),
    b"GEORADIUSBYMEMBER_RO": (
        "6.2.0",
        "`GEOSEARCH` with the `BYRADIUS` and `FROMMEMBER` arguments",
    ),
    b"GEORADIUS_RO": ("6.2.0", "`GEOSEARCH` with the `BYRADIUS` argument"),
    b"GETSET": ("6.2.0", "`SET` with the `!GET` argument"),
    b"HMSET": ("4.0.0", "`HSET` with multiple field-value pairs"),
    b"RPOPLPUSH": ("6.2.0", "`LMOVE` with the `RIGHT` and `LEFT` arguments"),
    b"SLAVEOF": ("5.0.0", "`REPLICAOF`"),
    b"SUBSTR": ("2.0.0", "`GETRANGE`"),
    b"ZRANGEBYLEX": ("6.2.0", "`ZRANGE` with the `BYLEX` argument"),
    b"ZRANGEBYSCORE": ("6.2.0", "`ZRANGE` with the `BYSCORE` argument"),
    b"ZREVRANGE": ("6.2.0", "`ZRANGE` with the `REV` argument"),
    b"ZREVRANGEBYLEX": ("6.2.0", "`ZRANGE` with the `REV` and `BYLEX` arguments"),
    b"ZREVRANGEBYSCORE": ("6.2.0", "`ZRANGE` with the `REV` and `BYSCORE` arguments"),
}
