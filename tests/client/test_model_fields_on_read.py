"""DirectMessageEvent reads its fields from ``data`` when first asked for, as eagerly before."""

from __future__ import annotations

import datetime

import pytest

from tweepy_dm import DirectMessageEvent
from tweepy_dm._models import _READERS

EVENT = {
    "id": "1585321444547837956",
    "event_type": "MessageCreate",
    "text": "see you",
    "sender_id": "906948460078698496",
    "participant_ids": ["1", "2"],
    "dm_conversation_id": "906948460078698496-1072250532645998596",
    "created_at": "2022-10-28T02:40:35.000Z",
    "referenced_posts": [{"id": "1585047616533180416"}],
    "attachments": {"media_keys": ["3_1"]},
    "entities": {"urls": [{"start": 0, "end": 3}]},
    "message_id": "m-1",
}
EXPECTED = {
    "text": "see you",
    "sender_id": 906948460078698496,
    "participant_ids": [1, 2],
    "dm_conversation_id": "906948460078698496-1072250532645998596",
    "created_at": datetime.datetime(2022, 10, 28, 2, 40, 35, tzinfo=datetime.timezone.utc),
    "attachments": {"media_keys": ["3_1"]},
    "entities": {"urls": [{"start": 0, "end": 3}]},
    "message_id": "m-1",
}


def test_every_field_has_a_reader():
    assert set(_READERS) == set(EXPECTED) | {"referenced_tweets"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_field_alone_reads_as_before(name):
    event = DirectMessageEvent(dict(EVENT))
    assert getattr(event, name) == EXPECTED[name]
    assert event[name] == EXPECTED[name]  # mapping access gives the attribute, as in tweepy


def test_a_field_is_read_once_and_kept():
    event = DirectMessageEvent(dict(EVENT))
    first = event.created_at
    event.data["created_at"] = "2030-01-01T00:00:00.000Z"
    assert event.created_at is first


def test_referenced_posts_are_read_as_referenced_tweets():
    event = DirectMessageEvent(dict(EVENT))
    assert [tweet.id for tweet in event.referenced_tweets] == [1585047616533180416]


def test_absent_fields_are_none_and_unknown_ones_come_from_data():
    event = DirectMessageEvent({"id": "1", "event_type": "MessageCreate", "extra": 5})
    assert all(getattr(event, name) is None for name in _READERS)
    assert event.extra == 5
    with pytest.raises(AttributeError):
        event.missing  # noqa: B018
    assert event.get("missing") is None


def test_an_attribute_set_before_it_is_read_is_kept():
    # What the XChat layer does with a decrypted message's sender.
    event = DirectMessageEvent(dict(EVENT))
    event.sender_id = 42
    assert event.sender_id == 42


def test_a_malformed_field_raises_when_read():
    event = DirectMessageEvent({"id": "1", "event_type": "MessageCreate", "created_at": "soon"})
    with pytest.raises(ValueError, match="not an X timestamp"):
        event.created_at  # noqa: B018


def test_id_and_event_type_are_still_required():
    with pytest.raises(KeyError):
        DirectMessageEvent({"id": "1"})
    with pytest.raises(ValueError, match="invalid literal"):
        DirectMessageEvent({"id": "x", "event_type": "MessageCreate"})
