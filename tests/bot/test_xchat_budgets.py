"""A DMBot over XChat learns its send budgets from the chat message POST's headers (#21)."""

from __future__ import annotations

import sys

import pytest

from tests.bot.conftest import ALICE_ID, BOT_ID

if sys.version_info < (3, 10):
    pytest.skip("chatxdk needs Python 3.10+", allow_module_level=True)
pytest.importorskip("chat_xdk", reason='chatxdk is not installed (pip install "tweepy-dm[xchat]")')

import tweepy_dm
from tweepy_dm import _facts, _xchat_dm
from tweepy_dm._endpoints import Request
from tweepy_dm.bot import DMBot, DMPoller
from tweepy_dm.emulator import DMEmulator

#: The chat send's window, an assumption of ``_facts`` that the emulator states as headers.
(SEND_LIMIT, _), *_ = _facts.CHAT_RATE_LIMITS["POST /2/chat/conversations/{id}/messages"]


@pytest.fixture
def emulator(clock):
    with DMEmulator(clock=clock, legacy_dms="off", rate_limits=True) as emulator:
        for user_id, name in ((BOT_ID, "bot"), (ALICE_ID, "alice")):
            emulator.add_user(user_id, name, name.title(), xchat=True)
        yield emulator


@pytest.mark.parametrize("kind", [tweepy_dm.Client, tweepy_dm.AsyncClient])
def test_a_reply_over_xchat_teaches_the_bot_xs_send_budget(tmp_path, emulator, clock, kind):
    client = kind(
        api_url=emulator.url,
        **emulator.credentials(BOT_ID),
        xchat_key=emulator.xchat_key_blob(BOT_ID),
        xchat_user_id=BOT_ID,
    )
    bot = DMBot(
        store=f"sqlite:///{tmp_path}/bot.db", clients={BOT_ID: client}, clock=clock, check_delay=0
    )
    bot.on_direct_message(lambda message, context: context.reply(f"re {message.text}"))
    try:
        emulator.send_chat(ALICE_ID, BOT_ID, "hello")
        DMPoller(client, user_id=BOT_ID, min_interval=0).poll(bot, clock=clock)
        while bot.work_once():
            pass
        status = bot.status()
    finally:
        bot.close()
    assert status["outbox"] == {"sent": 1}
    # The send's budget is the one X's headers stated for the chat message POST.
    (scope,) = [scope for scope in status["budgets"] if scope != "app"]
    assert status["budgets"][scope]["learned_from_x"] is True
    window = status["budgets"][scope]["windows"]["x-rate-limit"]
    assert (window["limit"], window["remaining"]) == (SEND_LIMIT, SEND_LIMIT - 1)


def test_the_message_post_is_the_sends_headers_whatever_came_before():
    keys = Request("POST", "/2/chat/conversations/1-2/keys")
    message = Request("POST", "/2/chat/conversations/1-2/messages")
    delete = Request("POST", "/2/chat/conversations/1-2/messages/delete")
    sent = [(keys, {"x-rate-limit-limit": "1"}), (message, {"x-rate-limit-limit": "2"})]
    assert _xchat_dm.message_headers(sent) == {"x-rate-limit-limit": "2"}
    assert (
        _xchat_dm.message_headers([*sent, (delete, {"x-rate-limit-limit": "3"})])[
            "x-rate-limit-limit"
        ]
        == "2"
    )
    assert _xchat_dm.message_headers([(keys, {"x-rate-limit-limit": "1"})]) == {}
