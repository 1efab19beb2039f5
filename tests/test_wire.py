"""What each call puts on the wire, on both clients, against tweepy 4.17's methods.

The expected requests below are what tweepy 4.17's own DM methods send for
the same arguments. Where the installed tweepy has those methods (4.12+),
they are also called side by side and must send exactly the same thing.
"""

from __future__ import annotations

import datetime

import pytest
import tweepy

import tweepy_dm
from tests.conftest import requires_async
from tests.helpers import (
    CREDENTIALS,
    RecordingAiohttpSession,
    oauth1_signature_is_valid,
    recording_client,
)
from tweepy_dm._compat import NATIVE_DM_SUPPORT

CONVERSATION = "750362064426721281-1072250532645998596"

# (method name, kwargs, expected (method, path, sorted query, JSON body, auth scheme))
CASES = [
    (
        "get_direct_message_events",
        {},
        ("GET", "/2/dm_events", (), None, "OAuth"),
    ),
    (
        "get_dm_events",
        {"dm_conversation_id": CONVERSATION, "max_results": 5},
        (
            "GET",
            f"/2/dm_conversations/{CONVERSATION}/dm_events",
            (("max_results", "5"),),
            None,
            "OAuth",
        ),
    ),
    (
        "get_dm_events",
        {
            "participant_id": 750362064426721281,
            "dm_event_fields": ["id", "text", "created_at"],
            "event_types": "MessageCreate",
            "expansions": ["sender_id", "attachments.media_keys"],
            "media_fields": ["url"],
            "tweet_fields": "text",
            "user_fields": ["username"],
            "pagination_token": "18LAA5G1SL0NR5OG0G00ZZZZ",
        },
        (
            "GET",
            "/2/dm_conversations/with/750362064426721281/dm_events",
            (
                ("dm_event.fields", "id,text,created_at"),
                ("event_types", "MessageCreate"),
                ("expansions", "sender_id,attachments.media_keys"),
                ("media.fields", "url"),
                ("pagination_token", "18LAA5G1SL0NR5OG0G00ZZZZ"),
                ("tweet.fields", "text"),
                ("user.fields", "username"),
            ),
            None,
            "OAuth",
        ),
    ),
    (
        "get_dm_events",
        {"user_auth": False, "max_results": None},
        ("GET", "/2/dm_events", (), None, "Bearer"),
    ),
    (
        "create_direct_message",
        {"participant_id": 750362064426721281, "text": "Testing 1"},
        (
            "POST",
            "/2/dm_conversations/with/750362064426721281/messages",
            (),
            {"text": "Testing 1"},
            "OAuth",
        ),
    ),
    (
        "create_dm",
        {"dm_conversation_id": CONVERSATION, "text": "hi", "media_id": 1455952740635586573},
        (
            "POST",
            f"/2/dm_conversations/{CONVERSATION}/messages",
            (),
            {"attachments": [{"media_id": "1455952740635586573"}], "text": "hi"},
            "OAuth",
        ),
    ),
    (
        "create_dm",
        {"participant_id": "12", "media_id": "34", "user_auth": False},
        (
            "POST",
            "/2/dm_conversations/with/12/messages",
            (),
            {"attachments": [{"media_id": "34"}]},
            "Bearer",
        ),
    ),
    (
        "create_direct_message_conversation",
        {"text": "Testing", "participant_ids": [145336962, 750362064426721281]},
        (
            "POST",
            "/2/dm_conversations",
            (),
            {
                "conversation_type": "Group",
                "message": {"text": "Testing"},
                "participant_ids": ["145336962", "750362064426721281"],
            },
            "OAuth",
        ),
    ),
    (
        "create_dm_conversation",
        {"media_id": 5, "participant_ids": ("1", 2), "user_auth": False},
        (
            "POST",
            "/2/dm_conversations",
            (),
            {
                "conversation_type": "Group",
                "message": {"attachments": [{"media_id": "5"}]},
                "participant_ids": ["1", "2"],
            },
            "Bearer",
        ),
    ),
]
IDS = [f"{name}-{index}" for index, (name, _, _) in enumerate(CASES)]


