"""``tweepy-dm bot run --source stream`` says at start what it lacks, and exits 2."""

from __future__ import annotations

import textwrap
import uuid

import pytest

from tests.cli.helpers import ALICE, BOB, bearer_env, invoke

BOT = textwrap.dedent(
    """
    import tweepy_dm

    bot = tweepy_dm.DMBot(
        store={store!r},
        clients={{{alice!r}: tweepy_dm.Client(api_url={url!r}, bearer_token={alice_token!r}),
                  {bob!r}: tweepy_dm.Client(api_url={url!r}, bearer_token={bob_token!r})}},
        bearer_token={app_token!r},
    )


    @bot.on_direct_message
    def answer(message, context):
        context.reply("hi")
    """
)


@pytest.fixture
def bot_module(emulator, users, tmp_path, monkeypatch):
    def write(app_token):
        source = BOT.format(
            store=f"sqlite:///{tmp_path}/bot.db", url=emulator.url, alice=ALICE, bob=BOB,
            alice_token=users[ALICE]["bearer_token"], bob_token=users[BOB]["bearer_token"],
            app_token=app_token,
        )  # fmt: skip
        name = f"streambot_{uuid.uuid4().hex}"  # a module name not imported before
        (tmp_path / f"{name}.py").write_text(source)
        return f"{name}:bot"

    monkeypatch.chdir(tmp_path)
    return write


def test_without_the_apps_bearer_token_it_is_a_usage_error(bot_module):
    result = invoke("bot", "run", bot_module(None), "--source", "stream")
    assert result.exit_code == 2
    assert "bearer token" in result.output
    assert "Traceback" not in result.output


def test_without_a_subscription_for_each_user_it_says_how_to_make_them(bot_module, emulator, users):
    target = bot_module(emulator.app_bearer_token)
    invoke("subscriptions", "create", env=bearer_env(emulator, users[ALICE]))
    result = invoke("bot", "run", target, "--source", "stream")
    assert result.exit_code == 2
    assert f"1 user it serves ({BOB})" in result.output
    assert f"tweepy-dm subscriptions create --user-id {BOB} --event-type dm.received" in (
        result.output
    )
    assert f"--user-id {ALICE}" not in result.output
    assert emulator.app_bearer_token not in result.output
