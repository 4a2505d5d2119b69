"""``.. benchmark-results::`` — the tables written by ``benchmarks/run.py --out``.

The benchmark harness writes ``benchmarks/results.md`` (markdown: a heading, lines of
context and pipe tables). When that file exists the directive renders it here; when it does
not, it says how to produce the numbers, so the docs build either way.

The markdown is turned into docutils nodes directly, never parsed as reStructuredText: a
cell holding an error message with a stray ``*`` or backtick must not break the build.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes

RESULTS = Path(__file__).resolve().parents[2] / "benchmarks" / "results.md"
MISSING = (
    "No benchmark results are checked in yet. Run ",
    "nox -s bench",
    " (or ",
    "python benchmarks/run.py --out benchmarks/results.md",
    ") to measure on your machine; the tables then appear on this page.",
)
_SEPARATOR = re.compile(r"[\s|:\-]+")


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _inline(text: str) -> nodes.paragraph:
    """A paragraph of ``text`` where markdown `code` spans become literals (which also keeps
    Sphinx's smart quotes from turning ``--out`` into an en dash)."""
    paragraph = nodes.paragraph(text)
    for index, part in enumerate(text.split("`")):
        if part:
            paragraph += nodes.literal(part, part) if index % 2 else nodes.Text(part)
    return paragraph


def _entry(text: str) -> nodes.entry:
    return nodes.entry("", _inline(text))


def _table(rows: list[list[str]]) -> nodes.table:
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    group = nodes.tgroup(cols=width)
    group += [nodes.colspec(colwidth=1) for _ in range(width)]
    head, body = nodes.thead(), nodes.tbody()
    head += nodes.row("", *[_entry(cell) for cell in rows[0]])
    for row in rows[1:]:
        body += nodes.row("", *[_entry(cell) for cell in row])
    group += [head, body]
    return nodes.table("", group)


def markdown_to_nodes(markdown: str) -> list[nodes.Node]:
    """Headings become rubrics, pipe tables become tables, other lines paragraphs."""
    out: list[nodes.Node] = []
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        i += 1
        if not line:
            continue
        if line.startswith("|"):
            table = [line]
            while i < len(lines) and lines[i].strip().startswith("|"):
                table.append(lines[i].strip())
                i += 1
            rows = [_cells(row) for row in table if not _SEPARATOR.fullmatch(row)]
            if rows:
                out.append(_table(rows))
        elif line.startswith("#"):
            title = line.lstrip("#").strip()
            out.append(nodes.rubric(title, title))
        else:
            out.append(_inline(line))
    return out


def results_nodes(path: Path = RESULTS) -> list[nodes.Node]:
    """The rendered results file, or the paragraph saying how to produce it."""
    if not path.exists():
        text, command, middle, script, end = MISSING
        return [
            nodes.paragraph(
                "",
                "",
                nodes.Text(text),
                nodes.literal(command, command),
                nodes.Text(middle),
                nodes.literal(script, script),
                nodes.Text(end),
            )
        ]
    return markdown_to_nodes(path.read_text(encoding="utf-8"))


def setup(app: Any) -> dict[str, Any]:
    # Sphinx is imported here only, so the conversion above is testable with docutils alone.
    from sphinx.util.docutils import SphinxDirective

    class BenchmarkResults(SphinxDirective):
        has_content = False

        def run(self) -> list[nodes.Node]:
            if RESULTS.exists():
                self.env.note_dependency(str(RESULTS))
            return results_nodes()

    app.add_directive("benchmark-results", BenchmarkResults)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
