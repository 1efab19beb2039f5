"""ActivityEvent and ActivitySubscription against X's documented payloads and the REST model."""

from __future__ import annotations

import copy
import datetime
import json
import pathlib
import threading
import time

import pytest
import tweepy
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import examples
from tweepy_dm import DirectMessageEvent
from tweepy_dm._activity import (
    ActivitySubscription,
    dedupe_keys,
    parse_activity,
)

EXAMPLES = json.loads(
    (pathlib.Path(__file__).parent.parent / "data" / "x_event_examples.json").read_text("utf-8")
)["examples"]
UTC = datetime.timezone.utc
ALL_FIELDS = [
    "attachments",
    "created_at",
    "dm_conversation_id",
    "entities",
    "event_type",
    "id",
    "referenced_tweets",
    "sender_id",
    "text",
]


@pytest.mark.parametrize("name", [name for name in EXAMPLES if name.startswith("xaa:")])
def test_every_documented_activity_event_parses_with_its_data_intact(name):
    document = EXAMPLES[name]
    original = copy.deepcopy(document)
    [event] = parse_activity(document)
    assert event.data == original["data"]
    assert document == original  # nothing changed in place
    assert event.event_type == original["data"]["event_type"]
    assert event.event_uuid == original["data"]["event_uuid"]
    assert event.payload == original["data"]["payload"]
    assert event.tag == original["data"].get("tag")
    user_id = original["data"]["filter"].get("user_id")
    assert event.user_id == (int(user_id) if user_id else None)
    assert event["event_type"] == event.event_type  # tweepy's DataMapping


def test_documented_dm_received_gives_the_rest_model():
    [event] = parse_activity(EXAMPLES["xaa:dm.received"])
    message = event.direct_message
    assert isinstance(message, DirectMessageEvent)
    assert message.id == 2080765901528535096
    assert message.event_type == "MessageCreate"
    assert message.text == "hello!"
    assert message.sender_id == 2222222222222222222
    assert message.dm_conversation_id == "1111111111111111111-2222222222222222222"
    assert message.created_at == datetime.datetime(2026, 7, 24, 21, 23, 44, 372000, tzinfo=UTC)
    assert message.entities is None  # X's empty v1.1 lists: REST omits entities then
    assert event.sender_id == 2222222222222222222
    assert event.recipient_id == 1111111111111111111
    assert event.dm_conversation_id == message.dm_conversation_id
    assert set(event.users) == {2222222222222222222, 1111111111111111111}
    assert all(isinstance(user, tweepy.User) for user in event.users.values())
    assert event.users[2222222222222222222].username == "OtherUser"
    assert event.users[1111111111111111111].created_at == datetime.datetime(
        2023, 10, 23, 13, 44, 53, tzinfo=UTC
    )


def test_the_message_model_is_built_once_and_only_when_read(monkeypatch):
    import tweepy_dm._activity as activity

    built = []

    class Counting(DirectMessageEvent):
        def __init__(self, data):
            built.append(data["id"])
            super().__init__(data)

        @classmethod
        def _deferred(cls, id, *rest):
            built.append(str(id))
            return super()._deferred(id, *rest)

    monkeypatch.setattr(activity, "DirectMessageEvent", Counting)
    [event] = parse_activity(EXAMPLES["xaa:dm.received"])
    # Routing and deduplicating read the event's own fields: no model yet.
    assert event.event_type == "dm.received"
    assert event.sender_id == 2222222222222222222
    assert event.dm_conversation_id == "1111111111111111111-2222222222222222222"
    assert event.created_at == datetime.datetime(2026, 7, 24, 21, 23, 44, 372000, tzinfo=UTC)
    assert dedupe_keys(event) == (f"uuid:{event.event_uuid}",)
    assert built == []
    message = event.direct_message
    assert event.direct_message is message
    assert event.direct_messages == [message]
    assert built == ["2080765901528535096"]
    # The same message as built before the change to laziness: the REST model's data.
    assert message.data == activity.direct_message_data(
        EXAMPLES["xaa:dm.received"]["data"]["payload"]["direct_message_events"][0]
    )


