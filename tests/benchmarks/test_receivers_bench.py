"""benchmarks/realtime.py's webhook deliveries: each reaches the handler, none is a duplicate."""

from __future__ import annotations

import io
import json
import os
import sys

sys.path.insert(
    0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "benchmarks")
)

import realtime

from tweepy_dm import webhooks


def test_every_delivery_is_its_own_event_and_dm():
    bodies = realtime.webhook_bodies(130)  # more than the 60 templates
    documents = [json.loads(body)["data"] for body in bodies]
    assert len({document["event_uuid"] for document in documents}) == 130
    ids = {
        item["id"]
        for document in documents
        for item in document["payload"]["direct_message_events"]
    }
    assert len(ids) == 130


def test_the_receiver_hands_every_delivery_to_the_handler():
    counter = [0]
    app = webhooks.wsgi_app(realtime.SECRET, realtime.handler_counting(counter))
    statuses = []
    for body in realtime.webhook_bodies(70):
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/webhook",
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_X_TWITTER_WEBHOOKS_SIGNATURE": realtime.sign(body),
            "wsgi.input": io.BytesIO(body),
        }
        app(environ, lambda status, headers: statuses.append(status))
    assert statuses == ["200 OK"] * 70
    assert counter[0] == 70


def test_the_bare_wsgi_floor_reads_the_body_and_answers_200():
    body = b'{"x": 1}'
    stream = io.BytesIO(body)
    statuses = []
    answer = realtime.bare_wsgi_app()(
        {"CONTENT_LENGTH": str(len(body)), "wsgi.input": stream},
        lambda status, headers: statuses.append((status, headers)),
    )
    assert statuses == [("200 OK", [("Content-Length", "0")])]
    assert answer == [b""]
    assert stream.tell() == len(body)
