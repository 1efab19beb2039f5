"""``Client(xchat_key=...)`` without chatxdk (or on Python 3.9) says what to install, and a
client without it keeps working as before."""

from __future__ import annotations

import subprocess
import sys

import pytest
import tweepy

import tweepy_dm
from tests.helpers import CREDENTIALS


def test_xchat_key_without_chatxdk_names_the_extra_and_python(monkeypatch, clients):
    monkeypatch.setitem(sys.modules, "chat_xdk", None)  # as if not installed
    monkeypatch.delitem(sys.modules, "tweepy_dm.xchat", raising=False)
    monkeypatch.delattr(tweepy_dm, "xchat", raising=False)  # imported by an earlier test
    with pytest.raises(ImportError, match=r'xchat_key .*pip install "tweepy-dm\[xchat\]"') as error:
        clients.make(credentials=CREDENTIALS, xchat_key=b"\x05" * 64)
    assert "3.10" in str(error.value)
    assert "\\x05" not in str(error.value)


def test_importing_the_clients_never_imports_chatxdk():
    code = (
        "import sys, tweepy_dm; tweepy_dm.Client(bearer_token='t').get_dm_events; "
        "print('chat_xdk' in sys.modules, 'tweepy_dm.xchat' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False False", result.stderr


def test_legacy_dms_ended_is_exported():
    assert issubclass(tweepy_dm.LegacyDMsEnded, tweepy.Forbidden)
    assert "LegacyDMsEnded" in tweepy_dm.__all__
