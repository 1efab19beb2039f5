"""The sync client reads response bodies with the fast JSON reader, with requests' results and errors."""

from __future__ import annotations

import json

import pytest
import requests
import requests.adapters

import tweepy_dm
import tweepy_dm._activity as activity
from tweepy_dm import _client

PAGE = {
    "data": [
        {
            "id": "1585321444547837956",
            "event_type": "MessageCreate",
            "text": "caf\u00e9 \U0001f600 https://t.co/xk4uN5vbLj",
            "sender_id": "906948460078698496",
            "dm_conversation_id": "906948460078698496-1072250532645998596",
            "created_at": "2022-10-28T02:40:35.000Z",
            "referenced_tweets": [{"id": "1585047616533180416"}],
        },
        {"id": "2", "event_type": "ParticipantsJoin", "participant_ids": ["7", "8"]},
    ],
    # Beyond 64 bits: orjson would read it as a float, requests' json as an int.
    "meta": {"result_count": 2, "big": 123456789012345678901234567890},
}


class BytesAdapter(requests.adapters.BaseAdapter):
    """Answers every request with ``body`` as it is, under ``content_type``."""

    def __init__(self, body: bytes, content_type: str = "application/json") -> None:
        super().__init__()
        self.body = body
        self.content_type = content_type

    def send(self, request, **kwargs):
        response = requests.Response()
        response.status_code = 200
        response.headers["content-type"] = self.content_type
        response.encoding = requests.utils.get_encoding_from_headers(response.headers)
        response._content = self.body
        response.request = request
        response.url = request.url
        return response

    def close(self) -> None:
        pass


def client_answering(body: bytes, content_type: str = "application/json", **kwargs):
    client = tweepy_dm.Client(bearer_token="token", **kwargs)
    client.session.mount("https://", BytesAdapter(body, content_type))
    return client


def test_get_dm_events_reads_the_page_with_the_fast_reader(monkeypatch):
    body = json.dumps(PAGE).encode()
    read = []

    def spy(document):
        read.append(document)
        return activity.loads(document)

    monkeypatch.setattr(_client, "loads", spy)
    response = client_answering(body).get_dm_events(user_auth=False)
    assert read == [body]
    assert [event.id for event in response.data] == [1585321444547837956, 2]


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8"])
def test_the_page_reads_as_requests_reads_it(parser, content_type):
    body = json.dumps(PAGE, ensure_ascii=False).encode()
    expected = requests.Response()
    expected._content = body
    expected.encoding = "utf-8"
    client = client_answering(body, content_type, return_type=dict)
    assert client.get_dm_events(user_auth=False) == expected.json() == PAGE
    response = client_answering(body, content_type).get_dm_events(user_auth=False)
    assert isinstance(response.meta["big"], int)
    assert response.data[0].text == PAGE["data"][0]["text"]
    assert response.data[1].participant_ids == [7, 8]


def test_another_charset_is_decoded_by_requests():
    body = json.dumps(PAGE, ensure_ascii=False).encode("utf-16")
    client = client_answering(body, "application/json; charset=utf-16", return_type=dict)
    assert client.get_dm_events(user_auth=False) == PAGE


def test_a_body_that_is_not_json_raises_requests_error(parser):
    client = client_answering(b"<html>Over capacity</html>")
    with pytest.raises(requests.exceptions.JSONDecodeError):
        client.get_dm_events(user_auth=False)


def test_raw_responses_read_the_same(parser):
    body = json.dumps(PAGE).encode()
    response = client_answering(body, return_type=requests.Response).get_dm_events(user_auth=False)
    assert isinstance(response, requests.Response)
    assert response.json() == PAGE
    assert response.json(parse_int=str)["meta"]["result_count"] == "2"
