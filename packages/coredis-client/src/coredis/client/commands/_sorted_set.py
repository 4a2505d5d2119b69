"""Redis sorted-set commands, plus ``zscan_iter``.

Scores come back as ``float`` whichever protocol is used (RESP2 sends them as strings,
RESP3 as doubles); members with scores come back as
:class:`~coredis.client.response_types.ScoredMember` ``(member, score)``.

Cancelling a blocking pop may lose an element the server already popped.
``.. versionadded::`` gives the Redis version that introduced a command.

The commands live in four modules, one per kind of sorted-set command:
members (``_sorted_set_members``), ranges (``_sorted_set_ranges``), operations across keys
(``_sorted_set_combine``) and pops (``_sorted_set_pops``).
"""

from __future__ import annotations

from ._base import AnyStr_co
from ._sorted_set_combine import SortedSetCombineCommands
from ._sorted_set_members import SortedSetMemberCommands
from ._sorted_set_pops import SortedSetPopCommands
from ._sorted_set_ranges import SortedSetRangeCommands

__all__ = ("SortedSetCommands",)


class SortedSetCommands(
    SortedSetMemberCommands[AnyStr_co],
    SortedSetRangeCommands[AnyStr_co],
    SortedSetCombineCommands[AnyStr_co],
    SortedSetPopCommands[AnyStr_co],
):
    """The sorted-set command group."""
