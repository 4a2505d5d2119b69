"""Bitmap commands and the BITFIELD builder against a real server, RESP2/RESP3 x bytes/str."""

from __future__ import annotations

from typing import Any

import pytest

from coredis.client._tokens import PureToken
from coredis.exceptions import DataError, ReadOnlyError, ResponseError

pytestmark = pytest.mark.redis


async def test_setbit_getbit(client: Any, _s: Any) -> None:
    assert await client.setbit("b", 7, 1) == 0
    assert await client.setbit("b", 7, 1) == 1
    assert await client.getbit("b", 7) == 1
    assert await client.getbit("b", 6) == 0
    assert await client.getbit("nope", 100) == 0
    assert await client.get("b") == _s("\x01")


@pytest.mark.min_server(redis="7.0")  # uses Redis 7.0 commands/options
async def test_bitcount_bitpos(client: Any) -> None:
    await client.set("k", "foobar")
    assert await client.bitcount("k") == 26
    assert await client.bitcount("k", 0, 0) == 4
    assert await client.bitcount("k", 1, 1) == 6
    assert await client.bitcount("k", 5, 30, PureToken.BIT) == 17
    assert await client.bitcount("k", 0, 0, PureToken.BYTE) == 4
    await client.set("p", b"\xff\xf0\x00")
    assert await client.bitpos("p", 0) == 12
    assert await client.bitpos("p", 1, 2) == -1
    assert await client.bitpos("p", 0, 1, 1) == 12
    assert await client.bitpos("p", 1, 7, 15, PureToken.BIT) == 7
    assert await client.bitpos("nope", 0) == 0
    with pytest.raises(DataError):
        await client.bitcount("k", end=3)
    with pytest.raises(DataError):
        await client.bitpos("k", 1, 0, index_unit=PureToken.BIT)


async def test_bitop(client: Any, _s: Any) -> None:
    await client.set("a", "abc")
    await client.set("b", "   ")
    assert await client.bitop(["a", "b"], "AND", "and") == 3
    assert await client.get("and") == _s("   ")
    assert await client.bitop(["a", "b"], PureToken.XOR, "xor") == 3
    assert await client.get("xor") == _s("ABC")
    assert await client.bitop(["a"], "NOT", "not") == 3
    with pytest.raises(ResponseError):
        await client.bitop(["a", "b"], "NOT", "not")


async def test_bitfield(client: Any) -> None:
    op = client.bitfield("bf")
    assert op.set("u8", 0, 200) is op
    assert await op.get("u8", 0).incrby("u8", 0, 100).get("u8", "#0").exec() == [0, 200, 44, 44]
    assert await op.exec() == []
    sat = client.bitfield("bf").overflow(PureToken.SAT).incrby("u8", 0, 300)
    assert await sat.exec() == [255]
    fail = client.bitfield("bf").overflow(PureToken.FAIL).incrby("u8", 0, 1).get("u8", 0)
    assert await fail.exc() == [None, 255]
    signed = client.bitfield("bf").set(type_="i8", offset=8, value=-5).get("i8", 8).get("u4", 8)
    assert await signed == [0, -5, 15]
    assert await client.bitfield_ro("bf").get("u8", 0).get("i8", "#1").exec() == [255, -5]
    with pytest.raises(ReadOnlyError):
        client.bitfield_ro("bf").set("u8", 0, 1)
    with pytest.raises(DataError):
        client.bitfield_ro("bf").incrby("u8", 0, 1)
    with pytest.raises(ReadOnlyError):
        client.bitfield_ro("bf").overflow(PureToken.WRAP)
    with pytest.raises(DataError):
        client.bitfield("bf").overflow("SOMETIMES")
    wrap = client.bitfield("bf").incrby("u8", 0, 2, overflow="wrap").overflow(b"sat")
    assert await wrap.incrby("u8", 0, 300).exec() == [1, 255]
    with pytest.raises(ResponseError):
        await client.bitfield("bf").get("u99", 0).exec()
