"""The XChat poller leaves the bot's own messages encrypted, and handles everyone else's once.

The bot's replies sit in the conversations it polls: decrypting each would cost
as much as the message it answers, for a message the bot then drops as its own.
"""

from __future__ import annotations

import base64
import json
import sys

import pytest

from tests.bot.conftest import ALICE_ID, BOB_ID, BOT_ID
from tests.helpers import keyed_client

if sys.version_info < (3, 10):
    pytest.skip("chatxdk needs Python 3.10+", allow_module_level=True)
pytest.importorskip("chat_xdk", reason='chatxdk is not installed (pip install "tweepy-dm[xchat]")')

import tweepy_dm
from tweepy_dm import _flow, _xchat_dm, xchat
from tweepy_dm.bot import DMBot, DMPoller


class CountingChat:
    """chatxdk's ``Chat``, with the senders of the messages it decrypted written down."""

    def __init__(self, chat):
        self._chat = chat
        self.decrypted_from = []

    @classmethod
    def count_for(cls, client):
        """Put one in front of the Chat of ``client`` (made with ``xchat_key``); return it."""
        session = client.__dict__["_xchat_keys"].session
        session.chat = cls(session.chat)
        return session.chat

    def __getattr__(self, name):
        return getattr(self._chat, name)

    def _note(self, event):
        if isinstance(event, dict) and event.get("type") == "Message":
            self.decrypted_from.append(str(event.get("sender_id")))

    def decrypt_events(self, *args, **kwargs):
        result = self._chat.decrypt_events(*args, **kwargs)
        for item in result.get("messages") or []:
            self._note(item.get("event"))
        return result

    def decrypt_event(self, *args, **kwargs):
        event = self._chat.decrypt_event(*args, **kwargs)
        self._note(event)
        return event


@pytest.fixture
def emulator(xchat_emulator):
    return xchat_emulator


def answering_bot(client, tmp_path, clock, handled, kind=DMBot):
    bot = kind(store=f"sqlite:///{tmp_path}/bot.db", clients={BOT_ID: client}, clock=clock)

    @bot.on_direct_message
    def answer(message, context):
        handled.append((str(message.sender_id), message.text))
        context.reply(f"re {message.text}")

    return bot


def drain(bot):
    while bot.work_once():
        pass


def test_the_bots_replies_are_not_decrypted_and_the_rest_is_handled_once_in_order(
    tmp_path, emulator, clock
):
    client = keyed_client(emulator, BOT_ID)
    chat = CountingChat.count_for(client)
    handled = []
    bot = answering_bot(client, tmp_path, clock, handled)
    poller = DMPoller(client, user_id=BOT_ID, min_interval=0, max_results=2)
    try:
        for n in range(3):
            emulator.send_chat(ALICE_ID, BOT_ID, f"a{n}")
        poller.poll(bot, clock=clock)
        drain(bot)  # three replies sent, encrypted by the bot
        clock.advance(60)
        emulator.send_chat(ALICE_ID, BOT_ID, "a3")
        emulator.send_chat(BOB_ID, BOT_ID, "b0")
        emulator.send_chat(ALICE_ID, BOT_ID, "a4")
        chat.decrypted_from.clear()
        # Pages of 2 back to the last message seen: the replies are among them, and the
        # last page ends with that message, seen before.
        poller.poll(bot, clock=clock)
        assert sorted(chat.decrypted_from) == [ALICE_ID, ALICE_ID, BOB_ID]
        drain(bot)
        chat.decrypted_from.clear()
        clock.advance(60)
        poller.poll(bot, clock=clock)  # only the bot's replies are new
        drain(bot)
        assert BOT_ID not in chat.decrypted_from
        status = bot.status()
    finally:
        bot.close()
    alice = [text for sender, text in handled if sender == ALICE_ID]
    assert alice == ["a0", "a1", "a2", "a3", "a4"]
    assert [text for sender, text in handled if sender == BOB_ID] == ["b0"]
    assert len(handled) == 6
    assert status["outbox"] == {"sent": 6}
    replies = keyed_client(emulator, ALICE_ID).get_dm_events(participant_id=BOT_ID).data
    assert [event.text for event in reversed(replies) if str(event.sender_id) == BOT_ID] == [
        f"re a{n}" for n in range(5)
    ]


