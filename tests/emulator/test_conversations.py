"""Sending: 1:1 and group conversations, participants, blocks, body validation."""

from __future__ import annotations

import pytest

from tests.emulator.conftest import ALICE, ALICE_BOB, BOB, CAROL, Api, assert_problem
from tweepy_dm.emulator import DMEmulator
from tweepy_dm.emulator._ids import snowflake_time


def test_one_to_one_id_orders_by_value_not_string(users):
    alice, bob, _ = users
    assert ALICE_BOB == "750362064426721281-1072250532645998596"
    assert alice.send(BOB)["dm_conversation_id"] == ALICE_BOB
    assert bob.send(ALICE)["dm_conversation_id"] == ALICE_BOB
    assert DMEmulator.conversation_id(BOB, ALICE) == ALICE_BOB


def test_created_answer_and_location(users, emulator):
    response = users[0].post(f"/2/dm_conversations/with/{BOB}/messages", json={"text": "x"})
    assert response.status_code == 201
    event_id = response.json()["data"]["dm_event_id"]
    assert response.headers["location"] == f"{emulator.url}/2/dm_events/{event_id}"


def test_event_ids_are_snowflakes_increasing_with_the_clock(users, clock):
    alice = users[0]
    first = int(alice.send(BOB)["dm_event_id"])
    second = int(alice.send(BOB)["dm_event_id"])  # same millisecond
    clock.advance(10)
    third = int(alice.send(BOB)["dm_event_id"])
    assert first < second < third
    assert snowflake_time(first) == pytest.approx(clock.now - 10, abs=0.001)
    assert snowflake_time(third) == pytest.approx(clock.now, abs=0.001)


def test_post_into_one_to_one_by_id_creates_it(users):
    alice, bob, _ = users
    response = alice.post(f"/2/dm_conversations/{ALICE_BOB}/messages", json={"text": "first"})
    assert response.status_code == 201, response.text
    assert bob.events()["data"][0]["text"] == "first"


def test_only_participants_read_or_post(emulator, users):
    alice, _, carol = users
    alice.send(BOB)
    path = f"/2/dm_conversations/{ALICE_BOB}"
    assert_problem(carol.get(f"{path}/dm_events"), 403)
    assert_problem(carol.post(f"{path}/messages", json={"text": "intruder"}), 403)
    dave = Api(emulator.url, emulator.add_user(4, "dave", "Dave"), "4")
    group = alice.post("/2/dm_conversations", json=_group([BOB, CAROL])).json()["data"]
    group_path = f"/2/dm_conversations/{group['dm_conversation_id']}"
    assert carol.events(f"{group_path}/dm_events")["meta"]["result_count"] == 4
    assert_problem(dave.get(f"{group_path}/dm_events"), 403)
    assert_problem(dave.post(f"{group_path}/messages", json={"text": "x"}), 403)
    assert_problem(dave.get(f"/2/dm_events/{group['dm_event_id']}"), 403)
    # An unknown group and a 1:1 of two other users are just as closed.
    assert_problem(carol.get("/2/dm_conversations/1234567890123456/dm_events"), 403)
    assert_problem(
        carol.post("/2/dm_conversations/1234567890123456/messages", json={"text": "x"}), 403
    )
    assert_problem(
        carol.post(f"/2/dm_conversations/{BOB}-{ALICE}/messages", json={"text": "x"}), 403
    )


def _group(members, text="Testing"):
    return {"conversation_type": "Group", "message": {"text": text}, "participant_ids": members}


