"""``tweepy-dm auth`` against the emulator: a PKCE login through the consent page, status,
refresh, exchange, revoke, and the other commands reading the token with --token-store."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from click.testing import CliRunner

from tests.auth.test_oauth2_user_token import consent
from tweepy_dm.cli._app import cli
from tweepy_dm.emulator import DMEmulator


@pytest.fixture
def live():
    # The commands read the real clock: so does this emulator.
    with DMEmulator() as emulator:
        emulator.add_user(1, "alice", "Alice")
        emulator.add_user(2, "bob", "Bob")
        yield emulator


def _env(emulator, store):
    return {
        "X_API_URL": emulator.url,
        "X_CLIENT_ID": emulator.oauth2_client_id,
        "X_CLIENT_SECRET": emulator.oauth2_client_secret,
        "X_TOKEN_STORE": str(store),
    }


class _Request:
    """What consent() needs of an authorization request: its URL and scopes."""

    def __init__(self, url):
        self.url = url
        self.scopes = parse_qs(urlsplit(url).query)["scope"][0].split()


def test_login_through_the_consent_page_then_send_with_the_store(live, tmp_path):
    store = tmp_path / "token.json"
    environment = {**os.environ, **_env(live, store)}
    process = subprocess.Popen(
        [sys.executable, "-m", "tweepy_dm", "auth", "login", "--no-browser", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    try:
        url = process.stdout.readline().strip()
        assert url.startswith(live.url + "/2/oauth2/authorize?")
        callback = consent(live, _Request(url))
        assert requests.get(callback, timeout=10).status_code == 200  # the loopback server
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "Logged in as @alice (1)" in out
    assert oct(store.stat().st_mode & 0o777) == "0o600"
    runner = CliRunner()
    env = _env(live, store)
    status = runner.invoke(cli, ["auth", "status"], env=env)
    assert status.exit_code == 0, status.output
    assert "@alice (1)" in status.output
    assert "dm.write" in status.output
    assert "expires in 119 min" in status.output or "expires in 120 min" in status.output
    stored = store.read_text()
    for token in ("access_token", "refresh_token"):
        secret = stored.split(f'"{token}": "')[1].split('"')[0]
        assert secret not in status.output + out + err
    sent = runner.invoke(cli, ["send", "--to", "2", "hello from the store"], env=env)
    assert sent.exit_code == 0, sent.output
    refreshed = runner.invoke(cli, ["auth", "refresh"], env=env)
    assert refreshed.exit_code == 0, refreshed.output
    assert live.oauth2_stats["refreshes"] == 1
    revoked = runner.invoke(cli, ["auth", "revoke"], env=env)
    assert revoked.exit_code == 0, revoked.output
    assert runner.invoke(cli, ["auth", "status"], env=env).exit_code == 1


def test_exchange_moves_an_oauth1_user(live, tmp_path):
    store = tmp_path / "token.json"
    alice = live.credentials(1)
    env = {
        **_env(live, store),
        "X_ACCESS_TOKEN": alice["access_token"],
        "X_ACCESS_TOKEN_SECRET": alice["access_token_secret"],
    }
    result = CliRunner().invoke(cli, ["auth", "exchange"], env=env)
    assert result.exit_code == 0, result.output
    assert "Exchanged: @alice (1)" in result.output
    assert "invalidates this pair" in result.output
    wrong = CliRunner().invoke(
        cli, ["auth", "exchange"], env={**env, "X_ACCESS_TOKEN_SECRET": "wrong"}
    )
    assert wrong.exit_code == 1
    assert "invalid_grant" in wrong.output
    assert "authorize" in wrong.output
    assert alice["access_token_secret"] not in wrong.output


def test_migrate_check_reports_the_stored_tokens_kind_scopes_and_expiry(live, tmp_path):
    store = tmp_path / "token.json"
    alice = live.credentials(1)
    env = {
        **_env(live, store),
        "X_ACCESS_TOKEN": alice["access_token"],
        "X_ACCESS_TOKEN_SECRET": alice["access_token_secret"],
    }
    assert CliRunner().invoke(cli, ["auth", "exchange"], env=env).exit_code == 0
    result = CliRunner().invoke(cli, ["migrate", "check"], env=_env(live, store))
    assert "OAuth 2.0 user token from" in result.output, result.output
    assert "dm.write" in result.output
    assert "expires in 1" in result.output
    assert "refreshed as it expires" in result.output


def test_a_command_without_a_login_says_what_to_run(live, tmp_path):
    env = _env(live, tmp_path / "empty.json")
    result = CliRunner().invoke(cli, ["send", "--to", "2", "x"], env=env)
    assert result.exit_code == 2
    assert "tweepy-dm auth login" in result.output


def test_the_emulator_command_prints_the_oauth2_client(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "tweepy_dm", "emulator", "--port", "0", "--db", str(tmp_path / "e")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = []
    try:
        while not lines or "Ctrl+C" not in lines[-1]:
            lines.append(process.stdout.readline())
            assert lines[-1], "the emulator stopped before it was ready"
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
    text = "".join(lines)
    assert re.search(r"^export X_CLIENT_ID=emu-\S+$", text, re.M)
    assert re.search(r"^export X_CLIENT_SECRET=\S{20,}$", text, re.M)
