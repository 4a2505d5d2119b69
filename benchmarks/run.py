"""Side-by-side benchmark: coredis (ours) against redis-py and the published coredis.

Every client runs in a virtual environment of its own under ``benchmarks/.venvs`` (the
published coredis ships the same import paths as ours). The harness starts its own
standalone redis-server and 3+3 cluster on free loopback ports, runs every (client,
workload, loop) cell in a fresh process, interleaved and repeated, adds redis-benchmark as
the native ceiling, and prints medians, ranges, latency, client CPU per operation and the
ratios ours/peer. ``--out results.md`` writes the markdown tables the docs include, plus
``results.json`` (every measured cell, and the header) and ``results.svg`` (the bar chart of
``benchmarks/chart.py``) next to it; ``--replot results.json`` redraws the tables and the
chart from that JSON without measuring.

    python benchmarks/run.py                 # full run
    python benchmarks/run.py --quick         # CI smoke: tiny durations, one repeat
    python benchmarks/run.py --replot benchmarks/results.json --out benchmarks/results.md
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))  # chart.py, a sibling script

from chart import render_svg  # noqa: E402

VENVS = ROOT / "benchmarks" / ".venvs"
WORKER = ROOT / "benchmarks" / "worker.py"
PACKAGES = ["protocol", "connection", "pool", "client", "cluster"]

PEERS: dict[str, list[str]] = {
    "ours": [*(f"-e{ROOT / 'packages' / f'coredis-{p}'}" for p in PACKAGES), "hiredis", "uvloop"],
    "redispy": ["redis[hiredis]==8.1.0", "uvloop"],
    "coredis-published": ["coredis==6.9.0", "uvloop"],
    "glide": ["valkey-glide==2.6.0", "uvloop"],
}
#: How each client is described above the table.
DESCRIPTIONS: dict[str, str] = {
    "ours": "ours (coredis-client with hiredis, default pools and busy polling)",
    "ours-mux": "ours-mux (the same on the multiplexed pools: MultiplexedConnectionPool, and "
    "MultiplexedClusterConnectionPool for the cluster workloads)",
    "ours-parked": "ours-parked (ours with busy_poll=0: every reply awaited in the event loop)",
    "redispy": "redis-py 8.1.0 with hiredis",
    "coredis-published": "coredis 6.9.0 from PyPI",
    "glide": "valkey-glide 2.6.0 (asyncio client, Rust core)",
}
#: The headline ratios (the rows of the first table): workload -> what it measures.
HEADLINE: dict[str, str] = {
    "seq_get": "sequential GET",
    "conc_get": "100 tasks GET",
    "pipeline": "pipeline of 1,000 SET",
    "big_get": "1 MiB GET",
    "cluster_conc_get": "cluster, 100 tasks GET",
    "mget_wide": "MGET of 1,000 keys",
}
#: Peers of the headline table, by the name its columns give them.
HEADLINE_PEERS = {"redispy": "redis-py", "glide": "valkey-glide", "native": "redis-benchmark"}
#: Clients that run from another client's venv (same packages, another configuration).
VENV_OF = {"ours-mux": "ours", "ours-parked": "ours"}
STANDALONE_WORKLOADS = [
    "seq_get",
    "conc_get",
    "conc_set_get_pool8",
    "pipeline",
    "big_get",
    "mget_wide",
    "mset_wide",
]
CLUSTER_WORKLOADS = ["cluster_conc_get", "cluster_conc_get_set", "cluster_pipeline"]

# redis-benchmark invocations matching each workload (the native ceiling), and the row of
# its CSV output to read ("" = the mean of all rows).
NATIVE: dict[str, tuple[list[str], str]] = {
    "seq_get": (["-c", "1", "-t", "set,get"], "GET"),
    "conc_get": (["-c", "100", "-t", "set,get"], "GET"),
    "conc_set_get_pool8": (["-c", "8", "-t", "set,get"], ""),
    "pipeline": (["-c", "1", "-P", "1000", "-t", "set"], "SET"),
    "big_get": (["-c", "1", "-d", str(1024 * 1024), "-t", "set,get"], "GET"),
    "mget_wide": (["-c", "1", "MGET", *(f"bench:m:{i}" for i in range(1000))], ""),
    "mset_wide": (
        ["-c", "1", "MSET", *(part for i in range(1000) for part in (f"bench:s:{i}", "value"))],
        "",
    ),
}


def venv_python(name: str) -> Path:
    return VENVS / VENV_OF.get(name, name) / "bin" / "python"


def ensure_venv(name: str) -> Path:
    """Create the client's venv once; later runs reuse it."""
    name = VENV_OF.get(name, name)
    python = venv_python(name)
    marker = VENVS / name / ".installed"
    wanted = "\n".join(PEERS[name])
    if python.exists() and marker.exists() and marker.read_text() == wanted:
        return python
    if (VENVS / name).exists():  # half-made or outdated: start over (uv refuses to reuse it)
        shutil.rmtree(VENVS / name)
    uv = shutil.which("uv")
    if uv:
        subprocess.run([uv, "venv", "-q", "--python", sys.executable, VENVS / name], check=True)
        subprocess.run([uv, "pip", "install", "-q", "--python", python, *PEERS[name]], check=True)
    else:
        subprocess.run([sys.executable, "-m", "venv", str(VENVS / name)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PEERS[name]], check=True)
    marker.write_text(wanted)
    return python


