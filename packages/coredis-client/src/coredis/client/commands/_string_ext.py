"""String commands newer than Redis 7.0: MSETEX (Redis 8.4, Valkey 9.1) and DELIFEQ (Valkey
9.0 only).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Literal

from ...exceptions import DataError
from .._callbacks import boolean
from .._tokens import PureToken
from .._typing import KeyT, ValueT
from ._base import AnyStr_co, CommandMixin
from ._string import _expiry_args

__all__ = ("StringExtCommands",)


class StringExtCommands(CommandMixin[AnyStr_co]):
    """MSETEX and DELIFEQ."""

    async def msetex(
        self,
        key_values: Mapping[KeyT, ValueT],
        *,
        condition: Literal[PureToken.NX, PureToken.XX] | None = None,
        ex: int | datetime.timedelta | None = None,
        px: int | datetime.timedelta | None = None,
        exat: int | datetime.datetime | None = None,
        pxat: int | datetime.datetime | None = None,
        keepttl: bool = False,
    ) -> bool:
        """Set several keys, and their expiry, atomically. https://redis.io/commands/msetex

        ``condition``: ``NX`` only when none of the keys exists, ``XX`` only when all of
        them do.

        :return: whether the keys were set (``False`` when ``condition`` refused).
        :raises CommandSyntaxError: when more than one of ``ex``/``px``/``exat``/``pxat``/
         ``keepttl`` is given.
        :raises DataError: when ``key_values`` is empty.

        .. versionadded:: Redis 8.4, Valkey 9.1
        """
        if not key_values:
            raise DataError("key_values must hold at least one key")
        args: list[ValueT] = [len(key_values)]
        for key, value in key_values.items():
            args += [key, value]
        if condition is not None:
            args.append(condition)
        args += _expiry_args(ex, px, exat, pxat, ("keepttl", keepttl))
        return await self.execute_command(b"MSETEX", *args, callback=boolean)

    async def delifeq(self, key: KeyT, value: ValueT) -> bool:
        """Delete a key only if its value equals ``value``. https://valkey.io/commands/delifeq

        :return: whether the key was deleted (``False``: missing or another value).
        :raises ResponseError: when the server rejects the command (``WrongTypeError`` for a
         key that is not a string).

        .. versionadded:: Valkey 9.0
        """
        return await self.execute_command(b"DELIFEQ", key, value, callback=boolean)
