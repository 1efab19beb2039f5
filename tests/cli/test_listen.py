"""``tweepy-dm listen`` in a real subprocess, against ``tweepy-dm emulator`` and DMEmulator."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading

import tweepy_dm
from tests.cli.helpers import INTERRUPTIBLE_CLI, invoke
from tweepy_dm.cli._listen import event_row, table_line

WAIT = 30  # seconds; only ever waited out when something is broken


def _clean_env(**variables: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("X_")}
    env.update(variables)
    return env


class _Lines:
    """A pipe read by a thread, so that a test can wait for a line with a deadline."""

    def __init__(self, pipe) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(pipe,), daemon=True)
        self._thread.start()

    def _read(self, pipe) -> None:
        for line in iter(pipe.readline, ""):
            self.lines.put(line)
        self.lines.put("")

    def next(self) -> str:
        line = self.lines.get(timeout=WAIT)
        self.seen.append(line)
        return line

    def until(self, text: str) -> list[str]:
        while True:
            line = self.next()
            assert line, f"the process ended before printing {text!r}: {self.seen}"
            if text in line:
                return self.seen

    def rest(self) -> str:
        self._thread.join(WAIT)
        parts = []
        while not self.lines.empty():
            parts.append(self.lines.get())
        return "".join(self.seen + parts)


def _listen(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [*INTERRUPTIBLE_CLI, "listen", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stop(process: subprocess.Popen, stderr: _Lines) -> str:
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=WAIT) == 0
    return stderr.rest()


def test_listen_prints_each_dm_against_a_running_tweepy_dm_emulator():
    server = subprocess.Popen(
        [sys.executable, "-m", "tweepy_dm", "emulator", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    listener = None
    try:
        printed = _Lines(server.stdout).until("Ctrl+C")
        sections: dict[str, dict[str, str]] = {}
        section = ""
        for line in printed:
            if line.startswith("# "):
                section = line[2:].strip()
            elif line.startswith("export "):
                key, value = line[len("export ") :].strip().split("=", 1)
                sections.setdefault(section, {})[key] = value
        alice, bob = sections["@alice (id 1)"], sections["@bob (id 2)"]
        app = sections["the app (tweepy-dm listen, webhooks)"]
        url = alice["X_API_URL"]
        bob_client = tweepy_dm.Client(api_url=url, bearer_token=bob["X_BEARER_TOKEN"])
        bob_client.create_activity_subscription(event_type="dm.received", user_id=2)

        # --backfill: a DM sent before the stream is connected is printed too.
        env = _clean_env(X_API_URL=url, **app)
        listener = _listen(env, "--format", "jsonl", "--types", "dm.received", "--backfill", "1")
        stdout, stderr = _Lines(listener.stdout), _Lines(listener.stderr)
        alice_client = tweepy_dm.Client(
            api_url=url,
            consumer_key=alice["X_CONSUMER_KEY"],
            consumer_secret=alice["X_CONSUMER_SECRET"],
            access_token=alice["X_ACCESS_TOKEN"],
            access_token_secret=alice["X_ACCESS_TOKEN_SECRET"],
        )
        sent = alice_client.create_dm(participant_id=2, text="Hi Bob,\nlunch?")
        row = json.loads(stdout.next())
        assert row["event_type"] == "dm.received"
        assert row["id"] == str(sent.data["dm_event_id"])
        assert row["text"] == "Hi Bob,\nlunch?"
        assert row["sender_id"] == "1"
        assert row["sender_username"] == "alice"
        assert row["dm_conversation_id"] == "1-2"
        assert row["user_id"] == "2"
        looked_up = bob_client.get_dm_event(
            row["id"], dm_event_fields=["created_at"], user_auth=False
        )
        assert row["created_at"] == looked_up.data.data["created_at"]
        assert row["event_uuid"]

        alice_client.create_dm(participant_id=2, text="second")
        assert json.loads(stdout.next())["text"] == "second"
        err = _stop(listener, stderr)
        assert "Stopped: 2 events, 0 reconnects" in err
        assert app["X_APP_BEARER_TOKEN"] not in err
    finally:
        if listener is not None and listener.poll() is None:
            listener.kill()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=WAIT)


def test_listen_reports_its_reconnects_on_stderr_and_prints_each_event_once(emulator):
    alice = emulator.add_user(1, "alice", "Alice")
    bob = emulator.add_user(2, "bob", "Bob")
    tweepy_dm.Client(
        api_url=emulator.url, bearer_token=bob["bearer_token"]
    ).create_activity_subscription(event_type="dm.received", user_id=2)
    # X_BEARER_TOKEN is the fallback when no X_APP_BEARER_TOKEN is set.
    env = _clean_env(X_API_URL=emulator.url, X_BEARER_TOKEN=emulator.app_bearer_token)
    listener = _listen(env, "--backfill", "1")
    stdout, stderr = _Lines(listener.stdout), _Lines(listener.stderr)
    try:
        client = tweepy_dm.Client(api_url=emulator.url, **alice)
        client.create_dm(participant_id=2, text="one")
        assert "one" in stdout.next()
        emulator.disconnect_streams()
        stderr.until("Reconnected")
        client.create_dm(participant_id=2, text="two\nlines")
        line = stdout.next()
        assert line.rstrip("\n").endswith("two lines")  # one event, one line
        assert "dm.received" in line
        assert "@alice" in line
        assert "1-2" in line
        err = _stop(listener, stderr)
    finally:
        if listener.poll() is None:
            listener.kill()
    assert "Stopped: 2 events, 1 reconnect," in err
    assert stdout.rest().count("dm.received") == 2


def test_listen_without_a_token_is_a_usage_error():
    result = invoke("listen", env={"X_API_URL": "http://127.0.0.1:1"})
    assert result.exit_code == 2
    assert "X_APP_BEARER_TOKEN" in result.output


def test_listen_with_a_token_x_refuses_exits_1_without_showing_it(emulator):
    env = _clean_env(X_API_URL=emulator.url, X_APP_BEARER_TOKEN="not-the-app-token-9f8e")
    result = subprocess.run(
        [sys.executable, "-m", "tweepy_dm", "listen"],
        env=env,
        capture_output=True,
        text=True,
        timeout=WAIT,
    )
    assert result.returncode == 1
    assert "401" in result.stderr
    assert "not-the-app-token-9f8e" not in result.stderr + result.stdout


def test_rows_and_lines_of_read_typing_and_unknown_events():
    read = tweepy_dm.ActivityEvent(
        {
            "event_uuid": "7",
            "event_type": "dm.read",
            "filter": {"user_id": "2"},
            "payload": {
                "direct_message_mark_read_events": [
                    {
                        "created_timestamp": "1784928224372",
                        "sender_id": "1",
                        "target": {"recipient_id": "2"},
                        "last_read_event_id": "99",
                    }
                ]
            },
        }
    )
    row = event_row(read)
    assert row == {
        "event_uuid": "7",
        "event_type": "dm.read",
        "user_id": "2",
        "sender_id": "1",
        "dm_conversation_id": "1-2",
        "last_read_event_id": "99",
    }
    assert "read up to 99" in table_line(row)
    other = tweepy_dm.ActivityEvent(
        {"event_uuid": "8", "event_type": "follow.follow", "payload": {"x": 1}}
    )
    assert event_row(other)["data"]["payload"] == {"x": 1}
    assert '"x": 1' in table_line(event_row(other))
