"""The conversation examples in docs/examples, driven against the emulator.

``name_bot.py`` (the two-state bot of the docs) and ``conversation_bot.py``
(python-telegram-bot's ``conversationbot.py``, ported) register their handlers
with ``build(bot)``; the tests give them a bot on the test's store and clock.
"""

from __future__ import annotations

import importlib.util
import logging
import pathlib

import pytest

from tests.bot.chat_kit import Chat, make_bot
from tests.bot.conftest import ALICE_ID, BOB_ID, BOT_ID

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "docs" / "examples"


def load(name):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def chat(tmp_path, users, clock):
    bot = make_bot(f"sqlite:///{tmp_path}/bot.db", users, clock)
    yield Chat(bot, users)
    bot.close()


def test_the_name_bot_asks_greets_and_remembers(chat, clock):
    load("name_bot").build(chat.bot)
    assert chat.say(ALICE_ID, "hello") == ["Send /start to begin."]
    assert chat.say(ALICE_ID, "/start") == ["What's your name?"]
    assert chat.say(ALICE_ID, "Ada") == ["Hi Ada!"]
    assert chat.say(ALICE_ID, "hello") == ["Hello again, Ada!"]
    assert chat.say(BOB_ID, "start") == ["What's your name?"]
    clock.advance(301)
    assert chat.replies(BOB_ID) == ["No name? Send /start when you are ready."]
    assert chat.say(BOB_ID, "Bob") == ["Send /start to begin."]


def test_the_conversationbot_port_all_the_way_through(chat, users, caplog):
    load("conversation_bot").build(chat.bot)
    caplog.set_level(logging.INFO, logger="conversation_bot")
    [hello] = chat.say(ALICE_ID, "/start")
    assert hello.startswith("Hi! My name is Professor Bot.")
    assert chat.say(ALICE_ID, "Robot") == []  # not one of the answers: nothing happens
    assert chat.say(ALICE_ID, "Other") == [
        "I see! Please send me a photo of yourself, so I know what you look like, "
        "or send /skip if you don't want to."
    ]
    chat.send(ALICE_ID, "me", attachments={"media_keys": ["3_1234"]})
    assert chat.replies(ALICE_ID) == [
        "Gorgeous! Now, send me your location please (latitude, longitude), "
        "or send /skip if you don't want to."
    ]
    assert chat.say(ALICE_ID, "48.85, 2.35") == [
        "Maybe I can visit you sometime! At last, tell me something about yourself."
    ]
    assert chat.say(ALICE_ID, "I like trains") == ["Thank you! I hope we can talk again some day."]
    data = chat.bot.store.conversation(BOT_ID, f"{BOT_ID}-{ALICE_ID}").data
    assert data == {
        "gender": "Other",
        "photo": "3_1234",
        "location": [48.85, 2.35],
        "bio": "I like trains",
    }
    assert "Location of 2000: 48.850000 / 2.350000" in caplog.text
    assert chat.say(ALICE_ID, "more") == []  # the conversation ended


def test_the_conversationbot_port_skips_and_cancels(chat):
    load("conversation_bot").build(chat.bot)
    chat.say(ALICE_ID, "/start")
    chat.say(ALICE_ID, "Girl")
    assert chat.say(ALICE_ID, "/skip") == [
        "I bet you look great! Now, send me your location please, or send /skip."
    ]
    assert chat.say(ALICE_ID, "/skip") == [
        "You seem a bit paranoid! At last, tell me something about yourself."
    ]
    assert chat.say(ALICE_ID, "/cancel") == ["Bye! I hope we can talk again some day."]
    assert chat.say(ALICE_ID, "/skip") == []  # no conversation: /skip means nothing
    assert chat.say(ALICE_ID, "/cancel") == []
