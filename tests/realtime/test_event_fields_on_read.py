"""An Activity event reads each DM field on its own, when first asked for."""

from __future__ import annotations

import copy
import datetime
import json
import pathlib

import tweepy_dm._activity as activity
from tweepy_dm._activity import parse_activity

EXAMPLES = json.loads(
    (pathlib.Path(__file__).parent.parent / "data" / "x_event_examples.json").read_text("utf-8")
)["examples"]


def received():
    [event] = parse_activity(copy.deepcopy(EXAMPLES["xaa:dm.received"]))
    return event


def test_routing_on_the_sender_reads_no_time_or_conversation(monkeypatch):
    read = []
    monkeypatch.setattr(activity, "_millis_datetime", lambda value: read.append(value))
    monkeypatch.setattr(activity, "_conversation_id", lambda *args: read.append(args))
    event = received()
    assert event.sender_id == 2222222222222222222
    assert event.recipient_id == 1111111111111111111
    assert event.direct_message.text
    assert read == []


def test_each_field_reads_as_all_at_once():
    event = received()
    assert event.created_at == datetime.datetime(
        2026, 7, 24, 21, 23, 44, 372000, tzinfo=datetime.timezone.utc
    )
    assert event.dm_conversation_id == "1111111111111111111-2222222222222222222"
    assert event.last_read_event_id is None
    assert event.direct_message.created_at == event.created_at
    assert event.direct_message.dm_conversation_id == event.dm_conversation_id


def test_a_field_set_first_is_kept_and_the_others_still_read():
    event = received()
    event.dm_conversation_id = "42"
    assert event.dm_conversation_id == "42"
    assert event.sender_id == 2222222222222222222
    assert event.dm_conversation_id == "42"


def test_a_malformed_field_is_none_and_the_others_still_read():
    document = copy.deepcopy(EXAMPLES["xaa:dm.received"])
    item = document["data"]["payload"]["direct_message_events"][0]
    item["message_create"]["target"] = ["not", "an", "object"]
    item["created_timestamp"] = "9" * 19  # beyond datetime's range
    [event] = parse_activity(document)
    assert event.created_at is None
    assert event.recipient_id is None
    assert event.sender_id == 2222222222222222222
    assert event.direct_message.text
