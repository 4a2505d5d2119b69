"""Install one coredis distribution, and the distributions below it, from this clone.

``pip install ./packages/coredis-client`` alone fails: its siblings (coredis-pool,
coredis-connection, coredis-protocol) are not on an index under these versions, and pip does not
look for them next to it. This script names the whole stack up to the layer asked for, so pip
builds every one of them from the clone:

    python tools/install_from_clone.py client            # coredis-client and the three below it
    python tools/install_from_clone.py cluster --editable
    python tools/install_from_clone.py pool --extra hiredis -- --no-cache-dir

It installs into the interpreter that runs it (run it with your virtualenv's ``python``), with
that interpreter's pip, or with ``uv pip`` when the environment has no pip (a ``uv venv``).
``--dry-run`` prints the command instead. Stdlib only.
"""

from __future__ import annotations

import argparse
import importlib.util
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("protocol", "connection", "pool", "client", "cluster")
#: Extras each distribution declares (``coredis-protocol[hiredis]`` and the two client layers).
EXTRAS = {"protocol": ("hiredis",), "client": ("hiredis",), "cluster": ("hiredis",)}


def requirements(layer: str, *, editable: bool = False, extras: tuple[str, ...] = ()) -> list[str]:
    """pip arguments installing ``layer`` and every layer below it from this clone."""
    if layer not in LAYERS:
        raise ValueError(f"unknown layer {layer!r}: expected one of {', '.join(LAYERS)}")
    args: list[str] = []
    for name in LAYERS[: LAYERS.index(layer) + 1]:
        path = str(ROOT / "packages" / f"coredis-{name}")
        wanted = [extra for extra in extras if extra in EXTRAS.get(name, ())]
        if wanted:
            path += f"[{','.join(wanted)}]"
        args += ["-e", path] if editable else [path]
    return args


def installer(python: str) -> list[str]:
    """The install command for ``python``: its own pip, else ``uv pip``."""
    if python == sys.executable and importlib.util.find_spec("pip") is not None:
        return [python, "-m", "pip", "install"]
    uv = shutil.which("uv")
    if uv is None:
        raise SystemExit("neither pip (in this interpreter) nor uv (on PATH) is available")
    return [uv, "pip", "install", "--python", python]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("layer", choices=LAYERS, help="the top distribution to install")
    parser.add_argument("-e", "--editable", action="store_true", help="editable installs")
    parser.add_argument(
        "--extra",
        action="append",
        default=[],
        choices=sorted({extra for extras in EXTRAS.values() for extra in extras}),
        help="an extra to install (repeatable), e.g. hiredis",
    )
    parser.add_argument("--dry-run", action="store_true", help="print the command, do not run it")
    parser.add_argument("pip_args", nargs="*", help="further arguments for pip (after --)")
    options = parser.parse_args(argv)
    command = [
        *installer(sys.executable),
        *requirements(options.layer, editable=options.editable, extras=tuple(options.extra)),
        *options.pip_args,
    ]
    print("+", shlex.join(command), flush=True)
    if options.dry_run:
        return 0
    return subprocess.call(command)


if __name__ == "__main__":
    sys.exit(main())
