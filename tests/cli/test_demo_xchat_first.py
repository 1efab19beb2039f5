"""tweepy-dm demo leads with XChat: its chapters first, the legacy ones after, labelled.

Where chatxdk cannot be imported (Python 3.9, or no xchat extra), one line says what
XChat needs and the legacy chapters still run.
"""

from __future__ import annotations

import re
import sys

import pytest

click_testing = pytest.importorskip("click.testing", reason="the cli extra is not installed")

from tests.cli.helpers import invoke  # noqa: E402

LEGACY = "Legacy DMs (history; new sends end 2026-12-09)"
XCHAT = "XChat: end-to-end encrypted DMs, X's only DM API after 2026-12-09"
NEEDS = 'XChat needs Python 3.10+ and pip install "tweepy-dm[xchat]"'


def _needs_chatxdk():
    pytest.importorskip("chat_xdk", reason="the XChat chapters need chatxdk (Python 3.10+)")


def _steps(output):
    return re.findall(r"^(\d+)\. (.+)$", output, re.M)


def test_the_xchat_chapters_come_first_then_the_labelled_legacy_ones():
    _needs_chatxdk()
    result = invoke("demo")
    assert result.exit_code == 0, result.output
    output = result.output
    assert output.index(XCHAT) < output.index(LEGACY) < output.index("Demo complete")
    xchat_part, legacy_part = output.split(LEGACY)
    assert "legacy_dms='off'" in xchat_part
    assert "legacy_dms='on'" in legacy_part
    xchat_titles = [title for _, title in _steps(xchat_part)]
    assert xchat_titles[0] == "@alice's unchanged code: a legacy send after the cutover gets 403"
    assert "The one-line migration: tweepy_dm.Client(..., xchat_key=blob)" in xchat_titles
    assert "An encrypted file: create_dm(..., file=...) instead of media_id" in xchat_titles
    assert "A group: create_dm_conversation gives a g... conversation" in xchat_titles
    assert xchat_titles[-1] == (
        "A bot answers an encrypted DM in real time (stream with xchat_clients=)"
    )
    assert "403 LegacyDMsEnded" in xchat_part
    assert re.search(r"group conversation g\d+", xchat_part)
    assert "@alice's bot: \"Auto-reply: got your message ('Is Alice around?').\"" in xchat_part
    # The legacy chapters go on numbering where the XChat ones stopped.
    numbers = [int(number) for number, _ in _steps(output)]
    assert numbers == list(range(1, len(numbers) + 1))
    assert _steps(legacy_part)[0][1] == "@alice sends @bob a DM (OAuth 1.0a)"
    assert NEEDS not in output


def test_without_chatxdk_one_line_says_what_xchat_needs_and_the_legacy_chapters_run(
    monkeypatch,
):
    # As on Python 3.9: chatxdk cannot be imported, so neither can tweepy_dm.xchat.
    monkeypatch.setitem(sys.modules, "chat_xdk", None)
    monkeypatch.delitem(sys.modules, "tweepy_dm.xchat", raising=False)
    result = invoke("demo")
    assert result.exit_code == 0, result.output
    output = result.output
    said = [line for line in output.splitlines() if "XChat needs" in line]
    assert said == [f"XChat chapters skipped: {NEEDS}"]
    assert output.index(said[0]) < output.index(LEGACY)
    assert "xchat_key" not in output
    steps = _steps(output)
    assert steps[0] == ("1", "@alice sends @bob a DM (OAuth 1.0a)")
    assert steps[-1][1] == "The same with tweepy_dm.AsyncClient"
    assert "7 events in 4 pages of max_results=3: [3, 3, 1, 0]" in output
    assert "Demo complete" in output


def test_the_xchat_chapters_fail_the_demo_when_a_message_is_wrong(monkeypatch):
    """The demo is a check: an XChat message that does not arrive as sent fails it."""
    _needs_chatxdk()
    from tweepy_dm.emulator import DMEmulator

    send_chat = DMEmulator.send_chat

    def garbled(self, sender_id, conversation_id, text):
        return send_chat(self, sender_id, conversation_id, text + " (garbled)")

    monkeypatch.setattr(DMEmulator, "send_chat", garbled)
    result = invoke("demo")
    assert result.exit_code == 1
    assert "Demo failed: step 3 (The one-line migration" in result.output
    assert "wrong events" in result.output
    assert LEGACY not in result.output
