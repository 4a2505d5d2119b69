"""Fixtures shared by every coredis-client test (tests/ and tests/commands/).

Usage in a command test::

    async def test_get(client, _s):
        await client.set("k", "v")
        assert await client.get("k") == _s("v")

``client`` runs each test four times: RESP2/RESP3 x bytes/str replies, against the
``redis_clean`` server of the coredis-testing plugin (flushed before every test).
``_s(value)`` turns a ``str`` (or a nested list/tuple/set/dict of them) into what the
current ``client`` returns: ``bytes`` unless the client decodes responses.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest

import coredis
from coredis.client._deprecations import deprecated_on
from coredis_testing import ServerKind

CLIENT_PARAMS = [
    pytest.param((2, False), id="resp2-bytes"),
    pytest.param((2, True), id="resp2-str"),
    pytest.param((3, False), id="resp3-bytes"),
    pytest.param((3, True), id="resp3-str"),
]


def _convert(value: Any, decode: bool) -> Any:
    if isinstance(value, str):
        return value if decode else value.encode("utf-8")
    if isinstance(value, bytes):
        return value.decode("utf-8") if decode else value
    if isinstance(value, list):
        return [_convert(v, decode) for v in value]
    if isinstance(value, tuple):
        return tuple(_convert(v, decode) for v in value)
    if isinstance(value, set):
        return {_convert(v, decode) for v in value}
    if isinstance(value, frozenset):
        return frozenset(_convert(v, decode) for v in value)
    if isinstance(value, dict):
        return {_convert(k, decode): _convert(v, decode) for k, v in value.items()}
    return value


async def _make_client(
    server: Any, protocol_version: int, decode_responses: bool, **kwargs: Any
) -> coredis.Redis[Any]:
    client: coredis.Redis[Any] = coredis.Redis(
        host=server.host,
        port=server.port,
        protocol_version=protocol_version,  # type: ignore[arg-type]
        decode_responses=decode_responses,
        **kwargs,
    )
    return client


@pytest.fixture(params=CLIENT_PARAMS)
async def client(request: pytest.FixtureRequest, redis_clean: Any) -> AsyncIterator[Any]:
    """A ``coredis.Redis`` on a freshly flushed server, for each protocol x decoding."""
    protocol_version, decode_responses = request.param
    c = await _make_client(redis_clean, protocol_version, decode_responses)
    try:
        yield c
    finally:
        await c.aclose()


@pytest.fixture
def _s(request: pytest.FixtureRequest) -> Callable[[Any], Any]:
    """``_s(value)``: ``value`` as the test's ``client`` returns it (bytes or str)."""
    decode = False
    if "client" in request.fixturenames:
        decode = bool(request.node.callspec.params.get("client", (3, False))[1])
    elif "client_str" in request.fixturenames:
        decode = True
    return lambda value: _convert(value, decode)


@pytest.fixture
async def client_resp3(redis_clean: Any) -> AsyncIterator[Any]:
    """RESP3, bytes replies."""
    c = await _make_client(redis_clean, 3, False)
    try:
        yield c
    finally:
        await c.aclose()


@pytest.fixture
async def client_resp2(redis_clean: Any) -> AsyncIterator[Any]:
    """RESP2, bytes replies."""
    c = await _make_client(redis_clean, 2, False)
    try:
        yield c
    finally:
        await c.aclose()


@pytest.fixture
async def client_str(redis_clean: Any) -> AsyncIterator[Any]:
    """RESP3, ``decode_responses=True``."""
    c = await _make_client(redis_clean, 3, True)
    try:
        yield c
    finally:
        await c.aclose()


@pytest.fixture
def decoding(request: pytest.FixtureRequest) -> bool:
    """True when the test's ``client`` decodes responses to ``str``."""
    if "client" in request.fixturenames:
        return bool(request.node.callspec.params["client"][1])
    return "client_str" in request.fixturenames


@pytest.fixture
def protocol_version(request: pytest.FixtureRequest) -> int:
    """The RESP version of the test's ``client`` (3 for the fixed-protocol fixtures)."""
    if "client" in request.fixturenames:
        return int(request.node.callspec.params["client"][0])
    return 2 if "client_resp2" in request.fixturenames else 3


@pytest.fixture
def deprecated(server_kind: ServerKind) -> Callable[..., AbstractContextManager[Any]]:
    """``with deprecated("HMSET", match="..."):`` expects the command's
    ``DeprecationWarning`` when the running server's product deprecates it, and no warning
    otherwise (``filterwarnings = error`` makes any warning fail): Valkey withdrew most of
    Redis's deprecations, and the client warns only for the connected product's."""

    def expect(command: str, match: str) -> AbstractContextManager[Any]:
        if deprecated_on(server_kind.product, command.encode()) is None:
            return contextlib.nullcontext()
        return pytest.warns(DeprecationWarning, match=match)

    return expect
