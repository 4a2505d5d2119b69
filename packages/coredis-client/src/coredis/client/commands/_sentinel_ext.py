"""Valkey 8.0's names for the SENTINEL subcommands about primaries: SENTINEL PRIMARY,
PRIMARIES, GET-PRIMARY-ADDR-BY-NAME and IS-PRIMARY-DOWN-BY-ADDR (Redis and Valkey keep the
``MASTER`` names too: :meth:`sentinel_master` and friends work on both). The replies are
those of the ``MASTER`` forms.
"""

from __future__ import annotations

from typing import Any

from .._typing import StringT
from ._base import AnyStr_co, CommandMixin
from ._sentinel import _addr, _down_by_addr, _master, _masters

__all__ = ("SentinelExtCommands",)


class SentinelExtCommands(CommandMixin[AnyStr_co]):
    """SENTINEL PRIMARY / PRIMARIES / GET-PRIMARY-ADDR-BY-NAME / IS-PRIMARY-DOWN-BY-ADDR."""

    async def sentinel_primary(self, service_name: StringT) -> dict[str, Any]:
        """State of a monitored primary. https://valkey.io/commands/sentinel-primary

        :return: as :meth:`sentinel_master`.
        :raises ResponseError: when the name is not monitored.

        .. versionadded:: Valkey 8.0
        """
        return await self.execute_command(b"SENTINEL", b"PRIMARY", service_name, callback=_master)

    async def sentinel_primaries(self) -> dict[str, dict[str, Any]]:
        """State of every monitored primary. https://valkey.io/commands/sentinel-primaries

        :return: ``{name: state}``, as :meth:`sentinel_masters`.

        .. versionadded:: Valkey 8.0
        """
        return await self.execute_command(b"SENTINEL", b"PRIMARIES", callback=_masters)

    async def sentinel_get_primary_addr_by_name(
        self, service_name: StringT
    ) -> tuple[str, int] | None:
        """Address of a monitored primary.
        https://valkey.io/commands/sentinel-get-primary-addr-by-name

        :return: ``(host, port)``, ``None`` for an unknown name.

        .. versionadded:: Valkey 8.0
        """
        return await self.execute_command(
            b"SENTINEL", b"GET-PRIMARY-ADDR-BY-NAME", service_name, callback=_addr
        )

    async def sentinel_is_primary_down_by_addr(
        self, ip: StringT, port: int, current_epoch: int, runid: StringT
    ) -> tuple[bool, AnyStr_co, int]:
        """Ask whether this sentinel considers a primary down (``runid`` ``*`` just asks).
        https://valkey.io/commands/sentinel-is-primary-down-by-addr

        :return: ``(down, leader run id or "*", leader epoch)``.

        .. versionadded:: Valkey 8.0
        """
        return await self.execute_command(
            b"SENTINEL",
            b"IS-PRIMARY-DOWN-BY-ADDR",
            ip,
            port,
            current_epoch,
            runid,
            callback=_down_by_addr,
        )
