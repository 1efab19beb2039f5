"""A reply is sent once: never again while an attempt can still land, and looked up back
to the attempt however many messages followed it."""

from __future__ import annotations

import pytest
import requests

from tests.bot.conftest import ALICE_ID, BOB_ID, BOT_ID
from tests.bot.test_runtime import dm, drain, make_bot
from tweepy_dm import _facts
from tweepy_dm.bot import DMPoller
from tweepy_dm.emulator import DMEmulator


def _handled(bot, users, clock, text="only once"):
    bot.on_direct_message(lambda message, context: context.reply(text))
    dm(users, ALICE_ID, "ping")
    DMPoller(users.client(BOT_ID), user_id=BOT_ID).poll(bot, clock=clock)
    assert bot._handle_one("handler")


def _bot_texts(users):
    """Every text the bot sent to Alice, oldest first, through all the pages."""
    client, texts, token = users.client(ALICE_ID), [], None
    while True:
        page = client.get_dm_events(
            participant_id=BOT_ID,
            dm_event_fields=["text", "sender_id"],
            max_results=100,
            pagination_token=token,
        )
        texts += [e.text for e in page.data or [] if str(e.sender_id) == BOT_ID]
        token = page.meta.get("next_token")
        if not token:
            return texts[::-1]


def _next_send(client, replacement):
    """Give the client's next send of a message to ``replacement(send)``, ``send()`` sending it."""
    request = client.request

    def patched(method, route, *args, **kwargs):
        if method == "POST" and route.endswith("/messages"):
            del client.request
            return replacement(lambda: request(method, route, *args, **kwargs))
        return request(method, route, *args, **kwargs)

    client.request = patched


def _in_flight(client, during):
    """Make the client's next send run ``during`` while its request is on the way."""

    def slow(send):
        during()
        return send()

    _next_send(client, slow)


@pytest.mark.parametrize("lease", [None, 5.0])
def test_a_send_still_in_flight_when_its_lease_ends_is_not_sent_again(
    store_url, users, clock, lease
):
    bot = make_bot(store_url, users, clock, lease=lease)
    _handled(bot, users, clock)
    client = bot.clients[BOT_ID]
    assert client.timeout == bot.lease or lease is not None  # the defaults: lease == timeout

    def meanwhile():
        # The send is slow: the worker's lease runs out, another worker looks.
        clock.advance(max(bot.lease, 5.0) + 1)
        for _ in range(3):
            bot.work_once("second")

    _in_flight(client, meanwhile)
    assert bot.work_once("first")
    clock.advance(3600)
    drain(bot, "second")
    assert users.texts_in(ALICE_ID, BOT_ID, BOT_ID) == ["only once"]
    assert bot.status()["outbox"] == {"sent": 1}
    bot.close()


def test_a_send_whose_worker_died_is_looked_up_once_it_can_no_longer_land(store_url, users, clock):
    bot = make_bot(store_url, users, clock, lease=5.0)
    _handled(bot, users, clock)
    row = bot.store.claim_outbox("doomed", clock(), bot.lease, bot._send_lease())
    settle = bot.clients[BOT_ID].timeout + _facts.SEND_SETTLE_SECONDS
    clock.advance(settle - 1)
    assert not bot.work_once("second")  # the attempt may still land: no look-up yet
    # It lands late, and its worker is gone.
    bot.clients[BOT_ID].create_dm(dm_conversation_id=row.conversation_id, text=row.text)
    clock.advance(2)
    drain(bot, "second")
    assert users.texts_in(ALICE_ID, BOT_ID, BOT_ID) == ["only once"]
    assert bot.status()["outbox"] == {"sent": 1}
    bot.close()


