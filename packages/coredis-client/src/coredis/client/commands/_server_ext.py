"""Server and connection commands newer than Redis 7.0.

WAITAOF, CLIENT NO-TOUCH and CLIENT SETINFO (Redis 7.2, every Valkey); CLIENT CAPA, SCRIPT
SHOW (Valkey 8.0), CLIENT IMPORT-SOURCE and COMMANDLOG GET/LEN/RESET (Valkey 8.1), which Redis
does not have. Valkey-only commands link their valkey.io page.
"""

from __future__ import annotations

from typing import Any, Literal

from ...exceptions import DataError
from .._arguments import as_list
from .._callbacks import ok
from .._result_types import SlowLogInfo
from .._tokens import PureToken
from .._typing import StringT
from ._base import AnyStr_co, CommandMixin
from ._introspection import _slowlog

__all__ = ("ServerExtCommands",)

CommandLogType = Literal[PureToken.SLOW, PureToken.LARGE_REQUEST, PureToken.LARGE_REPLY]


def _int_pair(response: Any, **options: Any) -> tuple[int, int]:
    return int(response[0]), int(response[1])


class ServerExtCommands(CommandMixin[AnyStr_co]):
    """WAITAOF, CLIENT NO-TOUCH/SETINFO/CAPA/IMPORT-SOURCE, SCRIPT SHOW, COMMANDLOG."""

    async def waitaof(self, numlocal: int, numreplicas: int, timeout: int) -> tuple[int, int]:
        """Wait until the writes of this connection are fsynced to the AOF of the primary
        (``numlocal``: 0 or 1) and of ``numreplicas`` replicas, or ``timeout`` milliseconds
        (0: forever) pass. https://redis.io/commands/waitaof

        :return: ``(local, replicas)``: how many local AOFs (0/1) and replicas acknowledged.
        :raises ResponseError: when the server rejects the command (e.g. ``numlocal`` with
         ``appendonly no``).

        .. versionadded:: Redis 7.2, Valkey 7.2
        """
        return await self.execute_command(
            b"WAITAOF", numlocal, numreplicas, timeout, callback=_int_pair
        )

    async def client_no_touch(self, enabled: Literal[PureToken.ON, PureToken.OFF]) -> bool:
        """Whether this connection's commands leave the LRU/LFU of keys alone (``ON``).
        https://redis.io/commands/client-no-touch

        :return: ``True``.

        .. versionadded:: Redis 7.2, Valkey 7.2
        """
        return await self.execute_command(b"CLIENT", b"NO-TOUCH", enabled, callback=ok)

    async def client_setinfo(
        self, *, lib_name: StringT | None = None, lib_ver: StringT | None = None
    ) -> bool:
        """Set the library name or version ``CLIENT LIST`` shows for this connection (the
        handshake already sends ``coredis`` and its version). https://redis.io/commands/client-setinfo

        :return: ``True``.
        :raises DataError: unless exactly one of ``lib_name``/``lib_ver`` is given.
        :raises ResponseError: when the server refuses the value (e.g. spaces).

        .. versionadded:: Redis 7.2, Valkey 7.2
        """
        if (lib_name is None) == (lib_ver is None):
            raise DataError("give exactly one of lib_name and lib_ver")
        attr, value = (b"LIB-NAME", lib_name) if lib_name is not None else (b"LIB-VER", lib_ver)
        assert value is not None
        return await self.execute_command(b"CLIENT", b"SETINFO", attr, value, callback=ok)

    async def client_capa(self, capabilities: list[StringT] | tuple[StringT, ...]) -> bool:
        """Declare client capabilities (e.g. ``redirect``: accept ``-REDIRECT`` from a
        replica). https://valkey.io/commands/client-capa

        :return: ``True``.
        :raises DataError: when ``capabilities`` is empty or a single string.

        .. versionadded:: Valkey 8.0
        """
        names = as_list(capabilities, "capabilities")
        if not names:
            raise DataError("capabilities must name at least one capability")
        return await self.execute_command(b"CLIENT", b"CAPA", *names, callback=ok)

    async def client_import_source(self, enabled: Literal[PureToken.ON, PureToken.OFF]) -> bool:
        """Mark this connection as an import source (its writes are allowed while the server
        runs with ``import-mode yes``). https://valkey.io/commands/client-import-source

        :return: ``True``.
        :raises ResponseError: when the server is not in import mode.

        .. versionadded:: Valkey 8.1
        """
        return await self.execute_command(b"CLIENT", b"IMPORT-SOURCE", enabled, callback=ok)

    async def script_show(self, sha1: StringT) -> AnyStr_co:
        """The source of a script in the script cache. https://valkey.io/commands/script-show

        :return: the Lua source.
        :raises NoScriptError: when no script has that SHA1.

        .. versionadded:: Valkey 8.0
        """
        reply: AnyStr_co = await self.execute_command(b"SCRIPT", b"SHOW", sha1)
        return reply

    async def commandlog_get(self, count: int, type: CommandLogType) -> tuple[SlowLogInfo, ...]:
        """Entries of one command log (slow commands, large requests or large replies),
        newest first. https://valkey.io/commands/commandlog-get

        :return: :class:`SlowLogInfo` records (``duration`` is the execution time in
         microseconds for ``SLOW``, the size in bytes for the large-request/reply logs).
        :raises DataError: when ``count`` is below -1 (-1: every entry).

        .. versionadded:: Valkey 8.1
        """
        if count < -1:
            raise DataError("count must be >= -1")
        return await self.execute_command(b"COMMANDLOG", b"GET", count, type, callback=_slowlog)

    async def commandlog_len(self, type: CommandLogType) -> int:
        """Number of entries in one command log. https://valkey.io/commands/commandlog-len

        :return: the count.

        .. versionadded:: Valkey 8.1
        """
        reply: int = await self.execute_command(b"COMMANDLOG", b"LEN", type)
        return reply

    async def commandlog_reset(self, type: CommandLogType) -> bool:
        """Empty one command log. https://valkey.io/commands/commandlog-reset

        :return: ``True``.

        .. versionadded:: Valkey 8.1
        """
        return await self.execute_command(b"COMMANDLOG", b"RESET", type, callback=ok)
