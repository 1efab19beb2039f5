"""DirectMessageEvent reads its fields together at the first read of one, and keeps them."""

from __future__ import annotations

import datetime

import pytest

from tests.client.test_model_fields_on_read import EVENT, EXPECTED
from tweepy_dm import DirectMessageEvent


def test_the_first_read_reads_every_field_from_data_once():
    event = DirectMessageEvent(dict(EVENT))
    assert event.text == "see you"
    event.data["sender_id"] = "1"  # data changed after the first read: not read again
    event.data["created_at"] = "2030-01-01T00:00:00.000Z"
    assert event.sender_id == EXPECTED["sender_id"]
    assert event.created_at == EXPECTED["created_at"]


def test_a_malformed_field_raises_only_when_it_is_read():
    event = DirectMessageEvent(
        {"id": "1", "event_type": "MessageCreate", "text": "hi", "created_at": "soon"}
    )
    assert event.text == "hi"
    with pytest.raises(ValueError, match="not an X timestamp"):
        event.created_at  # noqa: B018
    event.data["created_at"] = "2022-10-28T02:40:35.000Z"  # read again until it reads
    assert event.created_at == datetime.datetime(
        2022, 10, 28, 2, 40, 35, tzinfo=datetime.timezone.utc
    )


def test_set_by_hand_before_or_after_the_first_read_wins_over_data():
    before = DirectMessageEvent(dict(EVENT))
    before.sender_id = 42
    assert (before.sender_id, before.text) == (42, "see you")
    after = DirectMessageEvent(dict(EVENT))
    assert after.text == "see you"
    after.text = "decrypted"
    assert after.text == "decrypted"


def test_a_deleted_field_is_read_from_data_again():
    event = DirectMessageEvent(dict(EVENT))
    event.text = "set"
    del event.text
    assert event.text == "see you"
    fresh = DirectMessageEvent(dict(EVENT))
    with pytest.raises(AttributeError):
        del fresh.text  # never read nor set: nothing to delete


def test_fields_are_descriptors_on_the_class_and_events_have_no_instance_dict():
    assert not hasattr(DirectMessageEvent(dict(EVENT)), "__dict__")
    assert DirectMessageEvent.text.name == "text"
