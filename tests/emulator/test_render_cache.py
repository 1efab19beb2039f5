"""Pages are assembled from each event's kept JSON, with the same bytes as before."""

from __future__ import annotations

import json

import pytest

from tests.emulator.conftest import ALICE, BOB
from tweepy_dm.emulator._wire import json_page_response, json_response

FIELDS = "dm_event.fields=id,text,event_type,created_at,sender_id,dm_conversation_id,entities"


@pytest.mark.parametrize(
    "items",
    [
        [],
        [{"id": "1", "text": "plain"}],
        [{"id": "1", "text": "héllo 😀 \u2028"}, {"id": "2", "text": 'quote " and \\ slash'}],
        [{"id": "3", "text": "lone \ud83d surrogate"}],  # not UTF-8: JSON escapes carry it
    ],
)
@pytest.mark.parametrize(
    "rest", [{}, {"meta": {"result_count": 1}}, {"includes": {"users": [{"id": "1"}]}, "meta": {}}]
)
def test_a_page_of_rendered_items_has_json_responses_bytes(items, rest):
    rendered = [json.dumps(item, separators=(",", ":"), ensure_ascii=False) for item in items]
    assembled = json_page_response(200, rendered, rest, {"x": "1"})
    assert assembled == json_response(200, {"data": items, **rest}, {"x": "1"})


def test_a_page_asked_twice_is_the_same_and_mentions_follow_new_users(emulator, users):
    alice, bob, _ = users
    assert alice.post(f"/2/dm_conversations/with/{BOB}/messages", json={"text": "hi @dave"}).ok
    path = f"/2/dm_events?{FIELDS}"
    first, second = alice.get(path), alice.get(path)
    assert first.status_code == 200, first.text
    assert first.content == second.content
    # Entities name users by id once they exist: never served from a stale rendering.
    assert "id" not in first.json()["data"][0]["entities"]["mentions"][0]
    emulator.add_user(9, "dave", "Dave")
    mention = alice.get(path).json()["data"][0]["entities"]["mentions"][0]
    assert mention == {"start": 3, "end": 8, "username": "dave", "id": "9"}
    # Other users see the same event rendered the same way.
    assert bob.get(path.replace("entities", "attachments")).json()["data"][0]["sender_id"] == ALICE


def test_pages_stay_right_when_the_kept_events_and_renderings_are_dropped(
    emulator, users, monkeypatch
):
    from tweepy_dm.emulator import _render, _state

    monkeypatch.setattr(_state, "KEPT_EVENTS", 3)
    monkeypatch.setattr(_render, "RENDERED_EVENTS", 3)
    alice = users[0]
    sent = [
        alice.post(f"/2/dm_conversations/with/{BOB}/messages", json={"text": f"m{i}"}).json()
        for i in range(8)
    ]
    expected = [item["data"]["dm_event_id"] for item in reversed(sent)]
    for _ in range(2):
        page = alice.get("/2/dm_events?max_results=5&dm_event.fields=id,text").json()
        assert [event["id"] for event in page["data"]] == expected[:5]
        assert [event["text"] for event in page["data"]] == [f"m{i}" for i in range(7, 2, -1)]
        older = alice.get(
            f"/2/dm_events?max_results=5&pagination_token={page['meta']['next_token']}"
        ).json()
        assert [event["id"] for event in older["data"]] == expected[5:]
