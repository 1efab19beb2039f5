"""Every row of the endpoint table, its builder called directly: no client, no socket.

A builder turns a method's arguments into the exact request both clients send
(method, route, query, JSON body, model, authentication), or raises before
anything exists to send. Cases below cover every row of ``ENDPOINTS``; a row
without cases fails :func:`test_every_row_has_cases`.
"""

from __future__ import annotations

import contextlib
import datetime
import inspect
import io
import re

import pytest
import tweepy

from tests.helpers import tiny_files
from tweepy_dm import _endpoints, _facts
from tweepy_dm._activity import ActivitySubscription
from tweepy_dm._bot_models import BotAccount
from tweepy_dm._chat_media import DEFAULT_CHAT_CHUNK_SIZE, ChatUpload
from tweepy_dm._chat_models import (
    ChatConversation,
    ChatMessageEvent,
    ChatMessageRequest,
    ChatSettings,
    PublicKey,
)
from tweepy_dm._endpoints import ENDPOINTS, GROUPS, MediaDownload, Request
from tweepy_dm._facts import DM_EVENT_FIELD_PARAMETERS, DM_EVENT_LOOKUP_PARAMETERS, RATE_LIMITS
from tweepy_dm._media import DEFAULT_CHUNK_SIZE, Upload
from tweepy_dm._models import DirectMessageEvent

CONVERSATION = "750362064426721281-1072250532645998596"
GROUP = "1585800614365339648"
ROWS = {endpoint.name: endpoint for endpoint in ENDPOINTS}


def _progress(sent, total):
    return None


def _read(route, params=None, *, lookup=True, **kwargs):
    """A DM event read: the lookup of many events, or of one (``lookup=False``)."""
    parameters = DM_EVENT_LOOKUP_PARAMETERS if lookup else DM_EVENT_FIELD_PARAMETERS
    return Request(
        "GET",
        route,
        params=params or {},
        endpoint_parameters=parameters,
        data_type=DirectMessageEvent,
        **kwargs,
    )


def _lookup(route, params=None, **kwargs):
    return _read(route, params, **kwargs)


def _event(route, params=None, **kwargs):
    return _read(route, params, lookup=False, **kwargs)


_IMAGE = io.BytesIO(b"\x89PNG\r\n\x1a\n")

# (row name, args, kwargs, what the builder returns)
VALID = [
    ("get_direct_message_events", (), {}, _lookup("/2/dm_events", user_auth=True)),
    (
        "get_direct_message_events",
        (),
        {"dm_conversation_id": CONVERSATION, "max_results": 5, "user_auth": False},
        _lookup(f"/2/dm_conversations/{CONVERSATION}/dm_events", {"max_results": 5}),
    ),
    (
        "get_direct_message_events",
        (),
        {"dm_conversation_id": GROUP, "event_types": ["ParticipantsJoin", "ParticipantsLeave"]},
        _lookup(
            f"/2/dm_conversations/{GROUP}/dm_events",
            {"event_types": ["ParticipantsJoin", "ParticipantsLeave"]},
            user_auth=True,
        ),
    ),
    (
        "get_direct_message_events",
        (),
        {
            "participant_id": 750362064426721281,
            "dm_event_fields": ("id", "text"),  # any iterable becomes a list
            "event_types": "MessageCreate",
            "expansions": ["sender_id"],
            "media_fields": {"url"},
            "pagination_token": "18LAA5G1SL0NR5OG0G00ZZZZ",
            "tweet_fields": "text",
            "user_fields": ["username"],
            "max_results": None,
        },
        _lookup(
            "/2/dm_conversations/with/750362064426721281/dm_events",
            {
                "dm_event_fields": ["id", "text"],
                "event_types": "MessageCreate",
                "expansions": ["sender_id"],
                "media_fields": ["url"],
                "pagination_token": "18LAA5G1SL0NR5OG0G00ZZZZ",
                "tweet_fields": "text",
                "user_fields": ["username"],
            },
            user_auth=True,
        ),
    ),
    (
        "get_direct_message_events",
        (),
        {"tweet_fields": ["id", "text"], "post_fields": ["text", "author_id"]},
        _lookup("/2/dm_events", {"tweet_fields": ["id", "text", "author_id"]}, user_auth=True),
    ),
    (
        "get_direct_message_events",
        (),
        {"post_fields": ["id"]},
        _lookup("/2/dm_events", {"tweet_fields": ["id"]}, user_auth=True),
    ),
    (
        "get_direct_message_event",
        (1146654567674912769,),
        {"dm_event_fields": ["id", "text"], "expansions": "sender_id"},
        _event(
            "/2/dm_events/1146654567674912769",
            {"dm_event_fields": ["id", "text"], "expansions": "sender_id"},
            user_auth=True,
        ),
    ),
    (
        "get_direct_message_event",
        ("42",),
        {"user_auth": False, "media_fields": "url", "user_fields": ["name"], "post_fields": ["id"]},
        _event(
            "/2/dm_events/42",
            {"media_fields": "url", "user_fields": ["name"], "tweet_fields": ["id"]},
        ),
    ),
    (
        "create_direct_message",
        (),
        {"participant_id": 750362064426721281, "text": "Testing 1"},
        Request(
            "POST",
            "/2/dm_conversations/with/750362064426721281/messages",
            json={"text": "Testing 1"},
            user_auth=True,
        ),
    ),
    (
        "create_direct_message",
        (),
        {"dm_conversation_id": CONVERSATION, "text": "hi", "media_id": 1455952740635586573},
        Request(
            "POST",
            f"/2/dm_conversations/{CONVERSATION}/messages",
            json={"attachments": [{"media_id": "1455952740635586573"}], "text": "hi"},
            user_auth=True,
        ),
    ),
    (
        "create_direct_message",
        (),
        {"participant_id": "12", "media_id": "34", "user_auth": False},
        Request(
            "POST",
            "/2/dm_conversations/with/12/messages",
            json={"attachments": [{"media_id": "34"}]},
        ),
    ),
    (
        "create_direct_message",
        (),
        {"participant_id": 1, "text": "x" * 10_000},
        Request(
            "POST",
            "/2/dm_conversations/with/1/messages",
            json={"text": "x" * 10_000},
            user_auth=True,
        ),
    ),
    (
        "create_direct_message_conversation",
        (),
        {"text": "Testing", "participant_ids": [145336962, 750362064426721281]},
        Request(
            "POST",
            "/2/dm_conversations",
            json={
                "conversation_type": "Group",
                "message": {"text": "Testing"},
                "participant_ids": ["145336962", "750362064426721281"],
            },
            user_auth=True,
        ),
    ),
    (
        "create_direct_message_conversation",
        (),
        {"media_id": 5, "participant_ids": tuple(str(n) for n in range(1, 50)), "user_auth": False},
        Request(
            "POST",
            "/2/dm_conversations",
            json={
                "conversation_type": "Group",
                "message": {"attachments": [{"media_id": "5"}]},
                "participant_ids": [str(n) for n in range(1, 50)],
            },
        ),
    ),
    (
        "delete_direct_message_event",
        (1146654567674912769,),
        {},
        Request("DELETE", "/2/dm_events/1146654567674912769", user_auth=True),
    ),
    (
        "delete_direct_message_event",
        ("7",),
        {"user_auth": False},
        Request("DELETE", "/2/dm_events/7"),
    ),
    (
        "block_direct_messages",
        ("2244994945",),
        {},
        Request("POST", "/2/users/2244994945/dm/block", user_auth=True),
    ),
    ("block_direct_messages", (12,), {"user_auth": False}, Request("POST", "/2/users/12/dm/block")),
    (
        "unblock_direct_messages",
        (12,),
        {},
        Request("POST", "/2/users/12/dm/unblock", user_auth=True),
    ),
    (
        "get_direct_message_media",
        (1585823814058971140, "1585823813618384897", "AbC_12-x.jpg"),
        {},
        MediaDownload(
            Request(
                "GET",
                "/2/dm_conversations/media/1585823814058971140/1585823813618384897/AbC_12-x.jpg",
            )
        ),
    ),
    (
        "get_direct_message_media",
        (1, 2, "r"),
        {"file": "out.jpg", "user_auth": True},
        MediaDownload(Request("GET", "/2/dm_conversations/media/1/2/r", user_auth=True), "out.jpg"),
    ),
    (
        "upload_dm_media",
        ("cat.jpg",),
        {},
        Upload("cat.jpg", None, None, DEFAULT_CHUNK_SIZE, True, None, True),
    ),
    (
        "upload_dm_media",
        (_IMAGE,),
        {
            "media_category": "dm_gif",
            "media_type": "image/gif",
            "chunk_size": 1024,
            "wait": False,
            "progress": _progress,
            "user_auth": False,
        },
        Upload(_IMAGE, "dm_gif", "image/gif", 1024, False, _progress, False),
    ),
]

