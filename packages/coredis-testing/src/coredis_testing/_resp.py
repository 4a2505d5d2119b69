"""A tiny blocking RESP2 client over a raw socket, for test administration only.

It exists so tests and fixtures can set up and inspect servers (FLUSHALL, CONFIG SET, CLUSTER
NODES, ...) without depending on the code under test. Never use it to test coredis itself.
"""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING, Any, Union

if TYPE_CHECKING:
    from ._server import ServerInfo

Reply = Union[bytes, str, int, None, list["Reply"]]


class ReplyError(Exception):
    """An error reply from the server (``-ERR ...``); ``str(exc)`` is the reply text."""


def _encode(args: tuple[object, ...]) -> bytes:
    parts = [b"*%d\r\n" % len(args)]
    for arg in args:
        if isinstance(arg, bytes):
            data = arg
        elif isinstance(arg, str):
            data = arg.encode()
        elif isinstance(arg, (int, float)) and not isinstance(arg, bool):
            data = repr(arg).encode()
        else:
            raise TypeError(f"command(): unsupported argument {arg!r}")
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(parts)


class _Stream:
    def __init__(self, sock: socket.socket) -> None:
        self._file = sock.makefile("rb")

    def _line(self) -> bytes:
        line = self._file.readline()
        if not line.endswith(b"\r\n"):
            raise ConnectionError("connection closed while reading a reply")
        return line[:-2]

    def read(self, decode: bool) -> Reply:
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode() if decode else rest
        if kind == b"-":
            raise ReplyError(rest.decode(errors="replace"))
        if kind == b":":
            return int(rest)
        if kind == b"$":
            length = int(rest)
            if length < 0:
                return None
            data = self._file.read(length + 2)
            if len(data) != length + 2:
                raise ConnectionError("connection closed while reading a bulk string")
            return data[:-2].decode() if decode else data[:-2]
        if kind == b"*":
            count = int(rest)
            if count < 0:
                return None
            return [self.read(decode) for _ in range(count)]
        raise ConnectionError(f"unexpected reply line {line!r}")

    def close(self) -> None:
        self._file.close()


def connect(server: ServerInfo, timeout: float) -> socket.socket:
    """Open a raw (TLS when the server is TLS-only) socket to ``server``."""
    sock = socket.create_connection((server.host, server.port), timeout=timeout)
    if server.tls is not None:
        try:
            sock = server.tls.client_ssl_context().wrap_socket(sock, server_hostname=server.host)
        except BaseException:
            sock.close()
            raise
    return sock


def command(
    server: ServerInfo,
    *args: object,
    decode: bool = False,
    timeout: float = 10.0,
    auth: bool = True,
) -> Any:
    """Run one command on ``server`` over a fresh connection and return its reply.

    Replies: simple and bulk strings as ``bytes`` (``str`` when ``decode=True``), integers as
    ``int``, nulls as ``None``, arrays as lists (typed ``Any`` so tests need no casts; the
    shapes are those of :data:`Reply`). The connection authenticates first with the
    server's ``username``/``password`` when set (``auth=False`` skips that).

    :raises ReplyError: when the server answers with an error reply.
    :raises OSError: when the server cannot be reached or the connection drops.
    """
    sock = connect(server, timeout)
    stream = _Stream(sock)
    try:
        if auth and server.password is not None:
            creds = (server.username, server.password) if server.username else (server.password,)
            sock.sendall(_encode(("AUTH", *creds)))
            stream.read(False)
        sock.sendall(_encode(args))
        return stream.read(decode)
    finally:
        stream.close()
        sock.close()
