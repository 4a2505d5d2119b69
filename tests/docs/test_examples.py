"""Run every Python example of the handbook against the test servers.

The rules (which blocks run, which connection targets are rewritten) are documented for
page authors in ``docs/handbook/examples.rst``; keep the two in step.

Collection parses each ``docs/**/*.rst`` file with docutils. A block runs when it is a
``::`` literal block or a ``code-block``/``code`` in Python, unless it carries the class
``norun``. Only the connection target of the program is changed before it runs: clients,
pools and connections get the host/port (or unix socket path) of a server started by the
``coredis-testing`` plugin, and ``redis://``/``unix://`` URLs are pointed there as well.
The program then runs as a script in a subprocess and must exit with status 0.
"""

from __future__ import annotations

import ast
import dataclasses
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import Directive, directives

DOCS = Path(__file__).resolve().parents[2] / "docs"
PYTHON_LANGUAGES = {"python", "python3", "py", "py3", ""}
NORUN_CLASS = "norun"
RUN_TIMEOUT = 90

#: Calls that make a standalone connection (host/port, or a unix socket path).
STANDALONE_CALLS = {
    "Redis",
    "ConnectionPool",
    "BlockingConnectionPool",
    "MultiplexedConnectionPool",
    "Connection",
}
#: Calls that take a unix socket path as ``path``.
UNIX_CALLS = {"UnixDomainSocketConnection"}
#: Calls that make a cluster client, pool or cluster-node connection.
CLUSTER_CALLS = {
    "RedisCluster",
    "ClusterConnectionPool",
    "BlockingClusterConnectionPool",
    "ClusterConnection",
}
#: Calls whose first argument (``sentinels``) lists sentinel addresses.
SENTINEL_CALLS = {"Sentinel", "SentinelQuery"}
#: Keyword arguments that make a client or pool speak TLS: such calls go to the TLS server.
SSL_KEYWORDS = {
    "ssl",
    "ssl_context",
    "ssl_ca_certs",
    "ssl_certfile",
    "ssl_keyfile",
    "ssl_cert_reqs",
    "ssl_check_hostname",
}
#: Keyword arguments that log in: such calls go to the server with ACL users.
AUTH_KEYWORDS = {"username", "password"}
#: The file name examples use for the certificate authority of the TLS server.
CA_PLACEHOLDER = "ca.pem"
URL_RE = re.compile(r"^(rediss?://(?:[^@/]*@)?)([^/:?]+)(?::\d+)?")


# -- collection ---------------------------------------------------------------------------


class _CodeBlock(Directive):
    """A stand-in for Sphinx's ``code-block`` that keeps the language and classes."""

    optional_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "class": directives.class_option,
        "caption": directives.unchanged,
        "linenos": directives.flag,
        "emphasize-lines": directives.unchanged,
        "name": directives.unchanged,
        "dedent": directives.unchanged,
        "force": directives.flag,
        "lineno-start": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        text = "\n".join(self.content)
        node = nodes.literal_block(text, text)
        node["language"] = self.arguments[0] if self.arguments else "python"
        node["classes"] += self.options.get("class", [])
        node.line = self.content_offset + 1
        return [node]


for _name in ("code-block", "code", "sourcecode"):
    directives.register_directive(_name, _CodeBlock)


@dataclasses.dataclass(frozen=True)
class Example:
    path: Path
    line: int
    source: str

    @property
    def name(self) -> str:
        return f"{self.path.relative_to(DOCS).as_posix()}:{self.line}"

    def _nodes(self) -> list[ast.AST]:
        return list(ast.walk(ast.parse(self.source)))

    @property
    def needs_cluster(self) -> bool:
        return any(_call_name(n) in CLUSTER_CALLS for n in self._nodes())

    @property
    def needs_sentinel(self) -> bool:
        return any(_call_name(n) in SENTINEL_CALLS for n in self._nodes())

    @property
    def needs_tls(self) -> bool:
        return any(
            (isinstance(n, ast.Call) and _keyword_names(n) & SSL_KEYWORDS)
            or (isinstance(n, ast.Constant) and str(n.value).startswith("rediss://"))
            for n in self._nodes()
        )

    @property
    def needs_acl(self) -> bool:
        return any(
            (isinstance(n, ast.Call) and _keyword_names(n) & AUTH_KEYWORDS)
            or (isinstance(n, ast.Constant) and _url_has_credentials(str(n.value)))
            for n in self._nodes()
        )


