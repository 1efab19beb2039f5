"""``tweepy-dm bots create|list|rotate|revoke|delete`` against the emulator."""

from __future__ import annotations

import logging
import os
import stat
import sys

import pytest

import tweepy_dm
from tests.cli.helpers import CLEAN


def _env(emulator):
    return {"X_API_URL": emulator.url, "X_APP_BEARER_TOKEN": emulator.app_bearer_token}


def invoke(*args, env, input=None):
    """Run ``tweepy-dm`` with its standard output and error apart, whatever click's version."""
    from click.testing import CliRunner

    from tweepy_dm.cli._app import cli

    try:
        runner = CliRunner(mix_stderr=False)  # click < 8.2 mixes them unless told
    except TypeError:  # click 8.2 on: always apart
        runner = CliRunner()
    return runner.invoke(cli, list(args), env={**CLEAN, **env}, input=input, catch_exceptions=False)


def _said(result):
    return result.stdout + result.stderr


def _as_bot(emulator, token):
    return tweepy_dm.Client(bearer_token=token, api_url=emulator.url)


def test_create_prints_the_token_once_on_stdout_alone(emulator, caplog):
    caplog.set_level(logging.DEBUG)
    made = invoke("bots", "create", "help_bot", "--display-name", "Help", env=_env(emulator))
    assert made.exit_code == 0, _said(made)
    token = made.stdout.strip()
    assert token.startswith("xcbot_")
    assert "shows it once" in made.stderr
    assert token not in made.stderr
    assert emulator.app_bearer_token not in _said(made)
    assert all(token not in record.getMessage() for record in caplog.records)
    me = _as_bot(emulator, token).get_me(user_auth=False).data
    assert (me.username, me.name) == ("help_bot", "Help")

    listed = invoke("bots", "list", env=_env(emulator))
    assert listed.exit_code == 0, _said(listed)
    assert listed.stdout.split() == [str(me.id), "@help_bot", "Help"]
    assert "1 bot of 1 allowed" in listed.stderr
    assert token not in _said(listed)


def test_token_file_is_private_and_rotate_revoke_delete(emulator, tmp_path):
    path = tmp_path / "bot.token"
    path.write_text("old\n")
    os.chmod(path, 0o644)
    made = invoke("bots", "create", "help_bot", "--token-file", str(path), env=_env(emulator))
    assert made.exit_code == 0, _said(made)
    token = path.read_text().strip()
    assert token.startswith("xcbot_")
    assert token not in _said(made)
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    bot_id = made.stdout.split()[0]

    rotated = invoke(
        "bots", "rotate", bot_id, "--scope", "users.read", "--scope", "tweet.read",
        "--token-file", str(path), env=_env(emulator),
    )  # fmt: skip
    assert rotated.exit_code == 0, _said(rotated)
    new = path.read_text().strip()
    assert new != token
    assert "scopes tweet.read users.read" in rotated.stderr
    assert str(_as_bot(emulator, new).get_me(user_auth=False).data.id) == bot_id

    revoked = invoke("bots", "revoke", bot_id, env=_env(emulator))
    assert revoked.exit_code == 0, _said(revoked)
    assert f"{bot_id}  revoked" in revoked.stdout

    kept = invoke("bots", "delete", bot_id, env=_env(emulator), input="n\n")
    assert kept.exit_code == 1
    assert "1 bot" in invoke("bots", "list", env=_env(emulator)).stderr
    deleted = invoke("bots", "delete", bot_id, "--yes", env=_env(emulator))
    assert deleted.exit_code == 0, _said(deleted)
    assert "0 bots of 1 allowed" in invoke("bots", "list", env=_env(emulator)).stderr


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (("create", "ab"), 2, "handle must be 5 to 15"),
        (("create", "help_bot", "--scope", "dm.admin"), 2, "dm.admin"),
        (("rotate", "12x"), 2, "bot_id"),
        (("revoke", "999"), 1, "X answered 404"),
        (("delete", "999", "--yes"), 1, "Could not find bot"),
    ],
)
def test_errors_are_one_line_with_the_exit_codes(emulator, args, code, says):
    result = invoke("bots", *args, env=_env(emulator))
    assert result.exit_code == code, _said(result)
    assert says in _said(result)
    assert emulator.app_bearer_token not in _said(result)


def test_a_user_token_or_none_is_refused(emulator):
    user = emulator.add_user(1111, "alice", "Alice")
    refused = invoke(
        "bots", "list", env={"X_API_URL": emulator.url, "X_BEARER_TOKEN": user["bearer_token"]}
    )
    assert refused.exit_code == 1
    assert "Application-Only" in _said(refused)
    assert user["bearer_token"] not in _said(refused)
    missing = invoke("bots", "list", env={"X_API_URL": emulator.url})
    assert missing.exit_code == 2
    assert "X_APP_BEARER_TOKEN" in _said(missing)
    assert "bot management" in _said(missing)


def test_past_max_bots_says_so(emulator):
    assert invoke("bots", "create", "first_bot", env=_env(emulator)).exit_code == 0
    second = invoke("bots", "create", "second_bot", env=_env(emulator))
    assert second.exit_code == 1
    assert "1 of its 1 bots" in _said(second)


def test_a_bot_made_here_registers_its_xchat_keys_with_its_token(emulator, tmp_path):
    if sys.version_info < (3, 10):
        pytest.skip("chatxdk needs Python 3.10+")
    pytest.importorskip("chat_xdk", reason='pip install "tweepy-dm[xchat]"')
    token_file = tmp_path / "bot.token"
    made = invoke(
        "bots", "create", "support_bot", "--token-file", str(token_file), env=_env(emulator)
    )
    assert made.exit_code == 0, _said(made)
    token = token_file.read_text().strip()
    keys = invoke(
        "xchat", "keygen", str(tmp_path / "bot.key"), "--register",
        env={"X_API_URL": emulator.url, "X_BEARER_TOKEN": token},
    )  # fmt: skip
    assert keys.exit_code == 0, _said(keys)
    assert "registered public key version" in _said(keys)
    assert token not in _said(keys)
    bot_id = int(made.stdout.split()[0])
    assert _as_bot(emulator, token).get_user_public_keys(bot_id, user_auth=False).data
