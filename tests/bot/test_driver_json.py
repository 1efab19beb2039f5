"""The bot's driver and the XChat performers read X's answers as the clients do (the fast reader)."""

from __future__ import annotations

import json

import tweepy_dm._activity as activity
from tests.client.test_page_json import PAGE, client_answering
from tweepy_dm import _xchat_dm
from tweepy_dm.bot import _drivers


def test_the_bot_reads_a_page_with_the_fast_reader_as_requests_would(parser, monkeypatch):
    body = json.dumps(PAGE, ensure_ascii=False).encode()
    read = []

    def spy(document):
        read.append(document)
        return activity.loads(document)

    monkeypatch.setattr(_xchat_dm, "loads", spy)
    request = _drivers.request_of("get_dm_events", False, {})
    payload, headers = _drivers.send_sync(client_answering(body), request)
    assert read == [body]
    assert payload == PAGE
    assert isinstance(payload["meta"]["big"], int)  # beyond 64 bits, still an int
    assert headers["content-type"] == "application/json"


def test_an_empty_answer_is_an_empty_payload():
    request = _drivers.request_of("get_dm_events", False, {})
    assert _drivers.send_sync(client_answering(b""), request)[0] == {}
