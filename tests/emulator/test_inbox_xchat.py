"""The inbox page's XChat conversations: decrypted where the emulator holds the keys,
labelled so, the ciphertext beside each message."""

from __future__ import annotations

import json
import sys

import pytest
import requests

from tests.helpers import FakeClock
from tweepy_dm.emulator import DMEmulator

if sys.version_info < (3, 10):
    pytest.skip("chatxdk needs Python 3.10+", allow_module_level=True)
try:
    import chat_xdk  # noqa: F401
except ImportError:
    pytest.skip(
        'chatxdk is not installed (pip install "tweepy-dm[xchat]")', allow_module_level=True
    )


def conversations(emulator: DMEmulator, viewer: str) -> list:
    answer = requests.get(emulator.url + "/_emulator/state", timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()["conversations"][viewer]


def test_xchat_messages_are_decrypted_for_users_whose_keys_the_emulator_holds():
    with DMEmulator(clock=FakeClock(), legacy_dms="off") as emulator:
        emulator.add_user(1, "alice", "Alice", xchat=True)
        emulator.add_user(2, "bob", "Bob", xchat=True)
        emulator.send_chat(1, 2, "secret hello")
        answer = requests.post(
            emulator.url + "/_emulator/messages",
            data=json.dumps(
                {"sender_id": "2", "conversation_id": "1-2", "text": "hi back", "kind": "xchat"}
            ),
            headers={"Content-Type": "application/json"},
            timeout=30,
        )
        assert answer.status_code == 201, answer.text

        for viewer in ("1", "2"):
            (conversation,) = conversations(emulator, viewer)
            assert conversation["kind"] == "xchat"
            assert conversation["id"] == "1-2"
            assert conversation["decrypted"] is True
            texts = [message["text"] for message in conversation["messages"]]
            assert texts == ["secret hello", "hi back"]
            for message in conversation["messages"]:
                # The envelope X stores: the text is not in it.
                assert message["ciphertext"]
                assert message["text"] not in message["ciphertext"]


def test_without_the_users_keys_the_page_shows_ciphertext_only():
    with DMEmulator(clock=FakeClock(), legacy_dms="off") as emulator:
        emulator.add_user(1, "alice", "Alice", xchat=True)
        emulator.add_user(2, "bob", "Bob", xchat=True)
        emulator.send_chat(1, 2, "for bob only")
        # As if bob's keys lived only on his device: the emulator forgets them.
        emulator._xchat.pop(2)

        (conversation,) = conversations(emulator, "2")
        assert conversation["decrypted"] is False
        (message,) = conversation["messages"]
        assert message["text"] is None
        assert message["ciphertext"]
        assert conversations(emulator, "1")[0]["messages"][0]["text"] == "for bob only"
