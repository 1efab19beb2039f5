"""The SDK work of sending, reading and decrypting stays the same however many users are known.

The SDK is wrapped to count what it is asked: how many signing keys each
decrypt call verifies (the keys passed with ``signing_keys=``, else the set
stored with ``set_signing_keys``), and which calls are made at all.
"""

from __future__ import annotations

import base64
import sys

import pytest

from tests.helpers import chat_received

if sys.version_info < (3, 10):
    pytest.skip("chatxdk needs Python 3.10+", allow_module_level=True)
try:
    import chat_xdk  # noqa: F401
except ImportError:
    pytest.skip(
        'chatxdk is not installed (pip install "tweepy-dm[xchat]")', allow_module_level=True
    )

from tweepy_dm import _flow, xchat

A, B = "1111", "2222"


class CountingChat:
    """A chat_xdk.Chat that records, per decrypt call, the signing keys it would verify."""

    def __init__(self, chat):
        self._chat = chat
        self.stored = []
        self.calls = []  # (method name, number of signing keys it verifies)

    def set_signing_keys(self, keys):
        self.stored = list(keys)
        self.calls.append(("set_signing_keys", len(self.stored)))
        return self._chat.set_signing_keys(keys)

    def _counted(self, name, args, kwargs, position):
        keys = kwargs.get("signing_keys")
        if keys is None and len(args) > position:
            keys = args[position]
        self.calls.append((name, len(keys) if keys else len(self.stored)))
        return getattr(self._chat, name)(*args, **kwargs)

    def decrypt_event(self, *args, **kwargs):
        return self._counted("decrypt_event", args, kwargs, 2)

    def decrypt_events(self, *args, **kwargs):
        return self._counted("decrypt_events", args, kwargs, 1)

    def __getattr__(self, name):
        return getattr(self._chat, name)

    def decrypts(self):
        return [call for call in self.calls if call[0].startswith("decrypt_event")]


class Person:
    def __init__(self, emulator, user_id, name, blob):
        credentials = emulator.add_user(int(user_id), name, name.title())
        client = pytest.importorskip("tweepy_dm").Client(**credentials, api_url=emulator.url)
        self.client = client
        self.chat = xchat.XChat(client, key_blob=blob, user_id=user_id)
        self.chat.register_keys()
        self.session = self.chat._session
        self.counting = CountingChat(self.session.chat)
        self.session.chat = self.counting


@pytest.fixture(scope="module")
def blobs():
    return {user: xchat.XChat.generate_keys() for user in (A, B)}


@pytest.fixture
def pair(dm_emulator, blobs):
    return Person(dm_emulator, A, "alice", blobs[A]), Person(dm_emulator, B, "bob", blobs[B])


def _meet(person, count):
    """Make ``person`` fetch ``count`` more users' keys, as it does on meeting them.

    X's answer for each is a copy of the person's own registered key: real keys,
    checked by the SDK, under other user ids.
    """
    (record,) = person.session.signing[person.session.user_id]
    answer = {
        "data": [
            {
                "public_key": record["identity_public_key"],
                "signing_public_key": record["public_key"],
                "public_key_version": record["public_key_version"],
                "identity_public_key_signature": record["identity_public_key_signature"],
            }
        ]
    }
    for number in range(count):
        _flow.run_flow(person.session._public_keys(str(900_000 + number)), lambda effect: answer)


def _round(alice, bob, text):
    """Alice sends, Bob reads the conversation and decrypts the event: the SDK calls of each."""
    alice.counting.calls.clear()
    bob.counting.calls.clear()
    sent = alice.chat.send(B, text)
    sending = list(alice.counting.calls)
    (read, *_) = bob.chat.get_messages(A, limit=1)
    assert read.text == text
    reading = bob.counting.decrypts()
    bob.counting.calls.clear()
    live = bob.chat.decrypt_activity(chat_received(sent))
    assert live == read
    return sending, reading, bob.counting.decrypts()


def test_keys_verified_per_decrypt_do_not_grow_with_users_known(pair):
    alice, bob = pair
    alice.chat.start_conversation(B)
    _round(alice, bob, "warm up")  # fetches each other's keys once
    few = _round(alice, bob, "with 2 users known")
    _meet(alice, 200)
    _meet(bob, 200)
    many = _round(alice, bob, "with 202 users known")
    assert many == few
    _, reading, live = many
    assert all(count <= 2 for _, count in reading + live)


def test_send_neither_decrypts_nor_verifies_its_own_message(pair):
    alice, bob = pair
    alice.chat.start_conversation(B)
    alice.counting.calls.clear()
    sent = alice.chat.send(B, "mine")
    assert alice.counting.decrypts() == []
    (read,) = bob.chat.get_messages(A)
    assert sent == read  # every field, as the recipient decrypts and verifies it


def test_a_sent_reply_equals_what_the_recipient_reads(pair):
    alice, bob = pair
    bob.chat.send(A, "a question")
    (first,) = alice.chat.get_messages(B)
    alice.chat.send(B, "hm")  # her first send in the conversation looks up its key
    alice.counting.calls.clear()
    sent = alice.chat.send(B, "the answer", reply_to=first)
    assert alice.counting.decrypts() == []
    assert sent == bob.chat.get_messages(A)[0]
    assert sent.reply_to["valid"] is True
    assert sent.reply_to["text"] == "a question"


def test_a_sent_message_with_media_is_read_back_as_the_recipient_reads_it(pair):
    alice, bob = pair
    photo = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    sent = alice.chat.send(B, "a photo", media=photo)
    assert sent == bob.chat.get_messages(A)[0]
    assert sent.attachments[0]["filesize_bytes"] == len(photo)


