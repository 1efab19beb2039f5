"""Replay the real X API traffic recorded in 2022 against tweepy-dm's clients."""

from __future__ import annotations

import pytest

import tweepy_dm
from tests.helpers import CREDENTIALS

USER_IDS = [145336962, 750362064426721281]  # @Harmon758 and @Harmon758Public
CONVERSATION_ID = "750362064426721281-1072250532645998596"


def _check_events(response, first_id, second_id):
    events = response.data
    assert [type(event) for event in events] == [tweepy_dm.DirectMessageEvent] * 2
    assert [event.id for event in events] == [second_id, first_id]
    assert [event.text for event in events] == ["Testing 2", "Testing 1"]
    assert {event.event_type for event in events} == {"MessageCreate"}
    assert response.meta["result_count"] == 2
    assert response.meta["next_token"]


# Per client: the recording, and the ids X gave in it (reply, group, the two events).
RECORDINGS = {
    "sync": (
        "test_manage_and_lookup_direct_messages.yaml",
        "1585800613752881156",
        "1585800614365339648",
        (1585800613253812228, 1585800613752881156),
    ),
    "async": (
        "test_asyncclient_manage_and_lookup_direct_messages.yaml",
        "1585823814956482567",
        "1585823815904395264",
        (1585823814058971140, 1585823814956482567),
    ),
}


def test_flow_replays_recording(clients, cassette_vcr):
    cassette_name, reply_id, group_id, (first_id, second_id) = RECORDINGS[clients.kind]
    client = clients.make(credentials=CREDENTIALS)
    with cassette_vcr.use_cassette(cassette_name) as cassette:
        sent = client.call("create_direct_message", participant_id=USER_IDS[1], text="Testing 1")
        conversation_id = sent.data["dm_conversation_id"]
        assert conversation_id == CONVERSATION_ID
        assert sent.data["dm_event_id"] == str(first_id)

        reply = client.call(
            "create_direct_message", dm_conversation_id=conversation_id, text="Testing 2"
        )
        assert reply.data["dm_event_id"] == reply_id

        group = client.call(
            "create_direct_message_conversation", text="Testing", participant_ids=USER_IDS
        )
        assert group.data["dm_conversation_id"] == group_id

        everything = client.call("get_dm_events")
        assert everything.data is None
        assert everything.meta == {"result_count": 0}

        _check_events(
            client.call("get_dm_events", dm_conversation_id=conversation_id), first_id, second_id
        )
        _check_events(client.call("get_dm_events", participant_id=USER_IDS[1]), first_id, second_id)
    assert cassette.play_count == 6
    assert cassette.all_played


def test_a_different_body_does_not_match_the_recording(cassette_vcr):
    """The JSON-body matcher really compares bodies."""
    vcr_errors = pytest.importorskip("vcr.errors")
    client = tweepy_dm.Client(**CREDENTIALS)
    with cassette_vcr.use_cassette("test_manage_and_lookup_direct_messages.yaml"):
        with pytest.raises(vcr_errors.CannotOverwriteExistingCassetteException):
            client.create_direct_message(participant_id=USER_IDS[1], text="Not recorded")
