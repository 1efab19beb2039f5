"""tweepy_dm.webhooks: CRC, signatures, payloads, and the WSGI and ASGI receivers."""

from __future__ import annotations

import asyncio
import base64
import copy
import hashlib
import hmac
import json
import logging
import pathlib
import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
import requests

from tweepy_dm import webhooks
from tweepy_dm._activity import parse_activity

EXAMPLES = json.loads(
    (pathlib.Path(__file__).parent.parent / "data" / "x_event_examples.json").read_text("utf-8")
)["examples"]
SECRET = "consumer-secret-for-webhook-tests"


def x_signature(body: bytes, secret: str = SECRET) -> str:
    """X's signature, written as X's docs write it (webhooks quickstart)."""
    return "sha256=" + base64.b64encode(
        hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()
    ).decode("utf-8")


def body_of(name: str) -> bytes:
    return json.dumps(EXAMPLES[name]).encode()


# -- CRC, signatures, parsing ---------------------------------------------------------


def test_crc_response_is_what_x_expects():
    token = "challenge_string"
    expected = hmac.new(SECRET.encode(), token.encode(), hashlib.sha256).digest()
    response = webhooks.crc_response(SECRET, token)
    assert response == {"response_token": "sha256=" + base64.b64encode(expected).decode()}
    assert webhooks.crc_response(SECRET.encode(), token) == response


def test_crc_response_refuses_wrong_types_and_empty_secrets():
    with pytest.raises(TypeError, match="consumer_secret"):
        webhooks.crc_response(None, "t")
    with pytest.raises(ValueError, match="empty"):
        webhooks.crc_response("", "t")
    with pytest.raises(TypeError, match="crc_token"):
        webhooks.crc_response(SECRET, 5)


def test_verify_signature_over_raw_bytes():
    body = body_of("xaa:dm.received")
    assert webhooks.verify_signature(SECRET, body, x_signature(body))
    assert not webhooks.verify_signature(SECRET, body + b" ", x_signature(body))
    assert not webhooks.verify_signature("other-secret", body, x_signature(body))
    assert not webhooks.verify_signature(SECRET, body, None)
    assert not webhooks.verify_signature(SECRET, body, "sha256=")
    assert not webhooks.verify_signature(SECRET, body, "sha256=é")
    with pytest.raises(TypeError, match="raw request body"):
        webhooks.verify_signature(SECRET, json.loads(body), x_signature(body))


@pytest.mark.parametrize("name", [name for name in EXAMPLES if name.startswith(("xaa:", "aaa:"))])
def test_parse_webhook_takes_every_documented_payload(name):
    events = webhooks.parse_webhook(body_of(name))
    assert events == parse_activity(copy.deepcopy(EXAMPLES[name]))
    assert len(events) >= 1


def test_parse_webhook_refuses_non_json():
    with pytest.raises(ValueError, match="not JSON"):
        webhooks.parse_webhook(b"<html>")


# -- WSGI under wsgiref ----------------------------------------------------------------


class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def wsgi_server():
    servers = []

    def serve(app):
        server = make_server("127.0.0.1", 0, app, handler_class=Quiet)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
        thread.start()
        servers.append((server, thread))
        return f"http://127.0.0.1:{server.server_port}"

    yield serve
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join()


def post(url, body, signature="sign", **kwargs):
    headers = {"Content-Type": "application/json"}
    if signature == "sign":
        signature = x_signature(body)
    if signature is not None:
        headers[webhooks.SIGNATURE_HEADER] = signature
    return requests.post(url, data=body, headers=headers, timeout=10, **kwargs)


def test_wsgi_app_answers_crc_and_dispatches_each_event_once(wsgi_server, caplog):
    handled = []
    url = wsgi_server(webhooks.wsgi_app(SECRET, handled.append))
    crc = requests.get(url + "/anything?crc_token=abc", timeout=10)
    assert crc.status_code == 200
    assert crc.json() == webhooks.crc_response(SECRET, "abc")
    assert requests.get(url, timeout=10).status_code == 400  # no crc_token

    body = body_of("xaa:dm.received")
    assert post(url, body).status_code == 200
    assert post(url, body).status_code == 200  # X's retry: not dispatched again
    assert [event.event_type for event in handled] == ["dm.received"]
    # The same DM by Account Activity collapses with the Activity API's.
    aaa = {
        "for_user_id": "1111111111111111111",
        "direct_message_events": EXAMPLES["xaa:dm.received"]["data"]["payload"][
            "direct_message_events"
        ],
    }
    assert post(url, json.dumps(aaa).encode()).status_code == 200
    assert len(handled) == 1

    with caplog.at_level(logging.WARNING, logger="tweepy_dm.webhooks"):
        forged = post(url, body_of("xaa:dm.sent"), signature=x_signature(b"x"))
        unsigned = post(url, body_of("xaa:dm.sent"), signature=None)
    assert (forged.status_code, unsigned.status_code) == (403, 403)
    assert len(handled) == 1
    assert "Rejected" in caplog.text
    assert SECRET not in caplog.text
    assert requests.put(url, timeout=10).status_code == 405


