"""Both clients read X's pages with the fast JSON reader, with the same results."""

from __future__ import annotations

import json

import tweepy_dm
import tweepy_dm._activity as activity
from tweepy_dm import _async_client, _client


def test_get_dm_events_reads_the_page_with_the_fast_reader(clients, dm_users, monkeypatch, parser):
    alice, bob = dm_users
    make = lambda user, **kwargs: clients.make(  # noqa: E731
        credentials=user.credentials, api_url=user.api_url, **kwargs
    )
    make(alice).call("create_dm", participant_id=bob.id, text="caf\u00e9 \U0001f600")
    read = []

    def spy(document):
        read.append(document)
        return activity.loads(document)

    module = _async_client if clients.is_async else _client
    monkeypatch.setattr(module, "loads", spy)
    fields = ["sender_id", "created_at", "dm_conversation_id"]
    response = make(bob).call("get_dm_events", dm_event_fields=fields)
    assert len(read) == 1
    assert isinstance(read[0], bytes)
    [event] = response.data
    assert isinstance(event, tweepy_dm.DirectMessageEvent)
    assert event.text == "caf\u00e9 \U0001f600"
    assert event.sender_id == int(alice.id)
    as_dict = make(bob, return_type=dict).call("get_dm_events", dm_event_fields=fields)
    assert as_dict == json.loads(read[1])
    assert as_dict["data"][0] == event.data
