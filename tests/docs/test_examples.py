"""The example programs in docs/examples run as shown, against the emulator."""

from __future__ import annotations

import importlib.util
import pathlib

import pytest

import tweepy_dm

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "docs" / "examples"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def bot():
    return _load("polling_bot")


def test_polling_bot_answers_each_message_once_across_restarts(dm_emulator, bot, tmp_path):
    alice = dm_emulator.add_user(1, "alice", "Alice")
    robot = dm_emulator.add_user(2, "robot", "Robot")
    users = tweepy_dm.Client(api_url=dm_emulator.url, **alice)
    client = tweepy_dm.Client(api_url=dm_emulator.url, bearer_token=robot["bearer_token"])
    me = client.get_me(user_auth=False).data.id
    assert me == 2
    users.create_dm(participant_id=2, text="first")
    users.create_dm(participant_id=2, text="second")

    state = tmp_path / "answered.json"
    assert bot.poll_once(client, me, bot.Answered(state)) == 2
    assert bot.poll_once(client, me, bot.Answered(state)) == 0  # a restart: nothing twice
    users.create_dm(participant_id=2, text="third")
    assert bot.poll_once(client, me, bot.Answered(state)) == 1

    texts = [event.text for event in users.get_dm_events(participant_id=2).data]
    assert texts == [
        "You said: third",
        "third",
        "You said: second",
        "You said: first",
        "second",
        "first",
    ]
