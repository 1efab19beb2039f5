"""``Client(xchat_key=...)``: the keys its legacy DM reads learn serve its sends.

A send after a read must not find "no key" and make the 1:1 a new conversation
key (which would rotate the key under everyone's feet): it is one POST.
"""

from __future__ import annotations

import sys

import pytest

if sys.version_info < (3, 10):
    pytest.skip("chatxdk needs Python 3.10+", allow_module_level=True)
pytest.importorskip("chat_xdk", reason='chatxdk is not installed (pip install "tweepy-dm[xchat]")')

import tweepy_dm
from tweepy_dm.emulator import DMEmulator

ALICE, BOB = 1111, 2222


def keyed(emulator, user_id):
    return tweepy_dm.Client(
        api_url=emulator.url,
        **emulator.credentials(user_id),
        xchat_key=emulator.xchat_key_blob(user_id),
        xchat_user_id=str(user_id),
    )


def test_a_send_after_a_read_uses_the_key_read_and_is_one_post(clock, served):
    with DMEmulator(clock=clock, legacy_dms="off") as emulator:
        for user_id, name in ((ALICE, "alice"), (BOB, "bob")):
            emulator.add_user(user_id, name, name.title(), xchat=True)
        emulator.send_chat(BOB, ALICE, "hi alice")
        alice = keyed(emulator, ALICE)
        assert [dm.text for dm in alice.get_dm_events(participant_id=BOB).data] == ["hi alice"]
        served.clear()
        alice.create_dm(participant_id=BOB, text="hi bob")
        assert served == [("POST", f"/2/chat/conversations/{ALICE}-{BOB}/messages")]
        texts = [dm.text for dm in keyed(emulator, BOB).get_dm_events(participant_id=ALICE).data]
        assert texts == ["hi bob", "hi alice"]
