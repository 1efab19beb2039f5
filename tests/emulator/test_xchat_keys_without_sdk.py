"""``DMEmulator.add_user(..., xchat=True)`` without chatxdk: a clear ImportError, no user.

Runs everywhere (chatxdk exists for Python 3.10+ only): the SDK is hidden from the import.
"""

from __future__ import annotations

import sys

import pytest

from tweepy_dm.emulator import DMEmulator


def test_without_chatxdk_add_user_says_what_to_install_and_adds_nobody(monkeypatch):
    monkeypatch.setitem(sys.modules, "chat_xdk", None)
    with DMEmulator() as emulator:
        with pytest.raises(ImportError, match=r"chatxdk.*tweepy-dm\[xchat\]"):
            emulator.add_user(1111, "alice", "Alice", xchat=True)
        with pytest.raises(KeyError):
            emulator.credentials(1111)
        # Without keys the user is added as before.
        assert emulator.add_user(1111, "alice", "Alice")["access_token"]
        with pytest.raises(KeyError):
            emulator.xchat_key_blob(1111)
