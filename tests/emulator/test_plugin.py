"""The pytest plugin: registered by entry point, fresh fixtures."""

from __future__ import annotations

import subprocess
import sys

from tweepy_dm.emulator import DMEmulator, EmulatorUser
from tweepy_dm.emulator.pytest_plugin import ALICE_ID, BOB_ID

USER_TEST = """
def test_fresh(dm_emulator, dm_users):
    alice, bob = dm_users
    alice.client().create_dm(participant_id=bob.id, text="Hello")
    assert bob.client().get_dm_events().data[0].text == "Hello"

def test_again_fresh(dm_emulator, dm_users):
    assert dm_users[0].client().get_dm_events().data is None
"""


def test_plugin_is_registered_by_its_entry_point(pytestconfig):
    plugin = pytestconfig.pluginmanager.get_plugin("tweepy_dm")
    assert plugin is not None
    assert plugin.__name__ == "tweepy_dm.emulator.pytest_plugin"


def test_fixtures(dm_emulator, dm_users):
    assert isinstance(dm_emulator, DMEmulator)
    alice, bob = dm_users
    assert isinstance(alice, EmulatorUser)
    assert (alice.id, alice.username, bob.id, bob.username) == (ALICE_ID, "alice", BOB_ID, "bob")
    assert alice.api_url == dm_emulator.url
    assert dm_emulator.credentials(ALICE_ID) == alice.credentials
    # Rate limits are off: headers, but no budget spent.
    for _ in range(20):
        alice.client().get_dm_events()


def test_a_user_suite_gets_fresh_state(tmp_path):
    (tmp_path / "test_user_suite.py").write_text(USER_TEST)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
