"""wsgi_app's delivery to the handler without a flow's driver: failures and interruptions."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json

import pytest

from tests.realtime.deliveries import SECRET, event_data
from tweepy_dm import webhooks


def post(app, body: bytes) -> str:
    digest = hmac.new(SECRET.encode(), body, hashlib.sha256).digest()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_X_TWITTER_WEBHOOKS_SIGNATURE": "sha256=" + base64.b64encode(digest).decode(),
        "wsgi.input": io.BytesIO(body),
    }
    statuses = []
    app(environ, lambda status, headers: statuses.append(status))
    return statuses[0]


class Interrupted(BaseException):
    """Not an Exception: what a Ctrl+C or a server's shutdown raises in a handler."""


def test_one_failing_event_of_two_is_500_and_only_it_is_delivered_again():
    calls = []

    def handler(event):
        calls.append(event.event_uuid)
        if event.event_uuid == "1" and calls.count("1") == 1:
            raise RuntimeError("the first try fails")

    app = webhooks.wsgi_app(SECRET, handler)
    body = json.dumps({"data": [event_data(1), event_data(2)]}).encode()
    assert post(app, body) == "500 Internal Server Error"
    assert post(app, body) == "200 OK"
    assert calls == ["1", "2", "1"]


def test_an_interrupted_handler_raises_on_and_frees_its_event_for_the_retry():
    calls = []

    def handler(event):
        calls.append(event.event_uuid)
        if len(calls) == 1:
            raise Interrupted

    app = webhooks.wsgi_app(SECRET, handler)
    body = json.dumps({"data": event_data(3)}).encode()
    with pytest.raises(Interrupted):
        post(app, body)
    assert post(app, body) == "200 OK"
    assert post(app, body) == "200 OK"  # handled now: dropped
    assert calls == ["3", "3"]
