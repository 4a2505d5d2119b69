"""End field lists where docstrings run straight on into a paragraph (no Sphinx import).

Docstrings here often end ``:raises X: ...`` directly followed by the sentence on
cancellation; docutils reads that as a malformed field list and warns, which fails the
``-W`` build. :func:`end_field_lists` inserts the one blank line that layout needs, and
nothing else: a line that merely *starts with a role* (``:class:`X` is raised...``) or a
field marker in the middle of a paragraph is text, not a field, and is left alone (taking
those for fields used to split ~45 paragraphs mid-sentence).
"""

from __future__ import annotations

import re

__all__ = ("end_field_lists", "FIELD")

#: A field marker: ``:name:`` or ``:name arg:`` followed by a space or the end of the line.
#: ``:class:`X``` is a role (the backtick), not a field.
FIELD = re.compile(r"(\s*):(?![\w.+-]+:`)[^:\s`][^:`]*:(?=\s|$)")


def end_field_lists(lines: list[str]) -> list[int]:
    """Insert, in place, a blank line wherever a field list is followed directly by an
    unindented line; returns the indexes (in the new list) of the inserted blank lines.

    A field list starts only where a paragraph could start: on the first line, after a
    blank line, or right after another field of the same list.
    """
    inserted: list[int] = []
    field_indent: int | None = None  # indentation of the field list we are in, if any
    block_start = True  # the current line may start a new body element
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            field_indent = None
            block_start = True
            index += 1
            continue
        indent = len(line) - len(line.lstrip())
        match = FIELD.match(line)
        if match and (block_start or indent == field_indent):
            field_indent = len(match.group(1))
        elif field_indent is not None and indent <= field_indent:
            lines.insert(index, "")
            inserted.append(index)
            field_indent = None
            index += 1  # the line itself now starts a paragraph
        block_start = False
        index += 1
    return inserted
