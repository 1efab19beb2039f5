"""The dm_chat kit: scripted users talking to a real DMBot on the emulator, on simulated time."""

from __future__ import annotations

import datetime

import pytest

import tweepy_dm
from tweepy_dm.bot import DMBot


def at(epoch):
    return datetime.datetime.fromtimestamp(epoch, tz=datetime.timezone.utc)


def greeter():
    """The issue's two-state bot: asks a name, then greets by it (its own per-user state)."""
    bot = DMBot(clients=tweepy_dm.Client(consumer_key="k", consumer_secret="s",
                                         access_token="t", access_token_secret="x"))  # fmt: skip
    names: dict[str, str] = {}

    @bot.on_direct_message
    def greet(message, context):
        user = str(message.sender_id)
        if user not in names:
            names[user] = ""
            context.reply("Hello! What is your name?")
        elif not names[user]:
            names[user] = message.text
            context.reply(f"Nice to meet you, {message.text}!")

    return bot


def test_greets_by_name(dm_chat):
    dm_chat.run(greeter())
    alice = dm_chat.user("alice")
    alice.send("hi")
    assert "name" in alice.expect_reply(within=5).text
    alice.send("Ada")
    assert "Ada" in alice.expect_reply(within=5).text
    alice.expect_no_reply(within=60)


def echo_bot(client=None, **options):
    bot = DMBot(clients=client or tweepy_dm.Client(bearer_token="not used: the kit replaces it"),
                **options)  # fmt: skip

    @bot.on_direct_message
    def echo(message, context):
        context.reply(f"echo: {message.text}")

    return bot


def test_a_missing_reply_fails_with_what_the_user_saw_and_what_the_bot_logged(dm_chat):
    bot = DMBot(clients=tweepy_dm.Client(bearer_token="x"), max_attempts=1)

    @bot.on_direct_message
    def broken(message, context):
        if message.text == "boom":
            raise ZeroDivisionError("the handler's bug")
        context.reply("fine")

    dm_chat.run(bot)
    alice = dm_chat.user("alice")
    alice.send("hello")
    assert alice.expect_reply(within=5).text == "fine"
    alice.send("boom")
    with pytest.raises(AssertionError) as failure:
        alice.expect_reply(within=5)
    text = str(failure.value)
    assert "alice got no reply within 5 simulated seconds" in text
    assert "alice: 'hello'" in text
    assert "bot: 'fine'" in text
    assert "alice: 'boom'" in text
    assert "dead letters: 1" in text
    assert "ZeroDivisionError: the handler's bug" in text


def test_expect_no_reply_fails_on_a_reply_and_shows_it(dm_chat):
    dm_chat.run(echo_bot())
    bob = dm_chat.user("bob")
    bob.send("ping")
    with pytest.raises(AssertionError, match="bob expected no reply within 3 simulated seconds, "
                                             "got 'echo: ping'"):  # fmt: skip
        bob.expect_no_reply(within=3)


def test_waiting_moves_simulated_time_only(dm_chat):
    dm_chat.run(echo_bot())
    carol = dm_chat.user("carol")
    start = dm_chat.clock()
    carol.expect_no_reply(within=3600)
    assert dm_chat.clock() == start + 3600
    carol.send("still there?")
    assert carol.expect_reply(within=1).text == "echo: still there?"
    assert dm_chat.clock() == start + 3600  # answered at the same instant: nothing waited


def test_a_handler_that_fails_once_is_retried_on_simulated_time_and_answers_once(dm_chat):
    bot = DMBot(clients=tweepy_dm.Client(bearer_token="x"))
    attempts = []

    @bot.on_direct_message
    def flaky(message, context):
        attempts.append(dm_chat.clock())
        if len(attempts) == 1:
            raise ConnectionError("another service is down")
        context.reply("done")

    dm_chat.run(bot)
    alice = dm_chat.user("alice")
    alice.send("do it")
    assert alice.expect_reply(within=5).text == "done"
    assert attempts[1] - attempts[0] >= 1  # the bot's retry backoff, waited in simulated time
    alice.expect_no_reply(within=600)
    assert len(attempts) == 2


def test_the_bots_send_budget_is_xs(dm_chat):
    """X allows a user 15 sends per 15 minutes: the 16th reply waits for the window."""
    dm_chat.run(echo_bot())
    users = [dm_chat.user(f"user{n}") for n in range(16)]
    for user in users:
        user.send("hi")
    for user in users[:15]:
        assert user.expect_reply(within=1).text == "echo: hi"
    last = users[15]
    last.expect_no_reply(within=60)
    assert last.expect_reply(within=900).text == "echo: hi"


def test_a_send_of_unknown_outcome_is_looked_up_not_sent_twice(dm_chat):
    dm_chat.run(echo_bot(check_delay=2.0))
    alice = dm_chat.user("alice")
    alice.send("once")
    # X answers the bot's reply with a 503: its outcome is unknown to the bot, which
    # waits until the send can no longer land (the client's 60 s timeout + 30 s),
    # looks in the conversation, finds nothing, and sends again.
    conversation = dm_chat.emulator.conversation_id(alice.id, dm_chat.bot_id)
    dm_chat.emulator.inject_fault(
        503, path=f"/2/dm_conversations/{conversation}/messages", method="POST"
    )
    start = dm_chat.clock()
    alice.expect_no_reply(within=89)
    assert alice.expect_reply(within=10).text == "echo: once"
    assert dm_chat.clock() - start >= 90
    assert dm_chat.emulator.pending_faults == 0, "the fault was not used: nothing was tested"
    alice.expect_no_reply(within=600)
    assert [m.text for m in alice.received] == ["echo: once"]


