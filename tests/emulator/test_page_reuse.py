"""A page of events read again is the same page until something is written.

The emulator keeps the pages it read (a poller asks for the newest page again
and again) and drops them all on any write: these tests read a page, change
what it should hold, and read it again.
"""

from __future__ import annotations

from tweepy_dm.emulator import DMEmulator

from .conftest import ALICE, BOB, CAROL, Api


def _texts(api: Api, path: str = "/2/dm_events", **params) -> list[str]:
    return [event.get("text") for event in api.events(path, **params).get("data", [])]


def test_a_page_read_again_shows_a_message_sent_since(users):
    alice, bob, _ = users
    alice.send(BOB, "first")
    assert _texts(bob) == ["first"]
    alice.send(BOB, "second")
    assert _texts(bob) == ["second", "first"]
    assert _texts(bob, max_results=1) == ["second"]


def test_a_page_read_again_leaves_out_a_message_deleted_since(users):
    alice, bob, _ = users
    alice.send(BOB, "keep")
    doomed = alice.send(BOB, "delete me")
    assert _texts(bob) == ["delete me", "keep"]
    assert bob.delete(f"/2/dm_events/{doomed['dm_event_id']}").status_code == 200
    assert _texts(bob) == ["keep"]
    # Alice deleted nothing: her page still holds both.
    assert _texts(alice) == ["delete me", "keep"]


def test_a_page_read_again_leaves_out_a_message_aged_out_of_the_window_since(users, clock):
    alice, bob, _ = users
    day = 24 * 3600
    alice.send(BOB, "old")
    clock.advance(20 * day)
    alice.send(BOB, "new")
    assert _texts(bob) == ["new", "old"]
    # Nothing written, but "old" is now older than X's 30-day window.
    clock.advance(15 * day)
    assert _texts(bob) == ["new"]
    # A conversation's own history has no window.
    assert _texts(bob, f"/2/dm_conversations/with/{ALICE}/dm_events") == ["new", "old"]
    clock.advance(30 * day)
    assert _texts(bob) == []


def test_pages_of_different_viewers_and_conversations_are_not_mixed(users):
    alice, bob, carol = users
    alice.send(BOB, "to bob")
    alice.send(CAROL, "to carol")
    assert _texts(bob) == ["to bob"]
    assert _texts(carol) == ["to carol"]
    assert _texts(alice, f"/2/dm_conversations/with/{BOB}/dm_events") == ["to bob"]
    assert _texts(alice, f"/2/dm_conversations/with/{CAROL}/dm_events") == ["to carol"]


def test_a_page_kept_by_one_emulator_sees_another_ones_writes_to_the_same_file(tmp_path):
    path = tmp_path / "shared.db"
    with DMEmulator(db=path) as first, DMEmulator(db=path) as second:
        users = {}
        for emulator in (first, second):
            for user_id, name in ((ALICE, "alice"), (BOB, "bob")):
                users[emulator, user_id] = Api(
                    emulator.url, emulator.add_user(user_id, name, name.title()), user_id
                )
        users[first, ALICE].send(BOB, "through the first")
        assert _texts(users[first, BOB]) == ["through the first"]
        users[second, ALICE].send(BOB, "through the second")
        assert _texts(users[first, BOB]) == ["through the second", "through the first"]