# post_fields and tweet_fields as comma-separated strings, as the docstrings allow:
# merged by name (an early _merge_fields split a string into characters).
STRING_FIELDS = [
    ({"post_fields": "id"}, ["id"]),
    (
        {"tweet_fields": ["id", "text"], "post_fields": "text,author_id"},
        ["id", "text", "author_id"],
    ),
    ({"tweet_fields": "id,text", "post_fields": ["author_id"]}, ["id", "text", "author_id"]),
]


@pytest.mark.parametrize(("kwargs", "merged"), STRING_FIELDS)
def test_post_fields_as_a_string(kwargs, merged):
    for build in (_endpoints.get_direct_message_events, _endpoints.get_direct_message_event):
        args = (1,) if build is _endpoints.get_direct_message_event else ()
        assert build(*args, **kwargs).params["tweet_fields"] in (merged, ",".join(merged))


# (row name, args, kwargs, exception, message)
INVALID = [
    (
        "get_direct_message_events",
        (),
        {"dm_conversation_id": CONVERSATION, "participant_id": 1},
        TypeError,
        "not both",
    ),
    ("get_direct_message_events", (CONVERSATION,), {}, TypeError, "positional"),
    (
        "get_direct_message_events",
        (),
        {"dm_conversation_id": "1/2"},
        ValueError,
        "dm_conversation_id",
    ),
    ("get_direct_message_events", (), {"dm_conversation_id": 12}, ValueError, "dm_conversation_id"),
    ("get_direct_message_events", (), {"participant_id": "0"}, ValueError, "participant_id"),
    ("get_direct_message_events", (), {"participant_id": 1.5}, TypeError, "participant_id"),
    ("get_direct_message_events", (), {"max_results": 0}, ValueError, "max_results"),
    ("get_direct_message_events", (), {"max_results": 101}, ValueError, "between 1 and 100"),
    ("get_direct_message_events", (), {"max_results": "5"}, TypeError, "max_results"),
    ("get_direct_message_events", (), {"event_types": "Reaction"}, ValueError, "event_types"),
    ("get_direct_message_events", (), {"expansions": b"sender_id"}, TypeError, "expansions"),
    ("get_direct_message_events", (), {"dm_event_fields": ["id", 1]}, TypeError, "only str"),
    ("get_direct_message_events", (), {"post_fields": 5}, TypeError, "post_fields"),
    ("get_direct_message_event", (), {}, TypeError, "event_id"),
    ("get_direct_message_event", ("12a",), {}, ValueError, "event_id"),
    ("get_direct_message_event", (10**19,), {}, ValueError, "event_id"),
    ("get_direct_message_event", (True,), {}, TypeError, "event_id"),
    ("get_direct_message_event", (1,), {"user_fields": {"name": 1}}, TypeError, "user_fields"),
    ("create_direct_message", (), {"text": "x"}, TypeError, "participant"),
    (
        "create_direct_message",
        (),
        {"dm_conversation_id": CONVERSATION, "participant_id": 1, "text": "x"},
        TypeError,
        "not both",
    ),
    ("create_direct_message", (), {"participant_id": 1}, ValueError, "needs text, media_id"),
    ("create_direct_message", (), {"participant_id": 1, "text": ""}, ValueError, "1 to 10,000"),
    (
        "create_direct_message",
        (),
        {"participant_id": 1, "text": "x" * 10_001},
        ValueError,
        "got 10,001",
    ),
    (
        "create_direct_message",
        (),
        {"participant_id": 1, "text": 5},
        TypeError,
        "text must be a str",
    ),
    ("create_direct_message", (), {"participant_id": 1, "media_id": "a"}, ValueError, "media_id"),
    ("create_direct_message", (CONVERSATION,), {"text": "x"}, TypeError, "positional"),
    ("create_direct_message_conversation", (), {"text": "x"}, TypeError, "participant_ids"),
    (
        "create_direct_message_conversation",
        (),
        {"text": "x", "participant_ids": "1,2"},
        TypeError,
        "participant_ids must be a list",
    ),
    (
        "create_direct_message_conversation",
        (),
        {"text": "x", "participant_ids": [1]},
        ValueError,
        "2 to 49",
    ),
    (
        "create_direct_message_conversation",
        (),
        {"text": "x", "participant_ids": list(range(1, 51))},
        ValueError,
        "got 50",
    ),
    (
        "create_direct_message_conversation",
        (),
        {"text": "x", "participant_ids": [1, "1"]},
        ValueError,
        "repeat",
    ),
    (
        "create_direct_message_conversation",
        (),
        {"text": "x", "participant_ids": [1, "x"]},
        ValueError,
        r"participant_ids\[1\]",
    ),
    (
        "create_direct_message_conversation",
        (),
        {"participant_ids": [1, 2]},
        ValueError,
        "needs text, media_id",
    ),
    ("delete_direct_message_event", ("-1",), {}, ValueError, "event_id"),
    ("delete_direct_message_event", (None,), {}, TypeError, "event_id"),
    ("block_direct_messages", ("00",), {}, ValueError, "not all zeros"),
    ("block_direct_messages", ([1],), {}, TypeError, "user_id"),
    ("unblock_direct_messages", (0,), {}, ValueError, "user_id"),
    ("get_direct_message_media", (1, 2, "../etc/passwd"), {}, ValueError, "resource_id"),
    ("get_direct_message_media", (1, 2, 3), {}, TypeError, "resource_id"),
    ("get_direct_message_media", ("x", 2, "r"), {}, ValueError, "dm_event_id"),
    ("get_direct_message_media", (1, None, "r"), {}, TypeError, "media_id"),
    ("upload_dm_media", ("cat.jpg",), {"media_type": "image/bmp"}, ValueError, "not supported"),
    ("upload_dm_media", ("cat.jpg",), {"media_category": "tweet_image"}, ValueError, "DM category"),
    ("upload_dm_media", ("cat.jpg",), {"chunk_size": 0}, ValueError, "chunk_size"),
    ("upload_dm_media", ("cat.jpg",), {"progress": 5}, TypeError, "progress must be callable"),
]

