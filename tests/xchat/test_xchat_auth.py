"""XChat and AsyncXChat authenticate by the credentials their client holds.

Every ``/2/chat`` route takes OAuth 1.0a or OAuth 2.0 user context: a client
with only the four OAuth 1.0a credentials, or with only a user's bearer token,
does the whole round trip (keys, send, read, media) through the emulator.
"""

from __future__ import annotations

import sys

import pytest
import tweepy

if sys.version_info < (3, 10):
    pytest.skip("chatxdk needs Python 3.10+", allow_module_level=True)
try:
    import chat_xdk  # noqa: F401
except ImportError:
    pytest.skip(
        'chatxdk is not installed (pip install "tweepy-dm[xchat]")', allow_module_level=True
    )

from tweepy_dm import xchat

A, B = "1111", "2222"
OAUTH1 = ("consumer_key", "consumer_secret", "access_token", "access_token_secret")


def _only(credentials, kind):
    if kind == "oauth2_user":
        return {"bearer_token": credentials["bearer_token"]}
    return {name: credentials[name] for name in OAUTH1}


def _chat(clients, emulator, credentials, user_id):
    client = clients.make(credentials=credentials, api_url=emulator.url).client
    kind = xchat.AsyncXChat if clients.is_async else xchat.XChat
    return kind(client, key_blob=kind.generate_keys(), user_id=user_id)


@pytest.mark.parametrize("kind", ["oauth2_user", "oauth1"])
def test_a_round_trip_with_one_kind_of_credentials(clients, dm_emulator, kind):
    alice_credentials = dm_emulator.add_user(int(A), "alice", "Alice")
    bob_credentials = dm_emulator.add_user(int(B), "bob", "Bob")
    alice = _chat(clients, dm_emulator, _only(alice_credentials, kind), A)
    bob = _chat(clients, dm_emulator, _only(bob_credentials, kind), B)
    run = clients.run

    assert run(alice.register_keys())
    assert run(bob.register_keys())
    conversation = run(alice.start_conversation(B))
    sent = run(alice.send(conversation, "over a user token", media=b"\x89PNG not really"))
    assert sent.text == "over a user token"
    messages = run(bob.get_messages(A))
    assert [message.text for message in messages] == ["over a user token"]
    assert str(messages[0].sender_id) == A
    assert run(bob.get_media(messages[0])) == b"\x89PNG not really"


def test_an_app_only_token_is_refused_with_the_reason(clients, dm_emulator):
    dm_emulator.add_user(int(A), "alice", "Alice")
    app_only = {"bearer_token": dm_emulator.app_bearer_token}
    chat = _chat(clients, dm_emulator, app_only, A)
    with pytest.raises(tweepy.Forbidden) as refused:
        clients.run(chat.register_keys())
    message = str(refused.value)
    assert "app-only bearer token" in message
    assert "OAuth 1.0a" in message
    assert app_only["bearer_token"] not in message


def test_a_client_without_credentials_is_told_what_it_needs(clients, dm_emulator):
    client = clients.make(credentials={}, api_url=dm_emulator.url).client
    kind = xchat.AsyncXChat if clients.is_async else xchat.XChat
    chat = kind(client, key_blob=kind.generate_keys(), user_id=A)
    with pytest.raises(
        TypeError, match=r"OAuth 1.0a user credentials .* or an OAuth 2.0 user"
    ) as bad:
        clients.run(chat.register_keys())
    assert "user_auth" not in str(bad.value)  # XChat takes no such parameter
