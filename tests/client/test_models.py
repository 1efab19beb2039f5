from __future__ import annotations

import datetime

import pytest
import tweepy

import tweepy_dm
from tweepy_dm import DirectMessageEvent
from tweepy_dm._compat import NATIVE_DM_SUPPORT

FULL_EVENT = {
    "id": "1585823814058971140",
    "event_type": "MessageCreate",
    "text": "See https://t.co/abc #python @x",
    "sender_id": "750362064426721281",
    "dm_conversation_id": "750362064426721281-1072250532645998596",
    "created_at": "2022-10-28T02:40:35.000Z",
    "participant_ids": ["145336962", "750362064426721281"],
    "referenced_tweets": [{"id": "1585000000000000000"}],
    "attachments": {"media_keys": ["3_1585823814058971141"]},
    "entities": {
        "urls": [{"start": 4, "end": 27, "url": "https://t.co/abc"}],
        "hashtags": [{"start": 28, "end": 35, "tag": "python"}],
        "mentions": [{"start": 36, "end": 38, "username": "x"}],
        "cashtags": [],
    },
}


def test_every_field_is_parsed():
    event = DirectMessageEvent(FULL_EVENT)
    assert event.id == 1585823814058971140
    assert event.event_type == "MessageCreate"
    assert event.text == FULL_EVENT["text"]
    assert event.sender_id == 750362064426721281
    assert event.dm_conversation_id == "750362064426721281-1072250532645998596"
    assert event.created_at == datetime.datetime(
        2022, 10, 28, 2, 40, 35, tzinfo=datetime.timezone.utc
    )
    assert event.participant_ids == [145336962, 750362064426721281]
    [tweet] = event.referenced_tweets
    assert (tweet.id, tweet.type) == (1585000000000000000, None)
    assert event.attachments == {"media_keys": ["3_1585823814058971141"]}
    assert event.entities == FULL_EVENT["entities"]
    assert event.data is FULL_EVENT


def test_absent_fields_are_none():
    event = DirectMessageEvent(
        {"id": "5", "event_type": "ParticipantsJoin", "participant_ids": ["7"]}
    )
    assert event.participant_ids == [7]
    for name in (
        "text",
        "sender_id",
        "dm_conversation_id",
        "created_at",
        "referenced_tweets",
        "attachments",
        "entities",
    ):
        assert getattr(event, name) is None, name


def test_referenced_tweet_type_is_kept_when_present():
    event = DirectMessageEvent(
        {
            "id": "1",
            "event_type": "MessageCreate",
            "referenced_tweets": [{"id": "2", "type": "quoted"}],
        }
    )
    assert event.referenced_tweets[0].type == "quoted"


def test_mapping_behaviour_like_tweepy_models():
    event = DirectMessageEvent(FULL_EVENT)
    assert event["text"] == FULL_EVENT["text"]
    assert "entities" in event
    assert set(event) == set(FULL_EVENT)
    assert len(event) == len(FULL_EVENT)
    with pytest.raises(KeyError):
        event["nope"]


def test_equality_and_hash_by_id():
    first = DirectMessageEvent({"id": "9", "event_type": "MessageCreate", "text": "a"})
    same = DirectMessageEvent({"id": "9", "event_type": "MessageCreate", "text": "b"})
    other = DirectMessageEvent({"id": "10", "event_type": "MessageCreate", "text": "a"})
    assert first == same
    assert first != other
    assert hash(first) == 9
    assert len({first, same, other}) == 2


def test_str_and_repr():
    event = DirectMessageEvent({"id": "9", "event_type": "MessageCreate", "text": "hi"})
    assert repr(event) == "<Direct Message Event id=9 event_type=MessageCreate text='hi'>"
    assert str(event) == "hi"
    join = DirectMessageEvent(
        {"id": "3", "event_type": "ParticipantsJoin", "participant_ids": ["1"]}
    )
    assert str(join) == repr(join) == "<Direct Message Event id=3 event_type=ParticipantsJoin>"


def test_no_instance_dict():
    event = DirectMessageEvent({"id": "9", "event_type": "MessageCreate"})
    assert not hasattr(event, "__dict__")


@pytest.mark.skipif(not NATIVE_DM_SUPPORT, reason="tweepy < 4.12 has no DirectMessageEvent")
def test_is_a_tweepy_direct_message_event():
    event = DirectMessageEvent(FULL_EVENT)
    assert isinstance(event, tweepy.DirectMessageEvent)


def test_field_constants():
    assert tweepy_dm.DM_EVENT_FIELDS is tweepy_dm.DIRECT_MESSAGE_EVENT_FIELDS
    assert set(tweepy_dm.DM_EVENT_FIELDS) == {
        "attachments",
        "created_at",
        "dm_conversation_id",
        "entities",
        "event_type",
        "id",
        "participant_ids",
        "referenced_tweets",
        "sender_id",
        "text",
    }


@pytest.mark.parametrize(
    "created_at",
    ["2023-11-07T05:31:56Z", "2023-11-07T05:31:56.000Z", "2023-11-07T06:31:56.000+01:00"],
)
def test_created_at_with_and_without_fractional_seconds(created_at):
    event = DirectMessageEvent({"id": "1", "event_type": "MessageCreate", "created_at": created_at})
    assert event.created_at == datetime.datetime(
        2023, 11, 7, 5, 31, 56, tzinfo=datetime.timezone.utc
    )
