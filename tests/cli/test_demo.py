"""tweepy-dm demo: the story plays to its end."""

from __future__ import annotations

import re

import pytest

click_testing = pytest.importorskip("click.testing", reason="the cli extra is not installed")

from tests.cli.helpers import invoke  # noqa: E402


def test_demo_runs():
    result = invoke("demo")
    assert result.exit_code == 0, result.output
    assert "Demo complete" in result.output
    assert "403" in result.output


def test_demo_explains_the_empty_last_page_and_counts_in_good_english():
    result = invoke("demo")
    assert result.exit_code == 0, result.output
    # The paging step: 7 events in pages of 3, and the empty page X adds after them.
    assert "7 events in 4 pages of max_results=3: [3, 3, 1, 0]" in result.output
    explained = [line for line in result.output.splitlines() if "last page is empty" in line]
    assert len(explained) == 1
    assert "next_token" in explained[0]
    assert not re.search(r"\b1 (events|pages|bytes|messages)\b", result.output)


def test_demo_bot_subscribes_listens_and_answers_within_the_second():
    result = invoke("demo")
    assert result.exit_code == 0, result.output
    assert "A bot answers in real time (X Activity API stream)" in result.output
    assert "@bob subscribed to dm.received" in result.output
    assert "@bob's bot: \"Auto-reply: got your message ('Is Bob around?').\"" in result.output
    latency = re.search(r"answered (\d+) ms after @carol sent it", result.output)
    assert latency is not None
    assert int(latency[1]) < 1000


def test_a_skipped_chapter_shows_its_install_command_as_written():
    """What to install keeps its extra: rich must not read ``[xchat]`` as markup."""
    result = invoke("demo")
    assert result.exit_code == 0, result.output
    for line in result.output.splitlines():
        if "skipped:" in line and "pip install" in line:
            assert re.search(r"tweepy-dm\[(xchat|async)\]", line), line
    try:
        import tweepy_dm.xchat  # noqa: F401
    except ImportError:
        assert 'pip install "tweepy-dm[xchat]"' in result.output
    else:
        assert "@bob decrypts" in result.output
