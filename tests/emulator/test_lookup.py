"""Lookups: order, fields, filters, expansions, pagination, the 30-day window, delete."""

from __future__ import annotations

import threading

import pytest

from tests.emulator.conftest import ALICE, ALICE_BOB, BOB, CAROL, assert_problem

DAY = 24 * 60 * 60


def test_newest_first_with_x_default_fields(users, emulator):
    alice, bob, _ = users
    first = alice.send(BOB, "one")["dm_event_id"]
    second = bob.send(ALICE, "two")["dm_event_id"]
    body = alice.events()
    assert body["data"] == [
        {"id": second, "event_type": "MessageCreate", "text": "two"},
        {"id": first, "event_type": "MessageCreate", "text": "one"},
    ]
    assert set(body) == {"data", "meta"}
    assert body["meta"]["result_count"] == 2
    for path in (
        f"/2/dm_conversations/{ALICE_BOB}/dm_events",
        f"/2/dm_conversations/with/{BOB}/dm_events",
    ):
        assert alice.events(path)["data"] == body["data"]
    group = emulator.create_group(ALICE, [BOB, CAROL])
    join = alice.events(event_types="ParticipantsJoin")["data"][0]
    assert set(join) == {"id", "event_type", "participant_ids"}
    assert join["participant_ids"] == [CAROL]
    assert group


def test_empty_answers_have_only_meta(users):
    alice = users[0]
    assert alice.events() == {"meta": {"result_count": 0}}
    assert alice.events(f"/2/dm_conversations/with/{BOB}/dm_events") == {
        "meta": {"result_count": 0}
    }
    assert alice.events(f"/2/dm_conversations/{ALICE_BOB}/dm_events") == {
        "meta": {"result_count": 0}
    }
    assert alice.events("/2/dm_conversations/with/999/dm_events") == {"meta": {"result_count": 0}}


def test_dm_event_fields_selection(users, clock):
    alice = users[0]
    sent = alice.send(BOB, "hello @bob #tag $TWTR https://example.com/x")
    every = "attachments,created_at,dm_conversation_id,entities,event_type,id,participant_ids,referenced_tweets,sender_id,text"
    event = alice.events(**{"dm_event.fields": every})["data"][0]
    assert event["created_at"] == "2023-11-14T22:13:20.000Z" == _iso(clock.now)
    assert event["sender_id"] == ALICE
    assert event["dm_conversation_id"] == sent["dm_conversation_id"]
    assert "participant_ids" not in event  # only on Join/Leave since June 2025
    assert "attachments" not in event
    assert "referenced_tweets" not in event
    entities = event["entities"]
    assert entities["mentions"] == [{"start": 6, "end": 10, "username": "bob", "id": BOB}]
    assert entities["hashtags"] == [{"start": 11, "end": 15, "tag": "tag"}]
    assert entities["cashtags"] == [{"start": 16, "end": 21, "tag": "TWTR"}]
    assert entities["urls"][0]["start"] == 22
    assert entities["urls"][0]["end"] == 43
    only = alice.events(**{"dm_event.fields": "sender_id"})["data"][0]
    assert set(only) == {"id", "event_type", "text", "sender_id"}


def _iso(seconds):
    import time

    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(seconds))


def test_event_types_filter(users, emulator):
    alice, _, carol = users
    group = emulator.create_group(ALICE, [BOB, CAROL])
    alice.post(f"/2/dm_conversations/{group}/messages", json={"text": "hi"})
    emulator.leave_conversation(group, BOB)
    path = f"/2/dm_conversations/{group}/dm_events"
    kinds = [event["event_type"] for event in carol.events(path)["data"]]
    assert kinds == ["ParticipantsLeave", "MessageCreate"] + ["ParticipantsJoin"] * 3
    leave = carol.events(path, event_types="ParticipantsLeave")["data"]
    assert [event["participant_ids"] for event in leave] == [[BOB]]
    both = carol.events(path, event_types="MessageCreate,ParticipantsLeave")["data"]
    assert [event["event_type"] for event in both] == ["ParticipantsLeave", "MessageCreate"]
    # bob left: the group is no longer his to read.
    assert_problem(users[1].get(path), 403)


