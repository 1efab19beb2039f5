"""XChat message requests and chat settings through both clients against the emulator.

Layer 1 (no chatxdk): keys and signatures from ``tests.chat_keys``. A first
message from someone the recipient's ``allow_dms_from`` does not let in
becomes a message request (spec 2.170, ``getChatMessageRequests`` and
neighbours); a block answers X's ``recipient-not-messageable`` 403.
"""

from __future__ import annotations

import pytest
import tweepy

import tweepy_dm
from tests.chat_keys import ChatKeys
from tweepy_dm._chat_models import ChatMessageRequest, ChatSettings

A, B, C, D = 1111, 2222, 3333, 4444
KEY_VERSION = "1795000000000"


@pytest.fixture
def chat(clients, dm_emulator):
    """Four users with registered keys: ``chat[user_id]`` is ``(client, keys)``."""
    users = {}
    for user_id, name in ((A, "alice"), (B, "bob"), (C, "carol"), (D, "dave")):
        credentials = dm_emulator.add_user(user_id, name, name.title())
        client = clients.make(credentials=credentials, api_url=dm_emulator.url)
        keys = ChatKeys(user_id)
        client.call(
            "add_user_public_key", user_id, public_key=keys.registration(), version=keys.version
        )
        users[user_id] = (client, keys)
    return users


def _send(chat, sender, recipient):
    """``sender``'s first (or next) message to ``recipient``, a key change first if new."""
    client, keys = chat[sender]
    low, high = sorted((sender, recipient))
    colon = f"{low}:{high}"
    try:
        client.call("get_chat_conversation", recipient)
    except tweepy.HTTPException:
        body = keys.key_change(KEY_VERSION, chat[low][1], chat[high][1])
        client.call("add_chat_conversation_keys", recipient, **body)
    return client.call("send_chat_message", recipient, **keys.message(colon, KEY_VERSION))


def _inbox(client):
    return [item.id for item in client.call("get_chat_conversations").data or []]


def test_settings_start_open_and_change_by_parts(chat):
    bob = chat[B][0]
    settings = bob.call("get_chat_settings").data
    assert isinstance(settings, ChatSettings)
    assert settings.allow_dms_from == "all"
    changed = bob.call("update_chat_settings", allow_dms_from="following").data
    assert changed.allow_dms_from == "following"
    # What was left out kept its value.
    assert changed.dm_receipt_settings == settings.dm_receipt_settings
    calls = bob.call(
        "update_chat_settings",
        av_settings={"av_call_permissions": {"accept_calls_from_everyone": True}},
    ).data
    permissions = calls.av_settings["av_call_permissions"]
    assert permissions["accept_calls_from_everyone"] is True
    assert permissions["accept_calls_from_following"] is True  # kept (our assumption)
    assert bob.call("get_chat_settings").data == calls


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"allow_dms_from": "All"},  # enums are case-sensitive
        {"allow_dms_from": "everyone"},
        {"dm_quality_filter": True},
        {"av_settings": {}},
        {"av_settings": {"has_av_calls_enabled": "yes"}},
        {"colour": "blue"},
    ],
)
def test_a_bad_settings_body_is_a_400(clients, chat, body):
    # Sent raw, past the builder's own checks, as a script written from X's docs might.
    bob = chat[B][0]
    with pytest.raises(tweepy.BadRequest):
        bob.call("request", "PUT", "/2/chat/settings", json=body, user_auth=True)
    assert bob.call("get_chat_settings").data.allow_dms_from == "all"


def test_from_someone_allowed_the_first_message_goes_to_the_inbox(chat):
    _send(chat, A, B)
    assert _inbox(chat[B][0]) == ["1111-2222"]
    page = chat[B][0].call("get_chat_message_requests")
    assert page.data is None
    assert page.meta == {"result_count": 0, "total_count": 0}
    state = chat[B][0].call("get_chat_message_request", A).data
    assert state.message_request_state == "none"


