"""Regenerate coredis-client's tables read from ``COMMAND DOCS``.

    python tools/generate_deprecations.py [--check]

Starts a throwaway redis-server (through coredis_testing, on a free loopback port), reads
``COMMAND DOCS`` and writes two generated modules:

- ``packages/coredis-client/src/coredis/client/_deprecations_data.py``: every command or
  sub-command whose ``doc_flags`` contain ``deprecated`` (with ``deprecated_since`` and
  ``replaced_by``);
- ``packages/coredis-client/src/coredis/client/_prefix_tokens.py``: coredis 4.x's
  ``PrefixToken`` enum, the tokens that precede an argument's value (``COUNT 10``,
  ``MATCH pattern``), as opposed to pure tokens (``NX``).

``--check`` writes nothing and exits 1 when a committed module differs from what the
server says.

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
TOKENS_TARGET = ROOT / "packages/coredis-client/src/coredis/client/_prefix_tokens.py"

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


def _tokens_of(arguments: list[Any]) -> Iterator[str]:
    """The tokens of arguments that carry a value (a block's token precedes the block's
    arguments), nested blocks included; a ``pure-token`` carries none."""
    for raw in arguments:
        arg = {_text(key): value for key, value in _pairs(raw)}
        token = arg.get("token")
        if token is not None and _text(arg.get("type", "")) != "pure-token":
            yield _text(token)
        yield from _tokens_of(arg.get("arguments") or [])


def _walk_tokens(docs: list[Any]) -> Iterator[str]:
    for _, raw_doc in _pairs(docs):
        doc = {_text(key): value for key, value in _pairs(raw_doc)}
        yield from _tokens_of(doc.get("arguments") or [])
        if doc.get("subcommands"):
            yield from _walk_tokens(doc["subcommands"])


def _member(token: str) -> str:
    return token.upper().replace("-", "_").replace("/", "_").replace(":", "_")


def prefix_tokens(server: ServerInfo) -> list[str]:
    """The server's prefix tokens (sorted, each a valid Python name once upper-cased)."""
    docs = command(server, "COMMAND", "DOCS")
    assert isinstance(docs, list)
    return sorted({t.upper() for t in _walk_tokens(docs) if _member(t).isidentifier()})


def render_tokens(version: str, tokens: list[str]) -> str:
    """The text of the ``PrefixToken`` module for ``tokens`` read from a server at ``version``."""
    lines = [
        '"""coredis 4.x\'s ``PrefixToken``, read from ``COMMAND DOCS``: GENERATED, do not edit.',
        "",
        "The tokens that precede an argument's value (``COUNT 10``, ``MATCH pattern``); the",
        "command methods write them for you, so programs rarely need these. Regenerate with",
        "``python tools/generate_deprecations.py``; the client's tests check this enum against a",
        "live server.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "import enum",
        "",
        '__all__ = ("GENERATED_FROM", "PrefixToken")',
        "",
        "#: the version of the redis-server whose ``COMMAND DOCS`` this enum was read from",
        f"GENERATED_FROM = {_quote(version)}",
        "",
        "",
        "class PrefixToken(bytes, enum.Enum):",
        '    """A token sent before an argument\'s value; its value is the bytes sent."""',
        "",
        "    def __str__(self) -> str:",
        '        return self.value.decode("ascii")',
        "",
    ]
    lines += [f"    {_member(token)} = b{_quote(token)}" for token in tokens]
    return "\n".join(lines) + "\n"


def generate() -> dict[Path, str]:
    """Start a throwaway server and render both modules from its ``COMMAND DOCS``.

    :raises coredis_testing.ServerStartError: when no redis-server can be started.
    """
    server = start_server(name="deprecations")
    try:
        version, entries = deprecated_commands(server)
        return {
            TARGET: render(version, entries),
            TOKENS_TARGET: render_tokens(version, prefix_tokens(server)),
        }
    finally:
        server.destroy()


def main(argv: list[str]) -> int:
    modules = generate()
    if "--check" in argv:
        stale = [path for path, text in modules.items() if path.read_text() != text]
        for path in stale:
            print(f"{path} is out of date: run python tools/generate_deprecations.py")
        return 1 if stale else 0
    for path, text in modules.items():
        path.write_text(text)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
