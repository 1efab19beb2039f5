"""Doc snippets a reader copies into a file of their own work there, alone, and twice.

``tests/test_doc_snippets.py`` runs a page's blocks in one namespace, as a
reader carries names along; a pytest file copied from the docs has only
itself. And README.md's examples are shown on the project's front page.
"""

from __future__ import annotations

import ast
import configparser
import contextlib
import io
import pathlib
import re
import subprocess
import sys
import textwrap

import tweepy_dm
from tweepy_dm.emulator import DMEmulator

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _rst_block(page: str, first_line: str) -> str:
    """The ``code-block:: python`` of ``docs/page`` whose first line is ``first_line``."""
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    for match in re.finditer(r"^\.\. code-block:: python\n\n((?:    .*\n|\n)+)", text, re.M):
        code = textwrap.dedent(match.group(1))
        if code.splitlines()[0] == first_line:
            return code
    raise AssertionError(f"docs/{page} has no Python block starting {first_line!r}")


def test_the_bot_pages_test_passes_copied_into_a_file_of_its_own_twice(tmp_path):
    code = _rst_block("bot.rst", "# test_echobot.py")
    (tmp_path / "test_echobot.py").write_text(code, encoding="utf-8")
    bot = _rst_block("bot.rst", "# echobot.py")  # the bot the test imports, as the page has it
    (tmp_path / "echobot.py").write_text(bot, encoding="utf-8")
    for run in (1, 2):  # a store left behind by the first run must not fail the second
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_echobot.py"],
            cwd=tmp_path, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert result.returncode == 0, f"run {run}:\n{result.stdout}\n{result.stderr}"
        assert "1 passed" in result.stdout


def _readme_block(containing: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for block in re.findall(r"^```python\n(.*?)^```", text, re.M | re.S):
        if containing in block:
            return block
    raise AssertionError(f"README.md has no Python block with {containing!r}")


def test_the_readme_paginator_example_prints_each_sender():
    code = _readme_block("tweepy.Paginator(client.get_dm_events")
    with DMEmulator() as emulator:
        alice = emulator.add_user(1, "alice", "Alice")
        bob = emulator.add_user(2, "bob", "Bob")
        emulator.seed_messages("1-2", 7, text="seeded {i}")
        tweepy_dm.Client(api_url=emulator.url, **bob).create_dm(participant_id=1, text="hi")
        client = tweepy_dm.Client(api_url=emulator.url, **alice)
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(code, {"client": client})
    lines = printed.getvalue().splitlines()
    assert len(lines) == 8
    senders = {line.split(" ", 1)[0] for line in lines}
    assert "None" not in senders
    assert senders <= {"1", "2"}
    assert "2" in senders


def _python_blocks(page: str) -> list[str]:
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    pattern = r"^\.\. code-block:: python\n\n((?:    .*\n|\n)+)"
    return [textwrap.dedent(match) for match in re.findall(pattern, text, re.M)]


def test_the_realtime_pages_clients_and_streams_say_where_the_api_is():
    # Copied as shown, they must reach an emulator too, not only X.
    calls = []
    for code in _python_blocks("realtime.rst"):
        for node in ast.walk(ast.parse(code)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr in ("Client", "ActivityStream", "AsyncActivityStream"):
                    calls.append((node.func.attr, {k.arg for k in node.keywords}))
    assert len(calls) >= 3
    assert [name for name, keywords in calls if "api_url" not in keywords] == []


def test_the_install_pages_docs_recipe_installs_what_the_docs_build_needs():
    config = configparser.ConfigParser()
    config.read(ROOT / "tox.ini", encoding="utf-8")
    needed = set(config["testenv:docs"]["extras"].split())
    install = (ROOT / "docs" / "install.rst").read_text(encoding="utf-8")
    section = install[install.index("Building these docs") :]
    extras = re.search(r'pip install "\.\[([\w,]+)\]"', section)
    assert extras is not None, "no pip install line in the docs-building section"
    assert needed <= set(extras.group(1).split(","))
    assert "3.10" in section  # chatxdk's Python, which the xchat extra needs