@contextmanager
def servers(with_cluster: bool) -> Iterator[tuple[Any, Any]]:
    """Start a throwaway standalone server (and cluster) with the test-support launcher."""
    import coredis_testing

    standalone = coredis_testing.start_server(name="bench")
    cluster = None
    try:
        if with_cluster:
            cluster = coredis_testing.start_cluster()
        yield standalone, cluster
    finally:
        if cluster is not None:
            cluster.destroy()
        standalone.destroy()


def run_cell(
    client: str, workload: str, loop: str, port: int, cluster_port: int, duration: float
) -> dict[str, Any]:
    cmd = [
        str(venv_python(client)),
        str(WORKER),
        client,
        workload,
        "--port",
        str(port),
        "--cluster-port",
        str(cluster_port),
        "--duration",
        str(duration),
        "--loop",
        loop,
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=duration * 10 + 60)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {
            "client": client,
            "workload": workload,
            "loop": loop,
            "error": (proc.stderr.strip().splitlines() or ["no output"])[-1],
        }
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def run_native(workload: str, port: int, seconds: float) -> dict[str, Any]:
    """redis-benchmark for a comparable workload, sized to run about ``seconds``."""
    requests = {"pipeline": 2_000_000, "big_get": 3000, "mget_wide": 20000, "mset_wide": 20000}.get(
        workload, 100_000
    )
    requests = max(1000, int(requests * seconds / 3))
    options, row_name = NATIVE[workload]
    cmd = ["redis-benchmark", "-p", str(port), "-n", str(requests), "--csv", *options]
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    elapsed = time.perf_counter() - started
    rates = []
    for line in proc.stdout.splitlines()[1:]:
        fields = [f.strip('"') for f in line.split(",")]
        if row_name and not fields[0].startswith(row_name):
            continue
        try:
            rates.append(float(fields[1]))
        except (IndexError, ValueError):
            continue
    rate = statistics.mean(rates) if rates else 0.0
    return {
        "client": "native",
        "workload": workload,
        "loop": "native",
        "ops_per_s": rate,
        "elapsed_s": elapsed,
    }


