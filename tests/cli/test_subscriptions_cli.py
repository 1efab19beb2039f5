"""``tweepy-dm subscriptions create|list|delete``, and the stream commands' check at start."""

from __future__ import annotations

import pytest

from tests.cli.helpers import ALICE, BOB, bearer_env, invoke
from tweepy_dm.cli import _listen


def _app_env(emulator):
    return {"X_API_URL": emulator.url, "X_APP_BEARER_TOKEN": emulator.app_bearer_token}


def test_create_list_and_delete(emulator, users):
    made = invoke("subscriptions", "create", "--event-type", "dm.received",
                  "--event-type", "dm.sent", "--tag", "bot", env=bearer_env(emulator, users[ALICE]))  # fmt: skip
    assert made.exit_code == 0, made.output
    lines = made.output.splitlines()
    assert [line.split("  ")[1:3] for line in lines] == [
        ["dm.received", f"user {ALICE}"],
        ["dm.sent", f"user {ALICE}"],
    ]
    assert all("tag 'bot'" in line for line in lines)
    assert users[ALICE]["bearer_token"] not in made.output

    listed = invoke("subscriptions", "list", env=_app_env(emulator))
    assert listed.exit_code == 0, listed.output
    assert "2 subscriptions" in listed.output
    ids = [line.split("  ")[0] for line in lines]
    assert all(subscription_id in listed.output for subscription_id in ids)

    deleted = invoke("subscriptions", "delete", ids[0], env=_app_env(emulator))
    assert deleted.exit_code == 0, deleted.output
    assert f"{ids[0]}  deleted" in deleted.output
    listed = invoke("subscriptions", "list", env=_app_env(emulator))
    assert "1 subscription" in listed.output
    assert ids[0] not in listed.output


def test_create_for_another_user_is_refused_by_x(emulator, users):
    made = invoke(
        "subscriptions", "create", "--user-id", BOB, env=bearer_env(emulator, users[ALICE])
    )
    assert made.exit_code == 1
    assert "403" in made.output


def test_create_needs_the_users_token(emulator, users):
    made = invoke("subscriptions", "create", env={"X_API_URL": emulator.url})
    assert made.exit_code == 2
    assert "X_BEARER_TOKEN" in made.output


def test_listen_without_a_subscription_says_how_to_make_one(emulator, users):
    result = invoke("listen", env=_app_env(emulator))
    assert result.exit_code == 2
    assert "no Activity subscription" in result.output
    assert "tweepy-dm subscriptions create --event-type dm.received" in result.output
    assert emulator.app_bearer_token not in result.output

    typed = invoke("subscriptions", "create", "--event-type", "dm.read",
                   env=bearer_env(emulator, users[ALICE]))  # fmt: skip
    assert typed.exit_code == 0, typed.output
    result = invoke("listen", "--types", "dm.received", env=_app_env(emulator))
    assert result.exit_code == 2
    assert "no Activity subscription of dm.received" in result.output


def test_listen_where_nothing_listens_fails_at_once():
    env = {"X_API_URL": "http://127.0.0.1:1", "X_APP_BEARER_TOKEN": "app-token-never-shown"}
    result = invoke("listen", env=env)
    assert result.exit_code == 1
    assert "could not reach the API" in result.output
    assert "app-token-never-shown" not in result.output


def test_a_stream_never_up_is_given_up_after_a_few_attempts(emulator, users, monkeypatch):
    invoke("subscriptions", "create", env=bearer_env(emulator, users[ALICE]))
    waits = []
    monkeypatch.setattr(_listen, "_wait", waits.append)
    emulator.inject_fault(None, drop=True, count=100, path="/2/activity/stream")
    result = invoke("listen", env=_app_env(emulator))
    assert result.exit_code == 1
    assert "after 3 attempts (it was never up)" in result.output
    assert len(waits) == _listen.NEVER_UP_ATTEMPTS - 1


@pytest.mark.parametrize("connects", [1, 5])
def test_a_stream_that_was_up_is_waited_for_forever(connects, monkeypatch):
    waits = []
    monkeypatch.setattr(_listen, "_wait", waits.append)
    sleep = _listen.never_up_sleep(lambda: connects, "http://x/2/activity/stream")
    for _ in range(50):
        sleep(0.25)
    assert waits == [0.25] * 50
