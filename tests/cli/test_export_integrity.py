"""tweepy-dm export never writes or reports what is not so: checks, lock, leftovers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

pytest.importorskip("click.testing", reason="the cli extra is not installed")

from tests.cli.helpers import ALICE, ONE_TO_ONE, export_lines, invoke, oauth1_env

posix_only = pytest.mark.skipif(
    sys.platform == "win32", reason="kill -9 and POSIX file locks need a POSIX system"
)


@pytest.fixture
def exported(emulator, users, tmp_path):
    """A complete export of 150 events: (path, state path, environment)."""
    emulator.seed_messages(ONE_TO_ONE, 150, text="m{i}")
    env = oauth1_env(emulator, users[ALICE])
    path = tmp_path / "dms.jsonl"
    result = invoke("export", str(path), env=env)
    assert result.exit_code == 0, result.output
    return path, tmp_path / "dms.jsonl.state.json", env


def test_a_missing_file_stops_the_export_and_says_how_to_start_over(exported):
    path, state, env = exported
    recorded = state.read_bytes()
    path.unlink()
    result = invoke("export", str(path), env=env)
    assert result.exit_code == 2, result.output
    assert f"{path} is missing" in result.output
    assert "150 events" in result.output
    assert f"delete {state}" in result.output
    assert f"{path} holds" not in result.output  # no count of events it does not hold
    assert not path.exists()  # not recreated, let alone padded
    assert state.read_bytes() == recorded


@pytest.mark.parametrize("keep", [0.5, 0.999])
def test_a_shorter_file_stops_the_export_and_is_left_as_it_is(exported, keep):
    path, state, env = exported
    content = path.read_bytes()
    cut = content[: int(len(content) * keep)]
    path.write_bytes(cut)
    result = invoke("export", str(path), env=env)
    assert result.exit_code == 2, result.output
    assert f"{path} has only {len(cut):,} bytes" in result.output
    assert f"delete {state}" in result.output
    assert path.read_bytes() == cut  # no NUL padding, nothing appended
    assert json.loads(state.read_text())["bytes"] == len(content)


def test_a_file_changed_where_its_last_line_ends_stops_the_export(exported):
    path, _, env = exported
    content = path.read_bytes()
    path.write_bytes(content[:-1] + b" more text\n")  # the recorded end is no longer a newline
    result = invoke("export", str(path), env=env)
    assert result.exit_code == 2, result.output
    assert "does not end a line" in result.output
    assert path.read_bytes() == content[:-1] + b" more text\n"


def test_a_longer_file_is_an_interrupted_run_and_is_cut_back(exported, emulator, users):
    path, _, env = exported
    with open(path, "ab") as handle:
        handle.write(b'{"id": "half a li')  # what a run killed mid-page leaves
    result = invoke("export", str(path), env=env)
    assert result.exit_code == 0, result.output
    assert len(export_lines(path)) == 150


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b"\xff\xfe\x00binary",
        b"[]",
        b'{"version": 1}',
        b'{"version": 2, "query": {}}',
        json.dumps(
            {
                "version": 1,
                "query": {"dm_conversation_id": None, "participant_id": None},
                "bytes": "12",
                "count": 1,
                "complete": True,
                "next_token": None,
                "stop_at_id": None,
                "newest_id": "5",
                "run_newest_id": None,
                "run_oldest_id": None,
            }
        ).encode(),
    ],
    ids=["empty", "not-json", "binary", "list", "no-fields", "other-version", "bytes-string"],
)
def test_a_corrupt_state_file_is_named(exported, content):
    path, state, env = exported
    state.write_bytes(content)
    before = path.read_bytes()
    result = invoke("export", str(path), env=env)
    assert result.exit_code == 2, result.output
    assert f"{state} is not an export state tweepy-dm can read" in result.output
    assert f"delete {state} and {path}" in result.output
    assert path.read_bytes() == before


def _run_export_in_background(path, env):
    return subprocess.Popen(
        [sys.executable, "-m", "tweepy_dm", "export", str(path)],
        env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _wait_for_line(stream, text, timeout=30):
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        line = stream.readline()
        if not line:
            break
        seen.append(line)
        if text in line:
            return
    raise AssertionError(f"no {text!r} in {seen}")


@posix_only
def test_a_second_export_of_the_same_file_stops_at_once_and_a_killed_one_blocks_nothing(
    emulator, users, tmp_path
):
    emulator.seed_messages(ONE_TO_ONE, 250, text="m{i}")
    env = oauth1_env(emulator, users[ALICE])
    path = tmp_path / "dms.jsonl"
    # The first export meets a rate limit that resets in an hour, and waits.
    emulator.inject_fault(
        429, path="/2/dm_events", headers={"x-rate-limit-reset": str(int(time.time()) + 3600)}
    )
    first = _run_export_in_background(path, env)
    try:
        _wait_for_line(first.stderr, "Rate limited by X")
        # While the first holds the file (for an hour), the second returns at once.
        second = invoke("export", str(path), env=env)
        assert second.exit_code == 2, second.output
        assert f"another export is writing {path}" in second.output
        assert f"{path}.lock" in second.output
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    # The killed export's lock is gone with it.
    third = invoke("export", str(path), env=env)
    assert third.exit_code == 0, third.output
    assert len({line["id"] for line in export_lines(path)}) == 250
    assert sorted(os.listdir(tmp_path)) == ["dms.jsonl", "dms.jsonl.state.json"]


# Dies by SIGKILL at the worst moment: the new state is written to its temporary
# file, not yet renamed over the old one.
KILLED_WHILE_SAVING_STATE = """
import os, runpy, signal, sys
replace = os.replace
def dying_replace(source, target, *args, **kwargs):
    if str(target).endswith(".state.json"):
        os.kill(os.getpid(), signal.SIGKILL)
    return replace(source, target, *args, **kwargs)
