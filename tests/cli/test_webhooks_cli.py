"""``tweepy-dm webhooks`` (serve in a real subprocess; add, list, validate, replay, delete)
and ``tweepy-dm subscribe``, against the emulator."""

from __future__ import annotations

import datetime
import json
import re
import signal
import subprocess

import pytest
import requests

import tweepy_dm
from tests.cli.helpers import INTERRUPTIBLE_CLI, invoke, oauth1_env
from tests.cli.test_listen import WAIT, _clean_env, _Lines
from tweepy_dm.webhooks import SIGNATURE_HEADER


@pytest.fixture
def people(emulator):
    emulator.webhooks.retry_delays = (0.0, 0.0, 0.0)
    return {
        user_id: emulator.add_user(user_id, name, name.title())
        for user_id, name in ((1, "alice"), (2, "bob"))
    }


@pytest.fixture
def receiver(people):
    """``tweepy-dm webhooks serve`` in a subprocess: (url, its stdout, its stderr, process)."""
    env = _clean_env(X_CONSUMER_SECRET=people[1]["consumer_secret"])
    process = subprocess.Popen(
        [*INTERRUPTIBLE_CLI, "webhooks", "serve", "--port", "0",
         "--path", "/hook", "--format", "jsonl"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    stdout, stderr = _Lines(process.stdout), _Lines(process.stderr)
    try:
        found = re.search(r"listening on (\S+);", stderr.until("listening on")[-1])
        assert found is not None
        yield found[1], stdout, stderr, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=WAIT)


def _app_env(emulator):
    return {"X_API_URL": emulator.url, "X_APP_BEARER_TOKEN": emulator.app_bearer_token}


def test_serve_add_subscribe_list_replay_delete(emulator, people, receiver, clock):
    url, stdout, stderr, process = receiver
    added = invoke("webhooks", "add", url, env=_app_env(emulator))
    assert added.exit_code == 0, added.output
    webhook_id, shown_url, state = added.output.split()
    assert (shown_url, state) == (url, "valid")
    listed = invoke("webhooks", "list", env=_app_env(emulator))
    assert listed.output.split()[:3] == [webhook_id, url, "valid"]

    subscribed = invoke("subscribe", webhook_id, env=oauth1_env(emulator, people[2]))
    assert subscribed.exit_code == 0, subscribed.output
    checked = invoke("subscribe", webhook_id, "--check", env=oauth1_env(emulator, people[2]))
    assert checked.exit_code == 0
    assert "subscribed to webhook" in checked.output
    not_yet = invoke("subscribe", webhook_id, "--check", env=oauth1_env(emulator, people[1]))
    assert not_yet.exit_code == 1
    assert "not subscribed" in not_yet.output

    alice = tweepy_dm.Client(api_url=emulator.url, **people[1])
    sent = alice.create_dm(participant_id=2, text="Hi Bob, by webhook").data
    row = json.loads(stdout.next())
    assert row["event_type"] == "dm.received"
    assert row["user_id"] == "2"
    assert row["id"] == str(sent["dm_event_id"])
    assert row["text"] == "Hi Bob, by webhook"

    # A forged POST is refused (403) and prints nothing.
    forged = requests.post(url, data=b'{"for_user_id": "2"}', headers={SIGNATURE_HEADER: "x"})
    assert forged.status_code == 403
    stderr.until("[warning]")

    # The window is dated by the emulator's clock, a minute on, so that its end (whole
    # minutes) is after the DM and not in the emulator's future, whatever the wall clock.
    clock.advance(60)
    now = datetime.datetime.fromtimestamp(clock(), datetime.timezone.utc)
    start = (now - datetime.timedelta(minutes=5)).strftime("%Y%m%d%H%M")
    replayed = invoke(
        "webhooks", "replay", webhook_id, "--from", start, "--to", now.isoformat(),
        env=_app_env(emulator),
    )  # fmt: skip
    assert replayed.exit_code == 0, replayed.output
    assert "replay job" in replayed.output
    # The job runs on the emulator's delivery thread: wait for its end before the
    # webhook that receives it is deleted below.
    stdout.until("replay_job_status")
    validated = invoke("webhooks", "validate", webhook_id, env=_app_env(emulator))
    assert validated.output.split() == [webhook_id, "valid"]
    deleted = invoke("webhooks", "delete", webhook_id, env=_app_env(emulator))
    assert deleted.output.split() == [webhook_id, "deleted"]
    after = invoke("webhooks", "list", env=_app_env(emulator)).output
    assert webhook_id not in after
    assert "0 webhooks" in after

    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=WAIT) == 0
    # The replayed DM (same DM id) was not printed a second time; the job's end was.
    rows = [json.loads(line) for line in stdout.rest().splitlines() if line]
    assert [row.get("id") for row in rows if row["event_type"] == "dm.received"] == [
        str(sent["dm_event_id"])
    ]
    assert [row["event_type"] for row in rows][-1] == "replay_job_status"
    assert people[1]["consumer_secret"] not in stderr.rest()


def test_usage_errors_are_status_2_and_name_the_variable(emulator, people):
    http = invoke("webhooks", "add", "http://example.com/hook", env=_app_env(emulator))
    assert http.exit_code == 2
    assert "https://" in http.output
    no_token = invoke("webhooks", "list", env={"X_API_URL": emulator.url})
    assert no_token.exit_code == 2
    assert "X_APP_BEARER_TOKEN" in no_token.output
    no_secret = invoke("webhooks", "serve", "--port", "0")
    assert no_secret.exit_code == 2
    assert "X_CONSUMER_SECRET" in no_secret.output
    no_window = invoke("webhooks", "replay", "1", env=_app_env(emulator))
    assert no_window.exit_code == 2
    assert "--from" in no_window.output
    refused = invoke("webhooks", "validate", "12345", env=_app_env(emulator))
    assert refused.exit_code == 1
    assert "X answered 404" in refused.output
    user_token = invoke(
        "webhooks",
        "list",
        env={"X_API_URL": emulator.url, "X_BEARER_TOKEN": people[1]["bearer_token"]},
    )
    assert user_token.exit_code == 1
    assert people[1]["bearer_token"] not in user_token.output
