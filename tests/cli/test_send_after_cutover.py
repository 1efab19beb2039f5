"""``tweepy-dm send`` without a key after X's cutover: X's refusal, and how to send instead."""

from __future__ import annotations

from tests.cli.helpers import ALICE, BOB, invoke, oauth1_env
from tweepy_dm.emulator import DMEmulator


def test_a_refused_legacy_send_says_how_to_send_over_xchat():
    with DMEmulator(legacy_dms="off") as emulator:
        alice = emulator.add_user(ALICE, "alice", "Alice")
        emulator.add_user(BOB, "bob", "Bob")
        result = invoke("send", "--to", BOB, "hello", env=oauth1_env(emulator, alice))
    assert result.exit_code == 1, result.output
    assert "X answered 403: Legacy direct messages ended on 2026-12-09" in result.output
    assert "--xchat-key FILE (or set X_XCHAT_KEY_FILE)" in result.output
    assert "tweepy-dm migrate check" in result.output
    assert alice["access_token_secret"] not in result.output