os.replace = dying_replace
sys.argv = ["tweepy-dm", "export", sys.argv[1]]
runpy.run_module("tweepy_dm", run_name="__main__", alter_sys=True)
"""


@posix_only
def test_temporary_state_files_do_not_outlive_a_run_even_after_kill_9(emulator, users, tmp_path):
    emulator.seed_messages(ONE_TO_ONE, 250, text="m{i}")
    env = oauth1_env(emulator, users[ALICE])
    path = tmp_path / "dms.jsonl"
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_WHILE_SAVING_STATE, str(path)],
        env={**os.environ, **env}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    left = set(os.listdir(tmp_path)) - {"dms.jsonl"}
    assert left, "the killed run left no temporary state file: the test proves nothing"
    assert "dms.jsonl.state.json" not in left  # it died before its first state was saved

    result = invoke("export", str(path), env=env)
    assert result.exit_code == 0, result.output
    assert len({line["id"] for line in export_lines(path)}) == 250
    assert sorted(os.listdir(tmp_path)) == ["dms.jsonl", "dms.jsonl.state.json"]


def test_old_temporary_state_files_are_removed_only_when_surely_stale(emulator, users, tmp_path):
    # tweepy-dm 0.1 named them with tempfile.mkstemp; one killed long ago is
    # stale, one written a moment ago may be a running 0.1 export's.
    emulator.seed_messages(ONE_TO_ONE, 5)
    stale = tmp_path / ".tweepy-dm-state-k3j_9x0a"
    fresh = tmp_path / ".tweepy-dm-state-q8w2e4r6"
    unrelated = tmp_path / ".tweepy-dm-state-notes.txt"
    another_export = tmp_path / "other.jsonl.state.json.tmp"
    for leftover in (stale, fresh, unrelated, another_export):
        leftover.write_text("{}")
    an_hour_ago = time.time() - 3600
    for old in (stale, unrelated, another_export):
        os.utime(old, (an_hour_ago, an_hour_ago))
    result = invoke("export", str(tmp_path / "dms.jsonl"), env=oauth1_env(emulator, users[ALICE]))
    assert result.exit_code == 0, result.output
    assert not stale.exists()
    assert fresh.exists()
    assert unrelated.exists()
    assert another_export.exists()


def test_an_export_into_a_missing_folder_says_so(emulator, users, tmp_path):
    path = tmp_path / "no-such-folder" / "dms.jsonl"
    result = invoke("export", str(path), env=oauth1_env(emulator, users[ALICE]))
    assert result.exit_code == 2, result.output
    assert f"there is no folder {tmp_path / 'no-such-folder'}" in result.output
    assert not (tmp_path / "no-such-folder").exists()