def test_a_sent_message_in_an_envelope_not_ours_is_decrypted_and_verified(pair, monkeypatch):
    alice, bob = pair
    alice.chat.start_conversation(B)
    other = bob.chat.send(A, "from bob")
    # X answering with another message's envelope: not trusted as ours, verified instead.
    session = alice.session
    monkeypatch.setattr(
        session,
        "_sent",
        lambda encoded, *args: xchat._Session._sent(session, other.encoded_event, *args),
    )
    alice.counting.calls.clear()
    sent = alice.chat.send(B, "from alice")
    assert [name for name, _ in alice.counting.decrypts()] == ["decrypt_event"]
    assert sent.text == "from alice"
    assert sent.verified is True


def test_a_known_key_change_is_not_verified_again(pair):
    alice, bob = pair
    alice.chat.start_conversation(B)
    first, second = alice.chat.send(B, "one"), alice.chat.send(B, "two")
    answer = alice.client.get_chat_conversation_events("1111-2222")
    (key_change,) = answer.meta["conversation_key_events"]

    def live(message):
        event = chat_received(message)
        event["data"]["payload"]["conversation_key_change_event"] = key_change
        bob.counting.calls.clear()
        decrypted = bob.chat.decrypt_activity(event)
        return decrypted.text, [name for name, _ in bob.counting.decrypts()]

    assert live(first) == ("one", ["decrypt_events", "decrypt_event"])
    assert live(second) == ("two", ["decrypt_event"])


def test_the_envelope_reader_refuses_what_is_not_an_envelope():
    good = (
        b"\x0b\x00\x01\x00\x00\x00\x015"  # field 1, string "5"
        + b"\x0c\x00\x07"  # field 7, a struct holding
        + b"\x0f\x00\x01\x0b\x00\x00\x00\x01\x00\x00\x00\x01x"  # a list of one string
        + b"\x02\x00\x02\x01\x00"  # and a bool; end of struct
        + b"\x0b\x00\x02\x00\x00\x00\x02id"  # field 2, string "id"
        + b"\x00"
    )
    assert xchat._envelope(base64.b64encode(good).decode()) == {1: "5", 2: "id"}
    for bad in (good[:-1], good[:5], b"\x0b\x00\x01\xff\xff\xff\xff", b"\x07\x00\x01"):
        with pytest.raises(ValueError, match="Thrift"):
            xchat._envelope(base64.b64encode(bad).decode())


def test_a_reply_to_another_conversations_message_is_read_back_as_the_recipient_reads_it(pair):
    alice, bob = pair
    bob.chat.send(A, "a question")
    (first,) = alice.chat.get_messages(B)
    alice.chat.send(B, "hm")
    elsewhere = first._replace(conversation_id="1111-3333")
    alice.counting.calls.clear()
    sent = alice.chat.send(B, "the answer", reply_to=elsewhere)
    # With her key, then (the preview quotes Bob) with his added.
    assert alice.counting.decrypts() == [("decrypt_event", 1), ("decrypt_event", 2)]
    assert sent == bob.chat.get_messages(A)[0]


def test_a_reply_quoting_the_reader_is_valid_live_and_on_a_page_of_the_replier_alone(pair):
    alice, bob = pair
    bob.chat.send(A, "a question")
    (first,) = alice.chat.get_messages(B)
    alice.chat.send(B, "hm")
    reply = alice.chat.send(B, "the answer", reply_to=first)
    # The preview quotes Bob: checking it takes his key, not only the sender's.
    assert bob.chat.decrypt_activity(chat_received(reply)).reply_to["valid"] is True
    assert alice.chat.get_messages(B, limit=1)[0].reply_to["valid"] is True
    bob.counting.calls.clear()
    (newest,) = bob.chat.get_messages(A, limit=1)
    assert newest.reply_to["valid"] is True


def test_only_a_reply_quoting_someone_else_is_decrypted_twice(pair):
    alice, bob = pair
    bob.chat.send(A, "a question")
    (first,) = alice.chat.get_messages(B)
    plain = alice.chat.send(B, "hm")
    reply = alice.chat.send(B, "the answer", reply_to=first)
    bob.counting.calls.clear()
    bob.chat.decrypt_activity(chat_received(plain))
    assert bob.counting.decrypts() == [("decrypt_event", 1)]
    bob.counting.calls.clear()
    assert bob.chat.decrypt_activity(chat_received(reply)).reply_to["valid"] is True
    assert bob.counting.decrypts() == [("decrypt_event", 1), ("decrypt_event", 2)]


def test_a_page_with_a_reply_quoting_someone_not_on_it_checks_that_reply_again(pair):
    alice, bob = pair
    alice.chat.start_conversation(B)  # the key change is Alice's too
    bob.chat.send(A, "a question")
    (first,) = alice.chat.get_messages(B)
    alice.chat.send(B, "the answer", reply_to=first)
    answer = bob.client.get_chat_conversation_events("1111-2222", max_results=1)
    data = [getattr(item, "data", item) for item in answer.data]
    assert [item["sender_id"] for item in data] == ["1111"]  # Alice's reply alone
    bob.counting.calls.clear()
    flow = bob.session._decrypt(answer.meta["conversation_key_events"], data)
    (message,), failed = _flow.run_flow(flow, xchat._perform_sync(bob.client))
    assert failed == []
    assert message.reply_to["valid"] is True
    assert bob.counting.decrypts() == [("decrypt_events", 1), ("decrypt_event", 2)]
