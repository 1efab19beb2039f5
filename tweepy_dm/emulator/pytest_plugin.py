"""pytest fixtures for code that talks to X's DM API, registered as ``tweepy_dm``.

Installed with tweepy-dm through the ``pytest11`` entry point, so the
fixtures are there in every test suite, with nothing to import:

``dm_emulator``
    A fresh :class:`~tweepy_dm.emulator.DMEmulator` per test, in memory,
    with rate limits off.
``dm_users``
    Two users registered with it, alice and bob, as
    :class:`~tweepy_dm.emulator.EmulatorUser` objects: ``alice.client()``
    and ``alice.async_client()`` give clients pointed at the emulator.
``dm_redirect``
    ``dm_emulator`` with :meth:`~tweepy_dm.emulator.DMEmulator.redirect`
    active for the whole test: plain ``tweepy.Client`` objects, which know
    only X's host, talk to it too.
``dm_chat``
    A :class:`~tweepy_dm.testing.DMChat`: ``dm_chat.run(bot)`` runs a
    :class:`~tweepy_dm.DMBot` against an emulator with X's rate limits, on
    simulated time, and ``dm_chat.user("alice")`` is a scripted user who
    sends to it and waits for its replies.

>>> def test_hello(dm_emulator, dm_users):  # doctest: +SKIP
...     alice, bob = dm_users
...     alice.client().create_dm(participant_id=bob.id, text="Hello")
...     assert bob.client().get_dm_events().data[0].text == "Hello"

Importing this module imports only the standard library, oauthlib and
tweepy_dm (never aiohttp), so it cannot break a test run; ``dm_chat`` imports
the bot runtime when a test asks for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tweepy_dm.emulator import DMEmulator, EmulatorUser

#: The ids of ``dm_users``: alice's is smaller by value but not as a string.
ALICE_ID = "750362064426721281"
BOB_ID = "1072250532645998596"


@pytest.fixture
def dm_emulator() -> Iterator[DMEmulator]:
    """A fresh DM emulator on 127.0.0.1, in memory, rate limits off."""
    with DMEmulator() as emulator:
        yield emulator


@pytest.fixture
def dm_redirect(dm_emulator: DMEmulator) -> Iterator[DMEmulator]:
    """``dm_emulator``, receiving every request to X's hosts during the test.

    .. versionadded:: 0.2
    """
    with dm_emulator.redirect():
        yield dm_emulator


@pytest.fixture
def dm_users(dm_emulator: DMEmulator) -> tuple[EmulatorUser, EmulatorUser]:
    """Two users of ``dm_emulator``, alice and bob, with client factories."""
    return (
        EmulatorUser.register(dm_emulator, ALICE_ID, "alice", "Alice"),
        EmulatorUser.register(dm_emulator, BOB_ID, "bob", "Bob"),
    )


@pytest.fixture
def dm_chat() -> Iterator[Any]:
    """A bot on the emulator with scripted users, on simulated time.

    .. versionadded:: 0.2
    """
    from tweepy_dm.testing import dm_chat_fixture

    yield from dm_chat_fixture()
