"""docs/cli.rst shows the demo as it runs today: its steps, numbered as the demo numbers them."""

from __future__ import annotations

import pathlib
import re

import pytest

click_testing = pytest.importorskip("click.testing", reason="the cli extra is not installed")

from tests.cli.helpers import invoke  # noqa: E402

CLI_PAGE = pathlib.Path(__file__).resolve().parents[2] / "docs" / "cli.rst"


def _shown_steps():
    text = CLI_PAGE.read_text(encoding="utf-8")
    end = text.index("Demo complete.")
    transcript = text[text.rindex(".. code-block:: text", 0, end) : end]
    return re.findall(r"^    (\d+)\. (.+)$", transcript, re.M)


def test_the_cli_page_shows_the_demos_steps():
    # The page shows the whole demo, XChat chapters first; without them the numbers shift.
    pytest.importorskip("chat_xdk", reason="the XChat chapters need chatxdk (Python 3.10+)")
    result = invoke("demo")
    assert result.exit_code == 0, result.output
    ran = re.findall(r"^(\d+)\. (.+)$", result.output, re.M)
    shown = _shown_steps()
    assert shown, "no steps found in the demo transcript of docs/cli.rst"
    assert [step for step in shown if step not in ran] == []
    assert shown[-1] == ran[-1]  # the page shows the demo's last step
