"""Whether an XChat DM came as a message request travels with it from where it was read.

The poller knows which conversations it read from X's message requests, so
handling a polled DM asks X nothing more; a DM from a source that cannot
tell (a webhook, ``ingest``) costs one ``GET /2/chat/message_requests/{id}``
per conversation that is not a request. The emulator's requests are recorded
by wrapping its app's ``handle``.
"""

from __future__ import annotations

import sys

import pytest

from tests.bot.conftest import ALICE_ID, BOB_ID, BOT_ID
from tests.helpers import keyed_client

if sys.version_info < (3, 10):
    pytest.skip("chatxdk needs Python 3.10+", allow_module_level=True)
pytest.importorskip("chat_xdk", reason='chatxdk is not installed (pip install "tweepy-dm[xchat]")')

import tweepy_dm
from tweepy_dm.bot import DMBot, DMPoller

ONE_REQUEST = "/2/chat/message_requests/"


@pytest.fixture
def emulator(xchat_emulator):
    return xchat_emulator


def make_bot(store_url, client, clock, seen):
    bot = DMBot(store=store_url, clients={BOT_ID: client}, clock=clock, check_delay=0)

    @bot.on_direct_message
    def handler(message, context):
        seen.append((str(message.sender_id), message.text, context.is_message_request))

    return bot


def drain(bot):
    while bot.work_once():
        pass


def test_handling_a_polled_dm_asks_x_nothing_about_requests(store_url, emulator, clock, served):
    client = keyed_client(emulator, BOT_ID)
    seen = []
    bot = make_bot(store_url, client, clock, seen)
    try:
        emulator.send_chat(BOB_ID, BOT_ID, "hi")
        emulator.send_chat(BOB_ID, BOT_ID, "again")
        DMPoller(client, user_id=BOT_ID, min_interval=0).poll(bot, clock=clock)
        served.clear()
        drain(bot)
    finally:
        bot.close()
    assert sorted(seen) == [(BOB_ID, "again", False), (BOB_ID, "hi", False)]
    assert [path for _, path in served if path.startswith("/2/chat/message_requests")] == []


def test_a_polled_request_is_marked_from_the_listing_without_asking_per_message(
    store_url, emulator, clock, served
):
    client = keyed_client(emulator, BOT_ID)
    tweepy_dm.Client(api_url=emulator.url, **emulator.credentials(BOT_ID)).update_chat_settings(
        allow_dms_from="following"
    )
    emulator.follow(BOT_ID, BOB_ID)
    seen = []
    bot = make_bot(store_url, client, clock, seen)
    try:
        emulator.send_chat(ALICE_ID, BOT_ID, "a stranger")
        emulator.send_chat(BOB_ID, BOT_ID, "a friend")
        served.clear()
        DMPoller(client, user_id=BOT_ID, min_interval=0).poll(bot, clock=clock)
        drain(bot)
    finally:
        bot.close()
    assert sorted(seen) == [(ALICE_ID, "a stranger", True), (BOB_ID, "a friend", False)]
    assert [path for _, path in served if path.startswith(ONE_REQUEST)] == []


def test_a_dm_from_a_source_that_cannot_tell_asks_once_per_conversation(
    store_url, emulator, clock, served
):
    client = keyed_client(emulator, BOT_ID)
    seen = []
    bot = make_bot(store_url, client, clock, seen)
    try:
        emulator.send_chat(ALICE_ID, BOT_ID, "one")
        emulator.send_chat(ALICE_ID, BOT_ID, "two")
        events = keyed_client(emulator, BOT_ID).get_dm_events().data
        served.clear()
        assert bot.ingest([(BOT_ID, event) for event in events], source="webhook") == 2
        drain(bot)
    finally:
        bot.close()
    assert sorted(seen) == [(ALICE_ID, "one", False), (ALICE_ID, "two", False)]
    asked = [path for _, path in served if path.startswith(ONE_REQUEST)]
    assert len(asked) == 1, asked
    assert sorted(asked[0][len(ONE_REQUEST) :].split("-")) == sorted([ALICE_ID, BOT_ID])
