"""Fork detection shared by every pool: the current process id, kept up to date cheaply.

Pools compare it with the id they were created in on every acquire and release, so a forked
child starts over with empty pools and never touches its parent's sockets. ``os.getpid()``
is a system call on every use; this value is refreshed once, in the child, by
``os.register_at_fork``.
"""

from __future__ import annotations

import os

__all__ = ("_Process",)


class _Process:
    """The current process id, refreshed in a forked child."""

    pid = os.getpid()

    @classmethod
    def after_fork(cls) -> None:
        cls.pid = os.getpid()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_Process.after_fork)