# The X Activity API subscription rows.
_SUBSCRIPTIONS = "/2/activity/subscriptions"
VALID += [
    (
        "create_activity_subscription",
        (),
        {"event_type": "dm.received", "user_id": 1111, "tag": "inbox"},
        Request(
            "POST",
            _SUBSCRIPTIONS,
            json={"event_type": "dm.received", "filter": {"user_id": "1111"}, "tag": "inbox"},
            data_type=ActivitySubscription,
        ),
    ),
    (
        "create_activity_subscription",
        (),
        {"event_type": "dm.sent", "user_id": "2", "direction": "outbound", "webhook_id": 7},
        Request(
            "POST",
            _SUBSCRIPTIONS,
            json={
                "event_type": "dm.sent",
                "filter": {"user_id": "2", "direction": "outbound"},
                "webhook_id": "7",
            },
            data_type=ActivitySubscription,
        ),
    ),
    (
        "get_activity_subscriptions",
        (),
        {"max_results": 1000, "pagination_token": "abcdefghijklmnop"},
        Request(
            "GET",
            _SUBSCRIPTIONS,
            params={"max_results": 1000, "pagination_token": "abcdefghijklmnop"},
            endpoint_parameters=("max_results", "pagination_token"),
            data_type=ActivitySubscription,
        ),
    ),
    (
        "update_activity_subscription",
        ("12",),
        {"tag": "t"},
        Request("PUT", f"{_SUBSCRIPTIONS}/12", json={"tag": "t"}, data_type=ActivitySubscription),
    ),
    (
        "delete_activity_subscription",
        (12,),
        {},
        Request("DELETE", f"{_SUBSCRIPTIONS}/12"),
    ),
    (
        "delete_activity_subscriptions",
        ((1, "2"),),
        {},
        Request("DELETE", _SUBSCRIPTIONS, params={"ids": ["1", "2"]}, endpoint_parameters=("ids",)),
    ),
]
INVALID += [
    (
        "create_activity_subscription",
        (),
        {"event_type": "DMReceived", "user_id": 1},
        ValueError,
        "event_type must be one of",
    ),
    ("create_activity_subscription", (), {"event_type": 1, "user_id": 1}, TypeError, "event_type"),
    (
        "create_activity_subscription",
        (),
        {"event_type": "dm.sent", "user_id": 1, "direction": "sent"},
        ValueError,
        "inbound, outbound",
    ),
    (
        "create_activity_subscription",
        (),
        {"event_type": "dm.sent", "user_id": 1, "tag": "x" * 201},
        ValueError,
        "1 to 200",
    ),
    (
        "create_activity_subscription",
        (),
        {"event_type": "dm.sent", "user_id": "1a"},
        ValueError,
        "user_id",
    ),
    ("get_activity_subscriptions", (), {"max_results": 1001}, ValueError, "1 to 1,000"),
    ("get_activity_subscriptions", (), {"max_results": True}, TypeError, "max_results"),
    ("get_activity_subscriptions", (), {"pagination_token": "short"}, ValueError, "next_token"),
    ("update_activity_subscription", (1,), {}, TypeError, "tag or webhook_id"),
    ("update_activity_subscription", (1,), {"tag": ""}, ValueError, "1 to 200"),
    ("update_activity_subscription", ("x",), {"tag": "t"}, ValueError, "subscription_id"),
    ("delete_activity_subscription", (None,), {}, TypeError, "subscription_id"),
    ("delete_activity_subscriptions", ("1,2",), {}, TypeError, "ids must be a list"),
    ("delete_activity_subscriptions", ([],), {}, ValueError, "1 to 100"),
    ("delete_activity_subscriptions", (list(range(1, 102)),), {}, ValueError, "got 101"),
    ("delete_activity_subscriptions", ([1, "x"],), {}, ValueError, "ids"),
]


