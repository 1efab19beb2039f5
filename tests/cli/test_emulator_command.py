"""``tweepy-dm emulator``: ``--legacy-dms`` and, with chatxdk, the users' XChat key files."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest

pytest.importorskip("click", reason="the cli extra is not installed")

import tweepy_dm
from tests.helpers import refused
from tweepy_dm import _facts


@contextlib.contextmanager
def _run_emulator(*options: str) -> Iterator[tuple[str, list[str]]]:
    """Start ``tweepy-dm emulator``, read what it prints until it is ready, stop it."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tweepy_dm", "emulator", "--port", "0", *options],
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
