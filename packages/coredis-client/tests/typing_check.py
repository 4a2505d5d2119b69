"""Checked by mypy in test_typing.py (never imported): the response type follows
``decode_responses``."""

from __future__ import annotations

import coredis


async def check() -> None:
    text = coredis.Redis(decode_responses=True)
    raw = coredis.Redis()
    reveal_type(text)  # noqa: F821
    reveal_type(raw)  # noqa: F821
    reveal_type(await text.get("k"))  # noqa: F821
    reveal_type(await raw.get("k"))  # noqa: F821
    reveal_type(coredis.Redis.from_url("redis://x", decode_responses=True))  # noqa: F821
    pipe = text.pipeline()
    reveal_type(pipe)  # noqa: F821
    async for key in text.scan_iter():
        reveal_type(key)  # noqa: F821
