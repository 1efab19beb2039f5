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

>>> def test_hello(dm_emulator, dm_users):  # doctest: +SKIP
...     alice, bob = dm_users
...     alice.client().create_dm(participant_id=bob.id, text="Hello")
...     assert bob.client().get_dm_events().data[0].text == "Hello"

Importing this module imports only the standard library, oauthlib and
tweepy_dm (never aiohttp), so it cannot break a test run.
"""

from __future__ import annotations

from collections.abc import Iterator

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
