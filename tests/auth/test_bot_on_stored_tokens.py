"""A DMBot whose user logged in once (a token store) answers DMs through many token lifetimes."""

from __future__ import annotations

import pytest

import tweepy_dm
from tests.auth.test_oauth2_user_token import login
from tweepy_dm.bot import DMBot, DMPoller

BOT_ID, ALICE_ID = "1000", "2000"


def test_a_bot_on_a_stored_token_answers_across_lifetimes(emulator, clock, tmp_path):
    emulator.add_user(BOT_ID, "helper", "Helper")
    alice = tweepy_dm.Client(api_url=emulator.url, **emulator.add_user(ALICE_ID, "alice", "A"))
    tokens = str(tmp_path / "tokens.json")
    login(emulator, clock, store=tokens, user_id=BOT_ID)
    bot_client = tweepy_dm.Client(api_url=emulator.url)  # no credential of its own
    bot = DMBot(store=f"sqlite:///{tmp_path}/bot.db", clients={BOT_ID: bot_client}, clock=clock)
    try:
        used = bot.use_token_store(
            tokens,
            client_id=emulator.oauth2_client_id,
            client_secret=emulator.oauth2_client_secret,
        )
        assert used == [BOT_ID]
        bot.on_direct_message(lambda message, context: context.reply(f"re: {message.text}"))
        poller = DMPoller(bot_client, user_id=BOT_ID)
        for hour in range(0, 12, 3):
            alice.create_dm(participant_id=BOT_ID, text=f"hour {hour}")
            poller.poll(bot, clock=clock)
            while bot.work_once():
                pass
            clock.advance(3 * 3600)
    finally:
        bot.close()
    replies = alice.get_dm_events(participant_id=BOT_ID, dm_event_fields=["text", "sender_id"])
    texts = sorted(e.text for e in replies.data if str(e.sender_id) == BOT_ID)
    assert texts == ["re: hour 0", "re: hour 3", "re: hour 6", "re: hour 9"]
    assert emulator.oauth2_stats["refreshes"] == 3


def test_a_bot_user_without_a_stored_token_is_named(emulator, clock, tmp_path):
    emulator.add_user(BOT_ID, "helper", "Helper")
    tokens = str(tmp_path / "tokens.json")
    login(emulator, clock, store=tokens, user_id=BOT_ID)
    other = tweepy_dm.Client(api_url=emulator.url)
    bot = DMBot(store=f"sqlite:///{tmp_path}/bot.db", clients={"3000": other}, clock=clock)
    try:
        with pytest.raises(LookupError, match="user 3000"):
            bot.use_token_store(tokens)
    finally:
        bot.close()