# Webhooks and the Account Activity API rows.
_PLUS_TWO = datetime.timezone(datetime.timedelta(hours=2))
_AAA = "/2/account_activity/webhooks/55/subscriptions"
VALID += [
    (
        "create_webhook",
        ("https://example.com/x/webhook",),
        {},
        Request("POST", "/2/webhooks", json={"url": "https://example.com/x/webhook"}),
    ),
    (
        "create_webhook",
        ("http://127.0.0.1:8080/hook",),
        {},
        Request("POST", "/2/webhooks", json={"url": "http://127.0.0.1:8080/hook"}),
    ),
    ("get_webhooks", (), {}, Request("GET", "/2/webhooks")),
    ("validate_webhook", (55,), {}, Request("PUT", "/2/webhooks/55")),
    ("delete_webhook", ("55",), {}, Request("DELETE", "/2/webhooks/55")),
    (
        "replay_webhook_events",
        (55,),
        {
            "from_date": datetime.datetime(2026, 11, 28, 5, 30, 59, tzinfo=_PLUS_TWO),
            "to_date": "2026-11-28T04:10:00Z",
        },
        Request(
            "POST",
            "/2/webhooks/replay",
            json={"webhook_id": "55", "from_date": "202611280330", "to_date": "202611280410"},
        ),
    ),
    (
        "replay_webhook_events",
        ("55",),
        {"from_date": "202611280300", "to_date": datetime.datetime(2026, 11, 28, 4, 0)},
        Request(
            "POST",
            "/2/webhooks/replay",
            json={"webhook_id": "55", "from_date": "202611280300", "to_date": "202611280400"},
        ),
    ),
    (
        "create_account_activity_subscription",
        (55,),
        {},
        Request("POST", f"{_AAA}/all", json={}, user_auth=True),
    ),
    (
        "get_account_activity_subscription",
        (55,),
        {"user_auth": False},
        Request("GET", f"{_AAA}/all"),
    ),
    ("get_account_activity_subscriptions", ("55",), {}, Request("GET", f"{_AAA}/all/list")),
    (
        "delete_account_activity_subscription",
        (55, "1111"),
        {},
        Request("DELETE", f"{_AAA}/1111/all"),
    ),
    (
        "get_account_activity_subscription_count",
        (),
        {},
        Request("GET", "/2/account_activity/subscriptions/count"),
    ),
]
INVALID += [
    ("create_webhook", ("https://example.com:8443/hook",), {}, ValueError, "port"),
    ("create_webhook", ("http://example.com/hook",), {}, ValueError, "https://"),
    ("create_webhook", ("https://example.com/" + "x" * 181,), {}, ValueError, "1 to 200"),
    ("create_webhook", ("https://example.com/a b",), {}, ValueError, "whitespace"),
    ("create_webhook", (b"https://example.com/",), {}, TypeError, "url must be a str"),
    ("create_webhook", ("http://127.0.0.1:99999/",), {}, ValueError, "not a valid URL"),
    ("create_webhook", ("https://me:hunter2@example.com/",), {}, ValueError, r"password$"),
    ("create_webhook", ("http://me:hunter2@127.0.0.1:80/",), {}, ValueError, r"password$"),
    ("get_webhooks", (), {"webhook_id": 1}, TypeError, "webhook_id"),
    ("validate_webhook", ("abc",), {}, ValueError, "webhook_id"),
    ("delete_webhook", (None,), {}, TypeError, "webhook_id"),
    (
        "replay_webhook_events",
        (55,),
        {"from_date": "202611280400", "to_date": "202611280400"},
        ValueError,
        "must be before to_date",
    ),
    (
        "replay_webhook_events",
        (55,),
        {"from_date": "202611260400", "to_date": "202611280400"},
        ValueError,
        "longer than X's 24 hours",
    ),
    (
        "replay_webhook_events",
        (55,),
        {"from_date": "209911260400", "to_date": "209911260500"},
        ValueError,
        "in the future",
    ),
    (
        "replay_webhook_events",
        (55,),
        {"from_date": "202613280400", "to_date": "202611280500"},
        ValueError,
        "not a real date",
    ),
    (
        "replay_webhook_events",
        (55,),
        {"from_date": "yesterday", "to_date": "202611280500"},
        ValueError,
        "yyyymmddhhmm",
    ),
    (
        "replay_webhook_events",
        (55,),
        {"from_date": 1764300000, "to_date": "202611280500"},
        TypeError,
        "from_date must be a datetime or a str",
    ),
    ("create_account_activity_subscription", ("x",), {}, ValueError, "webhook_id"),
    ("get_account_activity_subscription", (0,), {}, ValueError, "webhook_id"),
    ("get_account_activity_subscriptions", ([1],), {}, TypeError, "webhook_id"),
    ("delete_account_activity_subscription", (55, "me"), {}, ValueError, "user_id"),
    ("get_account_activity_subscription_count", (55,), {}, TypeError, "positional"),
]

