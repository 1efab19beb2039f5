"""tweepy-dm demo: the story plays to its end."""

from __future__ import annotations

import pytest

click_testing = pytest.importorskip("click.testing", reason="the cli extra is not installed")

from tests.cli.helpers import invoke  # noqa: E402


def test_demo_runs():
    result = invoke("demo")
    assert result.exit_code == 0, result.output
    assert "Demo complete" in result.output
    assert "403" in result.output
