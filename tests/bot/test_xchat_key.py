"""A DMBot given its user's XChat key (``DMBot.use_xchat_key``, ``tweepy-dm bot run --xchat-key``)."""

from __future__ import annotations

import sys
import textwrap

import pytest
from click.testing import CliRunner

from tests.bot.conftest import ALICE_ID, BOB_ID, BOT_ID
from tests.cli.helpers import registered_key

if sys.version_info < (3, 10):
    pytest.skip("chatxdk needs Python 3.10+", allow_module_level=True)
try:
    import chat_xdk  # noqa: F401
except ImportError:
    pytest.skip(
        'chatxdk is not installed (pip install "tweepy-dm[xchat]")', allow_module_level=True
    )

from tweepy_dm import xchat
from tweepy_dm.bot import DMBot, DMPoller
from tweepy_dm.cli._app import cli


def _registered(users, user_id):
    return registered_key(users.emulator.url, users.credentials[user_id], user_id)


def test_a_bot_given_its_key_reads_and_replies_over_xchat(tmp_path, users, clock):
    bot_blob, _ = _registered(users, BOT_ID)
    _, alice = _registered(users, ALICE_ID)
    key = tmp_path / "bot.key"
    key.write_bytes(bot_blob)
    bot = DMBot(store=f"sqlite:///{tmp_path}/bot.db", clients=users.client(BOT_ID), clock=clock)
    handled = []

    @bot.on_direct_message
    def echo(message, context):
        handled.append((message.text, str(message.sender_id)))
        context.reply(f"echo: {message.text}")

    try:
        bot.use_xchat_key(str(key))
        assert bot_blob.hex() not in repr(bot) + repr(bot.clients)
        alice.send(BOT_ID, "hello")
        DMPoller(bot.clients[BOT_ID], user_id=BOT_ID).poll(bot, clock=clock)
        while bot.work_once():
            pass
    finally:
        bot.close()
    assert handled == [("hello", ALICE_ID)]
    assert [m.text for m in alice.get_messages(BOT_ID)] == ["echo: hello", "hello"]
    # The reply went over /2/chat: X stored no legacy DM.
    assert users.client(ALICE_ID).get_dm_events().data is None


def test_one_key_for_a_bot_of_several_users_is_refused(tmp_path, users, clock):
    bot_blob, _ = _registered(users, BOT_ID)
    clients = {BOT_ID: users.client(BOT_ID), BOB_ID: users.client(BOB_ID)}
    bot = DMBot(store=f"sqlite:///{tmp_path}/bot.db", clients=clients, clock=clock)
    with pytest.raises(ValueError, match="this bot has 2 users"):
        bot.use_xchat_key(bot_blob)
    assert bot.clients == clients  # unchanged
    bot.close()


def test_bot_run_with_a_key_for_several_users_is_a_usage_error(tmp_path, users, monkeypatch):
    key = tmp_path / "bot.key"
    key.write_bytes(xchat.XChat.generate_keys())
    (tmp_path / "two_user_bot.py").write_text(
        textwrap.dedent(
            f"""
            import tweepy_dm

            def client(token):
                return tweepy_dm.Client(bearer_token=token, api_url={users.emulator.url!r})

            bot = tweepy_dm.DMBot(
                store="sqlite:///two.db",
                clients={{"{BOT_ID}": client("a"), "{BOB_ID}": client("b")}},
            )
            """
        )
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    result = CliRunner().invoke(
        cli, ["bot", "run", "two_user_bot:bot", "--source", "none"],
        env={"X_XCHAT_KEY_FILE": str(key)},
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "this bot has 2 users" in result.output


def test_bot_run_with_a_key_when_x_refuses_the_bots_credentials(tmp_path, users, monkeypatch):
    key = tmp_path / "bot.key"
    key.write_bytes(xchat.XChat.generate_keys())
    (tmp_path / "refused_bot.py").write_text(
        textwrap.dedent(
            f"""
            import tweepy_dm

            client = tweepy_dm.Client(bearer_token="not-a-token", api_url={users.emulator.url!r})
            bot = tweepy_dm.DMBot(store="sqlite:///refused.db", clients=client)
            """
        )
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    result = CliRunner().invoke(
        cli,
        ["bot", "run", "refused_bot:bot", "--xchat-key", str(key), "--source", "none"],
        catch_exceptions=False,
    )
    assert result.exit_code == 1, result.output
    assert "401" in result.output
