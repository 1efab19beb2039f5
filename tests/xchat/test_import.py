"""``tweepy_dm.xchat`` without chatxdk (or on Python 3.9) says what to install."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest


def test_without_chatxdk_the_import_error_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "chat_xdk", None)  # as if not installed
    monkeypatch.delitem(sys.modules, "tweepy_dm.xchat", raising=False)
    with pytest.raises(ImportError, match=r'pip install "tweepy-dm\[xchat\]"'):
        importlib.import_module("tweepy_dm.xchat")


def test_importing_tweepy_dm_never_imports_chatxdk():
    code = "import sys, tweepy_dm, tweepy_dm.emulator; print('chat_xdk' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
