"""Conversations: states, data, entry points, fallbacks and timeouts, kept in the store.

On SQLite, and on PostgreSQL (``postgres``) where the store matters: a restarted
bot goes on where the user was. Timeouts run on the test's clock.
"""

from __future__ import annotations

import pytest

from tests.bot.chat_kit import Chat, make_bot
from tests.bot.conftest import ALICE_ID, BOB_ID


def name_bot(bot, timeout=None):
    """The two-state bot: /start asks a name, the next message is greeted by it."""
    flow = bot.conversation(timeout=timeout, name="greeting")

    @flow.entry(command="start")
    def start(context):
        context.reply("What's your name?")
        return "name"

    @flow.state("name")
    def got_name(context):
        context.data["name"] = context.text
        context.reply(f"Hi {context.text}!")
        return flow.END

    @flow.fallback(command="cancel")
    def cancel(context):
        context.reply("Cancelled.")
        return flow.END

    @flow.on_timeout
    def timed_out(context):
        context.reply(f"You took too long to answer ({context.state}).")

    @bot.on_direct_message
    def other(message, context):
        name = context.data.get("name")
        context.reply(f"Hello again, {name}." if name else "Say /start.")

    return flow


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path}/bot.db"


def test_two_states_and_the_data_kept_after_the_end(sqlite_url, users, clock):
    bot = make_bot(sqlite_url, users, clock)
    name_bot(bot)
    chat = Chat(bot, users)
    assert chat.say(ALICE_ID, "hi") == ["Say /start."]
    assert chat.say(ALICE_ID, "/start") == ["What's your name?"]
    assert chat.say(BOB_ID, "Ada") == ["Say /start."]  # Bob's conversation is another
    assert chat.say(ALICE_ID, "Ada") == ["Hi Ada!"]
    assert chat.say(ALICE_ID, "what now") == ["Hello again, Ada."]
    bot.close()


def test_a_restarted_bot_goes_on_where_the_user_was(store_url, users, clock):
    first = make_bot(store_url, users, clock)
    name_bot(first)
    chat = Chat(first, users)
    assert chat.say(ALICE_ID, "/start") == ["What's your name?"]
    first.close()
    second = make_bot(store_url, users, clock)  # the same code, another process
    name_bot(second)
    chat.bot = second
    assert chat.say(ALICE_ID, "Grace") == ["Hi Grace!"]
    assert second.store.conversation("1000", "1000-2000").data == {"name": "Grace"}
    second.close()


def test_a_fallback_with_a_filter_goes_before_the_states_catch_all(sqlite_url, users, clock):
    bot = make_bot(sqlite_url, users, clock)
    name_bot(bot)
    chat = Chat(bot, users)
    chat.say(ALICE_ID, "/start")
    assert chat.say(ALICE_ID, "/CANCEL") == ["Cancelled."]
    assert chat.say(ALICE_ID, "Ada") == ["Say /start."]  # no longer in the "name" state
    bot.close()


def test_the_timeout_runs_its_handler_on_the_bots_clock_and_ends(sqlite_url, users, clock):
    bot = make_bot(sqlite_url, users, clock)
    name_bot(bot, timeout=300)
    chat = Chat(bot, users)
    chat.say(ALICE_ID, "/start")
    clock.advance(299)
    assert chat.replies(ALICE_ID) == []
    clock.advance(2)
    assert chat.replies(ALICE_ID) == ["You took too long to answer (name)."]
    assert chat.say(ALICE_ID, "Ada") == ["Say /start."]
    bot.close()


def test_each_answer_restarts_the_timeout(sqlite_url, users, clock):
    bot = make_bot(sqlite_url, users, clock)
    flow = bot.conversation(timeout=60)
    seen = []

    @flow.entry(command="count")
    def start(context):
        context.data["n"] = 0
        return "counting"

    @flow.state("counting")
    def count(context):
        context.data["n"] += 1
        seen.append(context.data["n"])  # None: stay in the state

    @flow.on_timeout
    def done(context):
        context.reply(f"counted {context.data['n']}")

    chat = Chat(bot, users)
    chat.say(ALICE_ID, "count")
    for _ in range(3):
        clock.advance(50)
        assert chat.say(ALICE_ID, "one more") == []
    clock.advance(61)
    assert chat.replies(ALICE_ID) == ["counted 3"]
    assert seen == [1, 2, 3]
    bot.close()


def test_a_message_before_the_deadline_is_answered_in_its_state_even_if_late(
    sqlite_url, users, clock
):
    bot = make_bot(sqlite_url, users, clock)
    name_bot(bot, timeout=300)
    chat = Chat(bot, users)
    chat.say(ALICE_ID, "/start")
    clock.advance(200)
    chat.send(ALICE_ID, "Ada")  # in time, but the workers are busy until after the deadline
    clock.advance(200)
    assert chat.replies(ALICE_ID) == ["Hi Ada!"]
    bot.close()


