"""``.. benchmark-results::`` — the table written by ``benchmarks/run.py --out``.

The benchmark harness writes ``benchmarks/results.md`` (markdown: a heading, a few lines of
context and pipe tables). When that file exists the directive renders it here; when it does
not, it says how to produce the numbers, so the docs build either way.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

RESULTS = Path(__file__).resolve().parents[2] / "benchmarks" / "results.md"
MISSING = (
    "No benchmark results are checked in yet. Run ``nox -s bench`` (or "
    "``python benchmarks/run.py --out benchmarks/results.md``) to measure on your "
    "machine; the table then appears on this page."
)


def _inline(text: str) -> str:
    # markdown `code` -> rst ``code``; **bold** is the same in both
    return re.sub(r"(?<!`)`([^`]+)`(?!`)", r"``\1``", text)


def _cells(line: str) -> list[str]:
    return [_inline(c.strip()) or "\\ " for c in line.strip().strip("|").split("|")]


def markdown_to_rst(markdown: str) -> list[str]:
    """Convert the subset of markdown the harness writes (headings, text, tables)."""
    out: list[str] = []
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith("|"):
            table = []
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                table.append(lines[i])
                i += 1
            rows = [r for r in table if not re.fullmatch(r"[\s|:\-]+", r)]
            out += ["", ".. list-table::", "   :header-rows: 1", ""]
            for row in rows:
                cells = _cells(row)
                out.append(f"   * - {cells[0]}")
                out += [f"     - {c}" for c in cells[1:]]
            out.append("")
            continue
        heading = re.match(r"#+\s+(.*)", line)
        if heading:
            out += ["", f".. rubric:: {_inline(heading.group(1))}", ""]
        else:
            out.append(_inline(line))
        i += 1
    return out


class BenchmarkResults(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        if not RESULTS.exists():
            return [nodes.paragraph("", "", *self.parse_inline(MISSING)[0])]
        self.env.note_dependency(str(RESULTS))
        container = nodes.container()
        text = markdown_to_rst(RESULTS.read_text(encoding="utf-8"))
        self.state.nested_parse(StringList(text, str(RESULTS)), self.content_offset, container)
        return list(container.children)


def setup(app: Any) -> dict[str, Any]:
    app.add_directive("benchmark-results", BenchmarkResults)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
