"""``tweepy-dm emulator --webhook-host``: the emulator's webhook hosts, from the command line."""

from __future__ import annotations

import tweepy_dm.emulator
from tests.cli.helpers import invoke


def test_webhook_hosts_reach_the_emulator(monkeypatch):
    calls = []

    def refusing(**kwargs):  # stands in for DMEmulator: records, then cannot listen
        calls.append(kwargs)
        raise OSError(98, "Address already in use")

    monkeypatch.setattr(tweepy_dm.emulator, "DMEmulator", refusing)
    result = invoke(
        "emulator", "--webhook-host", "abc.ngrok.app", "--webhook-host", "hooks.example.com"
    )
    assert result.exit_code == 2  # the stand-in could not listen
    assert calls[0]["webhook_hosts"] == ("abc.ngrok.app", "hooks.example.com")


def test_a_bad_webhook_host_is_a_usage_error():
    result = invoke("emulator", "--port", "0", "--webhook-host", "https://abc.ngrok.app/")
    assert result.exit_code == 2
    assert "--webhook-host" in result.output
    assert "without a scheme" in result.output