def examples_in(text: str, path: Path) -> Iterator[Example]:
    """Yield the runnable examples of one reStructuredText document."""
    doctree = publish_doctree(
        text,
        source_path=str(path),
        settings_overrides={
            "report_level": 5,  # Sphinx-only roles and directives are not errors here
            "halt_level": 5,
            "file_insertion_enabled": False,
            "raw_enabled": False,
            "warning_stream": False,
        },
    )
    for block in doctree.findall(nodes.literal_block):
        if _inside_system_message(block):
            continue  # the body of a directive docutils does not know (autodoc, toctree)
        if NORUN_CLASS in block["classes"]:
            continue
        if block.get("language", "python") not in PYTHON_LANGUAGES:
            continue
        yield Example(path, block.line or 0, block.astext())


def _inside_system_message(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.system_message):
            return True
        parent = parent.parent
    return False


def collect() -> list[Example]:
    found: list[Example] = []
    for path in sorted(DOCS.rglob("*.rst")):
        if "_build" in path.parts:
            continue
        found.extend(examples_in(path.read_text(encoding="utf-8"), path))
    return found


# -- rewriting the connection target --------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Target:
    host: str
    port: int
    unix_socket: str | None = None
    ca_file: str | None = None


def _url_has_credentials(text: str) -> bool:
    match = URL_RE.match(text)
    return bool(match and "@" in match.group(1))


def _call_name(node: ast.AST) -> str | None:
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def _set_argument(call: ast.Call, position: int | None, name: str, value: object) -> None:
    """Replace (or add) the argument *name*, given positionally at *position* or by name."""
    constant = ast.Constant(value)
    if position is not None and len(call.args) > position:
        call.args[position] = constant
        return
    for keyword in call.keywords:
        if keyword.arg == name:
            keyword.value = constant
            return
    call.keywords.append(ast.keyword(arg=name, value=constant))


def _keyword_names(call: ast.Call) -> set[str]:
    return {k.arg for k in call.keywords if k.arg is not None}


class _Retarget(ast.NodeTransformer):
    def __init__(
        self,
        standalone: Target,
        cluster: Target | None,
        tls: Target | None,
        acl: Target | None,
        sentinels: list[tuple[str, int]] | None = None,
    ) -> None:
        self.sentinels = sentinels
        self.standalone = standalone
        self.cluster = cluster
        self.tls = tls
        self.acl = acl

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        name = _call_name(node)
        given = _keyword_names(node)
        if name in STANDALONE_CALLS and "connection_pool" not in given:
            if "unix_socket_path" in given or "path" in given:
                key = "unix_socket_path" if "unix_socket_path" in given else "path"
                _set_argument(node, None, key, self._unix_socket())
            else:
                target = self._standalone_for(given)
                _set_argument(node, 0, "host", target.host)
                _set_argument(node, 1, "port", target.port)
        elif name in SENTINEL_CALLS:
            if self.sentinels is None:
                raise AssertionError("a sentinel example was given no sentinels")
            value = ast.parse(repr(self.sentinels), mode="eval").body
            if node.args:
                node.args[0] = value
            else:
                node.keywords = [k for k in node.keywords if k.arg != "sentinels"]
                node.keywords.append(ast.keyword(arg="sentinels", value=value))
        elif (
            name
            and name.endswith("ConnectionPool")
            and name not in CLUSTER_CALLS | {"SentinelConnectionPool"}
        ):
            raise AssertionError(f"the collector does not know how to retarget {name}(...)")
        elif name in UNIX_CALLS:
            _set_argument(node, 0, "path", self._unix_socket())
        elif name in CLUSTER_CALLS and "connection_pool" not in given:
            cluster = self._cluster()
            if "startup_nodes" in given:
                nodes_value = [{"host": cluster.host, "port": cluster.port}]
                node.keywords = [k for k in node.keywords if k.arg != "startup_nodes"]
                node.keywords.append(
                    ast.keyword(
                        arg="startup_nodes", value=ast.parse(repr(nodes_value), mode="eval").body
                    )
                )
            else:
                _set_argument(node, 0, "host", cluster.host)
                _set_argument(node, 1, "port", cluster.port)
        return node

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if isinstance(node.value, str):
            node.value = self._rewrite_string(node.value)
        return node

    def _standalone_for(self, given: set[str]) -> Target:
        if given & SSL_KEYWORDS:
            return self._need(self.tls, "TLS")
        if given & AUTH_KEYWORDS:
            return self._need(self.acl, "ACL")
        return self.standalone

    @staticmethod
    def _need(target: Target | None, kind: str) -> Target:
        if target is None:
            raise AssertionError(f"an example needing the {kind} server was given none")
        return target

    def _rewrite_string(self, text: str) -> str:
        if text == CA_PLACEHOLDER:
            ca_file = self._need(self.tls, "TLS").ca_file
            assert ca_file is not None
            return ca_file
        if text == "/tmp/redis.sock":
            return self._unix_socket()
        if text.startswith("unix://"):
            rest = text[len("unix://") :]
            _path, sep, query = rest.partition("?")
            return f"unix://{self._unix_socket()}{sep}{query}"
        match = URL_RE.match(text)
        if match:
            target = self.standalone
            if text.startswith("rediss://"):
                target = self._need(self.tls, "TLS")
            elif _url_has_credentials(text):
                target = self._need(self.acl, "ACL")
            elif self.cluster is not None and (":7000" in text or ":7001" in text):
                target = self.cluster
            return f"{match.group(1)}{target.host}:{target.port}{text[match.end() :]}"
        return text

    def _unix_socket(self) -> str:
        if self.standalone.unix_socket is None:
            raise AssertionError("the standalone test server has no unix socket")
        return self.standalone.unix_socket

    def _cluster(self) -> Target:
        if self.cluster is None:
            raise AssertionError("a cluster example was given no cluster target")
        return self.cluster


