"""After the cutover (the emulator with legacy DMs off), a legacy script works by the client
line alone: with xchat_key every call goes over /2/chat; without it the send is refused with
LegacyDMsEnded."""

from __future__ import annotations

import pytest

from tests.xchat import require_chatxdk

require_chatxdk()

import tweepy_dm  # noqa: E402 (after the check above)
from tests.xchat.test_legacy_calls import legacy_script  # noqa: E402
from tweepy_dm import xchat  # noqa: E402
from tweepy_dm.emulator import DMEmulator  # noqa: E402

A, B, C = 1111, 2222, 3333


@pytest.fixture
def after_cutover():
    with DMEmulator(legacy_dms="off") as emulator:
        users = {
            user: emulator.add_user(user, name, name.title(), xchat=True)
            for user, name in ((A, "alice"), (B, "bob"), (C, "carol"))
        }
        yield emulator, users


def test_the_legacy_script_runs_over_xchat_with_legacy_dms_off(after_cutover):
    emulator, users = after_cutover
    client = tweepy_dm.Client(
        **users[A], api_url=emulator.url, xchat_key=emulator.xchat_key_blob(A)
    )
    result = legacy_script(client, B, C)
    assert result["texts"] == ["Second line", "Hello Bob"]
    assert result["after"] == ["Second line"]
    bob = xchat.XChat(
        tweepy_dm.Client(**users[B], api_url=emulator.url),
        key_blob=emulator.xchat_key_blob(B),
        user_id=B,
    )
    assert [m.text for m in bob.get_messages(A)] == ["Second line", "Hello Bob"]


def test_without_xchat_key_the_same_script_is_told_legacy_dms_ended(after_cutover):
    emulator, users = after_cutover
    client = tweepy_dm.Client(**users[A], api_url=emulator.url)
    with pytest.raises(tweepy_dm.LegacyDMsEnded, match="xchat_key="):
        legacy_script(client, B, C)
