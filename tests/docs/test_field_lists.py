"""docs/_ext/fieldlists.py: a blank line after a field list, and no paragraph split.

The hook runs on every docstring autodoc renders. It must insert a blank line where a field
list (``:raises X: ...``) runs straight on into a paragraph, and nowhere else: a paragraph
line that starts with a role (``:class:`X` is raised...``) is not a field.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

EXT = Path(__file__).resolve().parents[2] / "docs" / "_ext" / "fieldlists.py"
MODULES = (
    "coredis",
    "coredis.protocol",
    "coredis.connection",
    "coredis.connection.events",
    "coredis.pool",
    "coredis.pool.cluster",
    "coredis.client",
    "coredis.client.response_types",
    "coredis.exceptions",
    "coredis.cluster",
    "coredis.sentinel",
    "coredis.cache",
)


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fieldlists", EXT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fieldlists"] = module
    spec.loader.exec_module(module)
    return module


fieldlists = _load()


def test_field_list_followed_by_a_paragraph_gets_its_blank_line() -> None:
    lines = [
        "Do it.",
        "",
        ":raises ConnectionError: when the server is gone, or the",
        "    connection broke",
        ":raises TimeoutError: too slow",
        "Cancelling it closes the connection.",
    ]
    assert fieldlists.end_field_lists(lines) == [5]
    assert lines[5:] == ["", "Cancelling it closes the connection."]


def test_paragraph_starting_with_a_role_is_not_split() -> None:
    lines = [
        "With ``verify_version`` a command newer than the server raises",
        ":class:`~coredis.exceptions.CommandNotSupportedError` without being sent. The",
        "version is read once per client.",
    ]
    assert fieldlists.end_field_lists(lines) == []
    paragraph = [":meth:`get_connection`. The hot path is", "``get_connection_nowait()``."]
    assert fieldlists.end_field_lists(paragraph) == []


def test_field_marker_inside_a_paragraph_is_text() -> None:
    lines = ["A paragraph whose second line", ":param x: looks like a field", "but is not."]
    assert fieldlists.end_field_lists(lines) == []


def _docstrings() -> Iterator[tuple[str, str]]:
    seen: set[int] = set()

    def visit(obj: object, name: str) -> Iterator[tuple[str, str]]:
        if id(obj) in seen:
            return
        seen.add(id(obj))
        doc = inspect.getdoc(obj)
        if doc:
            yield name, doc
        if inspect.isclass(obj):
            for key in dir(obj):  # inherited members too: the command mixins
                if key.startswith("_") and key != "__init__":
                    continue
                value = inspect.getattr_static(obj, key)
                value = getattr(value, "__func__", value)
                if callable(value) or isinstance(value, property):
                    yield from visit(value, f"{name}.{key}")

    for module_name in MODULES:
        module = importlib.import_module(module_name)
        yield from visit(module, module_name)
        for public in getattr(module, "__all__", ()):
            yield from visit(getattr(module, public), f"{module_name}.{public}")


def test_every_public_docstring_is_only_ended_after_a_field_list() -> None:
    checked = 0
    wrong: list[str] = []
    for name, doc in _docstrings():
        lines = doc.splitlines()
        for index in fieldlists.end_field_lists(lines):
            checked += 1
            # the block the blank line ends must have started with a field marker
            start = index - 1
            while start > 0 and lines[start - 1].strip():
                start -= 1
            if not fieldlists.FIELD.match(lines[start]):
                wrong.append(f"{name}: {lines[index - 1]!r} | {lines[index + 1]!r}")
    assert wrong == []
    # The layout the hook exists for still occurs (a field list run straight into a paragraph);
    # it was common while every command method restated the cancellation sentence.
    assert checked > 0


@pytest.mark.parametrize("role", [":class:`X`", ":meth:`y`", ":data:`Z` and", ":func:`f`"])
def test_roles_are_not_field_markers(role: str) -> None:
    assert fieldlists.FIELD.match(role) is None


@pytest.mark.parametrize("field", [":raises X:", ":param name: text", ":returns:", ":rtype: int"])
def test_field_markers(field: str) -> None:
    assert fieldlists.FIELD.match(field) is not None
