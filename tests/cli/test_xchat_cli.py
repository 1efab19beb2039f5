"""``tweepy-dm xchat keygen|send|read`` against the emulator, key blobs never printed."""

from __future__ import annotations

import base64
import sys

import pytest

from tests.cli.helpers import ALICE, BOB, invoke, oauth1_env

if sys.version_info < (3, 10):
    pytest.skip("chatxdk needs Python 3.10+", allow_module_level=True)
try:
    import chat_xdk  # noqa: F401
except ImportError:
    pytest.skip(
        'chatxdk is not installed (pip install "tweepy-dm[xchat]")', allow_module_level=True
    )


def test_keygen_send_and_read(emulator, users, tmp_path):
    alice_env, bob_env = oauth1_env(emulator, users[ALICE]), oauth1_env(emulator, users[BOB])
    alice_key, bob_key = tmp_path / "alice.key", tmp_path / "bob.key"
    made = invoke("xchat", "keygen", str(alice_key), "--register", env=alice_env)
    assert made.exit_code == 0, made.output
    blob = alice_key.read_bytes()
    assert len(blob) == 64
    assert (alice_key.stat().st_mode & 0o777) == 0o600
    assert blob.hex() not in made.output
    assert base64.b64encode(blob).decode() not in made.output
    assert "registered public key version" in made.output
    again = invoke("xchat", "keygen", str(alice_key), env=alice_env)
    assert again.exit_code == 2
    assert alice_key.read_bytes() == blob
    assert invoke("xchat", "keygen", str(bob_key), "--register", env=bob_env).exit_code == 0

    sent = invoke(
        "xchat", "send", "--to", BOB, "--key-file", str(alice_key), "hello bob", env=alice_env
    )
    assert sent.exit_code == 0, sent.output
    assert f"conversation_id: {ALICE}-{BOB}" in sent.output
    # bob's blob from the variable, base64, as a service would set it
    bob_blob = base64.b64encode(bob_key.read_bytes()).decode()
    read = invoke("xchat", "read", "--with", ALICE, env={**bob_env, "X_CHAT_KEY_BLOB": bob_blob})
    assert read.exit_code == 0, read.output
    assert f"{ALICE}: hello bob" in read.output
    assert bob_blob not in read.output


def test_without_a_key_it_says_how_to_give_one(emulator, users):
    result = invoke("xchat", "read", "--with", BOB, env=oauth1_env(emulator, users[ALICE]))
    assert result.exit_code == 2
    assert "X_CHAT_KEY_BLOB" in result.output
