"""The wsgiref receiver of docs/webhooks.rst keeps answering while a client sends slowly."""

from __future__ import annotations

import pathlib
import re
import socket
import textwrap
import wsgiref.simple_server

PAGE = pathlib.Path(__file__).parents[2] / "docs" / "webhooks.rst"


def _receiver_block() -> str:
    blocks = re.findall(
        r"^\.\. code-block:: python\n\n((?:(?:    .*)?\n)+)", PAGE.read_text("utf-8"), re.M
    )
    (block,) = [block for block in blocks if "wsgiref" in block]
    return textwrap.dedent(block)


def test_the_documented_receiver_is_not_blocked_by_a_slow_body(monkeypatch, capsys):
    slow: list[socket.socket] = []
    make_server = wsgiref.simple_server.make_server

    def make_server_with_a_slow_client(*args, **kwargs):
        server = make_server(*args, **kwargs)
        # Connected before the server serves anything: a POST whose body never comes.
        client = socket.create_connection(("127.0.0.1", server.server_port))
        client.sendall(
            b"POST /x/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n"
        )
        slow.append(client)
        return server

    monkeypatch.setattr(wsgiref.simple_server, "make_server", make_server_with_a_slow_client)
    try:
        exec(compile(_receiver_block(), str(PAGE), "exec"), {"__name__": "docs_webhooks"})
    finally:
        for client in slow:
            client.close()
    assert len(slow) == 1  # the block did make its server through make_server
    assert capsys.readouterr().out.split() == ["dm.received", "2", "Hi", "Bob"]
