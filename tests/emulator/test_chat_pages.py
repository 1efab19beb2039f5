"""A chat page reads its own events, not the whole conversation, and shows what a full scan would."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tweepy_dm.emulator._chat import ChatEvent, Conversation, page

ALICE, BOB = 11, 22
NOW = 1_800_000_000.0


def event(sequence_id, kind="message"):
    return ChatEvent(sequence_id, "11:22", ALICE, f"m{sequence_id}", NOW, "", kind, None, {}, None)


def full_scan(conversation, caller, older_than, limit, now):
    """What a page is: every event, newest first, filtered one by one."""
    hidden = conversation.hidden.get(caller, set())
    until = conversation.former.get(caller)
    return [
        e
        for e in reversed(conversation.events)
        if e.kind != "key"
        and e.sequence_id not in hidden
        and (older_than is None or e.sequence_id < older_than)
        and (until is None or e.sequence_id <= until)
        and conversation.expires.get(e.sequence_id, now + 1) > now
    ][:limit]


@given(
    kinds=st.lists(st.sampled_from(["message", "message", "key", "action"]), max_size=60),
    hidden=st.sets(st.integers(0, 70)),
    expired=st.sets(st.integers(0, 70)),
    older_than=st.none() | st.integers(-1, 75),
    until=st.none() | st.integers(-1, 75),
    limit=st.integers(1, 12),
)
def test_a_page_is_what_a_full_scan_shows(kinds, hidden, expired, older_than, until, limit):
    conversation = Conversation("11:22", [ALICE, BOB], NOW)
    # Sequence ids rise with gaps, as the emulator's one counter over all conversations.
    conversation.events = [event(3 * n + 1, kind) for n, kind in enumerate(kinds)]
    conversation.hidden[BOB] = hidden
    conversation.expires = {s: NOW - 1 for s in expired}
    if until is not None:
        conversation.former[BOB] = until
    assert page(conversation, BOB, older_than, limit, NOW) == full_scan(
        conversation, BOB, older_than, limit, NOW
    )


def test_a_page_stops_once_full():
    conversation = Conversation("11:22", [ALICE, BOB], NOW)
    conversation.events = [event(n) for n in range(1, 100_001)]
    read = []

    class Watched(list):
        def __getitem__(self, index):
            read.append(index)
            return list.__getitem__(self, index)

    conversation.events = Watched(conversation.events)
    shown = page(conversation, BOB, 50_001, 10, NOW)
    assert [e.sequence_id for e in shown] == list(range(50_000, 49_990, -1))
    # A binary search to the cursor (17 looks) and the 10 events shown.
    assert len(read) <= 17 + 10, len(read)
