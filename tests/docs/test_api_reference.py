"""The API reference (docs/api/*.rst) documents every public name of the five distributions.

A name counts as documented when an autodoc directive (or a hand-written ``.. data::``)
names it, or names the same object under another public path (``coredis.Redis`` documents
``coredis.client.Redis``), or when an ``automodule`` covers its whole module.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

API = Path(__file__).resolve().parents[2] / "docs" / "api"
PUBLIC_MODULES = (
    "coredis",
    "coredis.protocol",
    "coredis.connection",
    "coredis.pool",
    "coredis.pool.cluster",
    "coredis.client",
    "coredis.client.response_types",
    "coredis.exceptions",
    "coredis.cluster",
    # the 4.x import paths (coredis-client)
    "coredis.cache",
    "coredis.commands",
    "coredis.commands.pubsub",
    "coredis.commands.script",
    "coredis.pipeline",
    "coredis.recipes.locks",
    "coredis.response.types",
    "coredis.sentinel",
    "coredis.stream",
    "coredis.tokens",
    "coredis.typing",
)
DIRECTIVE = re.compile(
    r"^\.\. (auto(?:class|function|exception|data|module)|data|module):: ([\w.]+)", re.M
)


def _resolve(dotted: str) -> Any:
    module_name, _, attribute = dotted.rpartition(".")
    return getattr(importlib.import_module(module_name), attribute)


def _documented() -> tuple[set[str], set[int]]:
    names: set[str] = set()
    objects: set[int] = set()
    for page in sorted(API.glob("*.rst")):
        for directive, dotted in DIRECTIVE.findall(page.read_text(encoding="utf-8")):
            if directive == "automodule":
                module = importlib.import_module(dotted)
                for name in module.__all__:
                    names.add(f"{dotted}.{name}")
                    objects.add(id(getattr(module, name)))
            elif directive != "module":
                names.add(dotted)
                objects.add(id(_resolve(dotted)))
    return names, objects


def test_every_public_name_is_in_the_api_reference() -> None:
    names, objects = _documented()
    missing = []
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            value = getattr(module, name)
            if name == "__version__" or isinstance(value, type(module)):
                continue
            if f"{module_name}.{name}" not in names and id(value) not in objects:
                missing.append(f"{module_name}.{name}")
    assert not missing, "not in docs/api: " + ", ".join(missing)


def test_every_documented_name_exists() -> None:
    for page in sorted(API.glob("*.rst")):
        for directive, dotted in DIRECTIVE.findall(page.read_text(encoding="utf-8")):
            if directive in ("module", "automodule"):
                importlib.import_module(dotted)
            else:
                _resolve(dotted)
