"""README.md leads with XChat: its cutover section and first example run against the emulator.

The README's Python blocks with ``xchat_key=`` run as shown, credentials swapped for an
emulator user's (as ``test_doc_snippets`` swaps them), inside the emulator's redirect with
legacy DMs off, as X after 2026-12-09; ``xchat.key`` is that user's registered key blob.
"""

from __future__ import annotations

import ast
import contextlib
import io
import pathlib
import re

import pytest

import tweepy_dm
from tests.docs.test_doc_snippets import _chatxdk_missing, _RealCredentials
from tweepy_dm.emulator import DMEmulator

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"
RECIPIENT = 750362064426721281  # the id the README sends to
SENDER = 1072250532645998596


def _text():
    return README.read_text(encoding="utf-8")


def _xchat_blocks():
    blocks = re.findall(r"^```python\n(.*?)^```", _text(), re.M | re.S)
    return [block for block in blocks if "xchat_key=" in block]


def test_the_readme_opens_with_the_cutover_and_the_one_line_change():
    text = _text()
    first_section = text[text.index("\n## ") : text.index("\n## ", text.index("\n## ") + 1)]
    assert "2026-12-09" in first_section
    assert "/2/chat" in first_section
    assert "OAuth 1.0a" in first_section
    assert "2027-01-31" in first_section
    assert 'xchat_key="xchat.key",  # the one new line' in first_section
    assert text.index("docs/migrating.rst") < text.index("## Try it")
    # The first command installs what the demo needs, XChat's extra included.
    first_command = re.search(r"^```console\n(.*?)\n```", text, re.M | re.S).group(1)
    assert first_command == 'python -m pip install ".[cli,async,xchat]" && tweepy-dm demo'
    assert 'python -m pip install "tox>=4.11" "tox-uv>=1.11" && python -m tox' in text


@pytest.mark.parametrize("number", range(2))
def test_the_readmes_xchat_examples_run_after_the_cutover(number, tmp_path, monkeypatch):
    missing = _chatxdk_missing()
    if missing:
        pytest.skip(f"the README's XChat examples need chatxdk: {missing}")
    blocks = _xchat_blocks()
    assert len(blocks) == 2, "the cutover section's block and the first Use example"
    code = blocks[number]
    monkeypatch.chdir(tmp_path)
    with DMEmulator(legacy_dms="off") as emulator:
        credentials = emulator.add_user(SENDER, "bob", "Bob", xchat=True)
        emulator.add_user(RECIPIENT, "alice", "Alice", xchat=True)
        (tmp_path / "xchat.key").write_bytes(emulator.xchat_key_blob(SENDER))
        tree = ast.fix_missing_locations(_RealCredentials().visit(ast.parse(code)))
        namespace = {"tweepy_dm": tweepy_dm, "__credentials__": credentials}
        printed = io.StringIO()
        with emulator.redirect():
            with contextlib.redirect_stdout(printed):
                exec(compile(tree, f"README.md block {number}", "exec"), namespace)
            if "create_dm" not in code:
                # The block only builds the client: after the cutover, it still sends.
                namespace["client"].create_dm(participant_id=RECIPIENT, text="Hello!")
        # It went over /2/chat, encrypted: the recipient reads it with their own key.
        recipient = tweepy_dm.Client(
            api_url=emulator.url,
            **emulator.credentials(RECIPIENT),
            xchat_key=emulator.xchat_key_blob(RECIPIENT),
        )
        (event,) = recipient.get_dm_events().data
        assert (event.sender_id, event.text) == (SENDER, "Hello!")
        if "print(" in code:
            assert printed.getvalue().split() == [str(event.id), "Hello!"]
