"""Sphinx configuration of the coredis handbook and API reference.

The build runs with ``-W --keep-going`` (``nox -s docs``): every warning fails it. There is
no network during builds, so intersphinx is deliberately not enabled.
"""

from __future__ import annotations

import builtins
import datetime
import importlib
import inspect
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

from fieldlists import end_field_lists
from sphinx.pycode import ModuleAnalyzer
from sphinx.util import logging

_LOGGER = logging.getLogger("coredis-docs")

project = "coredis"
author = "the coredis developers"
copyright = f"{datetime.date.today().year}, {author}"

try:
    from coredis.client._version import __version__ as release
except ImportError:  # the handbook still builds without the client installed
    release = "0+unknown"
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosectionlabel",
    "sphinx.ext.viewcode",
    "sphinx_paramlinks",
    "sphinx_copybutton",
    "benchresults",
    "changelogs",
]

# `:ref:` targets look like ``handbook/connections:non-blocking connection pool``.
autosectionlabel_prefix_document = True

# Literal blocks (``::``) are Python unless a code-block says otherwise.
highlight_language = "python3"

autodoc_typehints = "description"
autodoc_typehints_description_target = "documented_params"
autodoc_member_order = "bysource"
autodoc_default_options = {
    "members": True,
    "show-inheritance": True,
}
autoclass_content = "both"
# Defaults as written in the source (``ConnectionPool``), not the repr of the value
# (``<class 'coredis.pool._basic.ConnectionPool'>``).
autodoc_preserve_defaults = True

exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "requirements.txt"]
templates_path: list[str] = []

html_theme = "furo"
html_title = "coredis"
html_static_path: list[str] = []

copybutton_prompt_text = r"\$ "
copybutton_prompt_is_regexp = True

_PARAM_FIELD = re.compile(r"\s*:param\s+(?:[^:]*\s)?(\w+)\s*:")


def _end_field_lists(
    app: object, what: str, name: str, obj: object, options: object, lines: list[str]
) -> None:
    """The blank line reStructuredText needs between a field list and the paragraph that
    follows it (see ``_ext/fieldlists.py``)."""
    end_field_lists(lines)


def _implementation_signatures() -> None:
    """Show each function's implementation signature rather than its ``@overload`` stubs.

    The overloads only narrow types for the checker (``Redis(decode_responses=True)`` is a
    ``Redis[str]``); their parameters all default to ``...``. The implementation lists
    every parameter with its real default, and its annotations give the types that
    ``autodoc_typehints = "description"`` shows next to each parameter.
    """
    analyze = ModuleAnalyzer.analyze

    def analyze_without_overloads(self: ModuleAnalyzer) -> None:
        analyze(self)
        self.overloads = {}

    ModuleAnalyzer.analyze = analyze_without_overloads  # type: ignore[method-assign]


_TYPE_FIELD = re.compile(r"\s*:type\s+(\w+)\s*:")


def _annotation_text(annotation: Any) -> str:
    if isinstance(annotation, str):
        return annotation
    return inspect.formatannotation(annotation).replace("typing.", "")


def _document_every_parameter(
    app: object, what: str, name: str, obj: object, options: object, lines: list[str]
) -> None:
    """Give every parameter of a class (its constructor), function or method a ``:param:``
    field and a ``:type:`` field from its annotation.

    The ``:param:`` field gives each parameter an anchor from sphinx-paramlinks
    (``:paramref:`coredis.Redis.connection_pool_cls```), even where the docstring describes
    it in prose. The ``:type:`` field is written here rather than left to
    ``autodoc_typehints = "description"``: sphinx-paramlinks renames the ``:param:`` fields
    (to make its anchors) before Sphinx would match annotations to them by name, so Sphinx
    would add no type at all. Both run before sphinx-paramlinks (priority 500), which then
    renames the pair alike.
    """
    if what == "class" and isinstance(obj, type):
        target: Any = obj.__init__
    elif what in ("function", "method") and callable(obj):
        target = obj
    else:
        return
    try:
        parameters = [
            p
            for p in inspect.signature(target).parameters.values()
            if p.name not in ("self", "cls") and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]
    except (TypeError, ValueError):
        return
    documented = {m.group(1) for m in map(_PARAM_FIELD.match, lines) if m}
    typed = {m.group(1) for m in map(_TYPE_FIELD.match, lines) if m}
    added = [f":param {p.name}:" for p in parameters if p.name not in documented]
    added += [
        f":type {p.name}: {_annotation_text(p.annotation)}"
        for p in parameters
        if p.name not in typed and p.annotation is not inspect.Parameter.empty
    ]
    if added:
        lines.append("")
        lines.extend(added)


