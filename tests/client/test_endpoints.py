"""The endpoints tweepy never wrapped: event lookup and delete, DM blocks, media download."""

from __future__ import annotations

import datetime

import pytest
import tweepy

import tweepy_dm
from tests.helpers import CREDENTIALS

CASSETTE = "synthetic/test_event_lookup_delete_block_media.yaml"
EVENT_ID = 1146654567674912769
USER_ID = "2244994945"
FIELDS = [
    "attachments", "created_at", "dm_conversation_id", "entities", "event_type", "id",
    "referenced_tweets", "sender_id", "text",
]  # fmt: skip

# (method name, args, kwargs, expected (method, path, sorted query, JSON body, auth scheme))
CASES = [
    (
        "get_direct_message_event", (EVENT_ID,), {"dm_event_fields": ["id", "text"], "expansions": "sender_id"},
        ("GET", f"/2/dm_events/{EVENT_ID}", (("dm_event.fields", "id,text"), ("expansions", "sender_id")), None, "OAuth"),
    ),
    ("get_dm_event", ("42",), {"user_auth": False}, ("GET", "/2/dm_events/42", (), None, "Bearer")),
    ("delete_direct_message_event", (EVENT_ID,), {}, ("DELETE", f"/2/dm_events/{EVENT_ID}", (), None, "OAuth")),
    ("delete_dm_event", ("7",), {"user_auth": False}, ("DELETE", "/2/dm_events/7", (), None, "Bearer")),
    ("block_direct_messages", (USER_ID,), {}, ("POST", f"/2/users/{USER_ID}/dm/block", (), None, "OAuth")),
    ("block_dms", (12,), {"user_auth": False}, ("POST", "/2/users/12/dm/block", (), None, "Bearer")),
    ("unblock_direct_messages", (12,), {}, ("POST", "/2/users/12/dm/unblock", (), None, "OAuth")),
    ("unblock_dms", (USER_ID,), {}, ("POST", f"/2/users/{USER_ID}/dm/unblock", (), None, "OAuth")),
]  # fmt: skip
IDS = [f"{name}-{index}" for index, (name, *_) in enumerate(CASES)]


@pytest.mark.parametrize(("name", "args", "kwargs", "expected"), CASES, ids=IDS)
def test_request_shape(clients, name, args, kwargs, expected):
    client = clients.recording((200, {"data": {"id": "1", "event_type": "MessageCreate"}}))
    client.call(name, *args, **kwargs)
    assert client.sent[0].wire() == expected


def _check_event(response):
    event = response.data
    assert isinstance(event, tweepy_dm.DirectMessageEvent)
    assert event.id == EVENT_ID
    assert event.sender_id == int(USER_ID)
    assert event.dm_conversation_id == "123123123-2244994945"
    assert event.created_at == datetime.datetime(
        2023, 11, 7, 5, 31, 56, tzinfo=datetime.timezone.utc
    )
    assert event.attachments == {"media_keys": ["3_1146654567674912770"]}
    assert event.referenced_tweets[0].id == 1346889436626259968
    assert event.entities["hashtags"][0]["tag"] == "MondayMotivation"
    assert response.includes["users"][0].username == "XDevelopers"
    media_url = response.includes["media"][0].url
    return media_url.rsplit("/", 3)[1:]


def test_synthetic_cassette(clients, cassette_vcr):
    client = clients.make(credentials={"bearer_token": "user-access-token", **CREDENTIALS})
    with cassette_vcr.use_cassette(CASSETTE) as cassette:
        ids = _check_event(
            client.call(
                "get_dm_event", EVENT_ID, dm_event_fields=FIELDS,
                expansions=["sender_id", "attachments.media_keys"], media_fields="url",
            )
        )  # fmt: skip
        assert client.call("delete_dm_event", EVENT_ID).data == {"deleted": True}
        assert client.call("block_dms", USER_ID).data == {"blocked": True}
        assert client.call("unblock_dms", USER_ID).data == {"blocked": False}
        # tweepy's sync client before 4.8 raises its base HTTPException for a 404.
        with pytest.raises(tweepy.NotFound if clients.is_async else tweepy.HTTPException) as error:
            client.call("get_dm_event", EVENT_ID)
        assert clients.status(error.value.response) == 404
        assert error.value.api_errors[0]["title"] == "Not Found Error"
        media = client.call("get_dm_media", *ids)
        assert media.startswith(b"\x89PNG")
    assert cassette.all_played


@pytest.mark.parametrize("return_type", [dict, tweepy.Response])
def test_delete_return_types(clients, return_type):
    client = clients.recording((200, {"data": {"deleted": True}}), return_type=return_type)
    response = client.call("delete_dm_event", 1)
    data = response["data"] if return_type is dict else response.data
    assert data == {"deleted": True}
