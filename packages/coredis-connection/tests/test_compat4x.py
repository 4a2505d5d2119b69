"""coredis 4.x names of coredis.connection: R, RedisSSLContext, exec_with_timeout."""

from __future__ import annotations

import asyncio
import inspect
import ssl
import typing

import pytest

from coredis.connection import Connection, R, RedisSSLContext, exec_with_timeout
from coredis.protocol import RedisError
from coredis.protocol import TimeoutError as RedisTimeoutError
from coredis_testing import ServerInfo


def test_kinds() -> None:
    assert isinstance(R, typing.TypeVar)
    assert inspect.isclass(RedisSSLContext)
    assert inspect.iscoroutinefunction(exec_with_timeout)


async def test_exec_with_timeout() -> None:
    async def answer(delay: float) -> int:
        await asyncio.sleep(delay)
        return 42

    assert await exec_with_timeout(answer(0), 1) == 42
    assert await exec_with_timeout(answer(0.01)) == 42
    with pytest.raises(RedisTimeoutError, match=r"0\.01") as info:
        await exec_with_timeout(answer(10), 0.01)
    assert isinstance(info.value, RedisError)


def test_ssl_context_defaults_verify_certificate_and_host_name() -> None:
    context = RedisSSLContext().get()
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is True
    assert RedisSSLContext().get() is not context
    holder = RedisSSLContext()
    assert holder.get() is holder.get()


@pytest.mark.parametrize(
    ("cert_reqs", "mode", "hostname"),
    [
        ("none", ssl.CERT_NONE, False),
        ("optional", ssl.CERT_OPTIONAL, True),
        ("REQUIRED", ssl.CERT_REQUIRED, True),
        (ssl.CERT_NONE, ssl.CERT_NONE, False),
    ],
)
def test_ssl_context_cert_reqs(cert_reqs: typing.Any, mode: ssl.VerifyMode, hostname: bool) -> None:
    context = RedisSSLContext(cert_reqs=cert_reqs).get()
    assert context.verify_mode == mode
    assert context.check_hostname is hostname
    assert RedisSSLContext(cert_reqs="required", check_hostname=False).get().check_hostname is False


def test_ssl_context_bad_arguments() -> None:
    with pytest.raises(ValueError, match="cert_reqs"):
        RedisSSLContext(cert_reqs="sometimes")
    with pytest.raises(ValueError, match="keyfile"):
        RedisSSLContext(keyfile="key.pem")


@pytest.mark.parametrize("with_client_cert", [False, True])
async def test_ssl_context_against_a_tls_server(
    redis_tls_server: ServerInfo, with_client_cert: bool
) -> None:
    tls = redis_tls_server.tls
    assert tls is not None
    holder = RedisSSLContext(
        keyfile=tls.client_key_file if with_client_cert else None,
        certfile=tls.client_cert_file if with_client_cert else None,
        ca_certs=tls.ca_file,
    )
    conn = Connection(redis_tls_server.host, redis_tls_server.port, ssl_context=holder.get())
    await conn.connect()
    try:
        assert await conn.execute_command(b"ECHO", b"tls") == b"tls"
    finally:
        conn.disconnect()
