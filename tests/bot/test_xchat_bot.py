"""A DMBot over XChat with the emulator's legacy DMs off: encrypted DMs end to end.

On SQLite, and on PostgreSQL under the ``postgres`` marker (the ``store_url`` fixture).
"""

from __future__ import annotations

import sys
import threading

import pytest

from tests.bot.conftest import ALICE_ID, BOB_ID, BOT_ID
from tests.helpers import keyed_client, wait_until

if sys.version_info < (3, 10):
    pytest.skip("chatxdk needs Python 3.10+", allow_module_level=True)
pytest.importorskip("chat_xdk", reason='chatxdk is not installed (pip install "tweepy-dm[xchat]")')

import tweepy_dm
from tweepy_dm._exceptions import LegacyDMsEnded
from tweepy_dm.bot import DMBot, DMPoller


@pytest.fixture
def emulator(xchat_emulator):
    return xchat_emulator


def texts(emulator, user_id, other, sender):
    """What ``sender`` said in the 1:1 of ``user_id`` and ``other``, oldest first, decrypted."""
    events = (
        keyed_client(emulator, user_id).get_dm_events(participant_id=other, max_results=100).data
    )
    return [event.text for event in reversed(events or []) if str(event.sender_id) == sender]


def echo_bot(store_url, client, clock, handled):
    bot = DMBot(store=store_url, clients={BOT_ID: client}, clock=clock, check_delay=0)

    @bot.on_direct_message
    def echo(message, context):
        handled.append((message.text, str(message.sender_id)))
        context.reply(f"echo: {message.text}")
        context.send_dm(f"{message.sender_id} said {message.text}", participant_id=BOB_ID)

    return bot


def drain(bot):
    while bot.work_once():
        pass


def test_a_bot_answers_encrypted_dms_with_legacy_dms_off(store_url, emulator, clock):
    handled = []
    client = keyed_client(emulator, BOT_ID)
    bot = echo_bot(store_url, client, clock, handled)
    poller = DMPoller(client, user_id=BOT_ID, min_interval=0)
    try:
        emulator.send_chat(ALICE_ID, BOT_ID, "hello")
        emulator.send_chat(ALICE_ID, BOT_ID, "again")
        poller.poll(bot, clock=clock)
        drain(bot)
        # Polled again, and delivered by a webhook too: handled once.
        poller.poll(bot, clock=clock)
        event = keyed_client(emulator, BOT_ID).get_dm_events().data[-1]
        assert event.text == "hello"
        assert event.message_id
        assert bot.ingest([(BOT_ID, event)], source="webhook") == 0
        drain(bot)
        status = bot.status()
    finally:
        bot.close()
    assert sorted(handled) == [("again", ALICE_ID), ("hello", ALICE_ID)]
    assert sorted(texts(emulator, ALICE_ID, BOT_ID, BOT_ID)) == ["echo: again", "echo: hello"]
    said = [f"{ALICE_ID} said again", f"{ALICE_ID} said hello"]
    assert sorted(texts(emulator, BOB_ID, BOT_ID, BOT_ID)) == said
    assert status["outbox"] == {"sent": 4}
    with pytest.raises(LegacyDMsEnded):
        tweepy_dm.Client(api_url=emulator.url, **emulator.credentials(BOT_ID)).create_dm(
            participant_id=ALICE_ID, text="no legacy DMs"
        )


def test_a_reply_whose_answer_is_lost_is_looked_up_then_sent_once(store_url, emulator, clock):
    handled = []
    client = keyed_client(emulator, BOT_ID)
    bot = echo_bot(store_url, client, clock, handled)
    try:
        emulator.send_chat(ALICE_ID, BOT_ID, "ping")
        DMPoller(client, user_id=BOT_ID).poll(bot, clock=clock)
        # The first send over /2/chat never gets an answer (it did not land either).
        emulator.inject_fault(path="/2/chat/conversations/*/messages", method="POST", drop=True)
        drain(bot)
        assert bot.status()["outbox"].get("unknown") == 1
        assert texts(emulator, ALICE_ID, BOT_ID, BOT_ID) == []
        clock.advance(bot._send_lease() + 1)  # until it can no longer land: looked up
        drain(bot)
        status = bot.status()
    finally:
        bot.close()
    assert texts(emulator, ALICE_ID, BOT_ID, BOT_ID) == ["echo: ping"]
    assert status["outbox"] == {"sent": 2}
    assert handled == [("ping", ALICE_ID)]


def test_a_bot_with_async_xchat_clients(store_url, emulator, clock):
    handled = []
    client = keyed_client(emulator, BOT_ID, tweepy_dm.AsyncClient)
    bot = echo_bot(store_url, client, clock, handled)
    try:
        emulator.send_chat(ALICE_ID, BOT_ID, "async hello")
        DMPoller(client, user_id=BOT_ID).poll(bot, clock=clock)
        drain(bot)
    finally:
        bot.close()
    assert handled == [("async hello", ALICE_ID)]
    assert texts(emulator, ALICE_ID, BOT_ID, BOT_ID) == ["echo: async hello"]


