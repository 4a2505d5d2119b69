"""The coredis 4.x handbook's encoding, response and no-reply pages, as 4.x users read them.

The encoding and response pages have no program: their statements (``encoding`` encodes
requests, ``decode_responses`` decodes replies with utf-8 unless told otherwise, utility
replies such as ``INFO`` are always ``str``, and replies have one shape under RESP2 and
RESP3) are checked against the test server. The no-reply page's two examples run as
written, with the clients pointed at the test server, under RESP2 and RESP3.
"""

from __future__ import annotations

from typing import Any, Literal

import pytest

import coredis

pytestmark = pytest.mark.redis

PROTOCOLS = pytest.mark.parametrize("protocol", [2, 3], ids=["resp2", "resp3"])


# -- encoding.rst ---------------------------------------------------------------------------


@PROTOCOLS
async def test_encoding_encodes_requests(redis_clean: Any, protocol: Literal[2, 3]) -> None:
    client = coredis.Redis(
        redis_clean.host, redis_clean.port, protocol_version=protocol, encoding="latin-1"
    )
    await client.set("café", "crème")
    # values went to the server encoded with the chosen codec
    assert await client.get("café") == "crème".encode("latin-1")
    assert await client.exists(["café".encode("latin-1")]) == 1
    await client.aclose()


@PROTOCOLS
async def test_decode_responses_defaults_to_utf8(redis_clean: Any, protocol: Literal[2, 3]) -> None:
    raw = coredis.Redis(redis_clean.host, redis_clean.port, protocol_version=protocol)
    decoded = coredis.Redis(
        redis_clean.host, redis_clean.port, protocol_version=protocol, decode_responses=True
    )
    await raw.set("k", "é")
    # no decoding unless asked: simple and bulk strings are bytes
    assert await raw.get("k") == "é".encode()
    assert await raw.ping() == b"PONG"
    # decode_responses=True without an encoding: utf-8
    assert decoded.encoding == "utf-8"
    assert await decoded.get("k") == "é"
    assert await decoded.ping() == "PONG"
    await raw.aclose()
    await decoded.aclose()


@PROTOCOLS
async def test_utility_replies_are_always_decoded(
    redis_clean: Any, protocol: Literal[2, 3]
) -> None:
    raw = coredis.Redis(redis_clean.host, redis_clean.port, protocol_version=protocol)
    info = await raw.info("server")
    assert isinstance(info["redis_version"], str)
    assert all(isinstance(key, str) for key in info)
    await raw.aclose()


# -- response.rst ---------------------------------------------------------------------------


async def test_protocol_version_2_replies_have_the_resp3_shapes(redis_clean: Any) -> None:
    r = coredis.Redis(redis_clean.host, redis_clean.port, protocol_version=2)
    r3 = coredis.Redis(redis_clean.host, redis_clean.port)  # RESP3 is the default
    assert r.protocol_version == 2 and r3.protocol_version == 3
    await r.hset("h", {"a": 1})
    await r.sadd("s", ["a"])
    await r.zadd("z", {"a": 1.5})
    for client in (r, r3):
        assert await client.hgetall("h") == {b"a": b"1"}
        assert await client.smembers("s") == {b"a"}
        assert await client.zscore("z", "a") == 1.5
        assert await client.zrange("z", 0, -1, withscores=True) == ((b"a", 1.5),)
        assert await client.exists(["h"]) == 1
    await r.aclose()
    await r3.aclose()


# -- noreply.rst ----------------------------------------------------------------------------


@PROTOCOLS
async def test_noreply_client(redis_clean: Any, protocol: Literal[2, 3]) -> None:
    host, port = redis_clean.host, redis_clean.port

    client = coredis.Redis(host, port, protocol_version=protocol, noreply=True)
    assert await client.set("fubar", 1) is None
    assert await client.hset("hash_fubar", {"a": 1, "b": 2}) is None

    other_client = coredis.Redis(host, port, protocol_version=protocol)
    assert await other_client.get("fubar") == b"1"
    assert await other_client.hgetall("hash_fubar") == {b"a": b"1", b"b": b"2"}
    await client.aclose()
    await other_client.aclose()


@PROTOCOLS
async def test_ignore_replies_context(redis_clean: Any, protocol: Literal[2, 3]) -> None:
    client = coredis.Redis(redis_clean.host, redis_clean.port, protocol_version=protocol)

    with client.ignore_replies():
        assert await client.set("fubar", 1) is None
    assert await client.get("fubar") == b"1"
    await client.aclose()
