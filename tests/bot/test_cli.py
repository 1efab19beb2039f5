"""``tweepy-dm bot run`` and ``tweepy-dm bot status``: a bot from the docs against the emulator."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading

import pytest
from click.testing import CliRunner

from tests.bot.conftest import ALICE_ID, BOT_ID, Users
from tests.helpers import wait_until
from tweepy_dm.bot import DMBot
from tweepy_dm.cli._app import cli
from tweepy_dm.emulator import DMEmulator

BOT_MODULE = textwrap.dedent(
    """
    import os

    import tweepy_dm

    client = tweepy_dm.Client(
        api_url=os.environ["X_API_URL"],
        consumer_key=os.environ["X_CONSUMER_KEY"],
        consumer_secret=os.environ["X_CONSUMER_SECRET"],
        access_token=os.environ["X_ACCESS_TOKEN"],
        access_token_secret=os.environ["X_ACCESS_TOKEN_SECRET"],
        # A send cut off by kill -9 is held until it can no longer land (the timeout plus
        # _facts.SEND_SETTLE_SECONDS): a short timeout keeps that wait short here.
        timeout=2,
    )
    bot = tweepy_dm.DMBot(
        store="sqlite:///unused.db",
        clients=client,
        bearer_token=os.environ["X_APP_BEARER_TOKEN"],
        handler_timeout=3,
        lease=3,
        leader_ttl=1.5,
    )


    @bot.on_direct_message
    def answer(message, context):
        with open(os.environ["HANDLED_LOG"], "a") as log:
            log.write(message.text + "\\n")
        if message.text.startswith("slow"):
            # Blocks until the test opens the pipe to write: it kills the first process here.
            with open(os.environ["RELEASE_FIFO"]) as release:
                release.read()
        context.reply(f"got {message.text}")
    """
)


def test_status_and_replay_show_the_store(tmp_path, users, clock):
    store = f"sqlite:///{tmp_path}/bot.db"
    bot = DMBot(store=store, clients={BOT_ID: users.client(BOT_ID)}, max_attempts=1, clock=clock)

    def fail(message, context):
        raise RuntimeError("no luck")

    bot.on_direct_message(fail)
    users.client(ALICE_ID).create_dm(participant_id=BOT_ID, text="hello")
    from tweepy_dm.bot import DMPoller

    DMPoller(users.client(BOT_ID), user_id=BOT_ID).poll(bot, clock=clock)
    bot.work_once()
    bot.close()
    runner = CliRunner()
    result = runner.invoke(cli, ["bot", "status", "--store", store, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["inbox"] == {"dead": 1}
    assert report["dead_letters"][0]["error"] == "RuntimeError: no luck"
    result = runner.invoke(cli, ["bot", "status", "--store", store])
    assert result.exit_code == 0
    assert "dead letters 1" in result.output
    assert "no luck" in result.output
    result = runner.invoke(cli, ["bot", "replay", "--store", store])
    assert "1 dead letter back in the inbox" in result.output
    report = json.loads(runner.invoke(cli, ["bot", "status", "--store", store, "--json"]).output)
    assert report["inbox"] == {"pending": 1}


def test_status_of_a_store_that_does_not_exist_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["bot", "status", "--store", f"sqlite:///{tmp_path}/none.db"])
    assert result.exit_code == 2
    assert "no bot store" in result.output


def test_run_refuses_what_is_not_a_bot(tmp_path, monkeypatch):
    (tmp_path / "notabot.py").write_text("bot = 42\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["bot", "run", "notabot:bot"])
    assert result.exit_code == 2
    assert "not a tweepy_dm.DMBot" in result.output
    result = CliRunner().invoke(cli, ["bot", "run", "notabot"])
    assert "MODULE:BOT" in result.output


@pytest.mark.thorough
def test_a_bot_survives_kill_9_and_restart_without_double_replies(tmp_path):
    (tmp_path / "echobot.py").write_text(BOT_MODULE)
    handled_log = tmp_path / "handled.log"
    handled_log.write_text("")
    release = tmp_path / "release"
    os.mkfifo(release)
    store = f"sqlite:///{tmp_path}/bot.db"
    with DMEmulator() as emulator:
        users = Users(emulator)
        users.client(BOT_ID).create_activity_subscription(
            event_type="dm.received", user_id=BOT_ID, user_auth=False
        )
        credentials = users.credentials[BOT_ID]
        env = {
            **os.environ,
            "X_API_URL": emulator.url,
            "X_CONSUMER_KEY": credentials["consumer_key"],
            "X_CONSUMER_SECRET": credentials["consumer_secret"],
            "X_ACCESS_TOKEN": credentials["access_token"],
            "X_ACCESS_TOKEN_SECRET": credentials["access_token_secret"],
            "X_APP_BEARER_TOKEN": emulator.app_bearer_token,
            "HANDLED_LOG": str(handled_log),
            "RELEASE_FIFO": str(release),
        }
        command = [
            sys.executable,
            "-m",
            "tweepy_dm",
            "bot",
            "run",
            "echobot:bot",
            "--store",
            store,
            "--workers",
            "2",
        ]

        def start():
            return subprocess.Popen(
                command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
            )

        def replies():
            return users.texts_in(ALICE_ID, BOT_ID, BOT_ID)

        def status():
            result = CliRunner().invoke(cli, ["bot", "status", "--store", store, "--json"])
            return json.loads(result.output) if result.exit_code == 0 else {"leaders": {}}

        alice = users.client(ALICE_ID)
        first = start()
        try:
            wait_until(lambda: (status()["leaders"].get("stream") or {}).get("owner"), timeout=30)
            wait_until(lambda: emulator._activity.connections == 1, what="the leader's stream")
            for text in ("one", "two", "slow three"):
                alice.create_dm(participant_id=BOT_ID, text=text)
            wait_until(lambda: "slow three" in handled_log.read_text(), timeout=30)
            first.send_signal(signal.SIGKILL)  # in the middle of the slow handler
            first.wait(10)
            alice.create_dm(participant_id=BOT_ID, text="four, while no bot runs")
            # The next process's slow handler may finish: opening the pipe to write waits
            # for it to open the pipe to read.
            threading.Thread(target=lambda: release.open("w").close(), daemon=True).start()
            second = start()
            expected = ["got one", "got two", "got slow three", "got four, while no bot runs"]
            wait_until(lambda: sorted(replies()) == sorted(expected), timeout=60, what=expected)
            # A reply whose send the kill cut off is looked up, not sent again, once it can
            # no longer land: every reply recorded as sent, none twice.
            wait_until(
                lambda: status().get("outbox") == {"sent": 4}, timeout=90, what="every reply sent"
            )
            second.send_signal(signal.SIGTERM)
            output = second.communicate(timeout=30)[0].decode()
            assert second.returncode == 0, output
            assert "Drained and stopped." in output
        finally:
            for process in (first, locals().get("second")):
                if process is not None and process.poll() is None:
                    process.kill()
                    process.wait()
        assert sorted(replies()) == sorted(expected)  # each once: no double reply
        report = status()
        assert report["inbox"] == {"done": 4}
        assert report["outbox"] == {"sent": 4}
        assert report["leaders"]["stream"]["owner"] is None
        assert report["leaders"]["stream"]["epoch"] == 2
        # at least once: the killed handler ran again
        assert handled_log.read_text().splitlines().count("slow three") == 2
