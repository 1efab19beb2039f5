"""X's bot accounts (``/2/bots``) through both clients against the emulator: every rule."""

from __future__ import annotations

import datetime

import pytest
import requests
import tweepy

from tests.helpers import START
from tweepy_dm import BotAccount, _facts

ALICE = 1111


@pytest.fixture
def app(clients, emulator):
    emulator.add_user(ALICE, "alice", "Alice")
    return clients.make(
        credentials={"bearer_token": emulator.app_bearer_token}, api_url=emulator.url
    )


def _says(error, text):
    """Whether X's problem detail has ``text`` (tweepy < 4.10 leaves it out of the message)."""
    response = error.response
    body = response.json() if isinstance(response, requests.Response) else {}
    return text in str(error) or text in body.get("detail", "")


def _as_bot(clients, emulator, token):
    return clients.make(credentials={"bearer_token": token}, api_url=emulator.url)


def test_create_returns_a_real_bot_user_and_a_token_that_acts_as_it(app, clients, emulator):
    emulator.configure_bots(owner="acme")
    scopes = ["tweet.read", "users.read"]
    bot = app.call("create_bot", "help_bot", display_name="Help Bot", scopes=scopes).data
    assert isinstance(bot, BotAccount)
    assert (bot.username, bot.name, bot.scopes) == ("help_bot", "Help Bot", scopes)
    assert bot.token.startswith(_facts.BOT_TOKEN_PREFIX)
    expected = START + _facts.BOT_TOKEN_SECONDS
    assert bot.expires_at == datetime.datetime.fromtimestamp(expected, datetime.timezone.utc)
    assert bot.token not in repr(bot)
    assert "help_bot" in repr(bot)
    # The xcbot_ token is the bot's own user context, with the scopes it was given.
    me = _as_bot(clients, emulator, bot.token).call(
        "get_me", user_auth=False, user_fields=["description"]
    )
    assert (me.data.id, me.data.username) == (bot.id, "help_bot")
    assert me.data.description == "Automated by @acme"
    with pytest.raises(tweepy.Forbidden) as refused:
        _as_bot(clients, emulator, bot.token).call("get_chat_conversations", user_auth=False)
    assert _says(refused.value, "dm.read")


def test_the_app_token_only(app, clients, emulator):
    bot = app.call("create_bot", "help_bot").data
    as_bot = _as_bot(clients, emulator, bot.token)
    for name, args in (("create_bot", ("other_bot",)), ("get_bots", ()), ("delete_bot", (bot.id,))):
        with pytest.raises(tweepy.Forbidden) as refused:
            as_bot.call(name, *args)
        assert _says(refused.value, "Application-Only")
    alice = clients.make(credentials=emulator.credentials(ALICE), api_url=emulator.url)
    with pytest.raises(tweepy.Forbidden) as refused:
        alice.call("get_bots", user_auth=True)  # OAuth 1.0a
    assert _says(refused.value, "OAuth 1.0a User Context is forbidden")
    assert app.call("get_bots").meta["result_count"] == 1


def test_create_is_idempotent_on_the_handle_with_a_fresh_token_each_time(app, clients, emulator):
    first = app.call("create_bot", "help_bot", display_name="Helper").data
    app.call("update_bot", first.id, dm_permission="no_one")
    again = app.call("create_bot", "HELP_BOT", display_name="Helper 2").data
    assert again.id == first.id
    assert again.token != first.token
    assert again.name == "Helper 2"
    with pytest.raises(tweepy.Unauthorized):  # one active token: the first is revoked
        _as_bot(clients, emulator, first.token).call("get_me", user_auth=False)
    assert (
        _as_bot(clients, emulator, again.token).call("get_me", user_auth=False).data.id == first.id
    )
    (listed,) = app.call("get_bots").data
    assert (listed.id, listed.name, listed.token) == (first.id, "Helper 2", None)


def test_max_bots_per_project(app, emulator):
    assert app.call("get_bots").meta == {"max_bots": 1, "result_count": 0}
    app.call("create_bot", "first_bot")
    with pytest.raises(tweepy.Forbidden) as refused:
        app.call("create_bot", "second_bot")
    assert _says(refused.value, "1 of its 1 bots")
    emulator.configure_bots(max_bots=2)
    app.call("create_bot", "second_bot")
    response = app.call("get_bots", user_fields="description")
    assert [bot.username for bot in response.data] == ["first_bot", "second_bot"]
    assert response.meta == {"max_bots": 2, "result_count": 2}
    assert response.data[0].description.startswith("Automated by @")


def test_rotate_and_revoke(app, clients, emulator):
    bot = app.call("create_bot", "help_bot").data
    assert app.call("revoke_bot_token", bot.id).data == {"revoked": True}
    with pytest.raises(tweepy.Unauthorized):
        _as_bot(clients, emulator, bot.token).call("get_me", user_auth=False)
    # The account stays; rotating reactivates it, narrowed if asked.
    rotated = app.call("rotate_bot_token", bot.id, scopes=["users.read", "tweet.read"]).data
    assert isinstance(rotated, BotAccount)
    assert rotated.scopes == ["tweet.read", "users.read"]
    assert (
        _as_bot(clients, emulator, rotated.token).call("get_me", user_auth=False).data.id == bot.id
    )
    with pytest.raises(tweepy.BadRequest, match=r"subset of dm\.read"):
        app.call("rotate_bot_token", bot.id, scopes=["broadcast.read"])  # docs: outside the set


def test_update_and_delete(app, clients, emulator):
    bot = app.call("create_bot", "help_bot").data
    assert app.call("update_bot", bot.id, display_name="Renamed", handle="renamed_bot").data == {
        "updated": True
    }
    me = _as_bot(clients, emulator, bot.token).call("get_me", user_auth=False).data
    assert (me.username, me.name) == ("renamed_bot", "Renamed")
    with pytest.raises(tweepy.BadRequest):  # someone else's handle
        app.call("update_bot", bot.id, handle="alice")
    assert app.call("delete_bot", bot.id).data == {"deleted": True}
    with pytest.raises(tweepy.Unauthorized):
        _as_bot(clients, emulator, bot.token).call("get_me", user_auth=False)
    assert app.call("get_user", id=bot.id).data is None  # the account is gone
    for name, args in (
        ("delete_bot", (bot.id,)),
        ("rotate_bot_token", (bot.id,)),
        ("revoke_bot_token", (bot.id,)),
        ("update_bot", (bot.id,)),
    ):
        kwargs = {"dm_permission": "everyone"} if name == "update_bot" else {}
        with pytest.raises(tweepy.NotFound):
            app.call(name, *args, **kwargs)
    assert app.call("get_bots").meta["result_count"] == 0
    # Its place in the project is free again.
    assert app.call("create_bot", "help_bot").data.id != bot.id


def test_a_taken_handle_is_refused(app):
    with pytest.raises(tweepy.BadRequest):
        app.call("create_bot", "alice")


def test_a_minted_token_never_reaches_a_log_line(app, debug_logs):
    bot = app.call("create_bot", "help_bot").data
    rotated = app.call("rotate_bot_token", bot.id).data
    logged = "\n".join(record.getMessage() for record in debug_logs.records)
    assert "Received API response" in logged  # tweepy logged the answers' bodies
    assert bot.token not in logged
    assert rotated.token not in logged
