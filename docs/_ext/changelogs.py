"""``.. changelog:: coredis-client`` — a distribution's CHANGELOG.md, rendered in the docs.

Each distribution keeps its changelog as ``packages/<name>/CHANGELOG.md`` (it ships in the
sdist and is linked from the package index). The directive renders the small Markdown
subset those files use, directly as docutils nodes (never re-parsed as reStructuredText):
``#``/``##``/``###`` headings (the first-level title is dropped: the page has its own),
``- `` bullets whose continuation lines are indented, pipe tables (also inside a bullet),
paragraphs, and `code` spans.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes

ROOT = Path(__file__).resolve().parents[2]
_SEPARATOR = re.compile(r"[\s|:\-]+")


def changelog_path(distribution: str) -> Path:
    return ROOT / "packages" / distribution / "CHANGELOG.md"


def _inline(text: str) -> nodes.paragraph:
    paragraph = nodes.paragraph(text)
    for index, part in enumerate(text.split("`")):
        if part:
            paragraph += nodes.literal(part, part) if index % 2 else nodes.Text(part)
    return paragraph


def _table(lines: list[str]) -> nodes.table:
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in lines
        if not _SEPARATOR.fullmatch(line.strip())
    ]
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    group = nodes.tgroup(cols=width)
    for _ in range(width):
        group += nodes.colspec(colwidth=1)
    head, body = nodes.thead(), nodes.tbody()
    for index, cells in enumerate(rows):
        row = nodes.row()
        for cell in cells:
            row += nodes.entry("", _inline(cell))
        (head if index == 0 else body).append(row)
    group += head
    group += body
    return nodes.table("", group)


def _blocks(lines: list[str]) -> list[nodes.Node]:
    """Paragraphs and tables of a run of (dedented) lines; blank lines separate."""
    out: list[nodes.Node] = []
    text: list[str] = []
    table: list[str] = []

    def flush() -> None:
        if text:
            out.append(_inline(" ".join(text)))
            text.clear()
        if table:
            out.append(_table(table))
            table.clear()

    for line in lines:
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith("|"):
            if text:
                flush()
            table.append(stripped)
        else:
            if table:
                flush()
            text.append(stripped)
    flush()
    return out


def markdown_to_nodes(markdown: str) -> list[nodes.Node]:
    out: list[nodes.Node] = []
    items: nodes.bullet_list | None = None
    item_lines: list[str] | None = None
    loose: list[str] = []

    def end_item() -> None:
        nonlocal item_lines
        if item_lines is not None and items is not None:
            item = nodes.list_item()
            item.extend(_blocks(item_lines))
            items.append(item)
        item_lines = None

    def end_list() -> None:
        nonlocal items
        end_item()
        if items is not None:
            out.append(items)
        items = None

    def end_loose() -> None:
        out.extend(_blocks(loose))
        loose.clear()

    for line in markdown.splitlines():
        if line.startswith("#"):
            end_list()
            end_loose()
            level = len(line) - len(line.lstrip("#"))
            title = line.lstrip("#").strip()
            if level > 1:
                out.append(nodes.rubric(title, title, classes=[f"changelog-h{level}"]))
        elif line.startswith("- "):
            end_loose()
            end_item()
            if items is None:
                items = nodes.bullet_list(bullet="-")
            item_lines = [line[2:]]
        elif item_lines is not None and (line.startswith("  ") or not line.strip()):
            item_lines.append(line)
        else:
            end_list()
            loose.append(line)
    end_list()
    end_loose()
    return out


def setup(app: Any) -> dict[str, Any]:
    from sphinx.util.docutils import SphinxDirective

    class Changelog(SphinxDirective):
        required_arguments = 1
        has_content = False

        def run(self) -> list[nodes.Node]:
            path = changelog_path(self.arguments[0])
            if not path.exists():
                raise self.error(f"no changelog at {path}")
            self.env.note_dependency(str(path))
            return markdown_to_nodes(path.read_text(encoding="utf-8"))

    app.add_directive("changelog", Changelog)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
