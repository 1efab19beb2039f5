"""The tweepy-dm command line, end to end against the emulator."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time

import pytest

click_testing = pytest.importorskip("click.testing", reason="the cli extra is not installed")

import tweepy_dm  # noqa: E402
from tweepy_dm.cli import _export  # noqa: E402
from tweepy_dm.cli._app import cli  # noqa: E402
from tweepy_dm.emulator import DMEmulator  # noqa: E402

ALICE, BOB, CAROL = "1001", "1002", "1003"
ONE_TO_ONE = f"{ALICE}-{BOB}"


@pytest.fixture
def emulator():
    with DMEmulator() as server:
        yield server


@pytest.fixture
def users(emulator):
    return {
        user_id: emulator.add_user(user_id, name, name.title())
        for user_id, name in ((ALICE, "alice"), (BOB, "bob"), (CAROL, "carol"))
    }


def oauth1_env(emulator, credentials):
    return {
        "X_API_URL": emulator.url,
        "X_CONSUMER_KEY": credentials["consumer_key"],
        "X_CONSUMER_SECRET": credentials["consumer_secret"],
        "X_ACCESS_TOKEN": credentials["access_token"],
        "X_ACCESS_TOKEN_SECRET": credentials["access_token_secret"],
    }


def bearer_env(emulator, credentials):
    return {"X_API_URL": emulator.url, "X_BEARER_TOKEN": credentials["bearer_token"]}


CLEAN = dict.fromkeys(
    ["X_API_URL", "X_CONSUMER_KEY", "X_CONSUMER_SECRET", "X_ACCESS_TOKEN",
     "X_ACCESS_TOKEN_SECRET", "X_BEARER_TOKEN"]
)  # fmt: skip


def invoke(*args, env=None):
    runner = click_testing.CliRunner()
    return runner.invoke(cli, list(args), env={**CLEAN, **(env or {})}, catch_exceptions=False)


def test_version_and_help():
    assert invoke("--version").output.strip() == f"tweepy-dm, version {tweepy_dm.__version__}"
    for command in ("send", "events", "export", "emulator", "demo"):
        result = invoke(command, "--help")
        assert result.exit_code == 0, command
        assert "Usage: " in result.output


def test_missing_credentials_are_a_usage_error():
    result = invoke("events")
    assert result.exit_code == 2
    assert (
        "X_CONSUMER_KEY, X_CONSUMER_SECRET, X_ACCESS_TOKEN, X_ACCESS_TOKEN_SECRET" in result.output
    )
    assert "X_BEARER_TOKEN" in result.output


def test_partial_credentials_name_what_is_missing_and_never_print_secrets():
    secret = "very-secret-consumer-value"
    result = invoke("events", env={"X_CONSUMER_KEY": "key", "X_CONSUMER_SECRET": secret})
    assert result.exit_code == 2
    assert "missing X_ACCESS_TOKEN, X_ACCESS_TOKEN_SECRET" in result.output
    assert secret not in result.output


def test_send_to_user_into_conversation_and_group(emulator, users):
    env = oauth1_env(emulator, users[ALICE])
    result = invoke("send", "--to", BOB, "Hello Bob", env=env)
    assert result.exit_code == 0, result.output
    assert f"dm_conversation_id: {ONE_TO_ONE}" in result.output
    event_id = result.output.split("dm_event_id: ")[1].split()[0]

    result = invoke("send", "--conversation", ONE_TO_ONE, "Second", env=env)
    assert result.exit_code == 0

    result = invoke("send", "--group", f"{BOB},{CAROL}", "Group hello", env=env)
    assert result.exit_code == 0
    group_id = result.output.split("dm_conversation_id: ")[1].split()[0]

    bob = tweepy_dm.Client(api_url=emulator.url, **users[BOB])
    texts = [event.text for event in bob.get_dm_events(dm_conversation_id=ONE_TO_ONE).data]
    assert texts == ["Second", "Hello Bob"]
    assert bob.get_dm_event(event_id).data.text == "Hello Bob"
    group_events = bob.get_dm_events(dm_conversation_id=group_id).data
    assert "Group hello" in [event.text for event in group_events]


def test_send_with_media_and_bearer_token(emulator, users, tmp_path):
    picture = tmp_path / "p.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    env = bearer_env(emulator, users[ALICE])
    result = invoke("send", "--to", BOB, "--media", str(picture), env=env)
    assert result.exit_code == 0, result.output
    event_id = result.output.split("dm_event_id: ")[1].split()[0]
    bob = tweepy_dm.Client(api_url=emulator.url, **users[BOB])
    event = bob.get_dm_event(event_id, dm_event_fields=["attachments"]).data
    assert event.attachments["media_keys"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Hi"], "--to USER_ID"),
        (["--to", "1", "--group", "1,2", "Hi"], "only one of"),
        (["--to", BOB], "TEXT"),
        (["--to", "not-an-id", "Hi"], "participant_id"),
    ],
)
def test_send_usage_errors(emulator, users, args, message):
    result = invoke("send", *args, env=oauth1_env(emulator, users[ALICE]))
    assert result.exit_code == 2
    assert message in result.output


def test_api_errors_exit_1_with_xs_message(emulator, users):
    bob = tweepy_dm.Client(api_url=emulator.url, **users[BOB])
    bob.block_dms(ALICE)
    result = invoke("send", "--to", BOB, "Hi", env=oauth1_env(emulator, users[ALICE]))
    assert result.exit_code == 1
    assert "X answered 403" in result.output


def test_events_table_shows_text_as_written(emulator, users, tmp_path):
    alice = tweepy_dm.Client(api_url=emulator.url, **users[ALICE])
    alice.create_dm(participant_id=BOB, text="[bold]not markup[/bold] and [media]")
    media = alice.upload_dm_media(io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(64)))
    alice.create_dm(participant_id=BOB, media_id=media.id)
    result = invoke("events", env=oauth1_env(emulator, users[BOB]))
    assert "[bold]not markup[/bold] and [media]" in result.output
    assert result.output.count("[media]") == 2  # the text's own, and the attachment marker


def test_failed_media_processing_exits_1(emulator, users, tmp_path, monkeypatch):
    video = tmp_path / "broken.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(100))

    def fail(*args, **kwargs):
        raise tweepy_dm.MediaProcessingError("1", "InvalidMedia", "Unsupported codec")

    monkeypatch.setattr(tweepy_dm.Client, "upload_dm_media", fail)
    result = invoke(
        "send", "--to", BOB, "--media", str(video), env=oauth1_env(emulator, users[ALICE])
    )
    assert result.exit_code == 1
    assert "InvalidMedia - Unsupported codec" in result.output


def test_events_formats_and_paging(emulator, users):
    emulator.seed_messages(ONE_TO_ONE, 150, sender_ids=[ALICE], text="seeded {i}")
    env = oauth1_env(emulator, users[BOB])

    result = invoke("events", "--with", ALICE, "--limit", "120", "--format", "jsonl", env=env)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert len(lines) == 120
    assert lines[0]["text"] == "seeded 149"
    assert lines[0]["sender_username"] == "alice"
    assert len({line["id"] for line in lines}) == 120

    result = invoke(
        "events", "--conversation", ONE_TO_ONE, "--limit", "3", "--format", "json", env=env
    )
    assert [event["text"] for event in json.loads(result.output)] == [
        "seeded 149",
        "seeded 148",
        "seeded 147",
    ]

    result = invoke("events", "--limit", "2", env=env)
    assert "@alice" in result.output
    assert "seeded 149" in result.output

    result = invoke("events", "--types", "ParticipantsJoin", "--format", "json", env=env)
    assert json.loads(result.output) == []


def _export_lines(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def test_export_then_incremental(emulator, users, tmp_path):
    emulator.seed_messages(ONE_TO_ONE, 250, text="old {i}")
    env = oauth1_env(emulator, users[ALICE])
    path = tmp_path / "dms.jsonl"

    result = invoke("export", str(path), env=env)
    assert result.exit_code == 0, result.output
    assert "page 3: 250 new events so far" in result.output  # plain lines off a terminal
    first = _export_lines(path)
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
    lines = _export_lines(path)
    assert [line["text"] for line in lines[250:]] == ["new 2", "new 1", "new 0"]
    assert len({line["id"] for line in lines}) == 253

    result = invoke("export", str(path), env=env)
    assert "wrote 0 events" in result.output
    assert len(_export_lines(path)) == 253


def test_export_since_id_and_conversation(emulator, users, tmp_path):
    ids = emulator.seed_messages(ONE_TO_ONE, 30)
    path = tmp_path / "recent.jsonl"
    env = oauth1_env(emulator, users[ALICE])
    result = invoke(
        "export", str(path), "--conversation", ONE_TO_ONE, "--since-id", ids[19], env=env
    )
    assert result.exit_code == 0, result.output
    assert [line["id"] for line in _export_lines(path)] == list(reversed(ids[20:]))


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
    lines = _export_lines(path)
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
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        if state.exists() and json.loads(state.read_text())["count"] >= 1000:
            break
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    # The file may end in half a line now; the state says what was complete.
    recorded = json.loads(state.read_text()) if state.exists() else {"count": 0, "complete": False}
    assert not recorded["complete"], "the export finished before it could be interrupted"

    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert finished.returncode == 0, finished.stderr
    assert "Resumed" in finished.stdout
    lines = _export_lines(path)
    ids = [line["id"] for line in lines]
    assert len(ids) == len(set(ids)) == 6000
    assert sorted(ids, key=int) == expected


def test_emulator_command_prints_url_and_credentials(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "tweepy_dm", "emulator", "--port", "0", "--db", str(tmp_path / "e.db")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    lines = []
    try:
        while not lines or "Ctrl+C" not in lines[-1]:
            lines.append(process.stdout.readline())
            assert lines[-1], "the emulator stopped before it was ready"
    finally:
        # SIGTERM, not SIGINT: a shell's background jobs start with SIGINT ignored.
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
    text = "".join(lines)
    url = next(
        line.split("=", 1)[1].strip() for line in lines if line.startswith("export X_API_URL=")
    )
    token = next(
        line.split("=", 1)[1].strip() for line in lines if line.startswith("export X_BEARER_TOKEN=")
    )
    assert url.startswith("http://127.0.0.1:")
    assert "@alice (id 1)" in text
    assert "@bob (id 2)" in text
    assert token
    assert process.returncode == 0
    assert "Stopped." in process.stdout.read()


def test_demo_runs():
    result = invoke("demo")
    assert result.exit_code == 0, result.output
    assert "Demo complete" in result.output
    assert "403" in result.output


def test_without_the_cli_extra_it_says_how_to_install():
    blocker = "import sys; sys.modules['click'] = None; from tweepy_dm.cli._main import main; main()"
    result = subprocess.run([sys.executable, "-c", blocker], capture_output=True, text=True)
    assert result.returncode == 2
    assert "pip install 'tweepy-dm[cli]'" in result.stderr


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
    assert len(_export_lines(path)) == 250