# The XChat rows.
_CHAT_EVENTS_ALL = {"chat_message_event_fields": list(_facts.CHAT_MESSAGE_EVENT_FIELDS)}
_SIG = {
    "message_id": "m-1",
    "encoded_message_event_detail": "DAADCwAB",
    "message_event_signature": {
        "signature": "c2ln",
        "public_key_version": "17",
        "signature_version": "7",
    },
}
_PKEY = {"user_id": 1111, "encrypted_conversation_key": "a2V5", "public_key_version": 17}
_PKEY_SENT = {"user_id": "1111", "encrypted_conversation_key": "a2V5", "public_key_version": "17"}
_KEYS_BODY = {
    "conversation_key_version": "1795",
    "conversation_participant_keys": [_PKEY_SENT],
    "action_signatures": [_SIG],
}
_REGISTRATION = {
    "public_key": "aWQ=",
    "signing_public_key": "c2s=",
    "identity_public_key_signature": "YnM=",
}
VALID += [
    (
        "get_chat_conversations",
        (),
        {"max_results": 5, "expansions": ["member_ids"]},
        Request(
            "GET",
            "/2/chat/conversations",
            params={"max_results": 5, "expansions": ["member_ids"]},
            endpoint_parameters=_facts.CHAT_CONVERSATIONS_PARAMETERS,
            data_type=ChatConversation,
            user_auth=True,
        ),
    ),
    (
        "get_chat_conversation",
        ("1111:2222",),
        {"chat_conversation_fields": "type"},
        Request(
            "GET",
            "/2/chat/conversations/1111-2222",
            params={"chat_conversation_fields": ["type"]},
            endpoint_parameters=_facts.CHAT_CONVERSATION_PARAMETERS,
            data_type=ChatConversation,
            user_auth=True,
        ),
    ),
    (
        "get_chat_conversation_events",
        (2222,),
        {},
        Request(
            "GET",
            "/2/chat/conversations/2222/events",
            params=_CHAT_EVENTS_ALL,
            endpoint_parameters=_facts.CHAT_EVENTS_PARAMETERS,
            data_type=ChatMessageEvent,
            user_auth=True,
        ),
    ),
    (
        "get_chat_conversation_events",
        ("2222-1111",),
        {"chat_message_event_fields": ["encoded_event"], "max_results": 100},
        Request(
            "GET",
            "/2/chat/conversations/1111-2222/events",
            params={"chat_message_event_fields": ["encoded_event"], "max_results": 100},
            endpoint_parameters=_facts.CHAT_EVENTS_PARAMETERS,
            data_type=ChatMessageEvent,
            user_auth=True,
        ),
    ),
    (
        "send_chat_message",
        ("g19",),
        {"message_id": "m-1", "encoded_message_create_event": "AAEC", "conversation_token": "t"},
        Request(
            "POST",
            "/2/chat/conversations/g19/messages",
            json={
                "message_id": "m-1",
                "encoded_message_create_event": "AAEC",
                "conversation_token": "t",
            },
            user_auth=True,
        ),
    ),
    (
        "delete_chat_messages",
        ("1111-2222",),
        {
            "sequence_ids": [19],
            "action_signatures": [_SIG],
            "delete_message_action": "delete_for_all",
            "media_hash_keys": ["abc"],
        },
        Request(
            "POST",
            "/2/chat/conversations/1111-2222/messages/delete",
            json={
                "action_signatures": [_SIG],
                "delete_message_action": "delete_for_all",
                "sequence_ids": ["19"],
                "media_hash_keys": ["abc"],
            },
            user_auth=True,
        ),
    ),
    (
        "mark_chat_conversation_read",
        ("g19",),
        {"seen_until_sequence_id": 42},
        Request(
            "POST",
            "/2/chat/conversations/g19/read",
            json={"seen_until_sequence_id": "42"},
            user_auth=True,
        ),
    ),
    (
        "send_chat_typing_indicator",
        ("2222",),
        {"user_auth": False},
        Request("POST", "/2/chat/conversations/2222/typing", user_auth=False),
    ),
    (
        "add_chat_conversation_keys",
        ("2222",),
        {
            "conversation_key_version": 1795,
            "conversation_participant_keys": [_PKEY],
            "action_signatures": [_SIG],
        },
        Request("POST", "/2/chat/conversations/2222/keys", json=_KEYS_BODY, user_auth=True),
    ),
    (
        "initialize_chat_group",
        (),
        {},
        Request("POST", "/2/chat/conversations/group/initialize", user_auth=True),
    ),
    (
        "create_chat_group",
        (),
        {
            "conversation_id": "g19",
            "conversation_key_version": "1795",
            "conversation_participant_keys": [_PKEY],
            "action_signatures": [_SIG],
            "group_members": [1111, "2222"],
            "group_name": "team",
        },
        Request(
            "POST",
            "/2/chat/conversations/group",
            json={
                **_KEYS_BODY,
                "conversation_id": "g19",
                "group_members": ["1111", "2222"],
                "group_name": "team",
            },
            user_auth=True,
        ),
    ),
    (
        "add_chat_group_members",
        ("g19",),
        {"user_ids": [3333]},
        Request(
            "POST",
            "/2/chat/conversations/g19/members",
            json={"user_ids": ["3333"]},
            user_auth=True,
        ),
    ),
    (
        "get_user_public_keys",
        (1111,),
        {"public_key_fields": ["public_key"]},
        Request(
            "GET",
            "/2/users/1111/public_keys",
            params={"public_key_fields": ["public_key"]},
            endpoint_parameters=_facts.PUBLIC_KEY_PARAMETERS,
            data_type=PublicKey,
            user_auth=True,
        ),
    ),
    (
        "get_users_public_keys",
        ([1111, "2222"],),
        {},
        Request(
            "GET",
            "/2/users/public_keys",
            params={"ids": ["1111", "2222"]},
            endpoint_parameters=_facts.USERS_PUBLIC_KEYS_PARAMETERS,
            data_type=PublicKey,
            user_auth=True,
        ),
    ),
    (
        "add_user_public_key",
        ("1111",),
        {"public_key": _REGISTRATION, "version": "17", "generate_version": False},
        Request(
            "POST",
            "/2/users/1111/public_keys",
            json={"public_key": _REGISTRATION, "version": "17", "generate_version": False},
            user_auth=True,
        ),
    ),
    (
        "upload_chat_media",
        (_IMAGE,),
        {"conversation_id": "2222-1111"},
        ChatUpload(_IMAGE, "1111:2222", DEFAULT_CHAT_CHUNK_SIZE, None, None, None, True),
    ),
    (
        "get_chat_media",
        ("1111:2222", "abc123"),
        {},
        MediaDownload(Request("GET", "/2/chat/media/1111-2222/abc123", user_auth=True)),
    ),
]
INVALID += [
    ("get_chat_conversations", (), {"max_results": 101}, ValueError, "1 to 100"),
    ("get_chat_conversations", (), {"expansions": ["sender_id"]}, ValueError, "admin_ids"),
    ("get_chat_conversation", ("1111_2222",), {}, ValueError, "LOW-HIGH"),
    ("get_chat_conversation", (1.5,), {}, TypeError, "conversation_id"),
    ("get_chat_conversation_events", ("1111-1111",), {}, ValueError, "two different users"),
    (
        "get_chat_conversation_events",
        ("g1",),
        {"chat_message_event_fields": ["text"]},
        ValueError,
        "encoded_event",
    ),
    (
        "send_chat_message",
        ("g1",),
        {"message_id": "m", "encoded_message_create_event": "not base64!"},
        ValueError,
        "base64",
    ),
    (
        "send_chat_message",
        ("g1",),
        {"message_id": 5, "encoded_message_create_event": "AA"},
        TypeError,
        "message_id",
    ),
    (
        "delete_chat_messages",
        ("g1",),
        {"sequence_ids": [1], "action_signatures": [_SIG], "delete_message_action": "all"},
        ValueError,
        "delete_for_all, delete_for_self",
    ),
    (
        "delete_chat_messages",
        ("g1",),
        {"sequence_ids": [], "action_signatures": [_SIG]},
        ValueError,
        "sequence_ids",
    ),
    (
        "delete_chat_messages",
        ("g1",),
        {"sequence_ids": [1], "action_signatures": None},
        TypeError,
        "action_signatures is required",
    ),
    (
        "mark_chat_conversation_read",
        ("g1",),
        {"seen_until_sequence_id": "x"},
        ValueError,
        "seen_until_sequence_id",
    ),
    ("send_chat_typing_indicator", ("g",), {}, ValueError, "conversation_id"),
    (
        "add_chat_conversation_keys",
        ("2222",),
        {"conversation_key_version": "v1", "conversation_participant_keys": [_PKEY]},
        ValueError,
        "numeric",
    ),
    (
        "add_chat_conversation_keys",
        ("2222",),
        {"conversation_key_version": "1", "conversation_participant_keys": [{"user_id": 1}]},
        ValueError,
        "lacks encrypted_conversation_key",
    ),
    ("initialize_chat_group", (True,), {}, TypeError, "positional"),
    (
        "create_chat_group",
        (),
        {
            "conversation_id": "1111-2222",
            "conversation_key_version": "1",
            "conversation_participant_keys": [_PKEY],
            "group_members": [1, 2],
        },
        ValueError,
        "group id",
    ),
    ("add_chat_group_members", ("1111-2222",), {"user_ids": [3]}, ValueError, "group id"),
    ("add_chat_group_members", ("g1",), {"user_ids": "3"}, TypeError, "user_ids must be a list"),
    ("get_user_public_keys", ("me",), {}, ValueError, "user_id"),
    ("get_users_public_keys", (list(range(1, 102)),), {}, ValueError, "1 to 100"),
    (
        "add_user_public_key",
        (1,),
        {"public_key": {**_REGISTRATION, "private_key": "x"}, "version": "1"},
        ValueError,
        "unknown",
    ),
    (
        "add_user_public_key",
        (1,),
        {"public_key": {"public_key": "x"}, "version": "1"},
        ValueError,
        "lacks signing_public_key",
    ),
    ("upload_chat_media", (b"x",), {"conversation_id": "a-b"}, ValueError, "conversation_id"),
    (
        "upload_chat_media",
        (b"x",),
        {"conversation_id": "g1", "chunk_size": 0},
        ValueError,
        "chunk_size",
    ),
    ("get_chat_media", ("g1", "no/slash"), {}, ValueError, "media_hash_key"),
    ("get_chat_media", ("g1", "abc"), {"file": 5}, TypeError, "file must be"),
]

