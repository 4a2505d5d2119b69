"""Refuse to load next to a coredis that was not built from this project.

PyPI's ``coredis`` ships files at the paths these distributions use (``coredis/__init__.py``,
``coredis/client/``, ``coredis/pool/``, ...). Installed into one environment, in either order,
the installer overwrites some files of the other and leaves the rest, and ``import coredis``
runs a mix of the two. The check lives here, in ``coredis.connection``, because it is the one
module both mixes reach: this project's ``coredis/__init__.py`` imports it, and when PyPI's
``coredis/__init__.py`` has replaced ours, PyPI's modules import ``coredis.connection`` and get
this package (a package directory wins over their ``coredis/connection.py``).

A ``coredis`` distribution is this project's when it depends on ``coredis-client`` (the
metadata-only drop-in, ``packages/coredis``); every PyPI release of coredis does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib.metadata import Distribution, distributions

__all__ = ("FIX", "check_environment", "foreign_coredis")

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_OURS = (
    "coredis-protocol",
    "coredis-connection",
    "coredis-pool",
    "coredis-client",
    "coredis-cluster",
)
FIX = (
    "pip uninstall -y coredis " + " ".join(_OURS) + ", then install one of the two again: "
    'this project with pip install "coredis==<its version>" (from its wheels or index; libraries '
    "that need coredis 4.x, such as limits, accept it), or PyPI's coredis alone"
)


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_names(requirements: Iterable[str]) -> set[str]:
    names = set()
    for requirement in requirements:
        match = _NAME.match(requirement)
        if match:
            names.add(_normalise(match.group(1)))
    return names


def foreign_coredis(path: list[str] | None = None) -> list[Distribution]:
    """The installed ``coredis`` distributions that are not this project's.

    ``path`` is where to look (``sys.path`` when ``None``).
    """
    return [
        dist
        for dist in _distributions(path, "coredis")
        if "coredis-client" not in _requirement_names(dist.requires or ())
    ]


def _distributions(path: list[str] | None, name: str | None = None) -> Iterable[Distribution]:
    # importlib.metadata's context takes ``path`` only when given: None would replace sys.path.
    if path is None:
        return distributions(name=name)
    return distributions(name=name, path=path)


def _describe(dist: Distribution) -> str:
    return f"coredis {dist.version} (in {dist.locate_file('')})"


def check_environment(path: list[str] | None = None) -> None:
    """Raise :class:`ImportError` when a foreign coredis shares the environment.

    :raises ImportError: naming the foreign installation and the commands that repair the
        environment.
    """
    foreign = foreign_coredis(path)
    if not foreign:
        return
    ours = sorted(
        f"{dist.metadata['Name']} {dist.version}"
        for dist in _distributions(path)
        if _normalise(dist.metadata["Name"] or "") in _OURS
    )
    raise ImportError(
        f"{', '.join(_describe(dist) for dist in foreign)} is installed in the same "
        f"environment as this project's coredis distributions ({', '.join(ours) or 'none found'}). "
        "Both put files in the same coredis/ folder, so what is on disk is a mix of the two and "
        f"cannot be imported safely. To repair the environment: {FIX}. See 'Using with libraries "
        "built on coredis' in the coredis documentation."
    )
