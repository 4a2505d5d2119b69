"""``MONITOR`` as an async iterator of parsed commands."""

from __future__ import annotations

import asyncio
import re
import shlex
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any, Generic, NamedTuple

from coredis.exceptions import RedisError

from ._reclaim import reclaim_connection
from .commands._base import AnyStr_co

if TYPE_CHECKING:
    from coredis.connection import BaseConnection

    from ._client import Redis
    from ._threads import MonitorThread

__all__ = ("Monitor", "MonitoredCommandInfo")

_LINE = re.compile(r"^(?P<time>[\d.]+) \[(?P<db>\d+) (?P<client>[^\]]*)\] (?P<command>.*)$", re.S)


class MonitoredCommandInfo(NamedTuple):
    """One command seen by ``MONITOR``."""

    #: Server time (seconds since the epoch) when the command ran.
    time: float
    #: Database index.
    db: int
    #: ``"127.0.0.1:50000"``, ``"/path/redis.sock"`` or ``"lua"``.
    client_addr: str
    #: ``"tcp"``, ``"unix"`` or ``"lua"``.
    client_type: str
    #: The command name, as sent (e.g. ``"SET"`` or ``"set"``).
    command: str
    #: Its arguments.
    args: tuple[str, ...]


def parse_monitor_line(line: str) -> MonitoredCommandInfo:
    """Parse ``1700000000.123456 [0 127.0.0.1:5000] "SET" "k" "v"``.

    :raises RedisError: for a line that does not look like MONITOR output
    """
    match = _LINE.match(line)
    if match is None:
        raise RedisError(f"unexpected MONITOR output: {line!r}")
    client = match["client"]
    if client == "lua":
        client_type = "lua"
    elif client.startswith("unix:"):
        client_type, client = "unix", client[len("unix:") :]
    else:
        client_type = "tcp"
    # Arguments are double-quoted with C-style escapes; shlex handles quoting, and escapes
    # like \x00 are left as written (MONITOR output is for humans).
    parts = shlex.split(match["command"], posix=True)
    return MonitoredCommandInfo(
        float(match["time"]),
        int(match["db"]),
        client,
        client_type,
        parts[0] if parts else "",
        tuple(parts[1:]),
    )


class Monitor(Generic[AnyStr_co]):
    """Every command the server runs, from a dedicated connection in ``MONITOR`` mode.

    ``async for info in client.monitor()`` (or ``await monitor.get_command()``); stop with
    :meth:`stop` (or ``async with``), which closes the connection.
    """

    def __init__(self, client: Redis[AnyStr_co]) -> None:
        self.client: Redis[AnyStr_co] = client
        self.connection: BaseConnection | None = None

    def __del__(self) -> None:
        client = self.__dict__.get("client")
        if client is not None:
            reclaim_connection(client.connection_pool, self.__dict__.get("connection"))

    async def start(self) -> Monitor[AnyStr_co]:
        """Take a connection and send ``MONITOR``.

        :raises ConnectionError: when no connection is available

        Cancelling it closes the monitoring connection on the next :meth:`stop`.
        """
        if self.connection is None:
            conn = await self.client.connection_pool.get_connection()
            self.connection = conn
            await conn.send_command(b"MONITOR")
            await conn.read_response()  # OK
        return self

    def __await__(self) -> Generator[Any, None, Monitor[AnyStr_co]]:
        return self.start().__await__()

    async def __aenter__(self) -> Monitor[AnyStr_co]:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def __aiter__(self) -> Monitor[AnyStr_co]:
        return self

    async def __anext__(self) -> MonitoredCommandInfo:
        """The next command the server runs (:meth:`get_command`).

        :raises ConnectionError: when the connection is lost (monitoring ends)

        Cancelling it leaves the monitor usable.
        """
        return await self.get_command()

    async def get_command(self) -> MonitoredCommandInfo:
        """Wait for the next command the server runs.

        :raises ConnectionError: when the connection is lost (monitoring ends)

        Cancelling it leaves the monitor usable.
        """
        await self.start()
        assert self.connection is not None
        line = await self.connection.read_response(timeout=365 * 24 * 3600.0)
        if isinstance(line, bytes):
            line = line.decode("utf-8", errors="replace")
        return parse_monitor_line(line)

    async def stop(self) -> None:
        """Close the monitoring connection.

        :raises: nothing.

        Cancelling it has no effect: closing is synchronous.
        """
        conn, self.connection = self.connection, None
        if conn is not None:
            self.client.connection_pool.discard(conn)

    aclose = stop

    def run_in_thread(
        self,
        response_handler: Callable[[MonitoredCommandInfo], Any],
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> MonitorThread:
        """Pass every command the server runs to ``response_handler`` until the returned
        thread's ``stop()`` (coredis 4.x API), which stops monitoring and closes the
        connection. The commands are read in ``loop`` (default: the running loop).

        :raises RuntimeError: no ``loop`` given and no event loop running in this thread
        """
        from ._threads import MonitorThread

        thread = MonitorThread(self, loop or asyncio.get_running_loop(), response_handler)
        thread.start()
        return thread