def test_wsgi_app_refuses_big_bodies_and_non_x_payloads(wsgi_server):
    handled = []
    url = wsgi_server(webhooks.wsgi_app(SECRET, handled.append, max_body_size=1000))
    assert post(url, b"{" + b" " * 2000 + b"}").status_code == 413
    assert post(url, b'{"hello": 1}').status_code == 400
    assert post(url, b"not json").status_code == 400
    assert handled == []


def test_wsgi_handler_failure_answers_500_and_the_retry_is_handled(wsgi_server):
    calls = []

    def handler(event):
        calls.append(event)
        if len(calls) == 1:
            raise RuntimeError("database down")

    url = wsgi_server(webhooks.wsgi_app(SECRET, handler))
    body = body_of("xaa:dm.received")
    assert post(url, body).status_code == 500
    assert post(url, body).status_code == 200  # not seen: the handler had failed
    assert post(url, body).status_code == 200
    assert len(calls) == 2


def test_wsgi_app_with_a_path_and_a_coroutine_handler(wsgi_server):
    handled = []

    async def handler(event):
        await asyncio.sleep(0)
        handled.append(event)

    url = wsgi_server(webhooks.wsgi_app(SECRET, handler, path="/webhooks/x"))
    assert post(url + "/elsewhere", body_of("xaa:dm.sent")).status_code == 404
    assert post(url + "/webhooks/x", body_of("xaa:dm.sent")).status_code == 200
    assert [event.event_type for event in handled] == ["dm.sent"]


def test_wsgi_background_mode_answers_before_handling(wsgi_server):
    release, done = threading.Event(), threading.Event()
    handled = []

    def handler(event):
        release.wait(10)
        handled.append(event)
        done.set()

    url = wsgi_server(webhooks.wsgi_app(SECRET, handler, background=True))
    assert post(url, body_of("xaa:dm.received")).status_code == 200
    assert handled == []  # answered while the handler waits
    release.set()
    assert done.wait(10)
    assert len(handled) == 1


def test_bad_options_are_refused():
    with pytest.raises(TypeError, match="handler must be callable"):
        webhooks.wsgi_app(SECRET, None)
    with pytest.raises(ValueError, match="path"):
        webhooks.asgi_app(SECRET, print, path="webhooks")
    with pytest.raises(TypeError, match="unexpected keyword"):
        webhooks.wsgi_app(SECRET, print, max_size=5)
    with pytest.raises(ValueError, match="max_body_size"):
        webhooks.asgi_app(SECRET, print, max_body_size=0)
    assert SECRET not in repr(webhooks.wsgi_app(SECRET, print).receiver)


# -- ASGI, called as a server calls it -------------------------------------------------


