"""No client input makes the emulator answer 5xx: every malformed field is X's 400."""

from __future__ import annotations

import json

import pytest

from tests.emulator.conftest import ALICE, ALICE_BOB, BOB, CAROL, PNG, assert_problem
from tweepy_dm.emulator._ids import NEWER, OLDER, encode_token

SEND = f"/2/dm_conversations/with/{BOB}/messages"
HUGE = "9999999999999999999"  # 19 digits: X's pattern, beyond any id the emulator stores


def _post_raw(api, path, raw: bytes):
    return api.post(path, data=raw, headers={"Content-Type": "application/json"})


@pytest.mark.parametrize(
    "raw",
    [
        b'{"text": "\\ud800"}',
        b'{"text": "ok \\udfff then"}',
        b'{"text": "x", "attachments": [{"media_id": "\\ud800"}]}',
    ],
    ids=["lone-high", "lone-low", "in-media-id"],
)
def test_lone_surrogates_are_400(users, raw):
    body = assert_problem(_post_raw(users[0], SEND, raw), 400, errors=True)
    assert body["title"] == "Invalid Request"


def test_lone_surrogates_in_a_group_body_are_400(users):
    raw = json.dumps(
        {"conversation_type": "Group", "participant_ids": [BOB, "\ud800"], "message": {"text": "x"}}
    ).encode()
    assert_problem(_post_raw(users[0], "/2/dm_conversations", raw), 400, errors=True)


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json_is_400(users, depth):
    raw = b'{"text": ' + b"[" * depth + b"]" * depth + b"}"
    assert_problem(_post_raw(users[0], SEND, raw), 400, errors=True)


@pytest.mark.parametrize("ids", [[CAROL, "0" + CAROL], [CAROL, BOB, "00" + CAROL]])
def test_the_same_participant_twice_is_400(users, ids):
    body = {"conversation_type": "Group", "participant_ids": ids, "message": {"text": "x"}}
    assert_problem(users[0].post("/2/dm_conversations", json=body), 400, errors=True)


@pytest.mark.parametrize("value", [5, ["dm_image"], {"a": 1}, True, "\ud800"])
@pytest.mark.parametrize("field", ["media_category", "media_type"])
def test_non_string_media_fields_are_400(users, field, value):
    alice = users[0]
    init = {"media_type": "image/png", "total_bytes": len(PNG), "media_category": "dm_image"}
    raw = json.dumps({**init, field: value}).encode()
    assert_problem(_post_raw(alice, "/2/media/upload/initialize", raw), 400, errors=True)
    one_shot = {"media": "iVBORw0KGgo=", "media_category": "dm_image", field: value}
    raw = json.dumps(one_shot).encode()
    assert_problem(_post_raw(alice, "/2/media/upload", raw), 400, errors=True)


@pytest.mark.parametrize("anchor", [2**63, 2**64 - 1])
@pytest.mark.parametrize("direction", [OLDER, NEWER])
def test_pagination_tokens_out_of_range_are_400(users, direction, anchor):
    token = encode_token(direction, anchor)
    response = users[0].get("/2/dm_events", params={"pagination_token": token})
    body = assert_problem(response, 400, errors=True)
    assert body["errors"][0]["parameters"] == {"pagination_token": [token]}


def test_ids_beyond_what_is_stored_are_answered(users):
    alice = users[0]
    alice.send(BOB)
    assert_problem(alice.get(f"/2/dm_events/{HUGE}"), 404, errors=True)
    assert_problem(alice.delete(f"/2/dm_events/{HUGE}"), 404, errors=True)
    # A conversation with a user who cannot exist: the caller is in it, nobody else.
    assert alice.events(f"/2/dm_conversations/{ALICE}-{HUGE}/dm_events") == {
        "meta": {"result_count": 0}
    }
    assert_problem(
        alice.post(f"/2/dm_conversations/{HUGE}-{ALICE}/messages", json={"text": "x"}), 403
    )
    assert_problem(alice.post(f"/2/dm_conversations/with/{HUGE}/messages", json={"text": "x"}), 400)
    assert_problem(alice.post(f"/2/users/{HUGE}/dm/block"), 400, errors=True)
    attach = {"text": "x", "attachments": [{"media_id": HUGE}]}
    assert_problem(alice.post(SEND, json=attach), 403)
    status = {"command": "STATUS", "media_id": HUGE}
    assert_problem(alice.get("/2/media/upload", params=status), 404, errors=True)
    assert_problem(alice.post(f"/2/media/upload/{HUGE}/finalize"), 404, errors=True)
    assert_problem(alice.get(f"/2/dm_conversations/media/{HUGE}/{HUGE}/x", bearer=True), 404)
    assert alice.get(f"/2/users/{HUGE}").json()["errors"][0]["resource_id"] == HUGE


def test_a_link_to_a_tweet_id_beyond_what_is_stored(users):
    alice, bob, _ = users
    alice.send(BOB, f"https://x.com/a/status/{HUGE}")
    body = bob.events(**{"expansions": "referenced_tweets.id"})
    assert body["errors"][0]["resource_id"] == HUGE


def test_a_segment_index_that_is_not_text_is_400(users):
    alice = users[0]
    init = {"media_type": "image/png", "total_bytes": len(PNG), "media_category": "dm_image"}
    media_id = alice.post("/2/media/upload/initialize", json=init).json()["data"]["id"]
    raw = (
        b'--zz\r\nContent-Disposition: form-data; name="segment_index"\r\n\r\n\xff\xfe\r\n'
        b'--zz\r\nContent-Disposition: form-data; name="media"\r\n\r\nabc\r\n--zz--\r\n'
    )
    response = alice.post(
        f"/2/media/upload/{media_id}/append",
        data=raw,
        headers={"Content-Type": "multipart/form-data; boundary=zz"},
    )
    assert_problem(response, 400, errors=True)


@pytest.mark.parametrize(
    "body",
    [
        {"text": None},
        {"text": ["x"]},
        {"text": {"a": 1}},
        {"text": "x", "attachments": {"media_id": "1"}},
        {"text": "x", "attachments": ["1"]},
        {"text": "x", "attachments": [{"media_id": "1\n"}]},
        {"text": "x", "attachments": [{"media_id": "٣"}]},
        {"text": "x", "attachments": [{"media_id": ""}]},
    ],
)
def test_malformed_message_fields_are_400(users, body):
    assert_problem(users[0].post(SEND, json=body), 400, errors=True)


@pytest.mark.parametrize(
    "body",
    [
        {"conversation_type": ["Group"], "participant_ids": [BOB, CAROL], "message": {"text": "x"}},
        {"conversation_type": "Group", "participant_ids": {BOB: CAROL}, "message": {"text": "x"}},
        {"conversation_type": "Group", "participant_ids": [[BOB], CAROL], "message": {"text": "x"}},
        {"conversation_type": "Group", "participant_ids": [BOB, "1\n"], "message": {"text": "x"}},
        {"conversation_type": "Group", "participant_ids": [BOB, CAROL], "message": None},
        {"conversation_type": "Group", "participant_ids": [BOB] * 60, "message": {"text": "x"}},
    ],
)
def test_malformed_group_fields_are_400(users, body):
    assert_problem(users[0].post("/2/dm_conversations", json=body), 400, errors=True)


def test_a_reversed_or_zero_padded_id_is_read_by_value(users):
    alice, _, _ = users
    alice.send(BOB, "padded")
    low, high = ALICE_BOB.split("-")
    events = alice.events(f"/2/dm_conversations/0{low}-{high}/dm_events")["data"]
    assert events[0]["text"] == "padded"
