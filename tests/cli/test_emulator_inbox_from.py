"""``tweepy-dm emulator --inbox-from``: who besides this machine may use the inbox page."""

from __future__ import annotations

import re

import requests

import tweepy_dm
import tweepy_dm.emulator
from tests.cli.helpers import invoke


def test_inbox_from_reaches_the_emulator(monkeypatch):
    calls = []

    def refusing(**kwargs):  # stands in for DMEmulator: records, then cannot listen
        calls.append(kwargs)
        raise OSError(98, "Address already in use")

    monkeypatch.setattr(tweepy_dm.emulator, "DMEmulator", refusing)
    result = invoke("emulator", "--inbox-from", "192.168.1.0/24", "--inbox-from", "10.0.0.7")
    assert result.exit_code == 2  # the stand-in could not listen
    assert calls[0]["inbox_from"] == ("192.168.1.0/24", "10.0.0.7")


def test_by_default_the_page_is_for_this_machine_only(monkeypatch):
    calls = []

    def refusing(**kwargs):
        calls.append(kwargs)
        raise OSError(98, "Address already in use")

    monkeypatch.setattr(tweepy_dm.emulator, "DMEmulator", refusing)
    invoke("emulator")
    assert calls[0]["inbox_from"] == ()


def test_a_bad_inbox_from_is_a_usage_error():
    result = invoke("emulator", "--port", "0", "--inbox-from", "my-laptop.example")
    assert result.exit_code == 2
    assert "--inbox-from" in result.output
    assert "IP addresses or networks" in result.output


def test_the_command_prints_its_inbox_page_which_shows_a_dm_sent_from_the_shell():
    from tests.cli.test_emulator_command import _exports, _run_emulator

    with _run_emulator() as (output, lines):
        page = re.search(r"Inbox page: (\S+/) \(from this machine only", output).group(1)
        alice = _exports(lines)[0]
        assert requests.get(page, timeout=10).status_code == 200
        client = tweepy_dm.Client(
            api_url=alice["X_API_URL"],
            consumer_key=alice["X_CONSUMER_KEY"],
            consumer_secret=alice["X_CONSUMER_SECRET"],
            access_token=alice["X_ACCESS_TOKEN"],
            access_token_secret=alice["X_ACCESS_TOKEN_SECRET"],
        )
        client.create_dm(participant_id=2, text="from the shell")
        state = requests.get(page + "_emulator/state", timeout=10).json()
        (conversation,) = state["conversations"]["2"]
        assert [message["text"] for message in conversation["messages"]] == ["from the shell"]