def test_the_bots_own_messages_move_the_checkpoint_and_seen_ones_are_not_decrypted_again(
    tmp_path, emulator, clock
):
    client = keyed_client(emulator, BOT_ID)
    chat = CountingChat.count_for(client)
    handled = []
    bot = answering_bot(client, tmp_path, clock, handled)
    poller = DMPoller(client, user_id=BOT_ID, min_interval=0)
    calls, page = [], bot.xchat_page

    def recording(client, conversation, **kwargs):
        events, token = page(client, conversation, **kwargs)
        calls.append([event.sequence for event in events])
        return events, token

    def checkpoint():
        return json.loads(bot.store.get_meta(f"xchat-poller:{BOT_ID}"))["seen"]

    bot.xchat_page = recording
    try:
        emulator.send_chat(ALICE_ID, BOT_ID, "hello")
        poller.poll(bot, clock=clock)
        assert chat.decrypted_from == [ALICE_ID]
        clock.advance(60)
        client.create_dm(participant_id=ALICE_ID, text="news 1")
        client.create_dm(participant_id=ALICE_ID, text="news 2")
        calls.clear()
        chat.decrypted_from.clear()
        poller.poll(bot, clock=clock)
        # The page: the bot's two messages and Alice's, seen: none decrypted.
        assert chat.decrypted_from == []
        ((news_2, news_1, hello),) = calls
        assert news_2 > news_1 > hello
        assert list(checkpoint().values()) == [news_2]
        clock.advance(60)
        emulator.send_chat(ALICE_ID, BOT_ID, "later")
        poller.poll(bot, clock=clock)
        assert chat.decrypted_from == [ALICE_ID]
        drain(bot)
    finally:
        bot.close()
    assert handled == [(ALICE_ID, "hello"), (ALICE_ID, "later")]


def test_an_async_clients_poller_leaves_the_bots_replies_encrypted_too(tmp_path, emulator, clock):
    client = keyed_client(emulator, BOT_ID, tweepy_dm.AsyncClient)
    chat = CountingChat.count_for(client)
    handled = []
    bot = answering_bot(client, tmp_path, clock, handled)
    poller = DMPoller(client, user_id=BOT_ID, min_interval=0)
    try:
        emulator.send_chat(ALICE_ID, BOT_ID, "a0")
        poller.poll(bot, clock=clock)
        drain(bot)
        clock.advance(60)
        emulator.send_chat(ALICE_ID, BOT_ID, "a1")
        chat.decrypted_from.clear()
        poller.poll(bot, clock=clock)
        drain(bot)
    finally:
        bot.close()
    assert chat.decrypted_from == [ALICE_ID]
    assert handled == [(ALICE_ID, "a0"), (ALICE_ID, "a1")]


def _with_sender(encoded, old, new):
    """``encoded`` with X's envelope naming ``new`` as its sender instead of ``old``."""
    raw = base64.b64decode(encoded + "=" * (-len(encoded) % 4))
    field = b"\x0b\x00\x03" + len(old).to_bytes(4, "big")
    assert len(old) == len(new)
    assert raw.count(field + old.encode()) == 1
    return base64.b64encode(raw.replace(field + old.encode(), field + new.encode())).decode()


def _page_as(client, conversation, tamper):
    """The poller's read of a conversation's first page, X's answer passed through ``tamper``."""
    perform = _xchat_dm.perform_sync(client, True)

    def tampering(effect):
        answer = perform(effect)
        if isinstance(effect, xchat.Api) and effect.name == "get_chat_conversation_events":
            answer = {**answer, "data": tamper([dict(event) for event in answer["data"]])}
        return answer

    keys = client.__dict__["_xchat_keys"]
    flow = _xchat_dm.poll_page(keys, conversation, 100, None, True)
    return _flow.run_flow(flow, tampering)[0]


def test_an_envelope_naming_another_sender_can_hide_a_message_but_never_deliver_one(emulator):
    # X's envelope is unsigned: saying the bot sent Alice's message leaves it out (as X
    # could by not sending it); saying Alice sent the bot's fails her signature check.
    client = keyed_client(emulator, BOT_ID)
    emulator.send_chat(ALICE_ID, BOT_ID, "from alice")
    client.create_dm(participant_id=ALICE_ID, text="from the bot")
    conversation = client.get_dm_events(participant_id=ALICE_ID).data[0].dm_conversation_id

    def swapped(events):
        for event in events:
            sender = next(u for u in (ALICE_ID, BOT_ID) if str(event["sender_id"]) == u)
            other = BOT_ID if sender == ALICE_ID else ALICE_ID
            event["encoded_event"] = _with_sender(event["encoded_event"], sender, other)
        return events

    honest = _page_as(client, conversation, lambda events: events)
    assert [event.dm.text for event in honest if event.dm is not None] == ["from alice"]
    assert len(honest) == 2
    (alice,) = [event.sequence for event in honest if event.dm is not None]
    forged = _page_as(client, conversation, swapped)
    # Alice's is left as the bot's; the bot's, now said to be Alice's, does not verify.
    assert forged == [type(forged[0])(alice, forged[0].at, None)]
