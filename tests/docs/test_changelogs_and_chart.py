"""The changelog pages (docs/_ext/changelogs.py) and the benchmark chart (benchmarks/chart.py).

Every distribution has a changelog page rendering its CHANGELOG.md; the committed
benchmarks/results.svg is exactly what the harness draws from the committed results.json.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest
from docutils import nodes

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("protocol", "connection", "pool", "client", "cluster")


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


changelogs = _load("changelogs", ROOT / "docs" / "_ext" / "changelogs.py")
chart = _load("chart", ROOT / "benchmarks" / "chart.py")

SAMPLE = """# Changelog — coredis-x

## 0.2.0 (2026-12-07)

- A `feature`, described over
  two lines.
- Measured:

  | case | ops/s |
  |---|---|
  | a | 1 |

### Notes

Plain text.
"""


def test_markdown_subset() -> None:
    out = changelogs.markdown_to_nodes(SAMPLE)
    kinds = [type(node).__name__ for node in out]
    assert kinds == ["rubric", "bullet_list", "rubric", "paragraph"]
    assert out[0].astext() == "0.2.0 (2026-12-07)"
    first, second = out[1].children
    assert first.astext() == "A feature, described over two lines."
    assert [type(n).__name__ for n in first.children[0].children] == ["Text", "literal", "Text"]
    assert [type(n).__name__ for n in second.children] == ["paragraph", "table"]
    assert len(list(second.findall(nodes.row))) == 2


@pytest.mark.parametrize("layer", LAYERS)
def test_every_distribution_has_a_changelog_page(layer: str) -> None:
    page = ROOT / "docs" / "changelog" / f"coredis-{layer}.rst"
    assert f".. changelog:: coredis-{layer}" in page.read_text()
    assert f"changelog/coredis-{layer}" in (ROOT / "docs" / "index.rst").read_text()
    rendered = changelogs.markdown_to_nodes(
        changelogs.changelog_path(f"coredis-{layer}").read_text()
    )
    assert any(isinstance(node, nodes.bullet_list) for node in rendered)


RESULTS = [
    {"workload": w, "client": c, "loop": lp, "ops_per_s": v * k * spread, "run": run}
    for w, v in (("seq_get", 1000.0), ("pipeline", 1_000_000.0))
    for c, k in (("ours", 2.0), ("redispy", 1.0))
    for lp in ("asyncio", "uvloop")
    for run, spread in ((0, 1.0), (1, 1.1), (2, 0.9))
] + [{"workload": "seq_get", "client": "redispy", "loop": "asyncio", "error": "boom", "run": 0}]


def test_chart_bars_are_proportional_within_a_panel() -> None:
    svg = chart.render_svg(RESULTS, ["seq_get", "pipeline"], "title")
    root = ET.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    panels = root.findall("s:g", ns)
    assert [p.get("data-workload") for p in panels] == ["seq_get", "pipeline"]
    for panel in panels:
        bars = {
            (b.get("data-client"), b.get("data-loop")): float(b.get("width", 0))
            for b in panel.findall("s:rect", ns)
        }
        assert set(bars) == {(c, lp) for c in ("ours", "redispy") for lp in ("asyncio", "uvloop")}
        # ours is twice redispy in the data: so are the bars (medians, same scale)
        assert bars[("ours", "asyncio")] == pytest.approx(2 * bars[("redispy", "asyncio")], 0.01)
    assert int(root.get("width", 0)) <= 1280  # readable at 1280 px without scaling down


def _run_py_list(name: str) -> list[str]:
    """A list literal of benchmarks/run.py (the order its chart uses), read without running
    the harness's imports."""
    tree = ast.parse((ROOT / "benchmarks" / "run.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == name for target in node.targets
        ):
            value: list[str] = ast.literal_eval(node.value)
            return value
    raise AssertionError(f"{name} not found in benchmarks/run.py")


def test_committed_chart_is_drawn_from_the_committed_json() -> None:
    saved = json.loads((ROOT / "benchmarks" / "results.json").read_text())
    committed = (ROOT / "benchmarks" / "results.svg").read_text()
    runs = len({r.get("run", 0) for r in saved["results"]})
    title = f"Median ops/s of {runs} interleaved run(s) per cell; whiskers: min–max"
    order = _run_py_list("STANDALONE_WORKLOADS") + _run_py_list("CLUSTER_WORKLOADS")
    assert committed == chart.render_svg(saved["results"], order, title)
    # ... and the table of the same run
    assert (
        (ROOT / "benchmarks" / "results.md")
        .read_text()
        .startswith("# Benchmark results\n\n" + saved["header"])
    )
