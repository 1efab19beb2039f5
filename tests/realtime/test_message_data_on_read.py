"""A stream or webhook DM gives its id, type and text at once, and writes its v2 data on first use."""

from __future__ import annotations

import copy
import datetime
import json
import pathlib

import pytest

import tweepy_dm._activity as activity
from tweepy_dm import DirectMessageEvent
from tweepy_dm._activity import direct_message_data, parse_activity

EXAMPLES = json.loads(
    (pathlib.Path(__file__).parent.parent / "data" / "x_event_examples.json").read_text("utf-8")
)["examples"]
ITEM = EXAMPLES["xaa:dm.received"]["data"]["payload"]["direct_message_events"][0]


@pytest.fixture
def written(monkeypatch):
    calls = []
    original = activity._message_data

    def counting(*args):
        calls.append(args[0]["id"])
        return original(*args)

    monkeypatch.setattr(activity, "_message_data", counting)
    return calls


def test_reading_the_text_writes_no_data(written):
    [event] = parse_activity(copy.deepcopy(EXAMPLES["xaa:dm.received"]))
    message = event.direct_message
    assert isinstance(message, DirectMessageEvent)
    assert message.id == int(ITEM["id"])
    assert message.event_type == "MessageCreate"
    assert message.text == ITEM["message_create"]["message_data"]["text"]
    assert repr(message).startswith(f"<Direct Message Event id={ITEM['id']}")
    assert written == []


def test_the_data_is_written_once_and_is_the_rest_models(written):
    [event] = parse_activity(copy.deepcopy(EXAMPLES["xaa:dm.received"]))
    message = event.direct_message
    assert message.data == direct_message_data(ITEM)
    assert message.data is message.data
    assert len(written) == 2  # the model's, then direct_message_data's own, above
    assert message.sender_id == int(ITEM["message_create"]["sender_id"])
    assert message.created_at == datetime.datetime(
        2026, 7, 24, 21, 23, 44, 372000, tzinfo=datetime.timezone.utc
    )
    assert message["dm_conversation_id"] == event.dm_conversation_id
    assert list(message) == list(message.data)
    assert len(written) == 2


def test_the_message_equals_the_one_made_from_its_data():
    [event] = parse_activity(copy.deepcopy(EXAMPLES["xaa:dm.received"]))
    message = event.direct_message
    made = DirectMessageEvent(direct_message_data(ITEM))
    assert message == made
    assert hash(message) == hash(made)
    for name in ("text", "sender_id", "dm_conversation_id", "created_at", "attachments"):
        assert getattr(message, name) == getattr(made, name)
    assert [tweet.id for tweet in message.referenced_tweets or []] == [
        tweet.id for tweet in made.referenced_tweets or []
    ]
    assert message.entities == made.entities


def test_a_model_without_data_still_says_so():
    event = DirectMessageEvent.__new__(DirectMessageEvent)
    with pytest.raises(AttributeError):
        event.data  # noqa: B018