def test_a_v2_created_at_keeps_milliseconds_and_z():
    from tweepy_dm._activity import _iso

    moment = datetime.datetime(2026, 7, 24, 21, 23, 44, 372000, tzinfo=UTC)
    assert _iso(moment) == "2026-07-24T21:23:44.372Z"
    assert _iso(moment.replace(microsecond=0)) == "2026-07-24T21:23:44.000Z"


def test_one_to_one_id_is_low_high_by_value_not_text():
    [event] = parse_activity(EXAMPLES["xaa:dm.sent"])
    # "2244994945" sorts after "1111111111111111111" as text but is smaller.
    assert event.direct_message.dm_conversation_id == "2244994945-1111111111111111111"
    assert event.event_type == "dm.sent"
    assert event.sender_id == event.user_id == 1111111111111111111


def test_account_activity_dm_is_the_same_message_as_by_the_activity_api():
    aaa = EXAMPLES["aaa:direct_message_events"]
    [by_webhook] = parse_activity(aaa)
    xaa = {
        "data": {
            "event_uuid": "42",
            "filter": {"user_id": aaa["for_user_id"]},
            "event_type": "dm.received",
            "payload": {"direct_message_events": aaa["direct_message_events"]},
        }
    }
    [by_stream] = parse_activity(xaa)
    assert by_webhook.event_type == "dm.received"
    assert by_webhook.user_id == 4337869213
    assert by_webhook.event_uuid is None
    assert by_webhook.direct_message.data == by_stream.direct_message.data
    assert by_webhook.direct_message.dm_conversation_id == "3001969357-4337869213"
    # v1.1 users (screen_name) become tweepy Users with v2 names.
    user = by_webhook.users[3001969357]
    assert (user.username, user.name) == ("furiouscamper", "Jordan Brinks")
    assert user.public_metrics == {"followers_count": 22, "following_count": 45, "tweet_count": 494}
    assert user.created_at == datetime.datetime(2015, 1, 29, 18, 27, 49, 340000, tzinfo=UTC)
    # The same DM by both products collapses under one dedupe key, for webhooks.
    assert set(dedupe_keys(by_webhook)) & set(dedupe_keys(by_stream, across_products=True))
    # The stream keys by event_uuid alone: two subscriptions' events both arrive.
    assert dedupe_keys(by_stream) == ("uuid:42",)


def test_account_activity_dm_by_the_user_is_dm_sent():
    aaa = copy.deepcopy(EXAMPLES["aaa:direct_message_events"])
    aaa["for_user_id"] = "3001969357"  # the sender
    [event] = parse_activity(aaa)
    assert event.event_type == "dm.sent"


def test_account_activity_typing_and_read_have_typed_accessors():
    [typing] = parse_activity(EXAMPLES["aaa:direct_message_indicate_typing_events"])
    assert typing.event_type == "dm.indicate_typing"
    assert typing.user_id == 4337869213
    assert (typing.sender_id, typing.recipient_id) == (3284025577, 3001969357)
    assert typing.dm_conversation_id == "3001969357-3284025577"
    assert typing.created_at == datetime.datetime(2018, 2, 8, 21, 59, 43, 443000, tzinfo=UTC)
    assert typing.direct_message is None
    [read] = parse_activity(EXAMPLES["aaa:direct_message_mark_read_events"])
    assert read.event_type == "dm.read"
    assert read.last_read_event_id == 963085315333238788
    assert read.sender_id == 199566737
    assert read.dm_conversation_id == "199566737-3001969357"