def test_a_timed_out_send_that_lands_later_is_not_sent_again(store_url, users, clock):
    bot = make_bot(store_url, users, clock)
    _handled(bot, users, clock)
    client = bot.clients[BOT_ID]
    landing = []

    def timed_out(send):
        landing.append(send)
        clock.advance(client.timeout)
        raise requests.ReadTimeout("read timed out")

    _next_send(client, timed_out)
    assert bot.work_once("first")
    assert bot.status()["outbox"] == {"unknown": 1}
    clock.advance(bot.check_delay)
    drain(bot, "second")  # too early to look: X may still store it
    assert users.texts_in(ALICE_ID, BOT_ID, BOT_ID) == []
    landing[0]()  # ... and it does
    clock.advance(_facts.SEND_SETTLE_SECONDS)
    drain(bot, "second")
    assert users.texts_in(ALICE_ID, BOT_ID, BOT_ID) == ["only once"]
    assert bot.status()["outbox"] == {"sent": 1}
    bot.close()


def test_a_lost_answer_is_found_behind_more_than_a_page_of_later_messages(
    store_url, users, clock, emulator
):
    bot = make_bot(store_url, users, clock)
    _handled(bot, users, clock)
    row = bot.store.claim_outbox("w", clock(), bot.lease, bot._send_lease())
    bot.clients[BOT_ID].create_dm(dm_conversation_id=row.conversation_id, text=row.text)
    bot.store.finish_outbox(row, "w", clock(), state="unknown", next_at=clock())
    # 250 messages follow before anyone looks.
    clock.advance(1)
    emulator.seed_messages(
        DMEmulator.conversation_id(ALICE_ID, BOT_ID), 250, sender_ids=[ALICE_ID], start=clock()
    )
    clock.advance(300)
    drain(bot)
    assert _bot_texts(users) == ["only once"]
    assert bot.status()["outbox"] == {"sent": 1}
    bot.close()


def test_a_send_that_never_landed_is_sent_again_after_looking_back_to_its_start(
    store_url, users, clock, emulator
):
    bot = make_bot(store_url, users, clock)
    _handled(bot, users, clock, text="again")
    emulator.inject_fault(path="/2/dm_conversations/*/messages", method="POST", drop=True)
    drain(bot)
    assert bot.status()["outbox"] == {"unknown": 1}
    emulator.seed_messages(
        DMEmulator.conversation_id(ALICE_ID, BOT_ID), 150, sender_ids=[ALICE_ID], start=clock()
    )
    clock.advance(bot._send_lease())
    drain(bot)
    assert _bot_texts(users) == ["again"]
    assert bot.status()["outbox"] == {"sent": 1}
    bot.close()


def test_a_client_that_sleeps_out_429s_itself_is_refused(tmp_path, users):
    import tweepy_dm
    from tweepy_dm.bot import DMBot

    sleeper = tweepy_dm.Client(
        api_url=users.emulator.url, wait_on_rate_limit=True, **users.credentials[BOT_ID]
    )
    with pytest.raises(ValueError, match="wait_on_rate_limit=False"):
        DMBot(store=f"sqlite:///{tmp_path}/b.db", clients={BOT_ID: sleeper})
    with pytest.raises(ValueError, match="wait_on_rate_limit=False"):
        DMBot(store=f"sqlite:///{tmp_path}/b.db", clients=sleeper)


def test_a_send_held_past_its_lease_holds_only_its_own_reply(tmp_path, users, clock):
    bot = make_bot(f"sqlite:///{tmp_path}/b.db", users, clock, lease=5.0)
    bot.on_direct_message(lambda message, context: context.reply(f"re {message.text}"))
    dm(users, ALICE_ID, "first")
    dm(users, BOB_ID, "second")
    DMPoller(users.client(BOT_ID), user_id=BOT_ID).poll(bot, clock=clock)
    assert bot._handle_one("handler")
    assert bot._handle_one("handler")
    held = bot.store.claim_outbox("frozen", clock(), bot.lease, bot._send_lease())
    clock.advance(bot.lease + 1)
    drain(bot, "other")  # the other reply on the same budget goes; the held one waits
    sent = users.texts_in(ALICE_ID, BOT_ID, BOT_ID) + users.texts_in(BOB_ID, BOT_ID, BOT_ID)
    assert len(sent) == 1
    assert held.text not in sent
    assert bot.status()["outbox"] == {"sent": 1, "sending": 1}
    bot.close()