def test_stream_and_poller_deliver_one_encrypted_dm_handled_once(store_url, emulator):
    # Real time here: the stream, the poller and the workers run in threads.
    client = keyed_client(emulator, BOT_ID)
    client.create_activity_subscription(event_type="chat.received", user_id=BOT_ID)
    bot = DMBot(store=store_url, clients={BOT_ID: client}, bearer_token=emulator.app_bearer_token)
    handled = []

    @bot.on_direct_message
    def handler(message, context):
        handled.append((message.text, context.source))
        context.reply(f"re {message.text}")

    sources = ["stream", DMPoller(client, user_id=BOT_ID, min_interval=0.05)]
    runner = threading.Thread(target=bot.run, kwargs={"source": sources, "workers": 2})
    runner.start()
    try:
        wait_until(lambda: emulator._activity.connections == 1, what="the leader's stream")
        for number in range(3):
            emulator.send_chat(ALICE_ID, BOT_ID, f"live {number}")
        wait_until(lambda: bot.status()["outbox"].get("sent", 0) >= 3, what="three replies")
        # Both sources have seen every message by now.
        wait_until(
            lambda: bot.store.get_meta(f"xchat-poller:{BOT_ID}"), what="the poller's checkpoint"
        )
        wait_until(lambda: bot.store.get_meta("stream:last_event_at"), what="the stream's events")
    finally:
        bot.stop()
        runner.join(15)
    status = bot.status()
    bot.close()
    assert not runner.is_alive()
    assert sorted(text for text, _ in handled) == [f"live {n}" for n in range(3)]
    assert {source for _, source in handled} <= {"stream", "poll"}
    assert status["outbox"] == {"sent": 3}
    assert sorted(texts(emulator, ALICE_ID, BOT_ID, BOT_ID)) == [f"re live {n}" for n in range(3)]


def test_polling_xchat_reads_only_the_conversations_changed_since_the_checkpoint(
    tmp_path, emulator, clock
):
    handled = []
    client = keyed_client(emulator, BOT_ID)
    bot = echo_bot(f"sqlite:///{tmp_path}/bot.db", client, clock, handled)
    calls, call = [], bot.call

    def recording(client, method, **kwargs):
        calls.append((method, kwargs.get("dm_conversation_id")))
        return call(client, method, **kwargs)

    bot.call = recording
    page = bot.xchat_page

    def recording_pages(client, conversation, **kwargs):
        calls.append(("get_dm_events", conversation))
        return page(client, conversation, **kwargs)

    bot.xchat_page = recording_pages
    poller = DMPoller(client, user_id=BOT_ID, min_interval=0)
    try:
        emulator.send_chat(BOB_ID, BOT_ID, "b1")
        clock.advance(100)
        emulator.send_chat(ALICE_ID, BOT_ID, "a1")
        wait = poller.poll(bot, clock=clock)
        read = [conversation for method, conversation in calls if method == "get_dm_events"]
        assert len(read) == 2
        # Two pages of events: spread over X's window (assumed 15 per 15 minutes).
        assert wait >= 2 * 60
        calls.clear()
        clock.advance(wait)
        emulator.send_chat(ALICE_ID, BOT_ID, "a2")
        poller.poll(bot, clock=clock)
        read = [conversation for method, conversation in calls if method == "get_dm_events"]
        assert len(read) == 1  # Bob's conversation did not change: not read
        assert ALICE_ID in read[0]
        assert [method for method, _ in calls].count("get_chat_conversations") == 1
        drain(bot)
    finally:
        bot.close()
    assert sorted(text for text, _ in handled) == ["a1", "a2", "b1"]


def test_a_webhook_chat_event_is_decrypted_by_the_bot_and_handled_once(tmp_path, emulator, clock):
    import io
    import json

    from tweepy_dm import webhooks

    secret = "consumer-secret-of-the-app"
    handled = []
    client = keyed_client(emulator, BOT_ID)
    client.create_activity_subscription(event_type="chat.received", user_id=BOT_ID)
    bot = echo_bot(f"sqlite:///{tmp_path}/bot.db", client, clock, handled)
    emulator.send_chat(ALICE_ID, BOT_ID, "by webhook")
    # What X's webhook would post: the chat event, still encrypted.
    stream = tweepy_dm.ActivityStream(
        emulator.app_bearer_token, api_url=emulator.url, initial_backfill_minutes=1
    )
    event = next(iter(stream))
    stream.close()
    assert event.direct_message is None
    body = json.dumps({"data": event.data}).encode()
    app = webhooks.wsgi_app(secret, bot.webhook_handler)  # no xchat_clients: the bot decrypts
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "HTTP_X_TWITTER_WEBHOOKS_SIGNATURE": webhooks._sign(webhooks._key(secret), body),
    }
    statuses = []
    app(environ, lambda status, headers: statuses.append(status))
    try:
        assert statuses[0].startswith("200")
        assert bot.status()["inbox"] == {"pending": 1}
        DMPoller(client, user_id=BOT_ID).poll(bot, clock=clock)  # the same message, polled
        drain(bot)
    finally:
        bot.close()
    assert handled == [("by webhook", ALICE_ID)]
    assert texts(emulator, ALICE_ID, BOT_ID, BOT_ID) == ["echo: by webhook"]
