"""Tests of XChat encryption, which needs chatxdk (CPython 3.10+ wheels only)."""

from __future__ import annotations

import sys

import pytest


def require_chatxdk() -> None:
    """Skip the calling test module where chatxdk cannot be imported, saying why."""
    if sys.version_info < (3, 10):
        pytest.skip("chatxdk needs Python 3.10+", allow_module_level=True)
    try:
        import chat_xdk  # noqa: F401
    except ImportError:
        pytest.skip(
            'chatxdk is not installed (pip install "tweepy-dm[xchat]")', allow_module_level=True
        )
