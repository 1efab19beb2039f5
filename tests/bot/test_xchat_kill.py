"""kill -9 in the middle of a handler, over XChat with the emulator's legacy DMs off.

A bot process polls XChat; it is killed while its handler runs; another takes
over once the lease ends. Nothing is lost, nothing is answered twice, on SQLite
and on PostgreSQL (``postgres``).
"""

from __future__ import annotations

import collections
import json
import os
import pathlib
import signal
import subprocess
import sys

import pytest

from tests.bot.conftest import ALICE_ID, BOT_ID
from tests.helpers import wait_until

if sys.version_info < (3, 10):
    pytest.skip("chatxdk needs Python 3.10+", allow_module_level=True)
pytest.importorskip("chat_xdk", reason='chatxdk is not installed (pip install "tweepy-dm[xchat]")')

import tweepy_dm
from tweepy_dm.emulator import DMEmulator

ROOT = pathlib.Path(__file__).resolve().parents[2]
TEXTS = ["one", "slow", "three"]


def _start(config, tmp_path, number):
    env = {**os.environ, "XCHAT_BOT_CONFIG": json.dumps(config)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.bot.xchat_worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / f"worker-{number}.err", "wb"),
    )


def _handled(tmp_path):
    lines = []
    for path in sorted(tmp_path.glob("handled-*.log")):
        lines += path.read_text().splitlines()
    return lines


def test_kill_9_during_handling_over_xchat_loses_nothing_answers_once(store_url, tmp_path):
    with DMEmulator(legacy_dms="off") as emulator:
        for user_id, name in ((BOT_ID, "bot"), (ALICE_ID, "alice")):
            emulator.add_user(user_id, name, name.title(), xchat=True)
        alice = tweepy_dm.Client(
            api_url=emulator.url,
            **emulator.credentials(ALICE_ID),
            xchat_key=emulator.xchat_key_blob(ALICE_ID),
            xchat_user_id=ALICE_ID,
        )

        def replies():
            events = alice.get_dm_events(participant_id=BOT_ID, max_results=100).data or []
            return [e.text for e in events if str(e.sender_id) == BOT_ID]

        config = {
            "url": emulator.url,
            "store": store_url,
            "bot_id": BOT_ID,
            "credentials": emulator.credentials(BOT_ID),
            "key": emulator.xchat_key_blob(BOT_ID).hex(),
            "log_dir": str(tmp_path),
        }
        first = _start(config, tmp_path, 1)
        second = None
        try:
            for text in TEXTS:
                emulator.send_chat(ALICE_ID, BOT_ID, text)
            wait_until(
                lambda: any(line.endswith(" slow") for line in _handled(tmp_path)),
                timeout=60,
                what=lambda: (tmp_path / "worker-1.err").read_text(),
            )
            first.send_signal(signal.SIGKILL)  # in the middle of the slow handler
            first.wait(10)
            second = _start(config, tmp_path, 2)
            wait_until(
                lambda: len(replies()) >= len(TEXTS),
                timeout=60,
                what=lambda: (tmp_path / "worker-2.err").read_text(),
            )
            second.send_signal(signal.SIGTERM)
            second.wait(30)
        finally:
            for process in (first, second):
                if process is not None and process.poll() is None:
                    process.kill()
                    process.wait()
        assert sorted(replies()) == sorted(f"re {text}" for text in TEXTS)  # each once
    handled = collections.Counter(line.split(" ", 1)[1] for line in _handled(tmp_path))
    assert handled["slow"] == 2  # killed once, then handled again
    assert set(handled) == set(TEXTS)
