"""XChat Layer 2 needs chatxdk, which exists for CPython 3.10+ only: the tests skip
themselves (with that reason) where it cannot be installed."""

import sys

import pytest

from tweepy_dm.emulator import DMEmulator

#: The users of ``xchat_people``: ids, and the names they are added with.
ALICE, BOB, CAROL, DAVE = "1111", "2222", "3333", "4444"
_NAMES = {ALICE: "alice", BOB: "bob", CAROL: "carol", DAVE: "dave"}


@pytest.fixture
def xchat():
    """``tweepy_dm.xchat``, or a skip where chatxdk cannot be installed."""
    if sys.version_info < (3, 10):
        pytest.skip("chatxdk needs Python 3.10+")
    pytest.importorskip(
        "chat_xdk", reason='chatxdk is not installed: pip install "tweepy-dm[xchat]"'
    )
    from tweepy_dm import xchat

    return xchat


class Member:
    """One user's XChat over a client (sync or async, as ``clients`` makes them).

    Each XChat method is called and, for the async client, awaited; ``caller``
    is the plain client (``caller.call(name, ...)``).
    """

    def __init__(self, xchat, clients, emulator, user_id):
        self.user_id = user_id
        self.caller = clients.make(
            credentials=emulator.credentials(int(user_id)), api_url=emulator.url
        )
        kind = xchat.AsyncXChat if clients.is_async else xchat.XChat
        blob = emulator.xchat_key_blob(int(user_id))
        self.chat = kind(self.caller.client, key_blob=blob, user_id=user_id)
        self.clients = clients

    def __getattr__(self, name):
        method = getattr(self.chat, name)
        return lambda *args, **kwargs: self.clients.run(method(*args, **kwargs))


class People(dict):
    """``Member`` by user id, and the emulator they talk through."""

    def __init__(self, members, emulator):
        super().__init__(members)
        self.emulator = emulator


@pytest.fixture
def xchat_people(xchat, clients, clock):
    """Alice, Bob, Carol and Dave with registered XChat keys, each an XChat (sync or async)."""
    with DMEmulator(clock=clock) as emulator:
        for user_id, name in _NAMES.items():
            emulator.add_user(int(user_id), name, name.title(), xchat=True)
        yield People(
            {user_id: Member(xchat, clients, emulator, user_id) for user_id in _NAMES}, emulator
        )