def test_activity_api_read_receipt_in_the_account_activity_item_shape():
    item = {
        "created_timestamp": "1518452444662",
        "sender_id": "20",
        "target": {"recipient_id": "10"},
        "last_read_event_id": "99",
    }
    for payload in ({"direct_message_mark_read_events": [item]}, item):
        [event] = parse_activity(
            {"data": {"event_type": "dm.read", "filter": {"user_id": "10"}, "payload": payload}}
        )
        assert (event.sender_id, event.last_read_event_id) == (20, 99)
        assert event.dm_conversation_id == "10-20"


def test_group_message_uses_the_conversation_id_x_sends_and_none_without():
    item = {
        "type": "message_create",
        "id": "5",
        "created_timestamp": "1000",
        "message_create": {"sender_id": "7", "message_data": {"text": "hi all"}},
    }
    envelope = {"data": {"event_type": "dm.received", "payload": {"direct_message_events": [item]}}}
    assert parse_activity(envelope)[0].direct_message.dm_conversation_id is None
    item["dm_conversation_id"] = "1578900353814519810"
    assert parse_activity(envelope)[0].direct_message.dm_conversation_id == "1578900353814519810"


def test_v1_entities_and_attachment_become_v2():
    text = "see #news $TWTR @bob https://t.co/x"
    item = {
        "type": "message_create",
        "id": "9",
        "created_timestamp": "1700000000001",
        "message_create": {
            "sender_id": "1",
            "target": {"recipient_id": "2"},
            "message_data": {
                "text": text,
                "entities": {
                    "hashtags": [{"text": "news", "indices": [4, 9]}],
                    "symbols": [{"text": "TWTR", "indices": [10, 15]}],
                    "user_mentions": [
                        {"screen_name": "bob", "id": 2, "id_str": "2", "indices": [16, 20]}
                    ],
                    "urls": [
                        {
                            "url": "https://t.co/x",
                            "expanded_url": "https://x.com/bob/status/77",
                            "display_url": "x.com/bob/status/77",
                            "indices": [21, 35],
                        }
                    ],
                },
                "attachment": {"type": "media", "media": {"id_str": "55", "type": "video"}},
            },
        },
    }
    [event] = parse_activity({"for_user_id": "2", "direct_message_events": [item]})
    data = event.direct_message.data
    assert data["entities"] == {
        "hashtags": [{"start": 4, "end": 9, "tag": "news"}],
        "cashtags": [{"start": 10, "end": 15, "tag": "TWTR"}],
        "mentions": [{"start": 16, "end": 20, "username": "bob", "id": "2"}],
        "urls": [
            {
                "start": 21,
                "end": 35,
                "url": "https://t.co/x",
                "expanded_url": "https://x.com/bob/status/77",
                "display_url": "x.com/bob/status/77",
            }
        ],
    }
    assert data["attachments"] == {"media_keys": ["7_55"]}
    assert data["referenced_tweets"] == [{"id": "77"}]
    assert data["created_at"] == "2023-11-14T22:13:20.001Z"


def test_other_account_activity_keys_pass_through_as_events_named_after_them():
    [deleted] = parse_activity(EXAMPLES["aaa:tweet_delete_events"])
    assert deleted.event_type == "tweet_delete_events"
    assert deleted.payload == EXAMPLES["aaa:tweet_delete_events"]["tweet_delete_events"][0]
    [revoke] = parse_activity(EXAMPLES["aaa:user_event"])
    assert revoke.event_type == "user_event"
    assert revoke.payload == EXAMPLES["aaa:user_event"]["user_event"]
    follows = {
        "for_user_id": "1",
        "user_has_blocked": "false",
        "follow_events": [{"type": "follow"}, {"type": "unfollow"}],
    }
    events = parse_activity(follows)
    assert [event.payload["type"] for event in events] == ["follow", "unfollow"]
    assert all(event.data["user_has_blocked"] == "false" for event in events)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=examples(300), deadline=None)
