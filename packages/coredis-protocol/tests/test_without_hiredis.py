"""Without hiredis (the extra not installed) the package still works, on the pure reader."""

from __future__ import annotations

import textwrap
from typing import Any

SCRIPT = textwrap.dedent(
    """
    import sys
    sys.modules["hiredis"] = None  # makes "import hiredis" raise ImportError
    import coredis.protocol as protocol

    assert protocol.HIREDIS_AVAILABLE is False
    assert type(protocol.Reader()) is protocol.PythonReader
    for attempt in (lambda: protocol.Reader(use_hiredis=True), protocol.HiredisReader):
        try:
            attempt()
        except ImportError as exc:
            assert "coredis-protocol[hiredis]" in str(exc), exc
        else:
            raise AssertionError("hiredis reader created without hiredis")
    reader = protocol.Reader()
    reader.feed(b">2\\r\\n+message\\r\\n:1\\r\\n*2\\r\\n+message\\r\\n:1\\r\\n")
    push, array = reader.gets(), reader.gets()
    assert type(push) is protocol.PushFrame and push.__class__.__name__ == "PushFrame"
    assert isinstance(push, list) and type(array) is list and push == array
    assert repr(push) == "PushFrame([b'message', 1])", repr(push)
    print("ok")
    """
)


def test_pure_reader_when_hiredis_is_missing(tools: Any) -> None:
    tools.run_script(SCRIPT)