def summarize(results: list[dict[str, Any]]) -> str:
    """Two markdown tables: one row per (workload, loop) with every client's cell, then the
    ratios of our medians to each peer's (and to redis-benchmark's) in the same run."""
    cells: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    errors: dict[tuple[str, str, str], str] = {}
    for r in results:
        key = (r["workload"], r["client"], r["loop"])
        if "error" in r:
            errors[key] = r["error"]
        else:
            cells[key].append(r)
    workloads = sorted({r["workload"] for r in results}, key=_order)
    clients = sorted({r["client"] for r in results} - {"native"}, key=_client_order)
    loops = sorted({r["loop"] for r in results} - {"native"})
    has_native = any(r["client"] == "native" for r in results)
    columns = [*clients, *(["native"] if has_native else [])]
    out = ["| workload | loop | " + " | ".join(columns) + " |"]
    out.append("|---" * (len(columns) + 2) + "|")
    medians: dict[tuple[str, str, str], float] = {}
    connections: dict[tuple[str, str, str], int] = {}
    for w in workloads:
        for lp in loops:
            row = [w, lp]
            for c in columns:
                key = (w, c, "native" if c == "native" else lp)
                runs = cells.get(key, [])
                if not runs:
                    row.append("error: " + errors[key][:60] if key in errors else "—")
                    continue
                ops = [x["ops_per_s"] for x in runs]
                med = statistics.median(ops)
                medians[key] = med
                text = f"{med:,.0f} [{min(ops):,.0f}–{max(ops):,.0f}]"
                p50 = [x["p50_us"] for x in runs if x.get("p50_us")]
                p99 = [x["p99_us"] for x in runs if x.get("p99_us")]
                cpu = [x["cpu_us_per_op"] for x in runs if x.get("cpu_us_per_op")]
                conns = [x["max_conns_per_node"] for x in runs if "max_conns_per_node" in x]
                if conns:
                    connections[key] = max(conns)
                if p50 and p99:
                    text += f" ({statistics.median(p50):,.0f}/{statistics.median(p99):,.0f} µs"
                    text += f", {statistics.median(cpu):.1f} µs CPU/op" if cpu else ""
                    text += f", ≤ {max(conns)} conn/node)" if conns else ")"
                row.append(text)
            out.append("| " + " | ".join(row) + " |")
    out.append("")
    out.append(
        "Cells: median ops/s [min–max] (p50/p99 latency of one operation — for the pipeline "
        "workloads one whole 1,000-command pipeline, ops counting commands — client CPU "
        "per operation, and for the cluster workloads the most connections any node saw "
        "from the client at the end of the run, counted by the server's CLIENT LIST). "
        "native = redis-benchmark with matching settings."
    )
    out.append("")
    ours = [c for c in clients if c.startswith("ours")]
    peers = [c for c in clients if not c.startswith("ours")] + (["native"] if has_native else [])
    pairs = [(o, p) for o in ours for p in peers]
    out.append("| workload | loop | " + " | ".join(f"{o} / {p}" for o, p in pairs) + " |")
    out.append("|---" * (len(pairs) + 2) + "|")
    for w in workloads:
        for lp in loops:
            row = [w, lp]
            for o, p in pairs:
                mine = medians.get((w, o, lp))
                peer = medians.get((w, p, "native" if p == "native" else lp))
                row.append(f"{mine / peer:.2f}×" if mine and peer else "—")
            out.append("| " + " | ".join(row) + " |")
    top = headline(medians, connections, ours, loops)
    return "\n".join([*top, *out]) + "\n"


def headline(
    medians: dict[tuple[str, str, str], float],
    connections: dict[tuple[str, str, str], int],
    ours: list[str],
    loops: list[str],
) -> list[str]:
    """The headline table: for the workloads of :data:`HEADLINE`, each of our variants'
    median divided by redis-py's, valkey-glide's and redis-benchmark's in the same run
    (and, for the cluster, the connections per node each client held)."""
    rows = [w for w in HEADLINE if any(k[0] == w for k in medians)]
    if not rows:
        return []
    peers = list(HEADLINE_PEERS)
    head = [f"{o} ÷ {HEADLINE_PEERS[p]}" for o in ours for p in peers]
    out = ["| workload | loop | " + " | ".join(head) + " | connections per node |"]
    out.append("|---" * (len(head) + 3) + "|")
    for w in rows:
        for lp in loops:
            row = [HEADLINE[w], lp]
            for o in ours:
                for p in peers:
                    mine = medians.get((w, o, lp))
                    peer = medians.get((w, p, "native" if p == "native" else lp))
                    row.append(f"{mine / peer:.2f}×" if mine and peer else "—")
            held = [
                f"{c} {connections[(w, c, lp)]}"
                for c in (*ours, *peers)
                if (w, c, lp) in connections
            ]
            row.append(", ".join(held) or "—")
            out.append("| " + " | ".join(row) + " |")
    out.append("")
    out.append(
        "Ratios of medians in this run (higher is better for ours; — where a client did not "
        "run the workload). Connections per node: the most any cluster node counted from "
        "the client at the end of its run (server-side CLIENT LIST)."
    )
    out.append("")
    return out


def _client_order(client: str) -> tuple[int, str]:
    return (0 if client.startswith("ours") else 1, client)


