"""BotToken's self-rotation, the rotate_bot_token route, and the OAuth 1.0a → 2.0 exchange."""

from __future__ import annotations

import threading

import pytest
import requests
import tweepy

import tweepy_dm
from tweepy_dm import auth

DAY = 24 * 60 * 60


@pytest.fixture
def bot(emulator):
    emulator.add_user(2, "bob", "Bob")
    return emulator.add_bot(7, "helperbot", "Helper")


def _bot_token(emulator, bot, clock, store=None):
    return auth.BotToken(
        bot["token"],
        bot_id=bot["id"],
        app_bearer_token=emulator.app_bearer_token,
        expires_at=bot["token_expires_at_ms"],
        store=store,
        clock=clock,
    )


def test_a_bot_token_rotates_itself_before_it_expires(emulator, clock, bot, clients, tmp_path):
    token = _bot_token(emulator, bot, clock, store=str(tmp_path / "bot.json"))
    client = clients.make(credentials={"bearer_token": token}, api_url=emulator.url)
    assert client.call("create_dm", participant_id=2, text="hi", user_auth=False)
    first = token.access_token
    clock.advance(29.5 * DAY)  # within a day of the 30 days the emulator gives
    assert client.call("create_dm", participant_id=2, text="again", user_auth=False)
    assert token.access_token != first
    assert token.access_token.startswith("xcbot_")
    assert token.expires_at == clock() + 30 * DAY
    # Rotation revoked the old token: X's 401.
    old = requests.get(
        emulator.url + "/2/dm_events", headers={"Authorization": f"Bearer {first}"}, timeout=10
    )
    assert old.status_code == 401


def test_a_bot_token_rotated_elsewhere_is_picked_up_after_a_401(emulator, clock, bot, tmp_path):
    store = str(tmp_path / "bot.json")
    one, two = (_bot_token(emulator, bot, clock, store=store) for _ in range(2))
    first = tweepy_dm.Client(bearer_token=one, api_url=emulator.url)
    second = tweepy_dm.Client(bearer_token=two, api_url=emulator.url)
    second.get_dm_events(user_auth=False)
    one.renew(emulator.url)  # rotated by the first process: the second's token is revoked
    second.get_dm_events(user_auth=False)  # 401, then the store's token, no new rotation
    assert two.access_token == one.access_token
    first.get_dm_events(user_auth=False)


def test_rotate_bot_token_through_the_client_needs_the_app_token(emulator, bot):
    app = tweepy_dm.Client(bearer_token=emulator.app_bearer_token, api_url=emulator.url)
    data = app.rotate_bot_token(bot["id"], scopes=["dm.read"]).data
    assert data["token"].startswith("xcbot_")
    assert data["scopes"] == ["dm.read"]
    user = tweepy_dm.Client(bearer_token=data["token"], api_url=emulator.url)
    with pytest.raises(tweepy.Forbidden):
        user.rotate_bot_token(bot["id"])
    with pytest.raises(tweepy.NotFound):
        app.rotate_bot_token(99)
    with pytest.raises(tweepy.BadRequest):
        app.rotate_bot_token(bot["id"], scopes=["broadcast.write"])


def test_a_deleted_bot_or_a_wrong_app_token_says_what_to_do(emulator, clock, bot):
    token = auth.BotToken(
        bot["token"], bot_id=bot["id"], app_bearer_token="wrong", expires_at=1, clock=clock
    )
    with pytest.raises(auth.AuthorizationRequired, match="app's bearer token"):
        token.token(emulator.url)


def test_bot_token_arguments_are_checked():
    with pytest.raises(ValueError, match="xcbot_"):
        auth.BotToken("abc", bot_id=1, app_bearer_token="A")
    with pytest.raises(ValueError, match="bot_id"):
        auth.BotToken("xcbot_x", bot_id="x1", app_bearer_token="A")
    with pytest.raises(TypeError, match="milliseconds"):
        auth.BotToken("xcbot_x", bot_id=1, app_bearer_token="A", expires_at=1.5)


@pytest.fixture
def alice(emulator):
    emulator.add_user(2, "bob", "Bob")
    return emulator.add_user(1, "alice", "Alice")


def _exchange(emulator, alice, clock, **kwargs):
    return auth.exchange_oauth1_token(
        access_token=alice["access_token"],
        access_token_secret=alice["access_token_secret"],
        client_id=emulator.oauth2_client_id,
        client_secret=emulator.oauth2_client_secret,
        api_url=emulator.url,
        clock=clock,
        **kwargs,
    )


def test_the_exchange_gives_a_working_refreshable_pair(emulator, clock, alice, tmp_path):
    store = str(tmp_path / "tokens.json")
    token = _exchange(emulator, alice, clock, store=store)
    assert token.user_id == "1"
    assert {"dm.read", "dm.write", "offline.access"} <= token.scopes
    client = tweepy_dm.Client(bearer_token=token, api_url=emulator.url)
    clock.advance(3 * 60 * 60)
    assert client.create_dm(participant_id=2, text="moved", user_auth=False).data
    assert emulator.oauth2_stats["refreshes"] == 1
    stored = auth.OAuth2UserToken.from_store(store, client_id=emulator.oauth2_client_id)
    assert stored.access_token == token.access_token


def test_re_exchanging_invalidates_the_previous_pair(emulator, clock, alice):
    first = _exchange(emulator, alice, clock)
    second = _exchange(emulator, alice, clock)
    headers = {"Authorization": f"Bearer {first.access_token}"}
    answer = requests.get(emulator.url + "/2/dm_events", headers=headers, timeout=10)
    assert answer.status_code == 401
    assert tweepy_dm.Client(bearer_token=second, api_url=emulator.url).get_dm_events(
        user_auth=False
    )


def test_the_exchanges_errors_are_clear(emulator, clock, alice):
    with pytest.raises(auth.AuthorizationRequired, match=r"OAuth 2\.0|auth login"):
        _exchange(emulator, {**alice, "access_token_secret": "wrong"}, clock)
    with pytest.raises(auth.TokenExchangeError, match="invalid_scope") as caught:
        _exchange(emulator, alice, clock, scopes="dm.read bookmark.read")
    assert caught.value.error == "invalid_scope"
    assert caught.value.status == 400
    with pytest.raises(auth.TokenExchangeError, match="invalid_client"):
        auth.exchange_oauth1_token(
            access_token=alice["access_token"],
            access_token_secret=alice["access_token_secret"],
            client_id=emulator.oauth2_client_id,
            client_secret="wrong",
            api_url=emulator.url,
        )
    narrowed = _exchange(emulator, alice, clock, scopes=["dm.read", "tweet.read", "users.read"])
    assert narrowed.scopes == {"dm.read", "tweet.read", "users.read", "offline.access"}


def test_two_exchange_jobs_on_one_store_take_turns(emulator, clock, alice, tmp_path):
    store = str(tmp_path / "tokens.json")
    results = []
    threads = [
        threading.Thread(
            target=lambda: results.append(_exchange(emulator, alice, clock, store=store))
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = auth.OAuth2UserToken.from_store(
        store, client_id=emulator.oauth2_client_id, client_secret=emulator.oauth2_client_secret,
        clock=clock,
    )  # fmt: skip
    # The store holds the pair X issued last, the one that still works.
    client = tweepy_dm.Client(bearer_token=stored, api_url=emulator.url)
    assert client.get_dm_events(user_auth=False) is not None
    assert emulator.oauth2_stats["exchanges"] == 2
