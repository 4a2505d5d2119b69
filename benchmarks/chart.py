"""The benchmark results as an SVG bar chart (stdlib only).

``benchmarks/run.py --out results.md`` writes ``results.json`` (every measured cell) and
``results.svg`` (this chart) next to the markdown tables; ``--replot results.json``
redraws both from the JSON without measuring. One panel per workload, each with its own
scale (the workloads differ by four orders of magnitude): a bar per client and event
loop with the median ops/s of the repeats, a whisker for their min-max range, and the
value written at the end of the bar. Drawn 720 px wide, the handbook's text column, so
that it is shown at its own size (not scaled down) on a 1,280 px wide screen.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from typing import Any
from xml.sax.saxutils import escape

__all__ = ("medians", "render_svg")

WIDTH = 720  # the width of the handbook's text column: the chart is shown unscaled
COLUMNS = 1
PANEL_GAP = 28
LABEL_WIDTH = 140  # client names left of the bars
VALUE_WIDTH = 78  # room for the value right of the longest bar
BAR = 13
BAR_GAP = 3
GROUP_GAP = 9
TITLE = 30
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
#: Bar colours per loop (asyncio, uvloop, redis-benchmark): dark/light pairs that stay
#: distinguishable for the common colour-vision deficiencies.
LOOP_COLOURS = {"asyncio": "#1f5fa8", "uvloop": "#7fb2e5", "native": "#8c8c8c"}
OURS_COLOURS = {"asyncio": "#b8520a", "uvloop": "#f0a35e"}


def medians(results: Iterable[dict[str, Any]]) -> dict[tuple[str, str, str], list[float]]:
    """``{(workload, client, loop): [median, min, max]}`` of ops/s over the repeats."""
    runs: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for r in results:
        if "error" not in r and r.get("ops_per_s"):
            runs[(r["workload"], r["client"], r["loop"])].append(float(r["ops_per_s"]))
    return {
        key: [statistics.median(values), min(values), max(values)] for key, values in runs.items()
    }


def _si(value: float) -> str:
    for limit, suffix in ((1e6, "M"), (1e3, "k")):
        if value >= limit:
            number = value / limit
            return f"{number:.1f}{suffix}" if number < 100 else f"{number:.0f}{suffix}"
    return f"{value:.0f}"


def _client_key(client: str) -> tuple[int, str]:
    return (0 if client.startswith("ours") else 2 if client == "native" else 1, client)


def render_svg(
    results: Iterable[dict[str, Any]], workload_order: list[str], title: str = ""
) -> str:
    """The chart of ``results`` (rows as written by ``run.py``), workloads in the given
    order (others after them, alphabetically)."""
    cells = medians(results)
    workloads = sorted(
        {w for w, _, _ in cells},
        key=lambda w: (workload_order.index(w) if w in workload_order else len(workload_order), w),
    )
    loops = sorted({lp for _, _, lp in cells if lp != "native"})
    panel_width = (WIDTH - PANEL_GAP * (COLUMNS - 1)) // COLUMNS
    bar_room = panel_width - LABEL_WIDTH - VALUE_WIDTH
    panels: list[tuple[str, list[tuple[str, list[str]]], int]] = []
    for workload in workloads:
        clients = sorted({c for w, c, _ in cells if w == workload}, key=_client_key)
        groups = [
            (c, ["native"] if c == "native" else [lp for lp in loops if (workload, c, lp) in cells])
            for c in clients
        ]
        bars = sum(len(g) for _, g in groups)
        height = TITLE + bars * (BAR + BAR_GAP) + len(groups) * GROUP_GAP + 8
        panels.append((workload, groups, height))
    top = 86 if title else 60
    rows = [panels[i : i + COLUMNS] for i in range(0, len(panels), COLUMNS)]
    total = top + sum(max(h for _, _, h in row) + PANEL_GAP for row in rows) + 8
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {total}" '
        f'width="{WIDTH}" height="{total}" font-family="{escape(FONT)}" font-size="13" '
        'role="img">',
        f"<title>{escape(title or 'Benchmark results')}</title>",
        f'<rect width="{WIDTH}" height="{total}" fill="#ffffff"/>',
    ]
    y = 8
    if title:
        out.append(
            f'<text x="0" y="{y + 16}" font-size="16" font-weight="600">{escape(title)}</text>'
        )
        y += 26
    # legend: our client's colours on the first line, everyone else's on the second
    entries = [
        [(OURS_COLOURS.get(lp, "#b8520a"), f"ours, {lp}") for lp in loops],
        [(LOOP_COLOURS.get(lp, "#555555"), f"other clients, {lp}") for lp in loops]
        + [(LOOP_COLOURS["native"], "redis-benchmark (native)")],
    ]
    for line in entries:
        x = 0
        for colour, label in line:
            out.append(f'<rect x="{x}" y="{y + 4}" width="14" height="14" fill="{colour}"/>')
            out.append(f'<text x="{x + 20}" y="{y + 16}">{escape(label)}</text>')
            x += 36 + 7 * len(label)
        y += 22
    y = top
    for row in rows:
        for column, (workload, groups, _height) in enumerate(row):
            px = column * (panel_width + PANEL_GAP)
            out.extend(_panel(workload, groups, cells, px, y, panel_width, bar_room))
        y += max(h for _, _, h in row) + PANEL_GAP
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _panel(
    workload: str,
    groups: list[tuple[str, list[str]]],
    cells: dict[tuple[str, str, str], list[float]],
    px: int,
    py: int,
    width: int,
    bar_room: int,
) -> list[str]:
    scale = max(cells[(workload, c, lp)][2] for c, loops in groups for lp in loops) or 1.0
    out = [
        f'<g class="panel" data-workload="{escape(workload)}">',
        f'<text x="{px}" y="{py + 18}" font-size="15" font-weight="600">'
        f"{escape(workload)} <tspan font-weight="
        '"400" fill="#555555">ops/s, longer is better</tspan></text>',
        f'<line x1="{px + LABEL_WIDTH}" y1="{py + TITLE - 4}" x2="{px + LABEL_WIDTH}" '
        f'y2="{py + TITLE + sum(len(g) * (BAR + BAR_GAP) + GROUP_GAP for _, g in groups)}" '
        'stroke="#999999"/>',
    ]
    y = py + TITLE
    for client, loops in groups:
        group_height = len(loops) * (BAR + BAR_GAP)
        out.append(
            f'<text x="{px + LABEL_WIDTH - 8}" y="{y + group_height / 2 + 4:.1f}" '
            f'text-anchor="end">{escape(client)}</text>'
        )
        for loop in loops:
            median, low, high = cells[(workload, client, loop)]
            colours = OURS_COLOURS if client.startswith("ours") else LOOP_COLOURS
            colour = colours.get(loop, "#555555")
            length = max(1.0, bar_room * median / scale)
            x0 = px + LABEL_WIDTH
            out.append(
                f'<rect class="bar" x="{x0}" y="{y}" width="{length:.1f}" height="{BAR}" '
                f'fill="{colour}" data-client="{escape(client)}" data-loop="{escape(loop)}" '
                f'data-median="{median:.1f}"><title>{escape(client)}, {escape(loop)}: '
                f"{median:,.0f} ops/s (runs {low:,.0f}–{high:,.0f})</title></rect>"
            )
            if high > low:
                wy = y + BAR / 2
                lx, hx = x0 + bar_room * low / scale, x0 + bar_room * high / scale
                out.append(
                    f'<line x1="{lx:.1f}" y1="{wy}" x2="{hx:.1f}" y2="{wy}" stroke="#222222" '
                    'stroke-width="1.2"/>'
                )
            out.append(
                f'<text x="{x0 + max(length, bar_room * high / scale) + 5:.1f}" '
                f'y="{y + BAR - 2}" font-size="12">{_si(median)}</text>'
            )
            y += BAR + BAR_GAP
        y += GROUP_GAP
    out.append("</g>")
    return out
