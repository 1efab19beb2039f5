"""return_type and pagination behave as with tweepy's own methods."""

from __future__ import annotations

import pytest
import requests
import tweepy

import tweepy_dm
from tests.helpers import recording_client

PAGE_1 = {
    "data": [
        {"id": "3", "event_type": "MessageCreate", "text": "c"},
        {"id": "2", "event_type": "MessageCreate", "text": "b"},
    ],
    "includes": {"users": [{"id": "7", "name": "Seven", "username": "seven"}]},
    "meta": {"result_count": 2, "next_token": "NEXT"},
}
PAGE_2 = {
    "data": [{"id": "1", "event_type": "MessageCreate", "text": "a"}],
    "meta": {"result_count": 1, "previous_token": "PREV"},
}
CREATED = {"data": {"dm_conversation_id": "1-2", "dm_event_id": "99"}}


def test_response_namedtuple(clients):
    client = clients.recording((200, PAGE_1))
    response = client.call("get_dm_events", expansions="sender_id")
    assert isinstance(response, tweepy.Response)
    assert [event.id for event in response.data] == [3, 2]
    assert all(isinstance(event, tweepy_dm.DirectMessageEvent) for event in response.data)
    assert isinstance(response.includes["users"][0], tweepy.User)
    assert response.errors == []
    assert response.meta["next_token"] == "NEXT"


def test_dict_return_type(clients):
    client = clients.recording((201, CREATED), return_type=dict)
    assert client.call("create_dm", participant_id=2, text="x") == CREATED


def test_raw_return_type():
    client, _ = recording_client((201, CREATED), return_type=requests.Response)
    response = client.create_dm_conversation(text="x", participant_ids=[1, 2])
    assert isinstance(response, requests.Response)
    assert response.status_code == 201
    assert response.json() == CREATED


def test_errors_are_tweepys(clients):
    client = clients.recording((403, {"title": "Forbidden", "detail": "no", "type": "about:blank"}))
    with pytest.raises(tweepy.Forbidden):
        client.call("create_dm", participant_id=2, text="x")


def test_paginator_walks_dm_events(clients):
    client = clients.recording((200, PAGE_1), (200, PAGE_2))
    paginator = clients.paginator(
        client.client.get_dm_events, dm_conversation_id="1-2", max_results=2
    )
    pages = clients.collect(paginator)
    assert [event.id for page in pages for event in page.data] == [3, 2, 1]
    assert client.sent[1].query == (("max_results", "2"), ("pagination_token", "NEXT"))


def test_paginator_flatten(clients):
    client = clients.recording((200, PAGE_1), (200, PAGE_2))
    paginator = clients.paginator(client.client.get_direct_message_events)
    events = clients.collect(paginator.flatten(limit=10))
    assert [event.text for event in events] == ["c", "b", "a"]
    assert client.sent[1].query == (("pagination_token", "NEXT"),)


@pytest.mark.parametrize("return_type", [dict, tweepy.Response])
def test_return_types(clients, return_type):
    client = clients.recording((200, PAGE_1), return_type=return_type)
    response = client.call("get_dm_events")
    if return_type is dict:
        assert response == PAGE_1
    else:
        assert [event.id for event in response.data] == [3, 2]
