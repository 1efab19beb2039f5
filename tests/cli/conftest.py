from __future__ import annotations

import pytest

from tests.cli.helpers import ALICE, BOB, CAROL
from tweepy_dm.emulator import DMEmulator


@pytest.fixture
def emulator():
    with DMEmulator() as server:
        yield server


@pytest.fixture
def users(emulator):
    return {
        user_id: emulator.add_user(user_id, name, name.title())
        for user_id, name in ((ALICE, "alice"), (BOB, "bob"), (CAROL, "carol"))
    }