def test_expansions_fill_includes(users, emulator):
    alice, bob, _ = users
    emulator.add_tweet(1585800613253812228, "A tweet", author_id=BOB)
    alice.send(
        BOB, "see https://x.com/bob/status/1585800613253812228 and https://twitter.com/a/status/42"
    )
    params = {
        "expansions": "sender_id,referenced_tweets.id",
        "dm_event.fields": "referenced_tweets,sender_id",
        "user.fields": "created_at,description",
        "tweet.fields": "author_id",
    }
    body = bob.events(**params)
    assert body["data"][0]["referenced_tweets"] == [{"id": "1585800613253812228"}, {"id": "42"}]
    assert body["includes"]["users"] == [
        {
            "id": ALICE,
            "name": "Alice",
            "username": "alice",
            "created_at": "2023-11-14T22:13:20.000Z",
            "description": "",
        }
    ]
    assert body["includes"]["tweets"] == [
        {
            "id": "1585800613253812228",
            "text": "A tweet",
            "edit_history_tweet_ids": ["1585800613253812228"],
            "author_id": BOB,
        }
    ]
    # The missing tweet is a partial error, as X reports one.
    assert body["errors"][0]["resource_id"] == "42"
    assert body["errors"][0]["type"] == "https://api.x.com/2/problems/resource-not-found"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("dm_event.fields", "nope"),
        ("event_types", "MessageDelete"),
        ("expansions", "author_id"),
        ("max_results", "0"),
        ("max_results", "101"),
        ("max_results", "ten"),
        ("pagination_token", "not-a-token"),
        ("pagination_token", "04EO49P7CH00004M"),
    ],
)
def test_invalid_parameters_are_400(users, name, value):
    body = assert_problem(users[0].get("/2/dm_events", params={name: value}), 400, errors=True)
    assert body["errors"][0]["parameters"] == {name: [value]}
    assert value in body["errors"][0]["message"]


def test_unknown_parameters_are_400_in_x_shape(users):
    # X answers a parameter the endpoint does not list with 400.
    users[0].send(BOB)
    response = users[0].get("/2/dm_events", params={"dm.event.fields": "sender_id"})
    body = assert_problem(response, 400, errors=True)
    assert body["title"] == "Invalid Request"
    assert body["detail"] == "One or more parameters to your request was invalid."
    assert body["type"] == "https://api.x.com/2/problems/invalid-request"
    assert body["errors"] == [
        {
            "parameters": {"dm.event.fields": ["sender_id"]},
            "message": "The query parameter [dm.event.fields] is not one of [dm_event.fields,"
            "event_types,expansions,max_results,media.fields,pagination_token,post.fields,"
            "tweet.fields,user.fields]",
        }
    ]


def test_get_and_delete_one_event(users):
    alice, bob, carol = users
    event_id = alice.send(BOB, "delete me")["dm_event_id"]
    response = bob.get(
        f"/2/dm_events/{event_id}",
        params={"dm_event.fields": "sender_id", "expansions": "sender_id"},
    )
    assert response.status_code == 200
    assert response.json()["data"] == {
        "id": event_id,
        "event_type": "MessageCreate",
        "text": "delete me",
        "sender_id": ALICE,
    }
    assert response.json()["includes"]["users"][0]["id"] == ALICE
    assert_problem(carol.get(f"/2/dm_events/{event_id}"), 403)
    assert_problem(carol.delete(f"/2/dm_events/{event_id}"), 403)
    body = assert_problem(alice.get("/2/dm_events/1585800613253812228"), 404, errors=True)
    assert body["errors"][0]["resource_id"] == "1585800613253812228"
    assert_problem(alice.get("/2/dm_events/abc"), 400, errors=True)
    response = alice.delete(f"/2/dm_events/{event_id}")
    assert (response.status_code, response.json()) == (200, {"data": {"deleted": True}})
    # Deleted for alice only.
    assert_problem(alice.get(f"/2/dm_events/{event_id}"), 404)
    assert_problem(alice.delete(f"/2/dm_events/{event_id}"), 404)
    assert alice.events() == {"meta": {"result_count": 0}}
    assert bob.events()["data"][0]["id"] == event_id


def test_thirty_day_window_of_dm_events_only(users, emulator, clock):
    alice = users[0]
    old = emulator.seed_messages(ALICE_BOB, 3, start=clock.now - 31 * DAY)
    recent = emulator.seed_messages(ALICE_BOB, 2, start=clock.now - 29 * DAY)
    assert [event["id"] for event in alice.events()["data"]] == recent[::-1]
    conversation = alice.events(f"/2/dm_conversations/{ALICE_BOB}/dm_events")["data"]
    assert [event["id"] for event in conversation] == (old + recent)[::-1]
    clock.advance(2 * DAY)
    assert alice.events()["meta"]["result_count"] == 0


