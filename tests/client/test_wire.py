"""What each call puts on the wire, on both clients (the ``clients`` fixture), against tweepy 4.17.

The expected requests below are what tweepy 4.17's own DM methods send for
the same arguments. Where the installed tweepy has those methods (4.12+),
they are also called side by side and must send exactly the same thing.
"""

from __future__ import annotations

import datetime

import pytest

from tests.helpers import CREDENTIALS, oauth1_is_valid
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
def test_request(clients, name, kwargs, expected):
    client = clients.recording()
    client.call(name, **kwargs)
    [sent] = client.sent
    assert sent.wire() == expected
    if sent.auth_scheme == "OAuth":
        assert oauth1_is_valid(sent, CREDENTIALS)
    else:
        assert sent.headers["Authorization"] == "Bearer test-bearer-token"


@pytest.mark.skipif(not NATIVE_DM_SUPPORT, reason="tweepy < 4.12 has no DM methods to compare with")
@pytest.mark.parametrize(("name", "kwargs", "expected"), CASES, ids=IDS)
def test_request_matches_tweepy(clients, name, kwargs, expected):
    ours, native = clients.recording(), clients.recording(native=True)
    ours.call(name, **kwargs)
    native.call(name, **kwargs)
    assert ours.sent[0].wire() == native.sent[0].wire()
    if clients.is_async:
        for header in ("User-Agent", "Content-Type"):
            assert ours.sent[0].headers.get(header) == native.sent[0].headers.get(header)


def test_datetimes_go_out_in_utc(clients):
    client = clients.recording()
    tz = datetime.timezone(datetime.timedelta(hours=2))
    client.call(
        "get_dm_events", pagination_token=datetime.datetime(2022, 10, 28, 3, 40, 35, tzinfo=tz)
    )
    client.call("get_dm_events", pagination_token=datetime.datetime(2022, 10, 28, 1, 40, 35))
    assert [sent.query for sent in client.sent] == [
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
def test_create_dm_needs_exactly_one_target(clients, kwargs):
    client = clients.recording()
    with pytest.raises(TypeError, match="participant"):
        client.call("create_dm", **kwargs)
    assert client.sent == []


def test_get_dm_events_refuses_two_targets(clients):
    client = clients.recording()
    with pytest.raises(TypeError, match="not both"):
        client.call("get_dm_events", dm_conversation_id=CONVERSATION, participant_id=1)
    assert client.sent == []


def test_arguments_are_keyword_only(clients):
    client = clients.recording()
    with pytest.raises(TypeError):
        client.call("create_dm", CONVERSATION, text="x")
    with pytest.raises(TypeError):
        client.call("get_dm_events", CONVERSATION)
    assert client.sent == []