def _order(workload: str) -> int:
    order = STANDALONE_WORKLOADS + CLUSTER_WORKLOADS
    return order.index(workload) if workload in order else len(order)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI smoke run: tiny and fast")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--duration", type=float, default=3.0)
    parser.add_argument("--loops", default="asyncio,uvloop")
    parser.add_argument("--clients", default="ours,redispy,coredis-published")
    parser.add_argument("--workloads", default=",".join(STANDALONE_WORKLOADS + CLUSTER_WORKLOADS))
    parser.add_argument("--no-native", action="store_true")
    parser.add_argument("--out", type=Path, help="write the markdown table here")
    parser.add_argument("--jsonl", type=Path, help="append raw results here")
    parser.add_argument(
        "--replot", type=Path, help="redraw --out (tables, JSON, chart) from this results.json"
    )
    args = parser.parse_args()
    if args.replot:
        saved = json.loads(args.replot.read_text())
        if args.out:
            write_outputs(args.out, saved["header"], saved["results"])
        print(saved["header"] + summarize(saved["results"]))
        return 0
    if args.quick:
        args.runs, args.duration, args.loops = 1, 0.3, "asyncio"
    clients = args.clients.split(",")
    loops = args.loops.split(",")
    workloads = args.workloads.split(",")
    for client in clients:
        ensure_venv(client)
    with_cluster = any(w in CLUSTER_WORKLOADS for w in workloads)
    results: list[dict[str, Any]] = []
    with servers(with_cluster) as (standalone, cluster):
        cluster_port = cluster.startup_nodes[0][1] if cluster is not None else 0
        for run in range(args.runs):
            for workload in workloads:
                # Interleave: every client and loop runs each workload before the next
                # repeat, so drift in machine load spreads over all cells alike.
                order = [(c, lp) for c in clients for lp in loops]
                if run % 2:
                    order.reverse()
                for client, loop in order:
                    r = run_cell(
                        client, workload, loop, standalone.port, cluster_port, args.duration
                    )
                    r["run"] = run
                    results.append(r)
                    _progress(r)
                if not args.no_native and workload in NATIVE:
                    r = run_native(workload, standalone.port, args.duration)
                    r["run"] = run
                    results.append(r)
                    _progress(r)
    if args.jsonl:
        with args.jsonl.open("a") as fh:
            for r in results:
                fh.write(json.dumps(r) + "\n")
    table = summarize(results)
    command = " ".join(["python", "benchmarks/run.py", *sys.argv[1:]])
    header = (
        f"Benchmarks: {args.runs} interleaved run(s) of {args.duration}s per cell, "
        f"loops {args.loops}, on {os.cpu_count()} CPUs; redis-server and redis-benchmark "
        f"{_redis_version()}. Command: `{command}`\n\n"
        f"Clients: {', '.join(DESCRIPTIONS.get(c, c) for c in clients)}, each in its own "
        "venv. The machine is a shared, noisy 2-vCPU VM: compare ratios within this run, "
        "not absolute figures.\n\n"
    )
    print(header + table)
    if args.out:
        write_outputs(args.out, header, results)
    failed = [r for r in results if "error" in r and r["client"].startswith("ours")]
    return 1 if failed else 0


def write_outputs(out: Path, header: str, results: list[dict[str, Any]]) -> None:
    """``out`` (markdown tables), and next to it ``.json`` (the results) and ``.svg`` (chart)."""
    out.write_text("# Benchmark results\n\n" + header + summarize(results))
    saved = {"header": header, "results": results}
    out.with_suffix(".json").write_text(json.dumps(saved, indent=1) + "\n")
    runs = len({r.get("run", 0) for r in results})
    title = f"Median ops/s of {runs} interleaved run(s) per cell; whiskers: min–max"
    order = STANDALONE_WORKLOADS + CLUSTER_WORKLOADS
    out.with_suffix(".svg").write_text(render_svg(results, order, title))


def _redis_version() -> str:
    try:
        out = subprocess.run(["redis-server", "--version"], capture_output=True, text=True)
    except OSError:
        return "(version unknown)"
    words = [w for w in out.stdout.split() if w.startswith("v=")]
    return words[0][2:] if words else "(version unknown)"


def _progress(r: dict[str, Any]) -> None:
    status = "ERROR " + r["error"] if "error" in r else f"{r['ops_per_s']:,.0f} ops/s"
    print(f"  {r['workload']:<22} {r['client']:<18} {r['loop']:<8} {status}", file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