def test_a_first_message_from_a_stranger_is_a_request_until_accepted(clients, chat, dm_emulator):
    bob, alice = chat[B][0], chat[A][0]
    bob.call("update_chat_settings", allow_dms_from="following")
    first = _send(chat, A, B)
    assert _inbox(bob) == []
    assert bob.call("get_chat_conversations").meta["has_message_requests"] is True
    assert _inbox(alice) == ["1111-2222"]  # the sender has it in their inbox
    (request,) = bob.call("get_chat_message_requests").data
    assert isinstance(request, ChatMessageRequest)
    assert (request.conversation_id, request.sender_id) == ("1111-2222", A)
    assert request.encoded_message_create_event == first.data["encoded_message_event"]
    assert request.message_events == [first.data["encoded_message_event"]]
    assert len(request.conversation_key_events) == 1
    assert request.social_proof_user_ids == []
    received = bob.call("get_chat_message_request", "1111-2222").data
    assert (received.message_request_state, received.participant_id) == ("received", A)
    assert received.has_more_events is True  # as X documents, whenever events are given
    assert alice.call("get_chat_message_request", B).data.message_request_state == "sent"
    # Replying does not accept.
    _send(chat, B, A)
    assert _inbox(bob) == []
    assert [item.sender_id for item in bob.call("get_chat_message_requests").data] == [A]
    assert bob.call("accept_chat_message_request", A).data == {"accepted": True}
    assert _inbox(bob) == ["1111-2222"]
    assert bob.call("get_chat_conversations").meta["has_message_requests"] is False
    assert bob.call("get_chat_message_request", A).data.message_request_state == "none"
    # A second accept: nothing is pending any more.
    not_found = tweepy.NotFound if clients.is_async else tweepy.HTTPException
    with pytest.raises(not_found) as refused:
        bob.call("accept_chat_message_request", A)
    assert refused.value.response is not None
    # A request lookup marked the messages delivered, as opening it in X's apps does.
    conversation = dm_emulator._chat().find("1111:2222")
    assert conversation.delivered[B] == max(
        event.sequence_id for event in conversation.events if event.kind == "message"
    )


def test_following_lets_a_first_message_in(chat, dm_emulator):
    bob = chat[B][0]
    bob.call("update_chat_settings", allow_dms_from="following")
    dm_emulator.follow(B, A)
    _send(chat, A, B)
    assert _inbox(bob) == ["1111-2222"]


def test_verified_senders_get_in_when_only_verified_may(chat, dm_emulator):
    bob = chat[B][0]
    bob.call("update_chat_settings", allow_dms_from="verified")
    dm_emulator.set_verified(A)
    _send(chat, A, B)
    _send(chat, C, B)
    assert _inbox(bob) == ["1111-2222"]
    assert [item.sender_id for item in bob.call("get_chat_message_requests").data] == [C]


def test_requests_page_over_both_inboxes_so_a_page_may_be_empty(chat, dm_emulator):
    bob = chat[B][0]
    bob.call("update_chat_settings", allow_dms_from="following", dm_quality_filter="enabled")
    # Bob follows Carol, who follows Alice: Alice has social proof, Dave none.
    dm_emulator.follow(B, C)
    dm_emulator.follow(C, A)
    _send(chat, A, B)
    _send(chat, D, B)  # the newest request: the first of a page
    priority = bob.call("get_chat_message_requests", max_results=1)
    assert priority.data is None
    assert priority.meta["result_count"] == 0
    assert priority.meta["total_count"] == 1
    following = bob.call(
        "get_chat_message_requests", max_results=1, pagination_token=priority.meta["next_token"]
    )
    (request,) = following.data
    assert (request.sender_id, request.social_proof_user_ids) == (A, [C])
    assert "next_token" not in following.meta
    (hidden,) = bob.call("get_chat_message_requests", inbox_type="low_quality").data
    assert hidden.sender_id == D


def test_a_block_answers_recipient_not_messageable(clients, chat):
    bob = chat[B][0]
    bob.call("block_dms", A)
    with pytest.raises(tweepy_dm.RecipientNotMessageable) as refused:
        _send(chat, A, B)
    assert isinstance(refused.value, tweepy.Forbidden)
    assert refused.value.response is not None
    assert bob.call("get_chat_conversation_events", A).data is None  # nothing was stored
    bob.call("unblock_dms", A)
    _send(chat, A, B)
    assert len(bob.call("get_chat_conversation_events", A).data) == 1


@pytest.mark.parametrize(
    ("name", "args", "kwargs", "match"),
    [
        ("get_chat_message_requests", (), {"inbox_type": "priority"}, "inbox_type"),
        ("get_chat_message_requests", (), {"max_results": 51}, "max_results"),
        ("get_chat_message_requests", (), {"pagination_token": "abc"}, "pagination_token"),
        ("get_chat_message_request", ("g19",), {}, "1:1"),
        ("accept_chat_message_request", ("g19",), {}, "1:1"),
        ("update_chat_settings", (), {}, "one or more"),
        ("update_chat_settings", (), {"allow_dms_from": "ALL"}, "allow_dms_from"),
    ],
)
def test_bad_arguments_raise_before_anything_is_sent(
    clients, dm_emulator, name, args, kwargs, match
):
    credentials = dm_emulator.add_user(A, "alice", "Alice")
    client = clients.make(credentials=credentials, api_url=dm_emulator.url)
    with pytest.raises(ValueError, match=match):
        client.call(name, *args, **kwargs)
    # Nothing reached the emulator: the settings are untouched, no request was made.
    assert dm_emulator._chat().settings(A)["allow_dms_from"] == "all"
