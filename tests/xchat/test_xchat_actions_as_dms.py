"""Reactions and edits are not DMs: the legacy DM calls, the stream and the group name.

Every test runs for both clients (the ``clients`` fixture).
"""

from __future__ import annotations

import tweepy_dm
from tests.xchat.conftest import ALICE, BOB


def _legacy(clients, emulator, user_id):
    """A client made with the user's ``xchat_key``: the legacy DM calls over XChat."""
    return clients.make(
        credentials=emulator.credentials(int(user_id)),
        api_url=emulator.url,
        xchat_key=emulator.xchat_key_blob(int(user_id)),
    )


def test_get_dm_events_lists_messages_not_reactions_or_edits(xchat_people, clients):
    alice, bob = xchat_people[ALICE], xchat_people[BOB]
    hello = alice.send(BOB, "hello")
    bob.react(hello, "👍")
    alice.edit(hello, "hello there")
    legacy = _legacy(clients, xchat_people.emulator, BOB)
    events = legacy.call("get_dm_events").data
    assert [event.text for event in events] == ["hello"]
    assert [event.text for event in legacy.call("get_dm_events", participant_id=ALICE).data] == [
        "hello"
    ]


def test_the_stream_gives_a_reaction_no_direct_message(xchat_people, clients):
    alice, bob = xchat_people[ALICE], xchat_people[BOB]
    emulator = xchat_people.emulator
    legacy = _legacy(clients, emulator, BOB)
    legacy.call("create_activity_subscription", event_type="chat.received", user_id=BOB)
    hello = bob.send(ALICE, "hello")
    alice.react(hello, "🎉")
    alice.send(BOB, "hi bob")
    kind = tweepy_dm.AsyncActivityStream if clients.is_async else tweepy_dm.ActivityStream
    stream = kind(
        emulator.app_bearer_token,
        api_url=emulator.url,
        initial_backfill_minutes=1,
        xchat_clients=legacy.client,
    )
    events = []

    def take(event):
        events.append(event)
        if len(events) == 2:
            stream.close()

    if clients.is_async:

        async def read():
            async for event in stream:
                take(event)

        clients.run(read())
    else:
        for event in stream:
            take(event)
    reaction, message = events
    assert reaction.event_type == message.event_type == "chat.received"
    assert reaction.direct_message is None
    assert message.direct_message.text == "hi bob"


def test_a_group_name_given_at_creation_is_encrypted_and_read_back(xchat_people):
    alice, bob = xchat_people[ALICE], xchat_people[BOB]
    group = alice.create_group([BOB], name="Trip")
    stored = alice.caller.call(
        "get_chat_conversation", group, chat_conversation_fields=["group_name"]
    )
    assert stored.data.group_name not in (None, "Trip")
    info = bob.get_group_info(group)
    assert (info.name, info.failed) == ("Trip", ())
