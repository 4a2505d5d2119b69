"""The ``benchmark-results`` directive's markdown conversion (docs/_ext/benchresults.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from docutils import nodes

EXT = Path(__file__).resolve().parents[2] / "docs" / "_ext" / "benchresults.py"

SAMPLE = """# Benchmark results

Benchmarks: 1 run(s) of 0.2s per cell. Command: `python benchmarks/run.py --out x.md`

| workload | ours / asyncio | redispy / asyncio |
|---|---|---|
| seq_get | 12,000 [11,000–13,000] | error: *unbalanced `markup |
| conc_get | — | 9,000 [8,000–9,500] |

| workload | ours / redispy (asyncio) |
|---|---|
| seq_get | 1.33× |
"""


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchresults", EXT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tables_become_tables_with_cells_kept_verbatim() -> None:
    converted = _load().markdown_to_nodes(SAMPLE)
    kinds = [type(node) for node in converted]
    assert kinds == [nodes.rubric, nodes.paragraph, nodes.table, nodes.table]
    rows = [
        [entry.astext() for entry in row.findall(nodes.entry)]
        for row in converted[2].findall(nodes.row)
    ]
    assert rows == [
        ["workload", "ours / asyncio", "redispy / asyncio"],
        ["seq_get", "12,000 [11,000–13,000]", "error: *unbalanced markup"],
        ["conc_get", "—", "9,000 [8,000–9,500]"],
    ]


def test_code_spans_become_literals() -> None:
    paragraph = _load().markdown_to_nodes(SAMPLE)[1]
    (literal,) = paragraph.findall(nodes.literal)
    assert literal.astext() == "python benchmarks/run.py --out x.md"
    assert paragraph.astext().startswith("Benchmarks: 1 run(s) of 0.2s per cell. Command: ")


def test_missing_results_say_how_to_produce_them(tmp_path: Path) -> None:
    (paragraph,) = _load().results_nodes(tmp_path / "absent.md")
    assert "nox -s bench" in paragraph.astext()
    assert "benchmarks/run.py --out benchmarks/results.md" in paragraph.astext()