def retarget(
    source: str,
    standalone: Target,
    cluster: Target | None = None,
    tls: Target | None = None,
    acl: Target | None = None,
    sentinels: list[tuple[str, int]] | None = None,
) -> str:
    """Return *source* with every connection target pointed at the given servers."""
    tree = _Retarget(standalone, cluster, tls, acl, sentinels).visit(ast.parse(source))
    return ast.unparse(ast.fix_missing_locations(tree))


# -- the tests ------------------------------------------------------------------------------

#: Runs the example script with the default Redis port closed to it. A Redis that is not
#: ours listens on 6379 on development machines: an example whose target the rewriter
#: missed (a new pool class, say) must fail loudly, never write to that server. Checked
#: at the socket level, so it also holds for fork()ed children.
GUARD = """
import runpy, socket, sys
_FORBIDDEN_PORTS = {6379, 7000, 26379}
def _guarded(original):
    def connect(self, address):
        if isinstance(address, tuple) and len(address) >= 2 and address[1] in _FORBIDDEN_PORTS:
            raise ConnectionRefusedError(
                f"docs example tried to reach {address}: the collector did not retarget it"
            )
        return original(self, address)
    return connect
socket.socket.connect = _guarded(socket.socket.connect)
socket.socket.connect_ex = _guarded(socket.socket.connect_ex)
script = sys.argv[1]
sys.argv = sys.argv[1:]
runpy.run_path(script, run_name="__main__")
"""

EXAMPLES = collect()


def _param(example: Example) -> Any:
    mark = pytest.mark.cluster if example.needs_cluster else pytest.mark.redis
    return pytest.param(example, marks=mark, id=example.name)