def test_pagination_walks_every_event_once(users, emulator):
    alice = users[0]
    seeded = emulator.seed_messages(ALICE_BOB, 250)
    seen, token, pages = [], None, 0
    while True:
        params = {"max_results": 100, **({"pagination_token": token} if token else {})}
        body = alice.events(**params)
        pages += 1
        if body["meta"]["result_count"] == 0:
            assert body == {"meta": {"result_count": 0}}
            break
        seen += [event["id"] for event in body["data"]]
        token = body["meta"]["next_token"]
    assert pages == 4  # 100, 100, 50 and the empty page after the oldest
    assert seen == seeded[::-1]


def test_previous_token_goes_back_to_newer_events(users, emulator):
    alice = users[0]
    seeded = emulator.seed_messages(ALICE_BOB, 30)
    first = alice.events(max_results=10)
    second = alice.events(max_results=10, pagination_token=first["meta"]["next_token"])
    back = alice.events(max_results=10, pagination_token=second["meta"]["previous_token"])
    assert back["data"] == first["data"]
    assert alice.events(max_results=10, pagination_token=first["meta"]["previous_token"]) == {
        "meta": {"result_count": 0}
    }
    newest = alice.send(BOB, "new")["dm_event_id"]
    newer = alice.events(max_results=10, pagination_token=first["meta"]["previous_token"])
    assert [event["id"] for event in newer["data"]] == [newest]
    assert [event["id"] for event in second["data"]] == seeded[::-1][10:20]


def test_tokens_stay_valid_under_concurrent_writes(users, emulator):
    alice, bob, _ = users
    seeded = emulator.seed_messages(ALICE_BOB, 120)
    stop = threading.Event()
    written: list[str] = []

    def write():
        while not stop.is_set() and len(written) < 300:
            written.append(bob.send(ALICE, "meanwhile")["dm_event_id"])

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while len(written) < 5:
            stop.wait(0.001)
        first = alice.events(max_results=20)
        seen, token = [event["id"] for event in first["data"]], first["meta"]["next_token"]
        while token:
            body = alice.events(max_results=20, pagination_token=token)
            seen += [event["id"] for event in body.get("data", [])]
            token = body["meta"].get("next_token")
        writes_while_paging = len(written)
    finally:
        stop.set()
        writer.join()
    assert writes_while_paging > 5
    # Newest first, each once, nothing skipped: the tokens name events, not offsets.
    assert [int(event_id) for event_id in seen] == sorted(map(int, set(seen)), reverse=True)
    assert set(seeded) <= set(seen)
    newer = alice.events(max_results=100, pagination_token=first["meta"]["previous_token"])
    assert newer["data"]
    assert {event["id"] for event in newer["data"]} <= set(written)


def test_seeding_is_fast_and_ordered(users, emulator):
    import time

    started = time.perf_counter()
    ids = emulator.seed_messages(ALICE_BOB, 20_000, interval=0)
    assert time.perf_counter() - started < 5
    assert ids == sorted(ids, key=int)
    assert len(set(ids)) == 20_000
    body = users[0].events(max_results=1)
    assert body["data"][0]["id"] == ids[-1]
    assert body["data"][0]["text"] == "Message 19999"
    later = users[0].send(BOB)["dm_event_id"]
    assert int(later) > int(ids[-1])


@pytest.mark.parametrize(
    "expansion", ["referenced_tweets.id", "referenced_posts.id", "referenced_posts"]
)
@pytest.mark.parametrize("fields_name", ["tweet.fields", "post.fields"])
def test_openapi_2_167_spellings_are_accepted(users, emulator, expansion, fields_name):
    alice, bob, _ = users
    emulator.add_tweet(1585800613253812228, "A tweet", author_id=BOB)
    alice.send(BOB, "see https://x.com/bob/status/1585800613253812228 and https://x.com/a/status/7")
    params = {
        "expansions": expansion,
        "dm_event.fields": "referenced_posts,referenced_tweets",
        fields_name: "author_id,created_at",
    }
    for path in ("/2/dm_events", f"/2/dm_conversations/{ALICE_BOB}/dm_events"):
        body = bob.events(path, **params)
        event = body["data"][0]
        references = [{"id": "1585800613253812228"}, {"id": "7"}]
        assert event["referenced_posts"] == event["referenced_tweets"] == references
        tweet = body["includes"]["tweets"][0]
        assert (tweet["author_id"], tweet["created_at"]) == (BOB, "2023-11-14T22:13:20.000Z")
        assert body["errors"][0]["parameter"] == expansion
        assert body["errors"][0]["resource_id"] == "7"
    one = bob.get(f"/2/dm_events/{event['id']}", params=params).json()
    assert one["includes"]["tweets"][0]["id"] == "1585800613253812228"