def test_group_gets_join_events_by_its_creator(users):
    alice, bob, carol = users
    data = alice.post("/2/dm_conversations", json=_group([CAROL, BOB])).json()["data"]
    group = data["dm_conversation_id"]
    # Like the recordings: Join events for the three members sit between the
    # conversation id and the first message's id.
    assert int(data["dm_event_id"]) == int(group) + 4
    fields = {"dm_event.fields": "sender_id,dm_conversation_id", "expansions": "participant_ids"}
    body = carol.events(f"/2/dm_conversations/{group}/dm_events", **fields)
    events = body["data"]
    assert [event["event_type"] for event in events] == ["MessageCreate"] + ["ParticipantsJoin"] * 3
    joins = events[1:]
    assert {event["participant_ids"][0] for event in joins} == {ALICE, BOB, CAROL}
    assert all(event["sender_id"] == ALICE for event in events)
    assert all(event["dm_conversation_id"] == group for event in events)
    assert {user["id"] for user in body["includes"]["users"]} == {ALICE, BOB, CAROL}
    response = bob.post(f"/2/dm_conversations/{group}/messages", json={"text": "hi all"})
    assert response.status_code == 201
    assert alice.events()["data"][0]["text"] == "hi all"


@pytest.mark.parametrize(
    "body",
    [
        _group([BOB]),
        _group([BOB, BOB]),
        _group([BOB, ALICE]),
        _group([BOB, "999"]),
        _group([BOB, int(CAROL)]),
        _group([BOB, "12a"]),
        {**_group([BOB, CAROL]), "conversation_type": "OneToOne"},
        {"participant_ids": [BOB, CAROL], "message": {"text": "x"}},
        {**_group([BOB, CAROL]), "message": {}},
        {**_group([BOB, CAROL]), "message": "text"},
    ],
)
def test_invalid_group_bodies_are_400(users, body):
    problem = assert_problem(users[0].post("/2/dm_conversations", json=body), 400, errors=True)
    assert problem["type"] == "https://api.x.com/2/problems/invalid-request"
    assert problem["title"] == "Invalid Request"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"text": ""},
        {"text": "x" * 10_001},
        {"text": 5},
        {"attachments": []},
        {"text": "x", "attachments": [{"media_id": "1"}, {"media_id": "2"}]},
        {"text": "x", "attachments": [{"media_id": 1}]},
        [],
    ],
)
def test_invalid_message_bodies_are_400(users, body):
    response = users[0].post(f"/2/dm_conversations/with/{BOB}/messages", json=body)
    assert_problem(response, 400, errors=True)


def test_longest_text_and_non_json_body(users):
    alice = users[0]
    assert alice.send(BOB, "x" * 10_000)
    response = alice.post(
        f"/2/dm_conversations/with/{BOB}/messages",
        data="not json",
        headers={"Content-Type": "application/json"},
    )
    assert_problem(response, 400, errors=True)


@pytest.mark.parametrize("recipient", [ALICE, "999", "12a", "12345678901234567890"])
def test_bad_recipients_are_400(users, recipient):
    response = users[0].post(f"/2/dm_conversations/with/{recipient}/messages", json={"text": "x"})
    assert_problem(response, 400, errors=True)


def test_bad_conversation_id_is_400(users):
    response = users[0].post("/2/dm_conversations/12-34-56/messages", json={"text": "x"})
    assert_problem(response, 400, errors=True)
    assert_problem(users[0].get("/2/dm_conversations/abc/dm_events"), 400, errors=True)


def test_dm_blocked_sender_gets_403_until_unblocked(users):
    alice, bob, carol = users
    response = bob.post(f"/2/users/{ALICE}/dm/block")
    assert (response.status_code, response.json()) == (200, {"data": {"blocked": True}})
    assert_problem(alice.post(f"/2/dm_conversations/with/{BOB}/messages", json={"text": "x"}), 403)
    assert_problem(alice.post(f"/2/dm_conversations/{ALICE_BOB}/messages", json={"text": "x"}), 403)
    assert_problem(alice.post("/2/dm_conversations", json=_group([BOB, CAROL])), 403)
    # The block is one way, and only for the user who was blocked.
    assert bob.send(ALICE)
    assert carol.send(BOB)
    response = bob.post(f"/2/users/{ALICE}/dm/unblock")
    assert (response.status_code, response.json()) == (200, {"data": {"blocked": False}})
    assert alice.send(BOB)


