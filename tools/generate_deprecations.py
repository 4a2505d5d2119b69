"""Regenerate coredis-client's table of deprecated Redis commands from ``COMMAND DOCS``.

    python tools/generate_deprecations.py [--check]

Starts a throwaway redis-server (through coredis_testing, on a free loopback port), reads
``COMMAND DOCS`` and writes every command or sub-command whose ``doc_flags`` contain
``deprecated`` (with ``deprecated_since`` and ``replaced_by``) to
``packages/coredis-client/src/coredis/client/_deprecations_data.py``. ``--check`` writes
nothing and exits 1 when the committed module differs from what the server says.

The client warns (``DeprecationWarning``) when one of these commands is sent; the table is
data, not judgement: rerun this script against a newer server to pick up new deprecations.
``REDIS_SERVER`` chooses the redis-server binary (see coredis_testing).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from coredis_testing import ServerInfo, command, start_server

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "packages/coredis-client/src/coredis/client/_deprecations_data.py"

#: ``(name, deprecated_since, replaced_by)``: ``name`` is ``"HMSET"`` or ``"CLUSTER SLAVES"``
Entry = tuple[str, str, str]


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _pairs(flat: list[Any]) -> Iterator[tuple[Any, Any]]:
    """RESP2 maps are flat arrays: ``[k1, v1, k2, v2, ...]``."""
    return zip(flat[0::2], flat[1::2], strict=True)


def _walk(docs: list[Any]) -> Iterator[Entry]:
    for raw_name, raw_doc in _pairs(docs):
        doc = {_text(key): value for key, value in _pairs(raw_doc)}
        # sub-commands are named "container|sub" by the server
        name = _text(raw_name).replace("|", " ").upper()
        flags = {_text(flag) for flag in doc.get("doc_flags") or ()}
        if "deprecated" in flags:
            yield name, _text(doc.get("deprecated_since", "")), _text(doc.get("replaced_by", ""))
        if doc.get("subcommands"):
            yield from _walk(doc["subcommands"])


def deprecated_commands(server: ServerInfo) -> tuple[str, list[Entry]]:
    """The server's version and its deprecated commands, sorted by name.

    :raises coredis_testing.ReplyError: when the server refuses ``COMMAND DOCS`` (< 7.0).
    """
    info = _text(command(server, "INFO", "server"))
    version = next(
        line.split(":", 1)[1].strip()
        for line in info.splitlines()
        if line.startswith("redis_version:")
    )
    docs = command(server, "COMMAND", "DOCS")
    assert isinstance(docs, list)
    return version, sorted(_walk(docs))


def _quote(text: str) -> str:
    """``text`` as a double-quoted Python literal (ruff format's quote style)."""
    if not text.isascii() or any(c in text for c in '"\\\n'):
        raise ValueError(f"unexpected characters in COMMAND DOCS text: {text!r}")
    return f'"{text}"'


def render(version: str, entries: list[Entry]) -> str:
    """The text of the data module for ``entries`` read from a server at ``version``."""
    lines = [
        '"""Deprecated Redis commands, read from ``COMMAND DOCS``: GENERATED, do not edit.',
        "",
        "Regenerate with ``python tools/generate_deprecations.py``; the client's tests check",
        "this table against a live server.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        '__all__ = ("DEPRECATED", "GENERATED_FROM")',
        "",
        "#: the version of the redis-server whose ``COMMAND DOCS`` this table was read from",
        f"GENERATED_FROM = {_quote(version)}",
        "",
        '#: ``b"HMSET"`` or ``b"CLUSTER SLAVES"`` -> (deprecated since, replaced by), as the',
        "#: server documents them",
        "DEPRECATED: dict[bytes, tuple[str, str]] = {",
    ]
    for name, since, replaced_by in entries:
        line = f"    b{_quote(name)}: ({_quote(since)}, {_quote(replaced_by)}),"
        if len(line) > 100:  # laid out as ruff format would (the module is linted too)
            line = "\n".join(
                (f"    b{_quote(name)}: (", f"        {_quote(since)},"),
            )
            line += f"\n        {_quote(replaced_by)},\n    ),"
        lines.append(line)
    lines.append("}")
    return "\n".join(lines) + "\n"


def generate() -> str:
    """Start a throwaway server and render the module from its ``COMMAND DOCS``.

    :raises coredis_testing.ServerStartError: when no redis-server can be started.
    """
    server = start_server(name="deprecations")
    try:
        return render(*deprecated_commands(server))
    finally:
        server.destroy()


def main(argv: list[str]) -> int:
    text = generate()
    if "--check" in argv:
        if TARGET.read_text() != text:
            print(f"{TARGET} is out of date: run python tools/generate_deprecations.py")
            return 1
        return 0
    TARGET.write_text(text)
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
