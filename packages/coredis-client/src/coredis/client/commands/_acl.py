"""Redis ``ACL *`` commands (part of the server group)."""

from __future__ import annotations

from typing import Any

from ...exceptions import AuthorizationError, DataError
from .._callbacks import as_str, ok, pairs, to_tuple
from .._typing import Parameters, StringT, ValueT
from ._base import AnyStr_co, CommandMixin

__all__ = ("ACLCommands",)


def _getuser(response: Any, **options: Any) -> dict[Any, Any]:
    user: dict[Any, Any] = {}
    for key, value in pairs(response):
        name = as_str(key)
        if name in ("flags", "passwords"):
            value = list(value)
        elif name == "selectors":
            value = [dict(pairs(selector)) for selector in value]
        user[key] = value
    return user


def _log(response: Any, **options: Any) -> bool | tuple[dict[Any, Any], ...]:
    if isinstance(response, (bytes, str)):
        return response in (b"OK", "OK")
    entries = []
    for raw in response:
        entry = dict(pairs(raw))
        for key in list(entry):
            if as_str(key) == "age-seconds":
                entry[key] = float(entry[key])
        entries.append(entry)
    return tuple(entries)


def _dryrun(response: Any, **options: Any) -> bool:
    # OK when permitted; otherwise a sentence explaining the denial, raised as 4.x did.
    if response in (b"OK", "OK"):
        return True
    text = response.decode("utf-8", "replace") if isinstance(response, bytes) else str(response)
    raise AuthorizationError(text, "NOPERM")


class ACLCommands(CommandMixin[AnyStr_co]):
    """``ACL *`` commands."""

    async def acl_cat(self, categoryname: StringT | None = None) -> tuple[AnyStr_co, ...]:
        """ACL categories, or the commands of one category.

        https://redis.io/commands/acl-cat

        :return: the names.

        .. versionadded:: 6.0.0
           Redis version that introduced the command.
        """
        args: list[ValueT] = [categoryname] if categoryname is not None else []
        return await self.execute_command(b"ACL", b"CAT", *args, callback=to_tuple)

    async def acl_deluser(self, usernames: Parameters[StringT]) -> int:
        """Delete ACL users (and disconnect them).

        https://redis.io/commands/acl-deluser

        :return: the number of users deleted.
        :raises DataError: when ``usernames`` is empty or a single string.

        .. versionadded:: 6.0.0
           Redis version that introduced the command.
        """
        if isinstance(usernames, (str, bytes)):
            raise DataError("usernames must be an iterable of names, not a single string")
        names = list(usernames)
        if not names:
            raise DataError("acl_deluser needs at least one username")
        reply: int = await self.execute_command(b"ACL", b"DELUSER", *names)
        return reply

    async def acl_dryrun(self, username: StringT, command: StringT, *args: ValueT) -> bool:
        """Whether ``username`` may run ``command`` with ``args``, without running it.

        https://redis.io/commands/acl-dryrun

        :return: ``True`` when permitted.
        :raises AuthorizationError: when ``username`` may not run it (the message says
         why), as in 4.x.

        .. versionadded:: 7.0.0
           Redis version that introduced the command.
        """
        return await self.execute_command(
            b"ACL", b"DRYRUN", username, command, *args, callback=_dryrun
        )

    async def acl_genpass(self, bits: int | None = None) -> AnyStr_co:
        """A random password (hex text, 256 bits unless ``bits`` says otherwise).

        https://redis.io/commands/acl-genpass

        :return: the password.

        .. versionadded:: 6.0.0
           Redis version that introduced the command.
        """
        args: list[ValueT] = [bits] if bits is not None else []
        reply: AnyStr_co = await self.execute_command(b"ACL", b"GENPASS", *args)
        return reply

    async def acl_getuser(self, username: StringT) -> dict[AnyStr_co, Any]:
        """The rules of an ACL user.

        https://redis.io/commands/acl-getuser

        :return: ``flags``, ``passwords`` (lists), ``commands``, ``keys``, ``channels`` and
            ``selectors`` (a list of dicts); ``{}`` for an unknown user.

        .. versionadded:: 6.0.0
           Redis version that introduced the command.
        """
        return await self.execute_command(b"ACL", b"GETUSER", username, callback=_getuser)

    async def acl_list(self) -> tuple[AnyStr_co, ...]:
        """Every ACL user's rules, in ``ACL SETUSER`` syntax.

        https://redis.io/commands/acl-list

        :return: one line per user.

        .. versionadded:: 6.0.0
           Redis version that introduced the command.
        """
        return await self.execute_command(b"ACL", b"LIST", callback=to_tuple)

    async def acl_load(self) -> bool:
        """Reload users from the configured ACL file.

        https://redis.io/commands/acl-load

        :return: ``True``.

        .. versionadded:: 6.0.0
           Redis version that introduced the command.
        """
        return await self.execute_command(b"ACL", b"LOAD", callback=ok)

    async def acl_log(
        self, count: int | None = None, reset: bool | None = None
    ) -> bool | tuple[dict[AnyStr_co, Any] | None, ...]:
        """Recent ACL denials (or clear them with ``reset``).

        https://redis.io/commands/acl-log

        :return: ``True`` after ``reset``, else one dict per entry (``age-seconds`` a float).

        .. versionadded:: 6.0.0
           Redis version that introduced the command.
        """
        if reset:
            return await self.execute_command(b"ACL", b"LOG", b"RESET", callback=_log)
        args: list[ValueT] = [count] if count is not None else []
        return await self.execute_command(b"ACL", b"LOG", *args, callback=_log)

    async def acl_save(self) -> bool:
        """Write the users to the configured ACL file.

        https://redis.io/commands/acl-save

        :return: ``True``.

        .. versionadded:: 6.0.0
           Redis version that introduced the command.
        """
        return await self.execute_command(b"ACL", b"SAVE", callback=ok)

    async def acl_setuser(self, username: StringT, *rules: StringT) -> bool:
        """Create or modify an ACL user with ``rules`` (``on``, ``>password``, ``+@all``...).

        https://redis.io/commands/acl-setuser

        :return: ``True``.

        .. versionadded:: 6.0.0
           Redis version that introduced the command.
        """
        return await self.execute_command(b"ACL", b"SETUSER", username, *rules, callback=ok)

    async def acl_users(self) -> tuple[AnyStr_co, ...]:
        """Names of the ACL users.

        https://redis.io/commands/acl-users

        :return: the names.

        .. versionadded:: 6.0.0
           Redis version that introduced the command.
        """
        return await self.execute_command(b"ACL", b"USERS", callback=to_tuple)

    async def acl_whoami(self) -> AnyStr_co:
        """The user the connection is authenticated as.

        https://redis.io/commands/acl-whoami

        :return: the user name.

        .. versionadded:: 6.0.0
           Redis version that introduced the command.
        """
        reply: AnyStr_co = await self.execute_command(b"ACL", b"WHOAMI")
        return reply
