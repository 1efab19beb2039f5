"""Routing: commands, patterns, predicates and the unfiltered fallback, first match wins."""

from __future__ import annotations

import re

import pytest

from tests.bot.chat_kit import Chat, make_bot
from tests.bot.conftest import ALICE_ID


@pytest.fixture
def bot(tmp_path, users, clock):
    bot = make_bot(f"sqlite:///{tmp_path}/bot.db", users, clock)
    yield bot
    bot.close()


@pytest.fixture
def chat(bot, users):
    return Chat(bot, users)


def test_a_command_is_the_first_word_with_or_without_its_slash_in_any_case(bot, chat):
    @bot.command("help")
    def help_(context):
        context.reply(f"help with {context.args}")

    @bot.on_direct_message
    def other(message, context):
        context.reply(f"other: {message.text}")

    assert chat.say(ALICE_ID, "/help me now") == ["help with ['me', 'now']"]
    assert chat.say(ALICE_ID, "HELP") == ["help with []"]
    assert chat.say(ALICE_ID, "/Help") == ["help with []"]
    assert chat.say(ALICE_ID, "helpful") == ["other: helpful"]
    assert chat.say(ALICE_ID, "I need /help") == ["other: I need /help"]


def test_patterns_and_predicates_and_the_first_match_wins(bot, chat):
    @bot.on_direct_message(text=r"(\d+) \+ (\d+)")
    def add(context):
        a, b = context.match.groups()
        context.reply(f"= {int(a) + int(b)}")

    @bot.on_direct_message(text=re.compile("^hello", re.IGNORECASE))
    def hello(message, context):
        context.reply(f"hello to you ({context.match.group(0)})")

    @bot.on_direct_message(lambda context: context.text.endswith("?"))
    def question(context):
        context.reply("good question")

    @bot.on_direct_message(when=lambda context: len(context.text) > 20)
    def long(context):
        context.reply("that is long")

    assert chat.say(ALICE_ID, "2 + 3") == ["= 5"]
    assert chat.say(ALICE_ID, "HELLO there") == ["hello to you (HELLO)"]
    # Both "hello" and "?" match: the handler registered first wins.
    assert chat.say(ALICE_ID, "hello, is it 2 + 2?") == ["= 4"]
    assert chat.say(ALICE_ID, "hello?") == ["hello to you (hello)"]
    assert chat.say(ALICE_ID, "why?") == ["good question"]
    assert chat.say(ALICE_ID, "a message longer than twenty") == ["that is long"]
    # Nothing matches and there is no fallback: handled, and nothing is said.
    assert chat.say(ALICE_ID, "hmm") == []
    assert bot.status()["inbox"] == {"done": 7}


def test_the_unfiltered_handler_is_the_fallback_wherever_it_was_registered(bot, chat):
    @bot.on_direct_message
    def fallback(message, context):
        context.reply("fallback")

    @bot.command("start")
    def start(context):
        context.reply("started")

    assert chat.say(ALICE_ID, "start") == ["started"]
    assert chat.say(ALICE_ID, "anything") == ["fallback"]


def test_a_coroutine_handler_with_a_filter(bot, chat):
    @bot.command("ping")
    async def ping(context):
        context.reply("pong")

    assert chat.say(ALICE_ID, "/ping") == ["pong"]


def test_a_predicate_that_raises_is_the_handlers_failure_and_retried(bot, chat, clock):
    calls = []

    def flaky(context):
        calls.append(context.attempt)
        if context.attempt == 1:
            raise RuntimeError("not yet")
        return True

    @bot.on_direct_message(flaky)
    def handler(context):
        context.reply("ok")

    assert chat.say(ALICE_ID, "x") == []
    clock.advance(2)
    assert chat.replies(ALICE_ID) == ["ok"]
    assert calls == [1, 2]


def test_a_predicate_without_its_handler_is_refused_before_anything_runs(bot, chat):
    @bot.command("help")
    def help_(context):
        context.reply("help")

    # A one-argument function alone is a predicate; the handler below it is missing.
    bot.on_direct_message(lambda context: True)
    with pytest.raises(RuntimeError, match=r"predicate .* and no handler"):
        bot.work_once()
    with pytest.raises(RuntimeError, match=r"predicate .* and no handler"):
        bot.run(source=None)


def test_bad_filters_are_refused_when_registered(bot):
    with pytest.raises(ValueError, match="command must be one word"):
        bot.command("two words")
    with pytest.raises(ValueError, match="command must be one word"):
        bot.command("/")
    with pytest.raises(TypeError, match="command must be a str"):
        bot.command(3)
    with pytest.raises(ValueError, match="not a valid regular expression"):
        bot.on_direct_message(text="(unclosed")
    with pytest.raises(TypeError, match="text must be a regular expression"):
        bot.on_direct_message(text=42)
    with pytest.raises(TypeError, match="when must be callable"):
        bot.on_direct_message(when="yes")
    with pytest.raises(TypeError, match="handler must be callable"):
        bot.command("help")("not a function")
    with pytest.raises(TypeError, match="give the predicate once"):
        bot.on_direct_message(lambda context: True, when=lambda context: True)
