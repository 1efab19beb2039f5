"""dm_chat with an XChat bot: scripted users send end-to-end encrypted, message requests."""

from __future__ import annotations

import sys

import pytest

if sys.version_info < (3, 10):
    pytest.skip("chatxdk needs Python 3.10+", allow_module_level=True)
pytest.importorskip("chat_xdk", reason='chatxdk is not installed (pip install "tweepy-dm[xchat]")')

import tweepy_dm
from tweepy_dm import xchat
from tweepy_dm.bot import DMBot


def xchat_bot(**options):
    """A bot whose client has an XChat key, as in production (the kit swaps in the emulator's)."""
    client = tweepy_dm.Client(
        bearer_token="not used", xchat_key=xchat.generate_keys(), xchat_user_id="42"
    )
    bot = DMBot(clients=client, **options)
    seen = []

    @bot.on_direct_message
    def echo(message, context):
        seen.append((str(message.sender_id), message.text))
        context.reply(f"echo: {message.text}")

    bot.seen = seen
    return bot


def test_scripted_users_talk_xchat_to_an_xchat_bot(dm_chat):
    dm_chat.emulator.legacy_dms = "off"  # past X's cutover: only XChat carries DMs
    bot = xchat_bot()
    dm_chat.run(bot)
    assert dm_chat.xchat
    alice = dm_chat.user("alice")
    alice.send("secret")
    assert alice.expect_reply(within=5).text == "echo: secret"
    alice.expect_no_reply(within=60)
    assert bot.seen == [(alice.id, "secret")]


@pytest.mark.parametrize("source", ["webhook", "poll"])
def test_a_message_request_reaches_the_bot_and_is_answered(dm_chat, source):
    """The bot allows DMs from those it follows: a stranger's first message is a request."""
    bot = xchat_bot()
    dm_chat.run(bot, source=source, allow_dms_from="following")
    friend = dm_chat.user("friend", followed=True)
    stranger = dm_chat.user("stranger")
    friend.send("hello")
    stranger.send("may I?")
    assert friend.expect_reply(within=5).text == "echo: hello"
    assert stranger.expect_reply(within=5).text == "echo: may I?"
    bot_user = dm_chat.bot.clients[dm_chat.bot_id]
    requests = bot_user.get_chat_message_requests().data or []
    assert [str(r.sender_id) for r in requests] == [stranger.id]


def test_a_polling_bot_answers_each_new_message_of_a_request_that_stays_pending(dm_chat):
    bot = xchat_bot()
    dm_chat.run(bot, source="poll", allow_dms_from="following")
    stranger = dm_chat.user("stranger")
    stranger.send("first")
    assert stranger.expect_reply(within=5).text == "echo: first"
    # Replying does not accept the request: it stays pending, and polls go on.
    stranger.expect_no_reply(within=300)
    stranger.send("second")
    assert stranger.expect_reply(within=90).text == "echo: second"
    stranger.expect_no_reply(within=300)
    assert [text for _, text in bot.seen] == ["first", "second"]
