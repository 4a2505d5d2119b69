"""The coredis 4.x handbook typing page's two examples, for mypy (``test_handbook_4x_typing``).

Checked, never run: the page's module-level ``await``s are inside coroutines, and
``reveal_locals()`` reports what mypy infers for each variable.
"""

# ruff: noqa: F841 (the page's variables exist for reveal_locals() only)

from __future__ import annotations

from typing import Optional, Tuple, Union  # noqa: UP035 (4.x's spelling)

import coredis
from coredis.response.types import ScoredMember


async def without_decoding() -> None:
    client = coredis.Redis("localhost", 6379, db=0, decode_responses=False, encoding="utf-8")
    await client.set("string", 1)
    await client.lpush("list", [1])
    await client.hset("hash", {"a": 1})
    await client.sadd("set", ["a"])
    await client.zadd("sset", {"a": 1.0, "b": 2.0})

    str_response = await client.get("string")
    list_response_ = await client.lrange("list", 0, 1)
    hash_response = await client.hgetall("hash")
    set_response = await client.smembers("set")
    sorted_set_members_only_response = await client.zrange("sset", -1, 1)

    reveal_locals()  # noqa: F821


async def with_decoding() -> None:
    client = coredis.Redis("localhost", 6379, db=0, decode_responses=True, encoding="utf-8")
    await client.set("string", 1)
    await client.lpush("list", [1])
    await client.hset("hash", {"a": 1})
    await client.sadd("set", ["a"])
    await client.zadd("sset", {"a": 1.0, "b": 2.0})

    str_response = await client.get("string")
    list_response_ = await client.lrange("list", 0, 1)
    hash_response = await client.hgetall("hash")
    set_response = await client.smembers("set")
    sorted_set_members_only_response = await client.zrange("sset", -1, 1)

    reveal_locals()  # noqa: F821


async def annotated_for_4x() -> None:
    # Variables annotated with coredis 4.5.6's return types for the same calls: code
    # written (and type-checked) against 4.5.6 still checks.
    client = coredis.Redis("localhost", 6379, db=0, decode_responses=False, encoding="utf-8")
    str_response: Optional[bytes] = await client.get("string")  # noqa: UP045
    sorted_set_members_only_response: Tuple[Union[bytes, ScoredMember], ...] = (  # noqa: UP006
        await client.zrange("sset", -1, 1)
    )
    assert str_response is None or sorted_set_members_only_response