@pytest.mark.parametrize(("name", "kwargs", "expected"), CASES, ids=IDS)
def test_sync_request(name, kwargs, expected):
    client, adapter = recording_client()
    getattr(client, name)(**kwargs)
    [sent] = adapter.sent
    assert sent.wire() == expected
    if sent.auth_scheme == "OAuth":
        assert oauth1_signature_is_valid(
            sent, CREDENTIALS["consumer_secret"], CREDENTIALS["access_token_secret"]
        )
    else:
        assert sent.headers["Authorization"] == "Bearer test-bearer-token"


@pytest.mark.skipif(not NATIVE_DM_SUPPORT, reason="tweepy < 4.12 has no DM methods to compare with")
@pytest.mark.parametrize(("name", "kwargs", "expected"), CASES, ids=IDS)
def test_sync_request_matches_tweepy(name, kwargs, expected):
    ours, our_adapter = recording_client()
    native, native_adapter = recording_client(client_class=tweepy.Client)
    getattr(ours, name)(**kwargs)
    getattr(native, name)(**kwargs)
    assert our_adapter.sent[0].wire() == native_adapter.sent[0].wire()


@requires_async
@pytest.mark.asyncio
@pytest.mark.parametrize(("name", "kwargs", "expected"), CASES, ids=IDS)
async def test_async_request(name, kwargs, expected):
    client = tweepy_dm.AsyncClient(bearer_token="test-bearer-token", **CREDENTIALS)
    client.session = session = RecordingAiohttpSession()
    await getattr(client, name)(**kwargs)
    [sent] = session.sent
    assert sent.wire() == expected
    if sent.auth_scheme == "OAuth":
        assert oauth1_signature_is_valid(
            sent, CREDENTIALS["consumer_secret"], CREDENTIALS["access_token_secret"]
        )


@requires_async
@pytest.mark.skipif(not NATIVE_DM_SUPPORT, reason="tweepy < 4.12 has no DM methods to compare with")
@pytest.mark.asyncio
@pytest.mark.parametrize(("name", "kwargs", "expected"), CASES, ids=IDS)
async def test_async_request_matches_tweepy(name, kwargs, expected):
    from tweepy.asynchronous import AsyncClient as TweepyAsyncClient

    sent = []
    for client_class in (tweepy_dm.AsyncClient, TweepyAsyncClient):
        client = client_class(bearer_token="test-bearer-token", **CREDENTIALS)
        client.session = session = RecordingAiohttpSession()
        await getattr(client, name)(**kwargs)
        sent.append(session.sent[0])
    ours, native = sent
    assert ours.wire() == native.wire()
    for header in ("User-Agent", "Content-Type"):
        assert ours.headers.get(header) == native.headers.get(header)


def test_datetimes_go_out_in_utc():
    client, adapter = recording_client()
    tz = datetime.timezone(datetime.timedelta(hours=2))
    client.get_dm_events(pagination_token=datetime.datetime(2022, 10, 28, 3, 40, 35, tzinfo=tz))
    client.get_dm_events(pagination_token=datetime.datetime(2022, 10, 28, 1, 40, 35))
    assert [sent.query for sent in adapter.sent] == [
        (("pagination_token", "2022-10-28T01:40:35Z"),),
        (("pagination_token", "2022-10-28T01:40:35Z"),),
    ]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"dm_conversation_id": CONVERSATION, "participant_id": 1, "text": "x"},
        {"text": "x"},
    ],
)
def test_create_dm_needs_exactly_one_target(kwargs):
    client, adapter = recording_client()
    with pytest.raises(TypeError, match="participant"):
        client.create_dm(**kwargs)
    assert adapter.sent == []


def test_get_dm_events_refuses_two_targets():
    client, adapter = recording_client()
    with pytest.raises(TypeError, match="not both"):
        client.get_dm_events(dm_conversation_id=CONVERSATION, participant_id=1)
    assert adapter.sent == []


@requires_async
@pytest.mark.asyncio
async def test_async_type_errors_send_nothing():
    client = tweepy_dm.AsyncClient(**CREDENTIALS)
    client.session = session = RecordingAiohttpSession()
    with pytest.raises(TypeError):
        await client.create_dm(text="x")
    with pytest.raises(TypeError):
        await client.get_dm_events(dm_conversation_id=CONVERSATION, participant_id=1)
    assert session.sent == []


def test_arguments_are_keyword_only():
    client, _ = recording_client()
    with pytest.raises(TypeError):
        client.create_dm(CONVERSATION, text="x")
    with pytest.raises(TypeError):
        client.get_dm_events(CONVERSATION)
