"""``coredis.tokens`` (4.x import path): :class:`PureToken` (from :mod:`coredis.client`)
and :class:`PrefixToken`, the tokens that precede an argument's value, generated from the
server's ``COMMAND DOCS`` as 4.x generated it."""

from __future__ import annotations

from coredis.client import PureToken
from coredis.client._prefix_tokens import PrefixToken

__all__ = ("PrefixToken", "PureToken")