@given(
    event_type=st.sampled_from(["dm.received", "dm.sent", "dm.read", "dm.indicate_typing", "x.y"]),
    payload=JSON
    | st.fixed_dictionaries(
        {"direct_message_events": st.lists(JSON | st.dictionaries(st.text(max_size=5), JSON))}
    ),
    users=JSON,
)
def test_malformed_payloads_never_lose_the_event(event_type, payload, users):
    if isinstance(payload, dict):
        payload = {**payload, "users": users}
    data = {"event_uuid": "1", "event_type": event_type, "payload": payload}
    [event] = parse_activity({"data": data})
    assert event.event_type == event_type
    assert event.data is data
    assert event.payload == payload


def test_not_an_event_raises_naming_what_is_expected():
    with pytest.raises(ValueError, match="Activity API envelope"):
        parse_activity({"hello": 1})
    with pytest.raises(TypeError, match="JSON object"):
        parse_activity([1])
    assert parse_activity({"errors": [{"title": "operational-disconnect"}]}) == []


@pytest.mark.parametrize(
    "name", ["quickstart:Create subscription", "quickstart:Update subscription"]
)
def test_documented_single_subscriptions_parse(name):
    subscription = ActivitySubscription(EXAMPLES[name]["data"])
    assert subscription.id == 1976325569252868096
    assert subscription.event_type == "profile.update.bio"
    assert subscription.user_id == 123456789
    assert subscription.created_at == datetime.datetime(2025, 10, 9, 16, 35, 8, tzinfo=UTC)
    assert subscription.webhook_id is not None
    assert subscription["tag"] == subscription.tag


def test_every_form_of_one_subscription_parses_to_the_same_model():
    flat = EXAMPLES["quickstart:Creating a subscription#2"]["data"][0]
    for form in (flat, [flat], {"subscription": flat, "total_subscriptions": 1}):
        subscription = ActivitySubscription(form)
        assert subscription.id == 1976325569252868096
        assert subscription.data == flat
    assert ActivitySubscription(flat) == ActivitySubscription([flat])
    listed = EXAMPLES["quickstart:List subscriptions"]["data"]
    assert [ActivitySubscription(item).id for item in listed] == [
        1976325569252868096,
        1976325569252868097,
    ]
    with pytest.raises(ValueError, match="one subscription"):
        ActivitySubscription(listed)


def test_repr_names_the_event_and_equality_follows_event_uuid():
    [event] = parse_activity(EXAMPLES["xaa:dm.received"])
    [again] = parse_activity(copy.deepcopy(EXAMPLES["xaa:dm.received"]))
    assert event == again
    assert hash(event) == hash(again)
    assert "dm.received" in repr(event)
    assert "-6850472171600526495" in repr(event)


def test_a_dm_through_the_emulator_stream_equals_the_rest_lookup(dm_emulator, dm_users):
    from tweepy_dm._stream_client import ActivityStream

    alice, bob = dm_users
    bob.client().create_activity_subscription(
        event_type="dm.received", user_id=bob.id, user_auth=False
    )
    stream = ActivityStream(dm_emulator.app_bearer_token, api_url=dm_emulator.url, timeout=10)
    received = []
    connected = threading.Event()

    def consume():
        for event in stream:
            received.append(event)
            stream.close()

    thread = threading.Thread(target=consume)
    thread.start()
    deadline = time.monotonic() + 10
    while stream.stats.connects == 0 and time.monotonic() < deadline:
        connected.wait(0.01)
    text = "hi #tag @bob $TSLA https://x.com/a/status/123 ok"
    alice.client().create_dm(participant_id=bob.id, text=text)
    thread.join(10)
    assert not thread.is_alive()
    [event] = received
    rest = bob.client().get_dm_event(event.direct_message.id, dm_event_fields=ALL_FIELDS).data
    assert event.direct_message.data == rest.data
    for name in ALL_FIELDS:
        assert getattr(event.direct_message, name) == getattr(rest, name)
    assert event.users[int(alice.id)].username == "alice"