# Bots
VALID += [
    (
        "rotate_bot_token",
        (42,),
        {},
        Request("POST", "/2/bots/42/token", json={}, data_type=BotAccount),
    ),
    (
        "rotate_bot_token",
        ("42",),
        {"scopes": ["dm.read"]},
        Request("POST", "/2/bots/42/token", json={"scopes": ["dm.read"]}, data_type=BotAccount),
    ),
    (
        "create_bot",
        ("help_bot",),
        {},
        Request("POST", "/2/bots", json={"handle": "help_bot"}, data_type=BotAccount),
    ),
    (
        "create_bot",
        ("help_bot",),
        {"display_name": "Help 🤖", "scopes": ("dm.read", "broadcast.read")},
        Request(
            "POST",
            "/2/bots",
            json={
                "handle": "help_bot",
                "display_name": "Help 🤖",
                "scopes": ["dm.read", "broadcast.read"],
            },
            data_type=BotAccount,
        ),
    ),
    (
        "get_bots",
        (),
        {},
        Request(
            "GET",
            "/2/bots",
            endpoint_parameters=("expansions", "post.fields", "tweet.fields", "user.fields"),
            data_type=BotAccount,
        ),
    ),
    (
        "get_bots",
        (),
        {"user_fields": ("description", "created_at"), "post_fields": ["text"]},
        Request(
            "GET",
            "/2/bots",
            params={"tweet_fields": ["text"], "user_fields": ["description", "created_at"]},
            endpoint_parameters=("expansions", "post.fields", "tweet.fields", "user.fields"),
            data_type=BotAccount,
        ),
    ),
    (
        "update_bot",
        (42,),
        {"dm_permission": "no_one"},
        Request("PUT", "/2/bots/42", json={"dm_permission": "no_one"}),
    ),
    (
        "update_bot",
        ("42",),
        {"display_name": "Helper", "handle": "helper_2"},
        Request("PUT", "/2/bots/42", json={"display_name": "Helper", "handle": "helper_2"}),
    ),
    ("delete_bot", (42,), {}, Request("DELETE", "/2/bots/42")),
    ("revoke_bot_token", ("42",), {}, Request("DELETE", "/2/bots/42/token")),
]
INVALID += [
    ("rotate_bot_token", ("x",), {}, ValueError, "bot_id"),
    ("rotate_bot_token", (42,), {"scopes": "dm.read"}, TypeError, "list of str"),
    ("rotate_bot_token", (42,), {"scopes": []}, ValueError, "at least one scope"),
    ("rotate_bot_token", (42,), {"scopes": ["dm.admin"]}, ValueError, "unknown: \\['dm.admin'\\]"),
    ("create_bot", ("bot",), {}, ValueError, "handle must be 5 to 15"),
    ("create_bot", ("my-bot1",), {}, ValueError, "letters, digits or underscores"),
    ("create_bot", ("a" * 16,), {}, ValueError, "handle"),
    ("create_bot", (12345,), {}, TypeError, "handle must be a str"),
    ("create_bot", ("help_bot",), {"display_name": ""}, ValueError, "1 to 50 characters"),
    ("create_bot", ("help_bot",), {"display_name": "x" * 51}, ValueError, "display_name"),
    ("create_bot", ("help_bot",), {"scopes": []}, ValueError, "at least one scope"),
    ("get_bots", (), {"user_fields": ["nope"]}, ValueError, "user_fields must be among"),
    ("get_bots", (), {"expansions": "sender_id"}, ValueError, "expansions must be among"),
    ("update_bot", (42,), {}, ValueError, "needs one or more of"),
    ("update_bot", (42,), {"dm_permission": "friends"}, ValueError, "everyone, premium, no_one"),
    ("update_bot", (42,), {"handle": "x"}, ValueError, "handle"),
    ("update_bot", ("4x",), {"handle": "helper_2"}, ValueError, "bot_id"),
    ("delete_bot", ("",), {}, ValueError, "bot_id"),
    ("revoke_bot_token", (None,), {}, TypeError, "bot_id"),
]
# Message requests and chat settings (spec 2.170).
VALID += [
    (
        "update_chat_group",
        ("g19",),
        {"conversation_key_version": 7, "group_description": "QUJD"},
        Request(
            "PUT",
            "/2/chat/conversations/g19",
            json={
                "modified_fields": ["group_description"],
                "conversation_key_version": "7",
                "group_description": "QUJD",
            },
            user_auth=True,
        ),
    ),
    (
        "enable_chat_group_invite",
        ("g19",),
        {
            "invite_url": "https://x.com/i/chat/group_join/g19/abcDEF_-12",
            "validity_duration_msec": 3_600_000,
            "welcome_message": "hi",
        },
        Request(
            "POST",
            "/2/chat/conversations/g19/invite",
            json={
                "invite_url": "https://x.com/i/chat/group_join/g19/abcDEF_-12",
                "validity_duration_msec": "3600000",
                "welcome_message": "hi",
            },
            user_auth=True,
        ),
    ),
    (
        "disable_chat_group_invite",
        ("g19",),
        {},
        Request("DELETE", "/2/chat/conversations/g19/invite", json={}, user_auth=True),
    ),
    (
        "get_chat_group_invite",
        ("g19", "abcDEF_-12"),
        {},
        Request("GET", "/2/chat/conversations/g19/invites/abcDEF_-12", user_auth=True),
    ),
    (
        "create_chat_group_join_request",
        ("g19",),
        {"token": "abcDEF_-12"},
        Request(
            "POST",
            "/2/chat/conversations/g19/join_requests",
            json={"token": "abcDEF_-12"},
            user_auth=True,
        ),
    ),
    (
        "reject_chat_group_join_requests",
        ("g19",),
        {"user_ids": [2222]},
        Request(
            "POST",
            "/2/chat/conversations/g19/join_requests/reject",
            json={"user_ids": ["2222"]},
            user_auth=True,
        ),
    ),
    (
        "add_chat_group_admins",
        ("g19",),
        {"user_ids": [2222]},
        Request(
            "POST", "/2/chat/conversations/g19/admins", json={"user_ids": ["2222"]}, user_auth=True
        ),
    ),
    (
        "remove_chat_group_admins",
        ("g19",),
        {"user_ids": ["2222"]},
        Request(
            "POST",
            "/2/chat/conversations/g19/admins/remove",
            json={"user_ids": ["2222"]},
            user_auth=True,
        ),
    ),
    (
        "get_chat_group_admin_requests",
        ("g19",),
        {"pagination_token": "100", "user_fields": ["username"]},
        Request(
            "GET",
            "/2/chat/conversations/g19/admin_requests",
            params={"pagination_token": "100", "user_fields": ["username"]},
            endpoint_parameters=_facts.CHAT_ADMIN_REQUESTS_PARAMETERS,
            data_type=tweepy.User,
            user_auth=True,
        ),
    ),
    (
        "create_chat_group_admin_request",
        ("g19",),
        {},
        Request("POST", "/2/chat/conversations/g19/admin_requests", json={}, user_auth=True),
    ),
    (
        "approve_chat_group_admin_request",
        ("g19", 2222),
        {},
        Request(
            "POST", "/2/chat/conversations/g19/admin_requests/2222/approve", json={}, user_auth=True
        ),
    ),
    (
        "reject_chat_group_admin_request",
        ("g19", "2222"),
        {},
        Request(
            "POST", "/2/chat/conversations/g19/admin_requests/2222/reject", json={}, user_auth=True
        ),
    ),
    (
        "update_chat_group_admin_settings",
        ("g19",),
        {"send_message": True, "add_member": False},
        Request(
            "PUT",
            "/2/chat/conversations/g19/admin_settings",
            json={"add_member": False, "send_message": True},
            user_auth=True,
        ),
    ),
    (
        "update_chat_conversation_screen_capture",
        ("1111-2222",),
        {"detection": True},
        Request(
            "PUT",
            "/2/chat/conversations/1111-2222/screen_capture",
            json={"detection": True},
            user_auth=True,
        ),
    ),
    (
        "get_chat_conversation_pinned_messages",
        ("g19",),
        {"pagination_token": "5"},
        Request(
            "GET",
            "/2/chat/conversations/g19/pinned_messages",
            params={"pagination_token": "5"},
            endpoint_parameters=("pagination_token",),
            user_auth=True,
        ),
    ),
    (
        "delete_chat_conversation",
        ("2222:1111",),
        {},
        Request("DELETE", "/2/chat/conversations/1111-2222", json={}, user_auth=True),
    ),
    (
        "mute_chat_conversation",
        ("g19",),
        {},
        Request("POST", "/2/chat/conversations/g19/mute", json={}, user_auth=True),
    ),
    (
        "unmute_chat_conversation",
        (2222,),
        {},
        Request("DELETE", "/2/chat/conversations/2222/mute", json={}, user_auth=True),
    ),
    (
        "update_chat_conversation_message_ttl",
        ("g19",),
        {"message_ttl_ms": 86_400_000},
        Request(
            "PUT",
            "/2/chat/conversations/g19/message_ttl",
            json={"message_ttl_ms": "86400000"},
            user_auth=True,
        ),
    ),
    (
        "delete_chat_conversation_message_ttl",
        ("g19",),
        {},
        Request("DELETE", "/2/chat/conversations/g19/message_ttl", json={}, user_auth=True),
    ),
    (
        "remove_chat_group_members",
        ("g19",),
        {"user_ids": [2222, "3333"]},
        Request(
            "POST",
            "/2/chat/conversations/g19/members/remove",
            json={"user_ids": ["2222", "3333"]},
            user_auth=True,
        ),
    ),
    (
        "get_chat_message_requests",
        (),
        {"inbox_type": "low_quality", "max_results": 50, "pagination_token": "20"},
        Request(
            "GET",
            "/2/chat/message_requests",
            params={"inbox_type": "low_quality", "max_results": 50, "pagination_token": "20"},
            endpoint_parameters=_facts.CHAT_REQUESTS_PARAMETERS,
            data_type=ChatMessageRequest,
            user_auth=True,
        ),
    ),
    (
        "get_chat_message_request",
        ("2222:1111",),
        {},
        Request(
            "GET",
            "/2/chat/message_requests/1111-2222",
            data_type=ChatMessageRequest,
            user_auth=True,
        ),
    ),
    (
        "accept_chat_message_request",
        (2222,),
        {},
        Request("POST", "/2/chat/message_requests/2222/accept", user_auth=True),
    ),
    (
        "get_chat_settings",
        (),
        {},
        Request("GET", "/2/chat/settings", data_type=ChatSettings, user_auth=True),
    ),
    (
        "update_chat_settings",
        (),
        {
            "allow_dms_from": "following",
            "dm_quality_filter": "enabled",
            "av_settings": {"av_call_permissions": {"accept_calls_from_everyone": False}},
        },
        Request(
            "PUT",
            "/2/chat/settings",
            json={
                "allow_dms_from": "following",
                "dm_quality_filter": "enabled",
                "av_settings": {"av_call_permissions": {"accept_calls_from_everyone": False}},
            },
            data_type=ChatSettings,
            user_auth=True,
        ),
    ),
]
INVALID += [
    ("get_chat_message_requests", (), {"inbox_type": "Priority"}, ValueError, "you_may_know"),
    ("get_chat_message_requests", (), {"max_results": 51}, ValueError, "1 to 50"),
    ("get_chat_message_requests", (), {"pagination_token": "x1"}, ValueError, "digits"),
    ("get_chat_message_request", ("g19",), {}, ValueError, "1:1"),
    ("accept_chat_message_request", ("g19",), {}, ValueError, "never groups"),
    ("accept_chat_message_request", (1.5,), {}, TypeError, "conversation_id"),
    ("get_chat_settings", (True,), {}, TypeError, "positional"),
    ("update_chat_group", ("g19",), {"conversation_key_version": "1"}, ValueError, "one or more"),
    ("update_chat_group", ("g19",), {"group_name": "QUJD"}, TypeError, "conversation_key_version"),
    (
        "update_chat_group",
        ("g19",),
        {"conversation_key_version": "1", "group_name": "not base64!"},
        ValueError,
        "base64",
    ),
    (
        "enable_chat_group_invite",
        ("g19",),
        {"invite_url": "https://x.com/i/chat/group_join/g20/abcDEF_-12"},
        ValueError,
        "for group g19",
    ),
    ("enable_chat_group_invite", ("g19",), {"action_signatures": []}, ValueError, "signed"),
    (
        "enable_chat_group_invite",
        ("g19",),
        {"decrypted_avatar_url": "http://a"},
        ValueError,
        "https",
    ),
    ("enable_chat_group_invite", ("g19",), {"welcome_message": "x" * 1025}, ValueError, "1024"),
    ("enable_chat_group_invite", ("g19",), {"validity_duration_msec": "1h"}, ValueError, "numeric"),
    ("disable_chat_group_invite", ("1111-2222",), {}, ValueError, "group"),
    ("get_chat_group_invite", ("g19", "short"), {}, ValueError, "10 letters"),
    ("create_chat_group_join_request", ("g19",), {}, TypeError, "token"),
    ("reject_chat_group_join_requests", ("g19",), {"user_ids": []}, ValueError, "1 to 100"),
    ("delete_chat_conversation", ("1111_2222",), {}, ValueError, "LOW-HIGH"),
    (
        "delete_chat_conversation",
        ("g1",),
        {"action_signatures": {}},
        TypeError,
        "action_signatures",
    ),
    ("mute_chat_conversation", (1.5,), {}, TypeError, "conversation_id"),
    ("unmute_chat_conversation", ("g",), {}, ValueError, "conversation_id"),
    (
        "update_chat_conversation_message_ttl",
        ("g1",),
        {"message_ttl_ms": "1h"},
        ValueError,
        "numeric",
    ),
    (
        "update_chat_conversation_message_ttl",
        ("g1",),
        {"message_ttl_ms": 0},
        ValueError,
        "at least 1",
    ),
    ("update_chat_conversation_message_ttl", ("g1",), {}, TypeError, "message_ttl_ms"),
    ("delete_chat_conversation_message_ttl", ("1-1",), {}, ValueError, "two different users"),
    ("remove_chat_group_members", ("g1",), {"user_ids": []}, ValueError, "1 to 100"),
    ("remove_chat_group_members", ("g1",), {"user_ids": ["me"]}, ValueError, "user_ids"),
    ("add_chat_group_admins", ("1111-2222",), {"user_ids": [1]}, ValueError, "group"),
    ("add_chat_group_admins", ("g1",), {"user_ids": []}, ValueError, "1 to 100"),
    ("remove_chat_group_admins", ("g1",), {}, TypeError, "user_ids"),
    ("get_chat_group_admin_requests", ("g1",), {"pagination_token": "x"}, ValueError, "digits"),
    ("get_chat_group_admin_requests", ("g1",), {"user_fields": "age"}, ValueError, "user_fields"),
    ("create_chat_group_admin_request", (2222,), {}, ValueError, "group"),
    ("approve_chat_group_admin_request", ("g1", "bob"), {}, ValueError, "user_id"),
    ("reject_chat_group_admin_request", ("g1",), {}, TypeError, "user_id"),
    ("update_chat_group_admin_settings", ("g1",), {}, ValueError, "one or more of add_member"),
    ("update_chat_group_admin_settings", ("g1",), {"send_message": 1}, TypeError, "bool"),
    ("update_chat_conversation_screen_capture", ("g1",), {}, ValueError, "exactly one"),
    (
        "update_chat_conversation_screen_capture",
        ("g1",),
        {"blocking": True, "detection": True},
        ValueError,
        "exactly one",
    ),
    ("update_chat_conversation_screen_capture", ("g1",), {"blocking": "on"}, TypeError, "bool"),
    (
        "get_chat_conversation_pinned_messages",
        ("g1",),
        {"pagination_token": "a"},
        ValueError,
        "digits",
    ),
    ("update_chat_settings", (), {}, ValueError, "one or more of allow_dms_from"),
    ("update_chat_settings", (), {"allow_dms_from": "All"}, ValueError, "exactly"),
    ("update_chat_settings", (), {"always_allow_dms_from_subscribers": 1}, TypeError, "bool"),
    ("update_chat_settings", (), {"av_settings": {}}, ValueError, "has_av_calls_enabled"),
    ("update_chat_settings", (), {"av_settings": {"calls": True}}, ValueError, "calls"),
    (
        "update_chat_settings",
        (),
        {"av_settings": {"av_call_permissions": {"accept_calls_from_everyone": "yes"}}},
        TypeError,
        "must be a bool",
    ),
]


