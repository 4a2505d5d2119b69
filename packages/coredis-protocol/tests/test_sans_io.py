"""coredis.protocol is sans-IO: none of its modules imports an I/O module."""

from __future__ import annotations

import ast
from pathlib import Path

import coredis.protocol

IO_MODULES = {"asyncio", "socket", "ssl", "selectors", "select", "trio", "anyio"}
ALLOWED_THIRD_PARTY = {"hiredis"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level > 1:
                names.add("coredis")  # from .. import: another coredis subpackage
            elif node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def test_no_io_imports() -> None:
    package = Path(coredis.protocol.__file__).parent
    modules = sorted(package.glob("*.py"))
    assert len(modules) >= 7
    for module in modules:
        imported = _imports(module)
        assert not imported & IO_MODULES, (module.name, imported & IO_MODULES)
        assert "coredis" not in imported, f"{module.name} imports another coredis layer"


def test_only_stdlib_and_hiredis() -> None:
    import sys

    package = Path(coredis.protocol.__file__).parent
    for module in package.glob("*.py"):
        for name in _imports(module) - {"__future__"}:
            assert name in sys.stdlib_module_names or name in ALLOWED_THIRD_PARTY, (
                module.name,
                name,
            )
