"""``tweepy-dm emulator``: ``--legacy-dms`` and, with chatxdk, the users' XChat key files."""

from __future__ import annotations

import contextlib
import pathlib
import re
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator

import pytest

pytest.importorskip("click", reason="the cli extra is not installed")

import tweepy_dm
from tests.cli.helpers import invoke
from tests.helpers import refused
from tweepy_dm import _facts

try:
    import tweepy_dm.xchat as xchat
except ImportError:  # chatxdk needs Python 3.10+ and the xchat extra
    xchat = None
needs_chatxdk = pytest.mark.skipif(xchat is None, reason="chatxdk (Python 3.10+) is not installed")


@contextlib.contextmanager
def _run_emulator(*options: str, python: tuple = ("-m", "tweepy_dm")) -> Iterator[tuple]:
    """Start ``tweepy-dm emulator``, read what it prints until it is ready, stop it."""
    process = subprocess.Popen(
        [sys.executable, *python, "emulator", "--port", "0", *options],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    lines: list[str] = []
    try:
        while not lines or "Ctrl+C" not in lines[-1]:
            lines.append(process.stdout.readline())
            assert lines[-1], "the emulator stopped before it was ready: " + process.stderr.read()
        yield "".join(lines), lines
    finally:
        # SIGTERM, not SIGINT: a shell's background jobs start with SIGINT ignored.
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
    assert process.returncode == 0


def _exports(lines: list[str]) -> list[dict[str, str]]:
    """Each printed user's block of ``export NAME=VALUE`` lines, as a mapping."""
    blocks: list[dict[str, str]] = []
    for line in lines:
        if line.startswith("# @"):
            blocks.append({})
        elif line.startswith("export ") and blocks:
            name, value = line[len("export ") :].strip().split("=", 1)
            blocks[-1][name] = value
    return blocks


def _client(block: dict[str, str]) -> tweepy_dm.Client:
    return tweepy_dm.Client(
        api_url=block["X_API_URL"],
        consumer_key=block["X_CONSUMER_KEY"],
        consumer_secret=block["X_CONSUMER_SECRET"],
        access_token=block["X_ACCESS_TOKEN"],
        access_token_secret=block["X_ACCESS_TOKEN_SECRET"],
    )


def test_legacy_dms_off_refuses_legacy_sends():
    with _run_emulator("--legacy-dms", "off") as (text, lines):
        assert "legacy DMs off" in text
        alice, _ = _exports(lines)
        with refused(403, _facts.LEGACY_DM_ENDED_DETAIL):
            _client(alice).create_dm(participant_id=2, text="after the cutover")


def test_legacy_dms_takes_only_the_three_modes():
    result = subprocess.run(
        [sys.executable, "-m", "tweepy_dm", "emulator", "--legacy-dms", "readonly"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert "'on', 'read-only', 'off'" in result.stderr or "on, read-only, off" in result.stderr


@needs_chatxdk
def test_each_user_gets_a_registered_key_file_removed_at_the_end():
    with _run_emulator() as (text, lines):
        folder = pathlib.Path(re.search(r"XChat key files in (\S+)", text).group(1))
        alice, bob = _exports(lines)
        paths = [pathlib.Path(block["X_XCHAT_KEY_FILE"]) for block in (alice, bob)]
        for path in paths:
            assert path.parent == folder
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        # The keys are registered: alice's file opens a conversation with bob's keys.
        sender = xchat.XChat(_client(alice), key_blob=paths[0].read_bytes(), user_id=1)
        sent = sender.send(2, "Hello through the key files")
        # tweepy-dm xchat finds bob's file through the printed variable alone.
        read = invoke("xchat", "read", "--with", "1", "--user-id", "2", env=bob)
        assert read.exit_code == 0, read.output
        assert "Hello through the key files" in read.output
        assert sent.text == "Hello through the key files"
    assert not folder.exists()


def test_without_chatxdk_no_key_file_is_printed():
    blocker = (
        "import sys; sys.modules['chat_xdk'] = None; sys.argv[0] = 'tweepy-dm'; "
        "from tweepy_dm.cli._main import main; main()"
    )
    with _run_emulator(python=("-c", blocker)) as (text, lines):
        assert "X_XCHAT_KEY_FILE" not in text
        assert "key files" not in text
        assert all("X_CONSUMER_KEY" in block for block in _exports(lines))
