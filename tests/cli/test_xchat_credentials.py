"""``tweepy-dm xchat`` with only an OAuth 2.0 user token, and a ``keygen --register`` that fails."""

from __future__ import annotations

import sys

import pytest

from tests.cli.helpers import ALICE, BOB, bearer_env, invoke

if sys.version_info < (3, 10):
    pytest.skip("chatxdk needs Python 3.10+", allow_module_level=True)
try:
    import chat_xdk  # noqa: F401
except ImportError:
    pytest.skip(
        'chatxdk is not installed (pip install "tweepy-dm[xchat]")', allow_module_level=True
    )


def test_keygen_send_and_read_with_only_a_bearer_token(emulator, users, tmp_path):
    alice_env, bob_env = bearer_env(emulator, users[ALICE]), bearer_env(emulator, users[BOB])
    alice_key, bob_key = tmp_path / "alice.key", tmp_path / "bob.key"
    for key, env in ((alice_key, alice_env), (bob_key, bob_env)):
        made = invoke("xchat", "keygen", str(key), "--register", env=env)
        assert made.exit_code == 0, made.output
        assert "registered public key version" in made.output

    sent = invoke("xchat", "send", "--to", BOB, "--key-file", str(alice_key), "hi", env=alice_env)
    assert sent.exit_code == 0, sent.output
    read = invoke("xchat", "read", "--with", ALICE, "--key-file", str(bob_key), env=bob_env)
    assert read.exit_code == 0, read.output
    assert f"{ALICE}: hi" in read.output


def test_a_failed_register_writes_no_key_and_the_retry_works(emulator, users, tmp_path):
    key = tmp_path / "alice.key"
    app_only = {"X_API_URL": emulator.url, "X_BEARER_TOKEN": emulator.app_bearer_token}
    failed = invoke("xchat", "keygen", str(key), "--register", "--user-id", ALICE, env=app_only)
    assert failed.exit_code != 0
    assert "Application-Only is forbidden" in failed.output
    assert emulator.app_bearer_token not in failed.output
    assert list(tmp_path.iterdir()) == []  # neither the key nor a temporary file

    retried = invoke(
        "xchat", "keygen", str(key), "--register", env=bearer_env(emulator, users[ALICE])
    )
    assert retried.exit_code == 0, retried.output
    assert len(key.read_bytes()) == 64
    assert (key.stat().st_mode & 0o777) == 0o600
    assert [path.name for path in tmp_path.iterdir()] == ["alice.key"]