def test_a_message_after_the_deadline_comes_after_the_timeout(sqlite_url, users, clock):
    bot = make_bot(sqlite_url, users, clock)
    name_bot(bot, timeout=300)
    chat = Chat(bot, users)
    chat.say(ALICE_ID, "/start")
    clock.advance(301)
    chat.send(ALICE_ID, "Ada")  # too late: the timeout runs first, then this message
    assert chat.replies(ALICE_ID) == ["You took too long to answer (name).", "Say /start."]
    bot.close()


def test_a_failing_handler_leaves_state_and_data_as_they_were(sqlite_url, users, clock):
    bot = make_bot(sqlite_url, users, clock)
    flow = bot.conversation()

    @flow.entry(command="start")
    def start(context):
        context.data["tries"] = context.attempt
        if context.attempt == 1:
            raise RuntimeError("a hiccup")
        context.reply(f"started after {context.data['tries']} tries")
        return "next"

    @flow.state("next")
    def next_(context):
        context.reply(f"in next; data {context.data}")

    chat = Chat(bot, users)
    assert chat.say(ALICE_ID, "/start") == []
    assert bot.store.conversation("1000", "1000-2000").state is None
    clock.advance(2)
    assert chat.replies(ALICE_ID) == ["started after 2 tries"]
    assert chat.say(ALICE_ID, "x") == ["in next; data {'tries': 2}"]
    bot.close()


def test_a_wrong_state_or_data_fails_the_message_and_names_what_is_allowed(
    sqlite_url, users, clock, caplog
):
    bot = make_bot(sqlite_url, users, clock, max_attempts=1)
    flow = bot.conversation(name="shop")

    @flow.entry(command="typo")
    def typo(context):
        return "nmae"

    @flow.entry(command="blob")
    def blob(context):
        context.data["when"] = object()
        return "name"

    @flow.state("name")
    def name(context):
        return flow.END

    chat = Chat(bot, users)
    chat.say(ALICE_ID, "typo")
    chat.say(ALICE_ID, "blob")
    errors = [d["error"] for d in bot.status()["dead_letters"]]
    assert "returned 'nmae'" in errors[0]
    assert "['name']" in errors[0]
    assert "context.data must hold only what JSON can" in errors[1]
    bot.close()


def test_a_conversation_waits_for_the_bots_other_handlers_when_nothing_in_it_matches(
    sqlite_url, users, clock
):
    bot = make_bot(sqlite_url, users, clock)
    flow = bot.conversation()

    @flow.entry(command="quiz")
    def quiz(context):
        context.reply("2 + 2?")
        return "answer"

    @flow.state("answer", text=r"^\d+$")
    def answer(context):
        context.reply("right" if context.text == "4" else "wrong")
        return flow.END

    @bot.command("help")
    def help_(context):
        context.reply(f"help (in {context.state})")

    chat = Chat(bot, users)
    chat.say(ALICE_ID, "/quiz")
    assert chat.say(ALICE_ID, "/help") == ["help (in answer)"]
    assert chat.say(ALICE_ID, "/quiz") == []  # its own entry does not restart it
    assert chat.say(ALICE_ID, "4") == ["right"]
    bot.close()


def test_bad_conversation_arguments_are_refused(sqlite_url, users, clock):
    bot = make_bot(sqlite_url, users, clock)
    with pytest.raises(ValueError, match="timeout must be positive"):
        bot.conversation(timeout=0)
    with pytest.raises(TypeError, match="timeout must be seconds"):
        bot.conversation(timeout="5m")
    flow = bot.conversation(name="one")
    with pytest.raises(ValueError, match="'one' exists already"):
        bot.conversation(name="one")
    with pytest.raises(ValueError, match="a state's name must be"):
        flow.state("")
    with pytest.raises(TypeError, match="handler must be callable"):
        flow.on_timeout(None)


def test_states_the_code_no_longer_has_neither_stick_nor_block(sqlite_url, users, clock):
    old = make_bot(sqlite_url, users, clock)
    name_bot(old, timeout=300)
    chat = Chat(old, users)
    chat.say(ALICE_ID, "/start")
    chat.say(BOB_ID, "/start")
    old.close()
    # The new code has no conversations at all.
    new = make_bot(sqlite_url, users, clock)

    @new.on_direct_message
    def echo(message, context):
        context.reply(f"echo {message.text} (state {context.state})")

    chat.bot = new
    # Bob answers in time, to code without his state: it is dropped.
    assert chat.say(BOB_ID, "Bob") == ["echo Bob (state None)"]
    assert new.store.conversation("1000", "1000-3000").state is None
    # Alice's deadline passes with no conversation left to time it out.
    clock.advance(301)
    assert chat.say(ALICE_ID, "Ada") == ["echo Ada (state None)"]
    assert new.store.conversation("1000", "1000-2000").state is None
    new.close()
