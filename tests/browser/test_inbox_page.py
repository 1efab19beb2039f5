"""The emulator's inbox page in a real browser: DMs appear live, an echo bot's reply too.

"Live" is checked, not assumed: a marker set on the page's ``window`` before the
DM is sent is still there when the reply shows, so the page was never reloaded.
"""

from __future__ import annotations

import os
import pathlib
import threading

import pytest

import tweepy_dm
from tweepy_dm import DMBot
from tweepy_dm.emulator import DMEmulator

pytestmark = pytest.mark.browser

WAIT_SECONDS = 30
ALICE, BOB, ECHO = "1", "2", "3"


def _wait(driver, condition, what):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    # The page redraws on every change: an element read a moment ago may be gone.
    wait = WebDriverWait(
        driver,
        WAIT_SECONDS,
        poll_frequency=0.1,
        ignored_exceptions=(StaleElementReferenceException, IndexError),
    )
    return wait.until(lambda _: condition(), message=f"waited {WAIT_SECONDS}s for {what}")


def _css(driver, selector):
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, selector)


def _click(driver, selector):
    def clicked():
        _css(driver, selector)[0].click()
        return True

    _wait(driver, clicked, f"a click on {selector}")


def _thread_texts(driver):
    return [item.text for item in _css(driver, "#thread .message .text")]


def _screenshot(driver, tmp_path, name):
    """Save a PNG of the page: in ``TWEEPY_DM_SCREENSHOTS`` (the docs' _static) if set."""
    folder = pathlib.Path(os.environ.get("TWEEPY_DM_SCREENSHOTS") or tmp_path)
    path = folder / name
    driver.save_screenshot(str(path))
    assert path.read_bytes().startswith(b"\x89PNG")


@pytest.fixture
def emulator():
    # The bot's poller reads a 3-second window of GET /2/dm_events: it polls often.
    with DMEmulator(rate_limits={"GET /2/dm_events": (300, 3)}) as emulator:
        emulator.add_user(ALICE, "alice", "Alice")
        emulator.add_user(BOB, "bob", "Bob")
        emulator.add_user(ECHO, "echobot", "Echo Bot")
        yield emulator


@pytest.fixture
def echo_bot(emulator, tmp_path):
    """A real DMBot as @echobot, polling the emulator in a thread."""
    client = tweepy_dm.Client(api_url=emulator.url, **emulator.credentials(ECHO))
    bot = DMBot(store=f"sqlite:///{tmp_path}/echo.db", clients=client)
    bot.on_direct_message(lambda message, context: context.reply(f"You said: {message.text}"))
    runner = threading.Thread(target=bot.run, kwargs={"source": "poll"}, daemon=True)
    runner.start()
    yield bot
    bot.stop()
    runner.join(15)
    assert not runner.is_alive()
    bot.close()


def test_a_dm_appears_for_the_other_user_without_a_reload(browser, emulator, tmp_path):
    browser.get(emulator.url + "/")
    _wait(browser, lambda: _css(browser, "#live.on"), "the event stream to open")
    browser.execute_script("window.notReloaded = true;")

    _click(browser, f'button.user[data-user-id="{BOB}"]')
    _click(browser, "#new-conversation")
    _wait(browser, lambda: _css(browser, f'#compose-to option[value="{ALICE}"]'), "alice")
    _click(browser, f'#compose-to option[value="{ALICE}"]')
    _css(browser, "#compose-text")[0].send_keys("hello alice, from the page")
    _click(browser, "#compose-send")
    _wait(browser, lambda: _thread_texts(browser) == ["hello alice, from the page"], "bob's DM")

    # Alice's side, and a reply she sends through X's API, not the page.
    _click(browser, f'button.user[data-user-id="{ALICE}"]')
    _click(browser, f'button.conversation[data-conversation="dm:{ALICE}-{BOB}"]')
    _wait(browser, lambda: _thread_texts(browser) == ["hello alice, from the page"], "alice's view")
    alice = tweepy_dm.Client(api_url=emulator.url, **emulator.credentials(ALICE))
    alice.create_dm(participant_id=int(BOB), text="hi bob, from the API")
    _wait(
        browser,
        lambda: _thread_texts(browser) == ["hello alice, from the page", "hi bob, from the API"],
        "the reply sent through the API, pushed by the event stream",
    )
    assert browser.execute_script("return window.notReloaded === true;")
    assert not [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"], (
        "the page logged errors"
    )


def test_an_echo_bots_reply_appears_live(browser, emulator, echo_bot, tmp_path):
    browser.get(emulator.url + "/")
    _wait(browser, lambda: _css(browser, "#live.on"), "the event stream to open")
    browser.execute_script("window.notReloaded = true;")

    _click(browser, f'button.user[data-user-id="{ALICE}"]')
    _click(browser, "#new-conversation")
    _wait(browser, lambda: _css(browser, f'#compose-to option[value="{ECHO}"]'), "echobot")
    _click(browser, f'#compose-to option[value="{ECHO}"]')
    _css(browser, "#compose-text")[0].send_keys("is anyone there?")
    _click(browser, "#compose-send")

    _wait(
        browser,
        lambda: _thread_texts(browser) == ["is anyone there?", "You said: is anyone there?"],
        "the echo bot's reply",
    )
    assert browser.execute_script("return window.notReloaded === true;")
    # Alice's on her side, the bot's on the other (read again if the page redraws meanwhile:
    # the bot's polls change its rate-limit budget, which the page shows).
    _wait(
        browser,
        lambda: (
            [item.get_attribute("class") for item in _css(browser, "#thread .message")]
            == ["message mine", "message"]
        ),
        "alice's message on her side, the bot's on the other",
    )
    _screenshot(browser, tmp_path, "emulator-inbox.png")


def test_the_back_door_buttons_change_the_emulator(browser, emulator, tmp_path):
    browser.get(emulator.url + "/")
    _wait(browser, lambda: _css(browser, "#live.on"), "the event stream to open")
    _click(browser, f'button.user[data-user-id="{ALICE}"]')

    _click(browser, "#fault-add")
    _wait(browser, lambda: emulator.pending_faults == 1, "the injected fault")
    _wait(browser, lambda: _css(browser, "#pending-faults")[0].text == "1 pending", "its count")
    _click(browser, "#fault-clear")
    _wait(browser, lambda: emulator.pending_faults == 0, "the faults cleared")

    before = emulator._clock()
    _click(browser, 'button.clock[data-seconds="86400"]')
    _wait(browser, lambda: emulator._clock() >= before + 86400, "the clock a day ahead")
    _wait(browser, lambda: "ahead" in _css(browser, "#clock-shift")[0].text, "the shift shown")

    # Credentials are fetched on the click, not held by the page.
    assert emulator.credentials(ALICE)["access_token"] not in browser.page_source
    _click(browser, f'button.copy[data-user-id="{ALICE}"]')
    _wait(
        browser,
        lambda: (
            emulator.credentials(ALICE)["access_token"] in _css(browser, "#credentials")[0].text
        ),
        "the credentials shown on request",
    )
