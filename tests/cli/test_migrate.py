"""``tweepy-dm migrate check`` and ``register`` against the emulator: what is missing, exit status."""

from __future__ import annotations

import datetime
import importlib.util
import sys

import pytest

import tweepy_dm
from tests.cli.helpers import ALICE, bearer_env, invoke, oauth1_env
from tweepy_dm import _facts
from tweepy_dm.cli import _migrate

needs_chatxdk = pytest.mark.skipif(
    sys.version_info < (3, 10) or importlib.util.find_spec("chat_xdk") is None,
    reason="chatxdk needs Python 3.10+ and the xchat extra",
)
CHAT_SCOPES = "dm.read dm.write tweet.read users.read media.write"


def _keygen(emulator, credentials, path, *, register=True):
    args = ["xchat", "keygen", str(path)] + (["--register"] if register else [])
    made = invoke(*args, env=oauth1_env(emulator, credentials))
    assert made.exit_code == 0, made.output
    return path


def test_nothing_done_yet_is_not_ready_and_says_what_to_run(emulator, users):
    result = invoke("migrate", "check", env=oauth1_env(emulator, users[ALICE]))
    assert result.exit_code == 1, result.output
    assert "no key file" in result.output
    assert f"X has no public key registered for user {ALICE}" in result.output
    assert "Not ready: 2 things missing" in result.output
    # One step makes and registers the key: said once.
    assert result.output.count("tweepy-dm xchat keygen --register") == 1
    assert _facts.OAUTH1_CHAT_LAST_DAY in result.output


@needs_chatxdk
def test_oauth1_with_a_registered_key_is_ready_with_a_warning(emulator, users, tmp_path):
    key = _keygen(emulator, users[ALICE], tmp_path / "alice.key")
    env = {**oauth1_env(emulator, users[ALICE]), "X_XCHAT_KEY_FILE": str(key)}
    result = invoke("migrate", "check", env=env)
    assert result.exit_code == 0, result.output
    assert "the key file's public key is registered on X" in result.output
    assert "warning  OAuth 1.0a works on /2/chat only until 2027-01-31" in result.output
    assert "Ready for XChat" in result.output
    blob = key.read_bytes()
    assert blob.hex() not in result.output
    assert "OAuth 2.0" in result.output


@needs_chatxdk
def test_oauth1_after_its_last_day_is_not_ready(emulator, users, tmp_path, monkeypatch):
    key = _keygen(emulator, users[ALICE], tmp_path / "alice.key")
    day_after = datetime.date.fromisoformat(_facts.OAUTH1_CHAT_LAST_DAY) + datetime.timedelta(1)
    monkeypatch.setattr(_migrate, "_today", lambda: day_after)
    result = invoke("migrate", "check", "--xchat-key", str(key),
                    env=oauth1_env(emulator, users[ALICE]))  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "OAuth 1.0a ended on /2/chat after 2027-01-31" in result.output
    assert "X_BEARER_TOKEN" in result.output


@needs_chatxdk
def test_a_key_file_that_is_not_a_blob_is_named_but_never_shown(emulator, users, tmp_path):
    key = tmp_path / "wrong.key"
    key.write_bytes(b"not-a-key-but-a-secret-phrase")
    result = invoke("migrate", "check", "--xchat-key", str(key),
                    env=oauth1_env(emulator, users[ALICE]))  # fmt: skip
    assert result.exit_code == 1, result.output
    assert f"{key} is not a key blob" in result.output
    assert "secret-phrase" not in result.output


@needs_chatxdk
def test_a_key_file_other_than_the_registered_one_is_not_ready(emulator, users, tmp_path):
    _keygen(emulator, users[ALICE], tmp_path / "registered.key")
    other = _keygen(emulator, users[ALICE], tmp_path / "other.key", register=False)
    result = invoke("migrate", "check", "--xchat-key", str(other),
                    env=oauth1_env(emulator, users[ALICE]))  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "X has 1 public key for you" in result.output
    assert "none is the key file's" in result.output


