from __future__ import annotations

import time

import pytest

from tests.cli.helpers import ALICE, BOB, CAROL
from tests.helpers import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    """The ``emulator`` fixture's clock, set to now: the commands date what they ask
    (``webhooks replay``'s window, ``export --since``) by the wall clock."""
    return FakeClock(time.time())


@pytest.fixture
def users(emulator):
    return {
        user_id: emulator.add_user(user_id, name, name.title())
        for user_id, name in ((ALICE, "alice"), (BOB, "bob"), (CAROL, "carol"))
    }