def _strict_handbook_references(
    app: object, env: object, node: dict[str, str], contnode: object
) -> None:
    """Fail the build when a handbook page names a Python object the reference lacks.

    Sphinx only reports unresolved Python references in nitpicky mode, which would also flag
    every type alias in the generated signatures. The handbook's own links are held to the
    stricter rule; builtins and the standard library are exempt because intersphinx is off
    (no network).
    """
    target = node.get("reftarget", "")
    if node.get("refdomain") != "py" or not node.get("refdoc", "").startswith("handbook/"):
        return
    if node.get("reftype") == "paramref":
        return  # sphinx-paramlinks resolves these; _check_param_anchors verifies them
    if "." not in target and hasattr(builtins, target):
        return
    if target.split(".", 1)[0] in sys.stdlib_module_names:
        return
    _LOGGER.warning("handbook reference to a missing object: %s", target, location=node)


_PARAM_HREF = re.compile(r'href="([^"#]*)#([^"]*\.params\.[^"]*)"')


def _check_param_anchors(app: Any, exception: Exception | None) -> None:
    """After an HTML build, every ``:paramref:`` link of the handbook must land on an anchor
    that exists (a parameter the target's docstring or signature actually has)."""
    if exception is not None or app.builder.name != "html":
        return
    out = Path(app.outdir)
    for page in sorted((out / "handbook").glob("*.html")):
        for target, anchor in _PARAM_HREF.findall(page.read_text(encoding="utf-8")):
            html = (page.parent / target).resolve() if target else page
            if not html.exists() or f'id="{anchor}"' not in html.read_text(encoding="utf-8"):
                _LOGGER.warning("%s links to a missing parameter anchor %s", page.name, anchor)


_ELLIPSIS_DEFAULT = re.compile(r'class="default_value"><span class="pre">\.\.\.</span>')
_UNTYPED_PARAM = re.compile(r'<strong>(\w+)</strong><a class="paramlink[^>]*>¶</a></p>')


def _check_api_signatures(app: Any, exception: Exception | None) -> None:
    """After an HTML build, the API reference shows real defaults (not an overload's
    ``...``) and a type for every parameter it lists."""
    if exception is not None or app.builder.name != "html":
        return
    for page in sorted((Path(app.outdir) / "api").glob("*.html")):
        html = page.read_text(encoding="utf-8")
        if _ELLIPSIS_DEFAULT.search(html):
            _LOGGER.warning("%s shows a parameter default of '...'", page.name)
        untyped = sorted(set(_UNTYPED_PARAM.findall(html)))
        if untyped:
            _LOGGER.warning("%s lists parameters without a type: %s", page.name, untyped)


# Where each public object is documented, so that base classes shown by autodoc name the
# public path (``coredis.exceptions.ResponseError``) rather than the private module.
_PUBLIC_MODULES = (
    "coredis.exceptions",
    "coredis",
    "coredis.client",
    "coredis.cluster",
    "coredis.pool",
    "coredis.pool.cluster",
    "coredis.connection",
    "coredis.protocol",
)
_PUBLIC_NAMES: dict[int, str] = {}


def _public_name(obj: object) -> str | None:
    if not _PUBLIC_NAMES:
        for module_name in _PUBLIC_MODULES:
            try:
                module = importlib.import_module(module_name)
            except ImportError:
                continue
            for name in getattr(module, "__all__", ()):
                _PUBLIC_NAMES.setdefault(id(getattr(module, name, None)), f"{module_name}.{name}")
    return _PUBLIC_NAMES.get(id(obj))


def _public_bases(app: object, name: str, obj: object, options: object, bases: list[Any]) -> None:
    for index, base in enumerate(bases):
        public = _public_name(base)
        if public is not None and "._" in f"{getattr(base, '__module__', '')}.":
            bases[index] = f":py:class:`~{public}`"


def setup(app: object) -> None:
    _implementation_signatures()
    # before sphinx-paramlinks (priority 500) turns :param: fields into anchors
    app.connect("autodoc-process-docstring", _end_field_lists, priority=300)  # type: ignore[attr-defined]
    app.connect("autodoc-process-docstring", _document_every_parameter, priority=400)  # type: ignore[attr-defined]
    # after sphinx-paramlinks has had its chance to resolve :paramref:
    app.connect("missing-reference", _strict_handbook_references, priority=900)  # type: ignore[attr-defined]
    app.connect("build-finished", _check_param_anchors)  # type: ignore[attr-defined]
    app.connect("build-finished", _check_api_signatures)  # type: ignore[attr-defined]
    app.connect("autodoc-process-bases", _public_bases)  # type: ignore[attr-defined]
