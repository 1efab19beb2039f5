"""Each in-memory emulator starts empty, whatever the ones before it stored."""

from __future__ import annotations

import pytest

from tweepy_dm.emulator import DMEmulator


def test_an_emulator_made_after_a_filled_one_starts_empty():
    with DMEmulator() as first:
        first.add_user("1", "alice", "Alice")
        first.add_user("2", "bob", "Bob")
        first.seed_messages(DMEmulator.conversation_id("1", "2"), 3)
        key = first.credentials("1")["consumer_key"]
    with DMEmulator() as second:
        with pytest.raises(KeyError):
            second.credentials("1")
        second.add_user("1", "alice", "Alice")
        assert second.credentials("1")["consumer_key"] != key  # its own app keys
        assert second._store.db.execute("SELECT COUNT(*) FROM events").fetchone() == (0,)