@needs_chatxdk
def test_a_key_file_others_can_read_is_a_warning(emulator, users, tmp_path):
    key = _keygen(emulator, users[ALICE], tmp_path / "alice.key")
    key.chmod(0o644)
    result = invoke("migrate", "check", "--xchat-key", str(key),
                    env=oauth1_env(emulator, users[ALICE]))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "can be read by other users" in result.output
    assert f"chmod 600 {key}" in result.output


@needs_chatxdk
def test_oauth2_scopes_unknown_then_given(emulator, users, tmp_path):
    key = _keygen(emulator, users[ALICE], tmp_path / "alice.key")
    env = {**bearer_env(emulator, users[ALICE]), "X_XCHAT_KEY_FILE": str(key)}
    unknown = invoke("migrate", "check", env=env)
    assert unknown.exit_code == 1, unknown.output
    assert "scopes cannot be read from the token" in unknown.output
    assert "prove tweet.read, users.read, dm.read; nothing here can prove dm.write" in (
        unknown.output
    )
    assert "--scopes" in unknown.output

    lacking = invoke("migrate", "check", "--scopes", "dm.read tweet.read users.read", env=env)
    assert lacking.exit_code == 1, lacking.output
    assert "the OAuth 2.0 token lacks dm.write" in lacking.output

    ready = invoke("migrate", "check", env={**env, "X_OAUTH2_SCOPES": CHAT_SCOPES})
    assert ready.exit_code == 0, ready.output
    assert "the OAuth 2.0 token has dm.read, dm.write, tweet.read, users.read" in ready.output
    assert "2027-01-31" not in ready.output

    no_media = invoke("migrate", "check", "--scopes", "dm.read,dm.write,tweet.read,users.read",
                      env=env)  # fmt: skip
    assert no_media.exit_code == 0, no_media.output
    assert "without media.write" in no_media.output


def test_keys_that_cannot_be_listed_are_not_ready(emulator, users):
    emulator.inject_fault(403, path=f"/2/users/{ALICE}/public_keys")
    result = invoke(
        "migrate", "check", "--scopes", CHAT_SCOPES, env=bearer_env(emulator, users[ALICE])
    )
    assert result.exit_code == 1, result.output
    assert "cannot list your public keys on X: X answered 403" in result.output


def test_without_credentials_it_is_a_usage_error(emulator):
    result = invoke("migrate", "check", env={"X_API_URL": emulator.url})
    assert result.exit_code == 2
    assert "No usable credentials" in result.output


def test_a_key_file_that_does_not_exist_is_a_usage_error(emulator, users, tmp_path):
    result = invoke("migrate", "check", "--xchat-key", str(tmp_path / "missing.key"),
                    env=oauth1_env(emulator, users[ALICE]))  # fmt: skip
    assert result.exit_code == 2
    assert "missing.key" in result.output


@needs_chatxdk
def test_a_key_file_made_without_register_is_registered_once_by_migrate_register(
    emulator, users, tmp_path
):
    key = _keygen(emulator, users[ALICE], tmp_path / "alice.key", register=False)
    env = {**oauth1_env(emulator, users[ALICE]), "X_XCHAT_KEY_FILE": str(key)}
    before = invoke("migrate", "check", env=env)
    assert before.exit_code == 1, before.output
    assert f"tweepy-dm migrate register --xchat-key {key}" in before.output

    registered = invoke("migrate", "register", env=env)
    assert registered.exit_code == 0, registered.output
    assert f"registered the public keys of {key} with X: version" in registered.output
    assert key.read_bytes().hex() not in registered.output
    assert invoke("migrate", "check", env=env).exit_code == 0

    again = invoke("migrate", "register", env=env)
    assert again.exit_code == 0, again.output
    assert "is already registered on X" in again.output
    client = tweepy_dm.Client(**users[ALICE], api_url=emulator.url)
    assert len(client.get_user_public_keys(ALICE).data) == 1


def test_migrate_register_without_a_key_file_is_a_usage_error(emulator, users):
    result = invoke("migrate", "register", env=oauth1_env(emulator, users[ALICE]))
    assert result.exit_code == 2
    assert "X_XCHAT_KEY_FILE" in result.output