async def asgi_call(
    app, method, path="/", body=b"", headers=(), query=b"", chunks=1, root_path=None
):
    size = max(1, -(-len(body) // chunks))
    parts = [body[i : i + size] for i in range(0, len(body), size)] or [b""]
    messages = [
        {"type": "http.request", "body": part, "more_body": i < len(parts) - 1}
        for i, part in enumerate(parts)
    ]
    sent = []

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "query_string": query,
        "headers": [(k.encode(), v.encode()) for k, v in headers],
        "client": ("127.0.0.1", 5000),
    }
    if root_path is not None:
        scope["root_path"] = root_path
    await app(scope, receive, send)
    assert sent[0]["type"] == "http.response.start"
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


def signed(body):
    return [(webhooks.SIGNATURE_HEADER, x_signature(body)), ("content-type", "application/json")]


def test_asgi_app_crc_signatures_dedupe_and_both_kinds_of_handler():
    handled = []

    async def coroutine_handler(event):
        handled.append(("async", event.event_type))

    def plain_handler(event):
        handled.append(("sync", event.event_type))

    async def scenario():
        for handler in (coroutine_handler, plain_handler):
            app = webhooks.asgi_app(SECRET, handler)
            status, body = await asgi_call(app, "GET", query=b"crc_token=xyz")
            assert status == 200
            assert json.loads(body) == webhooks.crc_response(SECRET, "xyz")
            payload = body_of("aaa:direct_message_mark_read_events")
            status, _ = await asgi_call(
                app, "POST", body=payload, headers=signed(payload), chunks=3
            )
            assert status == 200
            status, _ = await asgi_call(app, "POST", body=payload, headers=signed(payload))
            assert status == 200
            forged = [(webhooks.SIGNATURE_HEADER, x_signature(payload, "wrong"))]
            assert (await asgi_call(app, "POST", body=payload, headers=forged))[0] == 403
            assert (await asgi_call(app, "POST", body=payload))[0] == 403

    asyncio.run(scenario())
    assert handled == [("async", "dm.read"), ("sync", "dm.read")]


def test_asgi_app_size_limit_failure_retry_path_and_lifespan():
    calls = []

    async def handler(event):
        calls.append(event)
        if len(calls) == 1:
            raise RuntimeError("boom")

    async def scenario():
        app = webhooks.asgi_app(SECRET, handler, path="/hook", max_body_size=5000)
        payload = body_of("xaa:dm.received")
        big = b" " * 6000
        assert (await asgi_call(app, "POST", "/hook", big, signed(big), chunks=4))[0] == 413
        assert (await asgi_call(app, "POST", "/other", payload, signed(payload)))[0] == 404
        lying = [*signed(payload), ("content-length", "-5")]
        assert (await asgi_call(app, "POST", "/hook", payload, lying))[0] == 400
        assert (await asgi_call(app, "POST", "/hook", payload, signed(payload)))[0] == 500
        assert (await asgi_call(app, "POST", "/hook", payload, signed(payload)))[0] == 200
        assert (await asgi_call(app, "POST", "/hook", payload, signed(payload)))[0] == 200
        lifespan = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
        answers = []

        async def receive():
            return lifespan.pop(0)

        async def send(message):
            answers.append(message["type"])

        await app({"type": "lifespan"}, receive, send)
        return answers

    answers = asyncio.run(scenario())
    assert len(calls) == 2
    assert answers == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


def test_asgi_path_is_relative_to_the_mount_point():
    """Starlette's mounts and uvicorn's --root-path keep the mount point in root_path."""

    async def scenario():
        app = webhooks.asgi_app(SECRET, lambda event: None, path="/webhook")
        query = b"crc_token=abc"
        mounted = await asgi_call(app, "GET", "/x/webhook", query=query, root_path="/x")
        elsewhere = await asgi_call(app, "GET", "/x/other", query=query, root_path="/x")
        unmounted = await asgi_call(app, "GET", "/webhook", query=query)
        return mounted[0], elsewhere[0], unmounted[0]

    assert asyncio.run(scenario()) == (200, 404, 200)


def test_asgi_background_mode_answers_at_once_and_handles_after():
    async def scenario():
        release = asyncio.Event()
        handled = []

        async def handler(event):
            await release.wait()
            handled.append(event)

        app = webhooks.asgi_app(SECRET, handler, background=True)
        payload = body_of("xaa:dm.sent")
        assert (await asgi_call(app, "POST", body=payload, headers=signed(payload)))[0] == 200
        assert handled == []
        release.set()
        for _ in range(100):
            if handled:
                break
            await asyncio.sleep(0.01)
        return handled

    assert len(asyncio.run(scenario())) == 1


def test_a_dm_by_webhook_equals_the_same_dm_by_stream():
    aaa = EXAMPLES["aaa:direct_message_events"]
    [by_webhook] = webhooks.parse_webhook(json.dumps(aaa).encode())
    envelope = {
        "data": {
            "event_uuid": "1",
            "event_type": "dm.received",
            "filter": {"user_id": aaa["for_user_id"]},
            "payload": {"direct_message_events": aaa["direct_message_events"]},
        }
    }
    [by_stream] = webhooks.parse_webhook(json.dumps(envelope))
    assert by_webhook.direct_message.data == by_stream.direct_message.data


def test_a_delivery_arriving_while_its_twin_is_handled_is_not_dispatched_twice():
    async def scenario():
        release, started = asyncio.Event(), asyncio.Event()
        handled = []

        async def handler(event):
            handled.append(event)
            started.set()
            await release.wait()

        app = webhooks.asgi_app(SECRET, handler)
        payload = body_of("xaa:dm.received")
        first = asyncio.ensure_future(asgi_call(app, "POST", body=payload, headers=signed(payload)))
        await asyncio.wait_for(started.wait(), 10)
        second = await asgi_call(app, "POST", body=payload, headers=signed(payload))
        release.set()
        return second[0], (await first)[0], len(handled)

    assert asyncio.run(scenario()) == (200, 200, 1)


def test_only_the_failed_events_of_a_payload_are_dispatched_again():
    item = EXAMPLES["aaa:direct_message_events"]["direct_message_events"][0]
    second = {**item, "id": "954491830116155397"}
    payload = json.dumps(
        {"for_user_id": "4337869213", "direct_message_events": [item, second]}
    ).encode()
    calls = []

    def handler(event):
        calls.append(event.direct_message.id)
        if len(calls) == 2:
            raise RuntimeError("the second failed once")

    async def scenario():
        app = webhooks.asgi_app(SECRET, handler)
        first = await asgi_call(app, "POST", body=payload, headers=signed(payload))
        retry = await asgi_call(app, "POST", body=payload, headers=signed(payload))
        return first[0], retry[0]

    assert asyncio.run(scenario()) == (500, 200)
    assert calls == [954491830116155396, 954491830116155397, 954491830116155397]