def _id(case):
    return f"{case[0]}-{VALID.index(case) if case in VALID else INVALID.index(case)}"


@pytest.mark.parametrize(
    ("name", "args", "kwargs", "expected"), VALID, ids=[_id(case) for case in VALID]
)
def test_builder_returns_the_exact_request(name, args, kwargs, expected):
    assert ROWS[name].build(*args, **kwargs) == expected


@pytest.mark.parametrize(
    ("name", "args", "kwargs", "error", "match"), INVALID, ids=[_id(case) for case in INVALID]
)
def test_builder_refuses_bad_arguments(name, args, kwargs, error, match):
    with pytest.raises(error, match=match):
        ROWS[name].build(*args, **kwargs)


def test_generators_are_read_once_and_sent_as_lists():
    events = _endpoints.get_direct_message_events(expansions=(name for name in ["sender_id"]))
    assert events.params == {"expansions": ["sender_id"]}
    group = _endpoints.create_direct_message_conversation(
        text="x", participant_ids=(n for n in (1, 2))
    )
    assert group.json["participant_ids"] == ["1", "2"]


def test_every_row_has_cases():
    assert {case[0] for case in VALID} == set(ROWS)
    assert {case[0] for case in INVALID} == set(ROWS)


def _route_pattern(key):
    method, path = key.split(" ", 1)
    return method, re.compile(re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", re.escape(path)))


@pytest.mark.parametrize(
    ("name", "args", "kwargs", "expected"), VALID, ids=[_id(case) for case in VALID]
)
def test_built_requests_go_to_a_route_of_their_row(name, args, kwargs, expected):
    built = ROWS[name].build(*args, **kwargs)
    request = built.request if isinstance(built, MediaDownload) else built
    if isinstance(built, (Upload, ChatUpload)):
        return  # an upload's requests are the flow's; test_flows checks their routes
    patterns = [_route_pattern(route.key) for route in ROWS[name].routes]
    assert any(
        method == request.method and pattern.fullmatch(request.route)
        for method, pattern in patterns
    ), (request.method, request.route, [route.key for route in ROWS[name].routes])


def test_upload_routes_are_the_flows_routes():
    # The routes named in the upload row are exactly those upload_flow sends: a one-shot
    # image, and a chunked video whose processing is polled once.
    from tests.client.test_flows import FakeX, _video
    from tweepy_dm._files import Source
    from tweepy_dm._flow import run_flow
    from tweepy_dm._media import upload_flow

    sent = set()
    for content, states in (
        (tiny_files()["image/png"], ()),
        (_video(1000), ("pending", "succeeded")),
    ):
        upload = ROWS["upload_dm_media"].build(io.BytesIO(content))
        fake = FakeX(states=states)
        with contextlib.closing(Source(upload.file)) as source:
            run_flow(upload_flow(upload, source), fake)
        sent |= {(request.method, request.route) for request in fake.requests}
    patterns = {route.key: _route_pattern(route.key) for route in ROWS["upload_dm_media"].routes}

    def routes_of(method, path):
        return {
            key for key, (m, pattern) in patterns.items() if m == method and pattern.fullmatch(path)
        }

    assert all(routes_of(*request) for request in sent), sent  # nothing sent off the row
    assert set().union(*(routes_of(*request) for request in sent)) == set(patterns), sent


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[endpoint.name for endpoint in ENDPOINTS])
def test_rows_are_complete(endpoint):
    assert endpoint.build.__name__ == endpoint.name
    assert endpoint.group in GROUPS
    assert endpoint.transport in (_endpoints.JSON, _endpoints.DOWNLOAD, _endpoints.UPLOAD)
    assert endpoint.routes
    for route in endpoint.routes:
        assert route.reference.startswith("https://docs.x.com/x-api/")
        assert route.key.split(" ", 1)[0] in ("GET", "POST", "PUT", "DELETE")
        # X's limits are facts (tests/test_structure.py checks them against X's table);
        # every route has its entry, empty where X publishes none.
        assert route.key in RATE_LIMITS, f"{route.key}: X's rate limit is not in _facts"
    assert len(set(endpoint.aliases)) == len(endpoint.aliases)
    # As in tweepy: ids may be positional, everything else is keyword-only.
    for parameter in inspect.signature(endpoint.build).parameters.values():
        if parameter.kind is parameter.POSITIONAL_OR_KEYWORD:
            assert parameter.default is parameter.empty, parameter
        else:
            assert parameter.kind is parameter.KEYWORD_ONLY, parameter


def test_names_and_aliases_are_unique():
    names = [name for endpoint in ENDPOINTS for name in (endpoint.name, *endpoint.aliases)]
    assert len(names) == len(set(names))


def test_route_titles_read_as_tweepys_docs():
    titles = [route.title for route in ROWS["get_direct_message_media"].routes]
    assert titles == ["GET /2/dm_conversations/media/:dm_id/:media_id/:resource_id"]
    status = [route.title for route in ROWS["upload_dm_media"].routes][-1]
    assert status == "GET /2/media/upload?command=STATUS"
