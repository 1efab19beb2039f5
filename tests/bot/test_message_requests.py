"""DMBot and XChat message requests: the handler is told, ``accept_requests`` decides.

The bot user lets in only the people it follows (``allow_dms_from`` ``following``),
so a first message from Alice, whom it does not follow, is a message request.
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


@pytest.fixture
def emulator(xchat_emulator):
    return xchat_emulator


def inbox(emulator):
    plain = tweepy_dm.Client(api_url=emulator.url, **emulator.credentials(BOT_ID))
    return [str(item.id) for item in plain.get_chat_conversations().data or []]


def pending(emulator):
    plain = tweepy_dm.Client(api_url=emulator.url, **emulator.credentials(BOT_ID))
    return [str(item.sender_id) for item in plain.get_chat_message_requests().data or []]


def run(store_url, emulator, clock, accept_requests, kind=tweepy_dm.Client):
    """Alice (a stranger) and Bob (followed) write; the bot polls and replies to both."""
    client = keyed_client(emulator, BOT_ID, kind)
    plain = tweepy_dm.Client(api_url=emulator.url, **emulator.credentials(BOT_ID))
    plain.update_chat_settings(allow_dms_from="following")
    emulator.follow(BOT_ID, BOB_ID)
    options = {} if accept_requests is None else {"accept_requests": accept_requests}
    bot = DMBot(store=store_url, clients={BOT_ID: client}, clock=clock, check_delay=0, **options)
    seen = []

    @bot.on_direct_message
    def handler(message, context):
        seen.append((str(message.sender_id), message.text, context.is_message_request))
        context.reply(f"re: {message.text}")

    try:
        emulator.send_chat(ALICE_ID, BOT_ID, "hi, I'm new")
        emulator.send_chat(BOB_ID, BOT_ID, "hi, it's bob")
        assert pending(emulator) == [ALICE_ID]
        DMPoller(client, user_id=BOT_ID, min_interval=0).poll(bot, clock=clock)
        while bot.work_once():
            pass
        status = bot.status()
    finally:
        bot.close()
    assert status["outbox"] == {"sent": 2}
    return sorted(seen)


def test_a_request_reaches_the_handler_marked_and_is_not_accepted_by_default(
    store_url, emulator, clock
):
    seen = run(store_url, emulator, clock, None)
    assert seen == [(ALICE_ID, "hi, I'm new", True), (BOB_ID, "hi, it's bob", False)]
    assert pending(emulator) == [ALICE_ID]  # replying does not accept
    assert f"{BOT_ID}-{ALICE_ID}" not in inbox(emulator)


def test_accept_requests_true_accepts_before_the_reply(store_url, emulator, clock):
    seen = run(store_url, emulator, clock, True)
    assert seen[0] == (ALICE_ID, "hi, I'm new", True)
    assert pending(emulator) == []
    assert f"{BOT_ID}-{ALICE_ID}" in inbox(emulator)
    alice = keyed_client(emulator, ALICE_ID)
    (newest, *_) = alice.get_dm_events(participant_id=BOT_ID).data
    assert newest.text == "re: hi, I'm new"


def test_accept_requests_may_be_a_function_of_the_context(store_url, emulator, clock):
    asked = []

    def decide(context):
        asked.append((context.message.text, context.is_message_request))
        return "spam" not in context.message.text

    seen = run(store_url, emulator, clock, decide)
    assert asked == [("hi, I'm new", True)]  # asked about requests only
    assert seen[0][2] is True
    assert pending(emulator) == []


def test_a_request_declined_by_the_function_stays_pending(store_url, emulator, clock):
    seen = run(store_url, emulator, clock, lambda context: False)
    assert seen[0] == (ALICE_ID, "hi, I'm new", True)
    assert pending(emulator) == [ALICE_ID]


def test_async_clients_see_and_accept_requests_too(store_url, emulator, clock):
    seen = run(store_url, emulator, clock, True, tweepy_dm.AsyncClient)
    assert seen == [(ALICE_ID, "hi, I'm new", True), (BOB_ID, "hi, it's bob", False)]
    assert pending(emulator) == []


def test_accept_requests_is_checked_when_the_bot_is_made(store_url, emulator):
    client = keyed_client(emulator, BOT_ID)
    with pytest.raises(TypeError, match="accept_requests must be True, False or a function"):
        DMBot(store=store_url, clients={BOT_ID: client}, accept_requests="yes")
