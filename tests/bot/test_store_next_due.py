"""BotStore.next_due: the earliest time at which time alone can make work due (dm_chat skips to it)."""

from __future__ import annotations

import threading

import pytest

from tweepy_dm.bot._runtime import open_store


def event(event_id):
    payload = {"id": event_id, "event_type": "MessageCreate", "text": "hi", "sender_id": "2"}
    return {"event_id": event_id, "bot_id": "1", "sender_id": "2", "conversation_id": "1-2",
            "payload": payload, "source": "test"}  # fmt: skip


def test_next_due_follows_retries_leases_and_timeouts(store_url):
    store = open_store(store_url)
    store.setup(100.0)
    try:
        assert store.next_due() is None  # nothing unfinished: nothing will ever be due
        store.ingest([event("10")], now=100.0)
        assert store.next_due() == 100.0  # pending, ready now
        assert store.claim_inbox("worker", 100.0, 30.0, 5) is not None
        assert store.next_due() == 130.0  # running: claimed again once its lease expires
        with store.transaction() as cursor:
            cursor.execute("UPDATE inbox SET state = 'pending', next_at = 160, lease_until = NULL")
        assert store.next_due() == 160.0  # a retry's time
        with store.transaction() as cursor:
            cursor.execute("UPDATE inbox SET state = 'done'")
            cursor.execute("UPDATE conversations SET expires_at = 400")
        assert store.next_due() == 400.0  # a conversation's timeout
        with store.transaction() as cursor:
            cursor.execute("UPDATE conversations SET expires_at = NULL")
            cursor.execute("UPDATE inbox SET state = 'a state of the future'")
        assert store.next_due() == -1  # one it does not know: due at once, to be safe
    finally:
        store.close()


def test_an_sqlite_uri_filename_is_a_store_the_threads_share_in_memory():
    name = "sqlite:///file:/tweepy-dm-test-next-due?vfs=memdb"
    store = open_store(name)
    store.setup(100.0)
    try:
        store.ingest([event("11")], now=100.0)
        seen = []
        reader = threading.Thread(target=lambda: seen.append(store.next_due()))
        reader.start()
        reader.join(30)
        assert seen == [100.0]  # another thread's connection sees the same database
    finally:
        store.close()
    again = open_store(name)
    try:
        again.setup(200.0)
        assert again.next_due() is None  # gone with its last connection
    finally:
        again.close()


@pytest.mark.parametrize("url", ["sqlite:///:memory:", "sqlite:///file:bot?mode=memory"])
def test_a_store_each_connection_would_have_alone_is_refused(url):
    with pytest.raises(ValueError, match="a file that workers and processes share"):
        open_store(url)
