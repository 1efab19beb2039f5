"""``tweepy-dm emulator --inbox-from``: who besides this machine may use the inbox page."""

from __future__ import annotations

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