@pytest.mark.parametrize("example", [_param(e) for e in EXAMPLES])
def test_example(example: Example, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    server = request.getfixturevalue("redis_clean")
    standalone = Target(server.host, server.port, server.unix_socket)
    cluster = tls = acl = None
    if example.needs_cluster:
        info = request.getfixturevalue("redis_cluster_clean")
        host, port = info.startup_nodes[0]
        cluster = Target(host, port)
    if example.needs_tls:
        server = request.getfixturevalue("redis_tls_server")
        tls = Target(server.host, server.port, ca_file=server.tls.ca_file)
    if example.needs_acl:
        server = request.getfixturevalue("redis_acl_server")
        acl = Target(server.host, server.port)
    sentinels = None
    if example.needs_sentinel:  # a private set per example: examples may fail it over
        sentinels = request.getfixturevalue("redis_sentinel_factory")().sentinel_addresses
    script = tmp_path / "example.py"
    source = retarget(example.source, standalone, cluster, tls, acl, sentinels)
    script.write_text(source, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", GUARD, str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, (
        f"{example.name} exited with {result.returncode}\n"
        f"--- script ---\n{script.read_text()}\n"
        f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
    )


# -- the collector itself (no server needed) ------------------------------------------------

SAMPLE = """
Title
=====

Runs::

    print("literal")

.. code-block:: python

    print("code-block")

.. code-block:: python
   :class: norun

    print("shown only")

.. code-block:: console

    $ pip install coredis-client

.. autoclass:: coredis.Redis

.. note::

   .. code-block:: python

       print("inside a note")
"""


def test_collector_keeps_python_and_skips_norun_and_shell() -> None:
    found = [e.source for e in examples_in(SAMPLE, DOCS / "sample.rst")]
    assert found == ['print("literal")', 'print("code-block")', 'print("inside a note")']


def test_collector_finds_the_connections_handbook_examples() -> None:
    page = [e for e in EXAMPLES if e.path.name == "connections.rst"]
    # the three pool examples of the 4.x handbook, in order: 8 of 10 fail, none, none
    pools = [e.source for e in page if "asyncio.gather(\n        *[client.get" in e.source]
    assert len(pools) == 3
    assert "max_connections=2)" in pools[0] and "== 8" in pools[0]
    assert "max_connections=10)" in pools[1] and "== 0" in pools[1]
    assert "connection_pool_cls=coredis.BlockingConnectionPool" in pools[2]
    assert "== 0" in pools[2]
    assert any("unix_socket_path" in e.source for e in page)
    assert any("connection_class=TaggedConnection" in e.source for e in page)
    assert all(e.line > 0 for e in page)


def test_retarget_fills_in_the_default_host_and_port() -> None:
    code = retarget("import coredis\nc = coredis.Redis(max_connections=2)", Target("h", 1))
    assert "coredis.Redis(max_connections=2, host='h', port=1)" in code


def test_retarget_replaces_explicit_targets() -> None:
    here = Target("127.0.0.1", 1111, "/run/test.sock")
    cluster = Target("127.0.0.1", 2222)
    code = retarget(
        "a = Redis('localhost', 6379)\n"
        "b = RedisCluster('localhost', 7000, max_connections=2)\n"
        "c = Redis(unix_socket_path='/tmp/redis.sock')\n"
        "d = Redis.from_url('redis://localhost:6379/0?protocol_version=2')\n"
        "e = RedisCluster(startup_nodes=[{'host': 'localhost', 'port': 7000}])\n"
        "f = Redis(connection_pool=pool)\n",
        here,
        cluster,
    )
    assert code.splitlines() == [
        "a = Redis('127.0.0.1', 1111)",
        "b = RedisCluster('127.0.0.1', 2222, max_connections=2)",
        "c = Redis(unix_socket_path='/run/test.sock')",
        "d = Redis.from_url('redis://127.0.0.1:1111/0?protocol_version=2')",
        "e = RedisCluster(startup_nodes=[{'host': '127.0.0.1', 'port': 2222}])",
        "f = Redis(connection_pool=pool)",
    ]


def test_retarget_sends_tls_and_login_examples_to_their_servers() -> None:
    here, tls, acl = Target("h", 1), Target("h", 2, ca_file="/run/ca.pem"), Target("h", 3)
    code = retarget(
        "a = Redis(ssl=True, ssl_ca_certs='ca.pem')\n"
        "b = Redis(username='coredis', password='coredis-secret')\n"
        "c = Redis.from_url('rediss://localhost:6380')\n"
        "d = Redis.from_url('redis://coredis:coredis-secret@localhost:6379/0')\n",
        here,
        tls=tls,
        acl=acl,
    )
    assert code.splitlines() == [
        "a = Redis(ssl=True, ssl_ca_certs='/run/ca.pem', host='h', port=2)",
        "b = Redis(username='coredis', password='coredis-secret', host='h', port=3)",
        "c = Redis.from_url('rediss://h:2')",
        "d = Redis.from_url('redis://coredis:coredis-secret@h:3/0')",
    ]
    example = Example(DOCS, 1, "Redis(ssl_context=ctx, password='x')")
    assert (example.needs_tls, example.needs_acl, example.needs_cluster) == (True, True, False)


def test_examples_that_build_a_cluster_client_need_the_cluster() -> None:
    assert Example(DOCS, 1, "import coredis\ncoredis.RedisCluster('localhost', 7000)").needs_cluster
    assert not Example(DOCS, 1, "# coredis.RedisCluster('localhost', 7000)").needs_cluster


def test_errors_page_names_every_exception_class() -> None:
    import coredis.exceptions

    page = (DOCS / "handbook" / "errors.rst").read_text(encoding="utf-8")
    missing = [
        name
        for name in coredis.exceptions.__all__
        if isinstance(getattr(coredis.exceptions, name), type)
        and f"coredis.exceptions.{name}`" not in page
    ]
    assert missing == []


def test_errors_page_tree_matches_the_class_hierarchy() -> None:
    import coredis.exceptions

    page = (DOCS / "handbook" / "errors.rst").read_text(encoding="utf-8")
    bullet = re.compile(r"^( *)- :class:`~coredis\.exceptions\.(\w+)`", re.M)
    stack: list[tuple[int, str]] = []
    checked = 0
    for match in bullet.finditer(page):
        indent, name = len(match.group(1)), match.group(2)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        cls = getattr(coredis.exceptions, name)
        if stack:
            parent = getattr(coredis.exceptions, stack[-1][1])
            assert parent in cls.__bases__, f"{name} is drawn under {parent.__name__}"
            checked += 1
        else:
            assert not any(b.__module__.startswith("coredis") for b in cls.__bases__), name
        stack.append((indent, name))
    assert checked >= 40


def test_the_guard_keeps_examples_off_the_default_ports(tmp_path: Path) -> None:
    script = tmp_path / "stray.py"
    script.write_text(
        "import asyncio\n"
        "async def main():\n"
        "    await asyncio.open_connection('127.0.0.1', 26379)\n"
        "asyncio.run(main())\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-c", GUARD, str(script)],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    assert result.returncode == 1
    assert "tried to reach ('127.0.0.1', 26379)" in result.stderr
