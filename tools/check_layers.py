"""Check the layering of the five coredis distributions (stdlib only).

    python tools/check_layers.py [REPO_ROOT]

Layers, lowest first: coredis-protocol < coredis-connection < coredis-pool < coredis-client <
coredis-cluster. Reported, one line each (``path:line: [kind] message``), exit status 1:

- ``upward-import``: a module (source or tests) imports a distribution above its own. The one
  allowed exception: coredis-client's ``coredis/__init__.py`` and its other 4.x import-path
  modules (every source module of coredis-client outside ``coredis.client``, e.g.
  ``coredis.commands``) may import ``coredis.cluster`` inside their module-level
  ``__getattr__`` (lazy names such as ``coredis.RedisCluster``) and under
  ``if TYPE_CHECKING:``.
- ``undeclared-import``: a sibling distribution is imported but not in ``[project] dependencies``.
- ``unknown-module``: ``coredis.<name>`` that no distribution ships.
- ``io-import``: coredis-protocol (its ``src``) imports an I/O module (asyncio, socket, ...).
- ``namespace-init``: a distribution other than coredis-client ships ``coredis/__init__.py``.
- ``namespace-module``: a distribution other than coredis-client ships a module directly in
  ``coredis/`` (each of the others ships only its ``coredis/<name>/`` subpackage).
- ``upward-dependency`` / ``unbounded-dependency``: a declared sibling dependency points up, or
  has no version range.

Imports are found with ``ast``: ``import``/``from`` statements (relative ones resolved) and
``importlib.import_module("...")``/``__import__("...")`` calls with a literal name.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the tool runs on the 3.11 toolchain
    raise SystemExit("tools/check_layers.py needs Python 3.11+ (tomllib)")

LAYERS = (
    "coredis-protocol",
    "coredis-connection",
    "coredis-pool",
    "coredis-client",
    "coredis-cluster",
)
NAMESPACE_OWNER = "coredis-client"
IO_MODULES = frozenset({"asyncio", "socket", "ssl", "selectors", "anyio", "trio"})
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


@dataclass(frozen=True, order=True)
class Violation:
    path: str
    line: int
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: [{self.kind}] {self.message}"


@dataclass(frozen=True)
class Import:
    module: str  # fully qualified, e.g. "coredis.pool._base"
    line: int
    allowed_upward: bool  # inside the lazy __getattr__ / TYPE_CHECKING of coredis/__init__.py


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _dependencies(pyproject: Path) -> dict[str, str]:
    """Declared dependencies: normalised name -> full requirement string."""
    data = tomllib.loads(pyproject.read_text())
    found: dict[str, str] = {}
    for requirement in data.get("project", {}).get("dependencies", []):
        match = _NAME.match(requirement)
        if match:
            found[_normalise(match.group(1))] = requirement
    return found


def _owners(root: Path) -> dict[str, str]:
    """Top-level ``coredis.<name>`` -> the distribution that ships it (``""`` for ``coredis``)."""
    owners: dict[str, str] = {}
    for dist in LAYERS:
        base = root / "packages" / dist / "src" / "coredis"
        if not base.is_dir():
            continue
        for entry in base.iterdir():
            if entry.name == "__init__.py":
                owners.setdefault("", dist)
            elif entry.is_dir() and entry.name != "__pycache__":
                owners[entry.name] = dist
            elif entry.suffix == ".py":
                owners[entry.stem] = dist
    owners.setdefault("", NAMESPACE_OWNER)
    return owners


def _module_name(path: Path, src: Path) -> tuple[str, bool]:
    """Dotted module name of ``path`` under ``src`` and whether it is a package ``__init__``."""
    parts = list(path.relative_to(src).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return ".".join(parts), is_package


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.Module, module: str, is_package: bool, lazy_ok: bool) -> Iterator[Import]:
    package = module if is_package else module.rpartition(".")[0]

    def visit(node: ast.AST, allowed: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            child_allowed = allowed
            if lazy_ok and node is tree:
                if isinstance(child, ast.FunctionDef) and child.name == "__getattr__":
                    child_allowed = True
                if isinstance(child, ast.If) and _is_type_checking(child.test):
                    yield from (
                        imp
                        for stmt in child.body
                        for imp in visit(ast.Module(body=[stmt], type_ignores=[]), True)
                    )
                    yield from (
                        imp
                        for stmt in child.orelse
                        for imp in visit(ast.Module(body=[stmt], type_ignores=[]), False)
                    )
                    continue
            yield from _direct(child, child_allowed)
            yield from visit(child, child_allowed)

    def _direct(node: ast.AST, allowed: bool) -> Iterator[Import]:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(alias.name, node.lineno, allowed)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".") if package else []
                keep = len(base_parts) - (node.level - 1)
                base = ".".join(base_parts[: max(keep, 0)])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            for alias in node.names:
                # `from coredis import cluster` imports coredis.cluster; `from x import Name`
                # imports x. Report the longer form; ownership resolves either way.
                yield Import(f"{target}.{alias.name}", node.lineno, allowed)
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            arg = node.args[0]
            if (
                name in ("import_module", "__import__")
                and isinstance(arg, ast.Constant)
                and isinstance(arg.value, str)
            ):
                yield Import(arg.value, node.lineno, allowed)

    # The module body's own statements are visited through `visit` (children of the tree).
    yield from visit(tree, False)


def _owner_of(module: str, owners: dict[str, str]) -> str | None:
    parts = module.split(".")
    if parts[0] != "coredis":
        return None
    if len(parts) > 1 and parts[1] in owners:
        return owners[parts[1]]
    if len(parts) <= 2:
        # `import coredis` or `from coredis import Name`: the top-level package.
        return owners[""]
    return "?"


def _python_files(directory: Path) -> Iterator[Path]:
    if directory.is_dir():
        for path in sorted(directory.rglob("*.py")):
            if "__pycache__" not in path.parts:
                yield path


def check(root: Path) -> list[Violation]:
    """All layering violations under ``root`` (the repository root), sorted."""
    root = root.resolve()
    owners = _owners(root)
    found: list[Violation] = []
    for dist in LAYERS:
        dist_dir = root / "packages" / dist
        pyproject = dist_dir / "pyproject.toml"
        if not pyproject.exists():
            found.append(Violation(str(pyproject.relative_to(root)), 0, "missing", "no such file"))
            continue
        rank = LAYERS.index(dist)
        deps = _dependencies(pyproject)
        rel_pyproject = str(pyproject.relative_to(root))
        for name, requirement in deps.items():
            if name in LAYERS and LAYERS.index(name) > rank:
                found.append(
                    Violation(rel_pyproject, 0, "upward-dependency", f"{dist} depends on {name}")
                )
            if name in LAYERS and not re.search(r"[<>=~!]", requirement):
                found.append(
                    Violation(
                        rel_pyproject,
                        0,
                        "unbounded-dependency",
                        f"{requirement!r} has no version range",
                    )
                )
        init = dist_dir / "src" / "coredis" / "__init__.py"
        if init.exists() and dist != NAMESPACE_OWNER:
            found.append(
                Violation(
                    str(init.relative_to(root)),
                    1,
                    "namespace-init",
                    f"only {NAMESPACE_OWNER} may ship coredis/__init__.py",
                )
            )
        if dist != NAMESPACE_OWNER and init.parent.is_dir():
            for module in sorted(init.parent.glob("*.py")):
                if module.name != "__init__.py":
                    found.append(
                        Violation(
                            str(module.relative_to(root)),
                            1,
                            "namespace-module",
                            f"only {NAMESPACE_OWNER} may ship modules directly in coredis/",
                        )
                    )
        src = dist_dir / "src"
        for path, base in [(p, src) for p in _python_files(src)] + [
            (p, dist_dir) for p in _python_files(dist_dir / "tests")
        ]:
            found.extend(_check_file(root, path, base, dist, rank, deps, owners, base is src))
    return sorted(set(found))


def _check_file(
    root: Path,
    path: Path,
    base: Path,
    dist: str,
    rank: int,
    deps: dict[str, str],
    owners: dict[str, str],
    is_src: bool,
) -> list[Violation]:
    rel = str(path.relative_to(root))
    try:
        tree = ast.parse(path.read_text(), filename=rel)
    except SyntaxError as exc:
        return [Violation(rel, exc.lineno or 0, "syntax", str(exc))]
    module, is_package = _module_name(path, base)
    lazy_ok = (
        is_src
        and dist == NAMESPACE_OWNER
        and module.startswith("coredis")
        and not (module == "coredis.client" or module.startswith("coredis.client."))
    )
    found: list[Violation] = []
    for imp in _imports(tree, module, is_package, lazy_ok):
        top = imp.module.split(".")[0]
        if is_src and dist == "coredis-protocol" and top in IO_MODULES:
            found.append(
                Violation(rel, imp.line, "io-import", f"coredis-protocol is sans-IO: imports {top}")
            )
        owner = _owner_of(imp.module, owners)
        if owner is None or owner == dist:
            continue
        if owner == "?":
            found.append(
                Violation(rel, imp.line, "unknown-module", f"no distribution ships {imp.module}")
            )
            continue
        if LAYERS.index(owner) > rank:
            if imp.allowed_upward and owner == "coredis-cluster":
                continue
            found.append(
                Violation(rel, imp.line, "upward-import", f"{dist} imports {imp.module} ({owner})")
            )
        elif owner not in deps:
            found.append(
                Violation(
                    rel,
                    imp.line,
                    "undeclared-import",
                    f"{dist} imports {imp.module} but does not declare {owner}",
                )
            )
    return found


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent
    violations = check(root)
    for violation in violations:
        print(violation)
    if violations:
        print(f"layering: {len(violations)} violation(s)", file=sys.stderr)
        return 1
    print("layering: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
