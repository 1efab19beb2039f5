"""The tweepy-dm commands, end to end against the emulator."""

from __future__ import annotations

import io
import json
import signal
import subprocess
import sys

import pytest

click_testing = pytest.importorskip("click.testing", reason="the cli extra is not installed")

import tweepy_dm  # noqa: E402
from tests.cli.helpers import (  # noqa: E402
    ALICE,
    BOB,
    CAROL,
    ONE_TO_ONE,
    bearer_env,
    invoke,
    oauth1_env,
)


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


def test_without_the_cli_extra_it_says_how_to_install():
    blocker = (
        "import sys; sys.modules['click'] = None; from tweepy_dm.cli._main import main; main()"
    )
    result = subprocess.run([sys.executable, "-c", blocker], capture_output=True, text=True)
    assert result.returncode == 2
    assert "pip install 'tweepy-dm[cli]'" in result.stderr
