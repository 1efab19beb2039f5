"""The webhook receivers under production servers, over real sockets.

The same handler runs behind the ASGI app under uvicorn and the WSGI app
under waitress. These servers are not dependencies of tweepy-dm: the tox
environment for webhook servers installs them.
"""

from __future__ import annotations

import json
import pathlib
import threading

import pytest
import requests

from tests.helpers import wait_until
from tests.realtime.test_webhooks import SECRET, x_signature
from tweepy_dm import webhooks

# Run by tox -e webhooks, which installs the servers.
pytestmark = pytest.mark.servers

EXAMPLES = json.loads(
    (pathlib.Path(__file__).parent.parent / "data" / "x_event_examples.json").read_text("utf-8")
)["examples"]


def serve_uvicorn(app, lifespan):
    uvicorn = pytest.importorskip("uvicorn", reason="uvicorn is not installed")
    config = uvicorn.Config(app, host="127.0.0.1", port=0, lifespan=lifespan, log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run)
    thread.start()
    wait_until(lambda: server.started, what="uvicorn to start")
    port = server.servers[0].sockets[0].getsockname()[1]

    def stop():
        server.should_exit = True
        thread.join(10)

    return f"http://127.0.0.1:{port}", stop


def serve_waitress(app):
    waitress = pytest.importorskip("waitress", reason="waitress is not installed")
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run)
    thread.start()

    def stop():
        # waitress has no stop(): close every channel (as WebTest's stoppable
        # server does), and its loop ends at its next poll.
        while server._map:
            for channel in list(server._map.values()):
                channel.handle_close()
        server.task_dispatcher.shutdown()
        thread.join(10)

    return f"http://127.0.0.1:{server.effective_port}", stop


SERVERS = {
    "asgi under uvicorn": lambda handler: serve_uvicorn(
        webhooks.asgi_app(SECRET, handler, path="/webhooks/x"), "auto"
    ),
    "asgi under uvicorn without lifespan": lambda handler: serve_uvicorn(
        webhooks.asgi_app(SECRET, handler, path="/webhooks/x"), "off"
    ),
    "wsgi under waitress": lambda handler: serve_waitress(
        webhooks.wsgi_app(SECRET, handler, path="/webhooks/x")
    ),
}


@pytest.mark.parametrize("server", list(SERVERS))
def test_the_same_handler_behind_each_server(server):
    handled = []

    def handler(event):  # one handler for every server
        handled.append((event.event_type, event.direct_message.id))

    url, stop = SERVERS[server](handler)
    try:
        hook = url + "/webhooks/x"
        crc = requests.get(hook, params={"crc_token": "token-1"}, timeout=10)
        assert crc.status_code == 200
        assert crc.json() == webhooks.crc_response(SECRET, "token-1")

        stream_shape = json.dumps(EXAMPLES["xaa:dm.received"]).encode()
        account_activity = json.dumps(EXAMPLES["aaa:direct_message_events"]).encode()
        for body in (stream_shape, stream_shape, account_activity):
            answer = requests.post(
                hook, data=body, headers={webhooks.SIGNATURE_HEADER: x_signature(body)}, timeout=10
            )
            assert answer.status_code == 200
        forged = requests.post(
            hook,
            data=account_activity,
            headers={webhooks.SIGNATURE_HEADER: x_signature(b"other body")},
            timeout=10,
        )
        assert forged.status_code == 403
        huge = b"{" + b" " * (webhooks.DEFAULT_MAX_BODY_SIZE + 10) + b"}"
        too_big = requests.post(
            hook, data=huge, headers={webhooks.SIGNATURE_HEADER: x_signature(huge)}, timeout=10
        )
        assert too_big.status_code == 413
        assert requests.post(url + "/elsewhere", data=b"{}", timeout=10).status_code == 404
    finally:
        stop()
    assert handled == [
        ("dm.received", 2080765901528535096),
        ("dm.received", 954491830116155396),
    ]
