"""A bot account made through ``/2/bots`` answers encrypted DMs with its ``xcbot_`` token.

The app creates the bot with its bearer token; the bot, with only its token
(``bearer_token=``) and keys it generates itself, registers them, reads
Alice's encrypted DM and replies; Alice decrypts the reply. ``dm_permission``
decides who may message it.
"""

from __future__ import annotations

import sys

import pytest

if sys.version_info < (3, 10):
    pytest.skip("chatxdk needs Python 3.10+", allow_module_level=True)
pytest.importorskip("chat_xdk", reason='pip install "tweepy-dm[xchat]"')

from tweepy_dm import xchat

ALICE = 1111


class Chat:
    """One user's XChat (sync or async, as ``clients`` makes them)."""

    def __init__(self, clients, emulator, credentials, user_id, key_blob):
        caller = clients.make(credentials=credentials, api_url=emulator.url)
        kind = xchat.AsyncXChat if clients.is_async else xchat.XChat
        self.chat = kind(caller.client, key_blob=key_blob, user_id=user_id)
        self.clients = clients

    def __getattr__(self, name):
        method = getattr(self.chat, name)
        return lambda *args, **kwargs: self.clients.run(method(*args, **kwargs))


@pytest.fixture
def app(clients, emulator):
    emulator.add_user(ALICE, "alice", "Alice", xchat=True)
    return clients.make(
        credentials={"bearer_token": emulator.app_bearer_token}, api_url=emulator.url
    )


def test_a_bot_made_through_2_bots_answers_encrypted_dms(app, clients, emulator):
    bot = app.call("create_bot", "support_bot", display_name="Support").data
    as_bot = Chat(clients, emulator, {"bearer_token": bot.token}, bot.id, xchat.generate_keys())
    as_bot.register_keys()
    emulator.send_chat(ALICE, bot.id, "where is my order?")
    (question,) = as_bot.get_messages(ALICE)
    assert (question.text, question.sender_id) == ("where is my order?", ALICE)
    assert question.verified
    as_bot.send(ALICE, "on its way!")
    alice = Chat(
        clients, emulator, emulator.credentials(ALICE), ALICE, emulator.xchat_key_blob(ALICE)
    )
    answer = alice.get_messages(bot.id)[0]
    assert (answer.text, answer.sender_id) == ("on its way!", bot.id)
    assert answer.verified


def test_dm_permission_decides_who_may_message_the_bot(app, clients, emulator):
    bot = app.call("create_bot", "support_bot").data
    Chat(
        clients, emulator, {"bearer_token": bot.token}, bot.id, xchat.generate_keys()
    ).register_keys()
    app.call("update_bot", bot.id, dm_permission="no_one")
    # A repeated create gives a fresh token but keeps the DM permission.
    app.call("create_bot", "support_bot")
    with pytest.raises(ValueError, match="cannot send messages"):
        emulator.send_chat(ALICE, bot.id, "hello?")
    app.call("update_bot", bot.id, dm_permission="premium")
    with pytest.raises(ValueError, match="cannot send messages"):
        emulator.send_chat(ALICE, bot.id, "hello?")
    emulator.set_verified(ALICE)  # premium: verified senders only
    emulator.send_chat(ALICE, bot.id, "hello, as a subscriber")
    emulator.set_verified(ALICE, False)
    app.call("update_bot", bot.id, dm_permission="everyone")
    emulator.send_chat(ALICE, bot.id, "hello!")
