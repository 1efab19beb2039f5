"""The outbox's budget arithmetic (no I/O), and how sends end against the emulator."""

from __future__ import annotations

from tests.bot.conftest import ALICE_ID, BOT_ID
from tweepy_dm.bot import DMBot, DMPoller, _outbox
from tweepy_dm.bot._store import QueuedReply

SCOPE = f"user {BOT_ID} {_outbox.TO_CONVERSATION}"


def test_x_documented_numbers_until_the_first_answer():
    assert _outbox.documented_windows(SCOPE) == {
        "x-rate-limit": [15, 15, None, 900],
        "x-user-limit-24hour": [1440, 1440, None, 86400],
    }
    assert _outbox.documented_windows("app") == {"x-app-limit-24hour": [1440, 1440, None, 86400]}
    assert _outbox.scope_of(QueuedReply(BOT_ID, "hi", participant_id="5")).endswith(
        _outbox.TO_PARTICIPANT
    )


def test_a_window_is_spent_then_fresh_after_its_reset():
    windows = {"x-rate-limit": [2, 2, None, 60]}
    windows = _outbox.reserve(windows, 1000.0)
    assert windows == {"x-rate-limit": [2, 1, 1061.0, 60]}  # a second more than the window
    windows = _outbox.reserve(windows, 1001.0)
    assert windows["x-rate-limit"][1] == 0
    assert _outbox.reserve(windows, 1060.0) is None
    assert _outbox.blocked_until(windows) == 1061.0
    assert _outbox.reserve(windows, 1061.0) == {"x-rate-limit": [2, 1, 1122.0, 60]}


def test_x_headers_replace_the_documented_numbers():
    headers = {
        "x-rate-limit-limit": "15",
        "x-rate-limit-remaining": "11",
        "x-rate-limit-reset": "5000",
        "x-user-limit-24hour-limit": "1440",
        "x-user-limit-24hour-remaining": "1000",
        "x-user-limit-24hour-reset": "80000",
        "x-app-limit-24hour-limit": "1440",
        "x-app-limit-24hour-remaining": "7",
        "x-app-limit-24hour-reset": "80000",
    }
    user = _outbox.learn(_outbox.documented_windows(SCOPE), headers, SCOPE, exact=True)
    assert user == {
        "x-rate-limit": [15, 11, 5000.0, 900],
        "x-user-limit-24hour": [1440, 1000, 80000.0, 86400],
    }
    app = _outbox.learn(
        {"x-app-limit-24hour": [1440, 5, 80000.0, 86400]}, headers, "app", exact=False
    )
    assert app == {"x-app-limit-24hour": [1440, 5, 80000.0, 86400]}  # ours was lower: in flight
    # An answer without an app header: X binds no app budget on this endpoint.
    without_app = {k: v for k, v in headers.items() if not k.startswith("x-app")}
    assert _outbox.learn(_outbox.documented_windows("app"), without_app, "app", exact=False) == {}
    assert _outbox.learn({}, {"content-type": "application/json"}, SCOPE, exact=True) is None


def test_the_length_of_a_window_is_learnt_from_its_first_request():
    headers = {
        "x-rate-limit-limit": "10",
        "x-rate-limit-remaining": "9",
        "x-rate-limit-reset": "102",
    }
    learnt = _outbox.learn({}, headers, SCOPE, exact=True, started=100.0)
    assert learnt == {"x-rate-limit": [10, 9, 102.0, 2.0]}


def test_links_rewritten_by_x_still_match():
    assert _outbox.same_text("see https://t.co/abc", "see https://example.com/page")
    assert not _outbox.same_text("see you", "see me")


def _one_reply(bot, users, clock):
    bot.on_direct_message(lambda message, context: context.reply("reply"))
    users.client(ALICE_ID).create_dm(participant_id=BOT_ID, text="hi")
    DMPoller(users.client(BOT_ID), user_id=BOT_ID).poll(bot, clock=clock)
    assert bot.work_once()  # handled; the reply is queued


def test_a_429_puts_the_reply_back_until_the_reset_without_losing_it(
    tmp_path, users, clock, emulator
):
    bot = DMBot(
        store=f"sqlite:///{tmp_path}/b.db", clients={BOT_ID: users.client(BOT_ID)}, clock=clock
    )
    _one_reply(bot, users, clock)
    emulator.inject_fault(
        429,
        path="/2/dm_conversations/*/messages",
        method="POST",
        headers={"x-rate-limit-reset": str(int(clock()) + 30), "x-rate-limit-limit": "15"},
    )
    assert bot.work_once()
    assert bot.status()["outbox"] == {"pending": 1}
    assert not bot.work_once()  # waits for the reset X named
    clock.advance(30)
    assert not bot.work_once()  # and one second more, as tweepy waits
    clock.advance(1)
    assert bot.work_once()
    assert bot.status()["outbox"] == {"sent": 1}
    assert users.texts_in(ALICE_ID, BOT_ID, BOT_ID) == ["reply"]
    bot.close()


def test_a_reply_x_refuses_is_dead_and_counted(tmp_path, users, clock):
    bot = DMBot(
        store=f"sqlite:///{tmp_path}/b.db", clients={BOT_ID: users.client(BOT_ID)}, clock=clock
    )
    _one_reply(bot, users, clock)
    users.client(ALICE_ID).block_dms(BOT_ID)
    assert bot.work_once()
    assert bot.status()["outbox"] == {"dead": 1}
    assert not bot.work_once()
    bot.close()