def test_block_bad_targets(users):
    bob = users[1]
    assert_problem(bob.post(f"/2/users/{BOB}/dm/block"), 400, errors=True)
    assert_problem(bob.post("/2/users/999/dm/block"), 400, errors=True)
    assert_problem(bob.post("/2/users/abc/dm/unblock"), 400, errors=True)


def test_back_doors_validate_their_input(emulator, users):
    with pytest.raises(ValueError, match="unknown user"):
        emulator.create_group(ALICE, [BOB, "5"])
    with pytest.raises(ValueError, match="unknown user"):
        emulator.seed_messages(emulator.conversation_id(ALICE, 5), 1)
    with pytest.raises(ValueError, match="no conversation"):
        emulator.seed_messages("1234567890123456", 1)
    with pytest.raises(ValueError, match="not a 1:1"):
        emulator.seed_messages(f"{BOB}-{ALICE}", 1)
    group = emulator.create_group(ALICE, [BOB, CAROL])
    with pytest.raises(ValueError, match="is not in"):
        emulator.leave_conversation(group, "5")


BOB_ALICE = f"{BOB}-{ALICE}"  # the same conversation, spelled HIGHER-LOWER


def test_either_order_names_the_same_one_to_one_conversation(users):
    alice, bob, _ = users
    first = alice.send(BOB, "first")["dm_event_id"]
    # Sending into HIGHER-LOWER lands in LOWER-HIGHER, and says so.
    response = bob.post(f"/2/dm_conversations/{BOB_ALICE}/messages", json={"text": "second"})
    assert response.status_code == 201, response.text
    assert response.json()["data"]["dm_conversation_id"] == ALICE_BOB
    second = response.json()["data"]["dm_event_id"]
    fields = {"dm_event.fields": "dm_conversation_id"}
    for reader in (alice, bob):
        for spelling in (ALICE_BOB, BOB_ALICE):
            events = reader.events(f"/2/dm_conversations/{spelling}/dm_events", **fields)["data"]
            assert [event["id"] for event in events] == [second, first]
            assert {event["dm_conversation_id"] for event in events} == {ALICE_BOB}
    assert {event["dm_conversation_id"] for event in alice.events(**fields)["data"]} == {ALICE_BOB}


def test_a_new_conversation_by_id_in_either_order(users):
    alice, bob, _ = users
    response = alice.post(f"/2/dm_conversations/{BOB_ALICE}/messages", json={"text": "hello"})
    assert response.status_code == 201, response.text
    assert response.json()["data"]["dm_conversation_id"] == ALICE_BOB
    assert bob.events(f"/2/dm_conversations/{BOB_ALICE}/dm_events")["data"][0]["text"] == "hello"


@pytest.mark.parametrize("conversation", [f"{BOB}-{ALICE}", ALICE_BOB, f"{ALICE}-{ALICE}"])
def test_an_id_without_the_caller_is_403_for_reading_and_sending(users, conversation):
    alice, _, carol = users
    alice.send(BOB)
    path = f"/2/dm_conversations/{conversation}"
    caller = alice if conversation == f"{ALICE}-{ALICE}" else carol
    assert_problem(caller.get(f"{path}/dm_events"), 403)
    assert_problem(caller.post(f"{path}/messages", json={"text": "x"}), 403)
    # Not even before the conversation has a message.
    assert_problem(carol.get(f"/2/dm_conversations/{BOB}-4/dm_events"), 403)
    assert_problem(carol.post(f"/2/dm_conversations/4-{BOB}/messages", json={"text": "x"}), 403)


def test_the_reversed_id_obeys_blocks(users):
    alice, bob, _ = users
    bob.post(f"/2/users/{ALICE}/dm/block")
    response = alice.post(f"/2/dm_conversations/{BOB_ALICE}/messages", json={"text": "x"})
    assert_problem(response, 403)
