"""tweepy-dm export: complete, resumable, incremental, patient with X."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys

import pytest

click_testing = pytest.importorskip("click.testing", reason="the cli extra is not installed")

import tweepy_dm  # noqa: E402
from tests.cli.helpers import (  # noqa: E402
    ALICE,
    BOB,
    ONE_TO_ONE,
    bearer_env,
    export_lines,
    invoke,
    oauth1_env,
)
from tests.helpers import wait_until  # noqa: E402
from tweepy_dm.cli import _export  # noqa: E402


def test_export_then_incremental(emulator, users, tmp_path):
    emulator.seed_messages(ONE_TO_ONE, 250, text="old {i}")
    env = oauth1_env(emulator, users[ALICE])
    path = tmp_path / "dms.jsonl"

    result = invoke("export", str(path), env=env)
    assert result.exit_code == 0, result.output
    assert "page 3: 250 new events so far" in result.output  # plain lines off a terminal
    first = export_lines(path)
    assert len(first) == 250
    assert all(line["sender_username"] in ("alice", "bob") for line in first)
    assert [int(line["id"]) for line in first] == sorted(
        (int(line["id"]) for line in first), reverse=True
    )

    alice = tweepy_dm.Client(api_url=emulator.url, **users[ALICE])
    for index in range(3):
        alice.create_dm(participant_id=BOB, text=f"new {index}")
    result = invoke("export", str(path), env=env)
    assert result.exit_code == 0
    assert "wrote 3 events" in result.output
    lines = export_lines(path)
    assert [line["text"] for line in lines[250:]] == ["new 2", "new 1", "new 0"]
    assert len({line["id"] for line in lines}) == 253

    result = invoke("export", str(path), env=env)
    assert "wrote 0 events" in result.output
    assert len(export_lines(path)) == 253


def test_export_since_id_and_conversation(emulator, users, tmp_path):
    ids = emulator.seed_messages(ONE_TO_ONE, 30)
    path = tmp_path / "recent.jsonl"
    env = oauth1_env(emulator, users[ALICE])
    result = invoke(
        "export", str(path), "--conversation", ONE_TO_ONE, "--since-id", ids[19], env=env
    )
    assert result.exit_code == 0, result.output
    assert [line["id"] for line in export_lines(path)] == list(reversed(ids[20:]))


def test_export_waits_out_429_and_retries_503(emulator, users, tmp_path, monkeypatch):
    waits = []
    monkeypatch.setattr(_export, "_sleep", waits.append)
    emulator.seed_messages(ONE_TO_ONE, 350)
    emulator.inject_fault(429, count=2, path="/2/dm_events")
    emulator.inject_fault(503, count=2, path="/2/dm_events")
    path = tmp_path / "dms.jsonl"
    result = invoke("export", str(path), env=oauth1_env(emulator, users[BOB]))
    assert result.exit_code == 0, result.output
    assert "Rate limited by X" in result.output
    assert "X answered 503: retrying" in result.output
    assert len(waits) == 4
    lines = export_lines(path)
    assert len(lines) == 350
    assert len({line["id"] for line in lines}) == 350


def test_export_gives_up_after_repeated_5xx(emulator, users, tmp_path, monkeypatch):
    monkeypatch.setattr(_export, "_sleep", lambda seconds: None)
    emulator.seed_messages(ONE_TO_ONE, 10)
    emulator.inject_fault(500, count=10, path="/2/dm_events")
    result = invoke("export", str(tmp_path / "x.jsonl"), env=oauth1_env(emulator, users[BOB]))
    assert result.exit_code == 1
    assert "X answered 500" in result.output


def test_export_killed_midway_resumes_without_loss_or_duplicates(emulator, users, tmp_path):
    """A real subprocess, killed with SIGKILL after some pages, then run again."""
    expected = emulator.seed_messages(ONE_TO_ONE, 6000, text="m{i}")
    path = tmp_path / "dms.jsonl"
    state = tmp_path / "dms.jsonl.state.json"
    env = {**os.environ, **oauth1_env(emulator, users[ALICE])}
    command = [sys.executable, "-m", "tweepy_dm", "export", str(path)]

    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )

    def a_thousand_exported_or_done():
        if process.poll() is not None:
            return True
        return state.exists() and json.loads(state.read_text())["count"] >= 1000

    wait_until(a_thousand_exported_or_done, timeout=30, what="1,000 events exported")
    process.send_signal(signal.SIGKILL)
    process.wait()
    # The file may end in half a line now; the state says what was complete.
    recorded = json.loads(state.read_text()) if state.exists() else {"count": 0, "complete": False}
    assert not recorded["complete"], "the export finished before it could be interrupted"

    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert finished.returncode == 0, finished.stderr
    assert "Resumed" in finished.stdout
    lines = export_lines(path)
    ids = [line["id"] for line in lines]
    assert len(ids) == len(set(ids)) == 6000
    assert sorted(ids, key=int) == expected


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals need a POSIX system")
def test_export_shows_a_progress_bar_on_a_terminal(emulator, users, tmp_path):
    import pty

    emulator.seed_messages(ONE_TO_ONE, 250)
    env = {**os.environ, **bearer_env(emulator, users[ALICE])}
    main, child = pty.openpty()
    path = tmp_path / "dms.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-m", "tweepy_dm", "export", str(path)],
        stdin=child, stdout=child, stderr=child, env=env,
    )  # fmt: skip
    os.close(child)
    output = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the terminal closed: the export exited
            break
        if not chunk:
            break
        output += chunk
    os.close(main)
    assert process.wait(timeout=30) == 0
    text = output.decode(errors="replace")
    assert "Exported 250 new events" in text  # the live progress line
    assert "page 1:" not in text  # the plain lines are for pipes and files
    assert len(export_lines(path)) == 250


def test_export_counts_one_event_in_the_singular(emulator, users, tmp_path):
    alice = tweepy_dm.Client(api_url=emulator.url, **users[ALICE])
    alice.create_dm(participant_id=BOB, text="only one")
    path = tmp_path / "one.jsonl"
    result = invoke("export", str(path), env=oauth1_env(emulator, users[ALICE]))
    assert result.exit_code == 0, result.output
    assert f"page 1: 1 new event so far, 1 in {path}" in result.output
    assert "Exported: wrote 1 event in" in result.output
    assert f"{path} holds 1 event." in result.output
    assert not re.search(r"\b1 (new )?events\b", result.output)


def test_export_says_each_wait_once_in_its_own_words(emulator, users, tmp_path):
    # A real process: under pytest, logging has handlers and would hide a stray log line.
    emulator.seed_messages(ONE_TO_ONE, 10)
    emulator.inject_fault(429, path="/2/dm_events")
    no_waiting = (
        "import runpy, sys, time; time.sleep = lambda seconds: None;"
        " sys.argv[0] = 'tweepy-dm'; runpy.run_module('tweepy_dm', run_name='__main__')"
    )
    finished = subprocess.run(
        [sys.executable, "-c", no_waiting, "export", str(tmp_path / "x.jsonl")],
        env={**os.environ, **oauth1_env(emulator, users[BOB])},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert finished.returncode == 0, finished.stderr
    assert finished.stderr.count("Rate limited by X: waiting") == 1
    assert "Sleeping for" not in finished.stderr  # the library's log line stays quiet
