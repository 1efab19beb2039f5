"""return_type and pagination behave as with tweepy's own methods."""

from __future__ import annotations

import pytest
import requests
import tweepy

import tweepy_dm
from tests.conftest import requires_async
from tests.helpers import CREDENTIALS, RecordingAiohttpSession, recording_client

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


def test_response_namedtuple():
    client, _ = recording_client((200, PAGE_1))
    response = client.get_dm_events(expansions="sender_id")
    assert isinstance(response, tweepy.Response)
    assert [event.id for event in response.data] == [3, 2]
    assert all(isinstance(event, tweepy_dm.DirectMessageEvent) for event in response.data)
    assert isinstance(response.includes["users"][0], tweepy.User)
    assert response.errors == []
    assert response.meta["next_token"] == "NEXT"


def test_dict_return_type():
    client, _ = recording_client((201, CREATED), return_type=dict)
    assert client.create_dm(participant_id=2, text="x") == CREATED


def test_raw_return_type():
    client, _ = recording_client((201, CREATED), return_type=requests.Response)
    response = client.create_dm_conversation(text="x", participant_ids=[1, 2])
    assert isinstance(response, requests.Response)
    assert response.status_code == 201
    assert response.json() == CREATED


def test_errors_are_tweepys():
    client, _ = recording_client(
        (403, {"title": "Forbidden", "detail": "no", "type": "about:blank"})
    )
    with pytest.raises(tweepy.Forbidden):
        client.create_dm(participant_id=2, text="x")


def test_paginator_walks_dm_events():
    client, adapter = recording_client((200, PAGE_1), (200, PAGE_2))
    pages = list(tweepy.Paginator(client.get_dm_events, dm_conversation_id="1-2", max_results=2))
    assert [event.id for page in pages for event in page.data] == [3, 2, 1]
    assert adapter.sent[1].query == (("max_results", "2"), ("pagination_token", "NEXT"))


def test_paginator_flatten():
    client, _ = recording_client((200, PAGE_1), (200, PAGE_2))
    events = list(tweepy.Paginator(client.get_direct_message_events).flatten(limit=10))
    assert [event.text for event in events] == ["c", "b", "a"]


@requires_async
@pytest.mark.asyncio
@pytest.mark.parametrize("return_type", [dict, tweepy.Response])
async def test_async_return_types(return_type):
    client = tweepy_dm.AsyncClient(**CREDENTIALS, return_type=return_type)
    client.session = RecordingAiohttpSession((200, PAGE_1))
    response = await client.get_dm_events()
    if return_type is dict:
        assert response == PAGE_1
    else:
        assert [event.id for event in response.data] == [3, 2]


@requires_async
@pytest.mark.asyncio
async def test_async_paginator():
    try:
        from tweepy.asynchronous import AsyncPaginator
    except ImportError:
        pytest.skip("tweepy < 4.11 has no AsyncPaginator")
    client = tweepy_dm.AsyncClient(**CREDENTIALS)
    client.session = session = RecordingAiohttpSession((200, PAGE_1), (200, PAGE_2))
    events = [event async for event in AsyncPaginator(client.get_dm_events).flatten()]
    assert [event.id for event in events] == [3, 2, 1]
    assert session.sent[1].query == (("pagination_token", "NEXT"),)