def test_a_webhook_delivered_again_is_handled_once(dm_chat):
    handled = []
    bot = DMBot(clients=tweepy_dm.Client(bearer_token="x"))

    @bot.on_direct_message
    def count(message, context):
        handled.append(message.text)
        context.reply(f"#{len(handled)}")

    dm_chat.run(bot)
    alice = dm_chat.user("alice")
    start = dm_chat.clock()
    alice.send("only once")
    assert alice.expect_reply(within=5).text == "#1"
    # X's replay sends every event of the window to the webhook again.
    app = tweepy_dm.Client(api_url=dm_chat.emulator.url,
                           bearer_token=dm_chat.emulator.app_bearer_token)  # fmt: skip
    dm_chat.advance(60)
    webhook_id = app.get_webhooks().data[0]["id"]
    app.replay_webhook_events(webhook_id, from_date=at(start - 60), to_date=at(start + 30))
    dm_chat.advance(1)
    alice.expect_no_reply(within=60)
    assert handled == ["only once"]
    replays = [post for post in dm_chat.emulator.webhooks.deliveries() if post.replay]
    assert replays, "the replay delivered nothing: the test would prove nothing"


def test_a_polling_bot_waits_on_xs_read_budget(dm_chat):
    """GET /2/dm_events is 15 per 15 minutes: the poller looks once a minute."""
    dm_chat.run(echo_bot(), source="poll")
    alice = dm_chat.user("alice")
    alice.send("first")
    assert alice.expect_reply(within=5).text == "echo: first"
    alice.send("second")
    alice.expect_no_reply(within=30)
    assert alice.expect_reply(within=60).text == "echo: second"


def test_an_async_client_bot_runs_too(dm_chat):
    pytest.importorskip("aiohttp", reason="AsyncClient needs aiohttp (tweepy-dm[async])")
    if not hasattr(tweepy_dm, "AsyncClient"):
        pytest.skip("tweepy before 4.10 has no AsyncClient")
    dm_chat.run(echo_bot(tweepy_dm.AsyncClient(bearer_token="x")))
    assert type(dm_chat.bot.clients[dm_chat.bot_id]).__name__ == "AsyncClient"
    dave = dm_chat.user("dave")
    dave.send("async")
    assert dave.expect_reply(within=5).text == "echo: async"


def test_bad_input_is_refused_with_what_is_allowed(dm_chat):
    with pytest.raises(RuntimeError, match=r"dm_chat.run\(bot\) first"):
        dm_chat.user("early")
    with pytest.raises(TypeError, match=r"bot must be a tweepy_dm\.DMBot, not function"):
        dm_chat.run(echo_bot)
    with pytest.raises(ValueError, match="source must be 'webhook' or 'poll', not 'stream'"):
        dm_chat.run(echo_bot(), source="stream")
    with pytest.raises(ValueError, match="allow_dms_from is an XChat setting"):
        dm_chat.run(echo_bot(), allow_dms_from="following")
    dm_chat.run(echo_bot())
    with pytest.raises(RuntimeError, match="already runs a bot"):
        dm_chat.run(echo_bot())
    with pytest.raises(ValueError, match="username must be 1 to 15 letters, digits or _ "):
        dm_chat.user("@erin")
    with pytest.raises(TypeError, match="followed must be True or False, not 'yes'"):
        dm_chat.user("erin", followed="yes")
    erin = dm_chat.user("erin")
    assert dm_chat.user("erin") is erin
    with pytest.raises(ValueError, match="text must not be empty"):
        erin.send("")
    with pytest.raises(TypeError, match="text must be a str, not int"):
        erin.send(1)
    with pytest.raises(ValueError, match="within must not be negative, not -1"):
        erin.expect_reply(within=-1)
    with pytest.raises(TypeError, match="within must be seconds"):
        erin.expect_no_reply(within="5")
    with pytest.raises(ValueError, match="tick must be more than 0 seconds"):
        type(dm_chat)(tick=0)


def test_the_same_bot_runs_in_test_after_test_and_is_given_back_as_it_was(tmp_path):
    from tweepy_dm.testing import DMChat

    bot = echo_bot()
    own_client, own_clock = bot._unresolved[0], bot.clock
    for run in range(2):
        with DMChat(directory=tmp_path / str(run)) as chat:
            chat.run(bot)
            alice = chat.user("alice")
            alice.send(f"run {run}")
            assert alice.expect_reply(within=5).text == f"echo: run {run}"
            assert bot.status()["inbox"] == {"done": 1}  # a fresh store each time
        assert bot.store_url == "sqlite:///tweepy-dm-bot.db"
        assert bot._unresolved == [own_client]
        assert bot.clock is own_clock


def test_a_legacy_bot_after_the_cutover_cannot_be_written_to_and_says_why(dm_chat):
    dm_chat.run(echo_bot())
    frank = dm_chat.user("frank")
    dm_chat.emulator.legacy_dms = "off"
    with pytest.raises(RuntimeError, match="legacy DMs are 'off' in the emulator and the bot's "
                                           "clients have no xchat_key"):  # fmt: skip
        frank.send("anyone?")


def test_a_failed_poll_is_retried_as_the_bots_polling_leader_retries_it(dm_chat):
    dm_chat.run(echo_bot(), source="poll")
    alice = dm_chat.user("alice")
    dm_chat.emulator.inject_fault(503, path="/2/dm_events", method="GET")
    alice.send("are you there?")
    assert alice.expect_reply(within=5).text == "echo: are you there?"
    assert dm_chat.emulator.pending_faults == 0, "the fault was not used: nothing was tested"
