"""An XChat conversation on the inbox page: decrypted by the emulator, labelled so,
its ciphertext one click away."""

from __future__ import annotations

import sys

import pytest

from tests.browser.test_inbox_page import _click, _css, _screenshot, _thread_texts, _wait
from tweepy_dm.emulator import DMEmulator

pytestmark = pytest.mark.browser

if sys.version_info < (3, 10):
    pytest.skip("chatxdk needs Python 3.10+", allow_module_level=True)
try:
    import chat_xdk  # noqa: F401
except ImportError:
    pytest.skip(
        'chatxdk is not installed (pip install "tweepy-dm[xchat]")', allow_module_level=True
    )


def test_an_xchat_message_is_shown_decrypted_with_its_ciphertext(browser, tmp_path):
    with DMEmulator(legacy_dms="off") as emulator:
        emulator.add_user(1, "alice", "Alice", xchat=True)
        emulator.add_user(2, "bob", "Bob", xchat=True)
        emulator.send_chat(1, 2, "our secret plan")

        browser.get(emulator.url + "/")
        _wait(browser, lambda: _css(browser, "#live.on"), "the event stream to open")
        _click(browser, 'button.user[data-user-id="2"]')
        _click(browser, 'button.conversation[data-conversation="xchat:1-2"]')
        _wait(browser, lambda: _thread_texts(browser) == ["our secret plan"], "the decrypted text")
        _wait(
            browser,
            lambda: "Emulator-only view" in _css(browser, "#thread-note")[0].text,
            "the emulator-only label",
        )
        _wait(
            browser,
            lambda: (
                _css(browser, "#thread .badge.emulator-only")[0].text == "decrypted by the emulator"
            ),
            "the message's label",
        )

        def ciphertext():
            return _css(browser, "#thread .ciphertext code")[0]

        _wait(browser, lambda: not ciphertext().is_displayed(), "the ciphertext folded")
        _click(browser, "#thread .ciphertext summary")
        _wait(browser, lambda: ciphertext().is_displayed(), "the ciphertext, one click away")
        _wait(browser, lambda: len(ciphertext().text) > 100, "the ciphertext's text")
        assert "our secret plan" not in ciphertext().text

        # Bob answers from the page, encrypted as his client would.
        _css(browser, "#compose-text")[0].send_keys("count me in")
        _click(browser, "#compose-send")
        _wait(
            browser,
            lambda: _thread_texts(browser) == ["our secret plan", "count me in"],
            "bob's encrypted reply",
        )
        # What was opened stays open across the redraw the reply caused.
        _wait(browser, lambda: ciphertext().is_displayed(), "the ciphertext still open")
        _screenshot(browser, tmp_path, "emulator-inbox-xchat.png")

        # A new message from alice: after the cutover, with her keys, it goes over XChat.
        _click(browser, 'button.user[data-user-id="1"]')
        _click(browser, "#new-conversation")
        _wait(
            browser,
            lambda: _css(browser, "#compose-kind")[0].get_attribute("value") == "xchat",
            "XChat chosen",
        )
        _click(browser, '#compose-to option[value="2"]')
        _css(browser, "#compose-text")[0].send_keys("see you there")
        _click(browser, "#compose-send")
        _wait(
            browser,
            lambda: _thread_texts(browser) == ["our secret plan", "count me in", "see you there"],
            "alice's new XChat message, in the 1:1 she already had",
        )
