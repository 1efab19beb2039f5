"""OAuth2UserToken against the emulator: PKCE login, refresh before expiry and after a 401,
a store shared by several credentials, invalid_grant, and scopes checked before sending."""

from __future__ import annotations

import html
import logging
import os
import re
import stat

import pytest
import requests
import tweepy

import tweepy_dm
from tweepy_dm import _oauth2, auth

REDIRECT = "http://127.0.0.1:9/callback"


def consent(emulator, request, *, user_id="1", decision="allow"):
    """Click through the emulator's consent page as a person would: the callback URL."""
    page = requests.get(request.url, timeout=10)
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    form = {
        name: html.unescape(value)
        for name, value in re.findall(r"name='(\w+)' value='([^']*)'", page.text)
    }
    assert set(request.scopes) == set(re.findall(r"<li>([\w.]+)</li>", page.text))
    form.update(user_id=user_id, decision=decision)
    answer = requests.post(
        emulator.url + "/2/oauth2/authorize", data=form, allow_redirects=False, timeout=10
    )
    assert answer.status_code == 302
    return answer.headers["Location"]


def login(emulator, clock, *, scopes=None, store=None, method="S256", user_id="1"):
    kwargs = {} if scopes is None else {"scopes": scopes}
    request = auth.authorization_url(
        client_id=emulator.oauth2_client_id,
        redirect_uri=REDIRECT,
        authorize_url=emulator.url + "/2/oauth2/authorize",
        code_challenge_method=method,
        **kwargs,
    )
    return auth.fetch_token(
        request,
        consent(emulator, request, user_id=user_id),
        client_secret=emulator.oauth2_client_secret,
        api_url=emulator.url,
        store=store,
        clock=clock,
    )


@pytest.fixture
def users(emulator):
    emulator.add_user(1, "alice", "Alice")
    emulator.add_user(2, "bob", "Bob")


@pytest.mark.parametrize("method", ["S256", "plain"])
def test_pkce_login_through_the_consent_page(emulator, clock, users, method):
    token = login(emulator, clock, method=method)
    assert token.user_id == "1"
    assert "dm.write" in token.scopes
    assert "offline.access" in token.scopes
    assert token.expires_at == clock() + 7200
    client = tweepy_dm.Client(bearer_token=token, api_url=emulator.url)
    sent = client.create_dm(participant_id=2, text="hi", user_auth=False)
    assert sent.data["dm_conversation_id"] == "1-2"


def test_a_wrong_verifier_or_a_replayed_code_is_refused(emulator, clock, users):
    request = auth.authorization_url(
        client_id=emulator.oauth2_client_id,
        redirect_uri=REDIRECT,
        authorize_url=emulator.url + "/2/oauth2/authorize",
    )
    callback = consent(emulator, request)
    forged = request._replace(code_verifier="x" * 64)
    with pytest.raises(auth.OAuth2Error, match="invalid_request"):
        auth.fetch_token(
            forged, callback, client_secret=emulator.oauth2_client_secret, api_url=emulator.url
        )
    # The code was consumed by the failed attempt: single use.
    with pytest.raises(auth.AuthorizationRequired, match="authorize the app again"):
        auth.fetch_token(
            request, callback, client_secret=emulator.oauth2_client_secret, api_url=emulator.url
        )


def test_a_denied_consent_and_another_logins_state_are_refused(emulator, clock, users):
    request = auth.authorization_url(
        client_id=emulator.oauth2_client_id,
        redirect_uri=REDIRECT,
        authorize_url=emulator.url + "/2/oauth2/authorize",
    )
    with pytest.raises(ValueError, match="access_denied"):
        auth.fetch_token(request, consent(emulator, request, decision="deny"))
    other = auth.authorization_url(client_id="x", redirect_uri=REDIRECT)
    with pytest.raises(ValueError, match="state"):
        auth.fetch_token(other, consent(emulator, request))


def test_the_token_refreshes_before_it_expires(emulator, clock, users, clients):
    token = login(emulator, clock)
    first = token.access_token
    client = clients.make(credentials={"bearer_token": token}, api_url=emulator.url)
    for _ in range(30):  # 15 hours
        clock.advance(30 * 60)
        assert client.call("get_dm_events", user_auth=False) is not None
    assert token.access_token != first
    assert emulator.oauth2_stats["refreshes"] == 7  # each at 1 h 59 min
    assert emulator.oauth2_stats["refresh_token_reuse"] == 0


def test_a_401_refreshes_once_and_retries_once(emulator, clock, users, clients):
    emulator.oauth2_access_token_seconds = 600  # X expires it sooner than the token said
    token = login(emulator, clock)
    token._record["expires_at"] = clock() + 7200
    client = clients.make(credentials={"bearer_token": token}, api_url=emulator.url)
    clock.advance(900)
    assert client.call("get_dm_events", user_auth=False) is not None
    assert emulator.oauth2_stats["refreshes"] == 1


def test_a_second_401_reaches_the_caller_without_a_loop(emulator, clock, users, clients):
    token = login(emulator, clock)
    client = clients.make(credentials={"bearer_token": token}, api_url=emulator.url)
    client.call("get_dm_events", user_auth=False)  # the store read once
    emulator.inject_fault(401, count=2, path="/2/dm_events")
    with pytest.raises(tweepy.Unauthorized):
        client.call("get_dm_events", user_auth=False)
    assert emulator.oauth2_stats["refreshes"] == 1
    assert client.call("get_dm_events", user_auth=False) is not None


@pytest.mark.parametrize("kind", ["file", "sqlite"])
def test_credentials_sharing_a_store_spend_each_refresh_token_once(
    emulator, clock, users, tmp_path, kind
):
    store = str(tmp_path / "tokens.json") if kind == "file" else f"sqlite:///{tmp_path}/t.db"
    original = login(emulator, clock, store=store)
    token_dict = {
        "access_token": original.access_token,
        "refresh_token": original._record["refresh_token"],
        "expires_at": original.expires_at,
        "scope": " ".join(original.scopes),
    }
    secret = emulator.oauth2_client_secret
    a, b = (
        auth.OAuth2UserToken(
            token_dict,
            client_id=emulator.oauth2_client_id,
            client_secret=secret,
            store=store,
            clock=clock,
        )
        for _ in range(2)
    )
    clients = [tweepy_dm.Client(bearer_token=t, api_url=emulator.url) for t in (a, b)]
    for _ in range(12):
        clock.advance(3600)
        for client in clients:
            client.get_dm_events(user_auth=False)
    # A process that starts now with the original dict uses the store's pair.
    late = auth.OAuth2UserToken(
        token_dict, client_id=emulator.oauth2_client_id, client_secret=secret, store=store,
        clock=clock,
    )  # fmt: skip
    tweepy_dm.Client(bearer_token=late, api_url=emulator.url).get_dm_events(user_auth=False)
    assert late.access_token == a.access_token == b.access_token
    assert emulator.oauth2_stats["refresh_token_reuse"] == 0
    assert emulator.oauth2_stats["refreshes"] == 6


def test_the_file_store_is_private(emulator, clock, users, tmp_path):
    path = tmp_path / "tokens.json"
    login(emulator, clock, store=str(path))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(str(path) + ".lock").st_mode) == 0o600


def test_invalid_grant_says_authorize_again_and_stops_every_process(
    emulator, clock, users, tmp_path
):
    store = str(tmp_path / "tokens.json")
    token = login(emulator, clock, store=store)
    auth.revoke_token(token, client_secret=emulator.oauth2_client_secret)
    client = tweepy_dm.Client(bearer_token=token, api_url=emulator.url)
    clock.advance(7200)
    with pytest.raises(auth.AuthorizationRequired, match="authorize the app again") as caught:
        client.get_dm_events(user_auth=False)
    assert "tweepy-dm auth login" in str(caught.value)
    refreshes = emulator.oauth2_stats
    # Another process of the same store does not ask X again.
    other = auth.OAuth2UserToken.from_store(
        store, client_id=emulator.oauth2_client_id, client_secret="s", clock=clock
    )
    with pytest.raises(auth.AuthorizationRequired):
        tweepy_dm.Client(bearer_token=other, api_url=emulator.url).get_dm_events(user_auth=False)
    with pytest.raises(auth.AuthorizationRequired):
        client.get_dm_events(user_auth=False)
    assert emulator.oauth2_stats == refreshes


def test_a_refresh_answer_lost_before_the_write_needs_a_new_authorization(
    emulator, clock, users, tmp_path
):
    # The documented window: X spent the refresh token, the answer never reached the store.
    store = str(tmp_path / "tokens.json")
    token = login(emulator, clock, store=store)
    clock.advance(7200)

    def lose_the_answer(effect):
        result = _oauth2.SYNC_PERFORM(effect)
        if isinstance(effect, _oauth2._flow.Send):
            raise ConnectionError("killed")
        return result

    with pytest.raises(ConnectionError):
        _oauth2._flow.run_flow(token._renew(emulator.url), lose_the_answer)
    restarted = auth.OAuth2UserToken.from_store(
        store, client_id=emulator.oauth2_client_id, client_secret=emulator.oauth2_client_secret,
        clock=clock,
    )  # fmt: skip
    with pytest.raises(auth.AuthorizationRequired, match=r"auth exchange|auth login"):
        restarted.token(emulator.url)
    assert emulator.oauth2_stats["refresh_token_reuse"] == 1


def test_a_missing_scope_fails_before_sending(emulator, clock, users, clients):
    token = login(emulator, clock, scopes="dm.read tweet.read users.read offline.access")
    client = clients.make(credentials={"bearer_token": token}, api_url=emulator.url)
    with pytest.raises(auth.MissingScopesError, match=r"dm\.write") as caught:
        client.call("create_dm", participant_id=2, text="hi", user_auth=False)
    assert caught.value.missing == ("dm.write",)
    bob = tweepy_dm.Client(
        bearer_token=emulator.credentials(2)["bearer_token"], api_url=emulator.url
    )
    assert bob.get_dm_events(user_auth=False).data is None  # nothing was sent
    assert client.call("get_dm_events", user_auth=False) is not None


def test_the_emulator_enforces_scopes_with_xs_403(emulator, clock, users):
    token = login(emulator, clock, scopes="dm.read tweet.read users.read")
    assert token.renewable is False
    answer = requests.post(
        emulator.url + "/2/dm_conversations/with/2/messages",
        json={"text": "hi"},
        headers={"Authorization": f"Bearer {token.access_token}"},
        timeout=10,
    )
    assert answer.status_code == 403
    body = answer.json()
    assert body["title"] == "Forbidden"
    assert "dm.write" in body["detail"]


def test_an_expired_token_gets_xs_401_and_add_user_tokens_keep_every_scope(emulator, clock):
    credentials = emulator.add_user(1, "alice", "Alice")
    emulator.add_user(2, "bob", "Bob")
    token = login(emulator, clock, scopes="dm.read tweet.read users.read")
    clock.advance(7201)
    headers = {"Authorization": f"Bearer {token.access_token}"}
    answer = requests.get(emulator.url + "/2/dm_events", headers=headers, timeout=10)
    assert answer.status_code == 401
    assert answer.json()["title"] == "Unauthorized"
    plain = tweepy_dm.Client(bearer_token=credentials["bearer_token"], api_url=emulator.url)
    assert plain.create_dm(participant_id=2, text="x", user_auth=False).data


def test_no_token_in_repr_str_errors_or_debug_logs(emulator, clock, users, caplog, tmp_path):
    store = str(tmp_path / "tokens.json")
    token = login(emulator, clock, store=store)
    secrets = [token.access_token, token._record["refresh_token"], emulator.oauth2_client_secret]
    caplog.set_level(logging.DEBUG)
    client = tweepy_dm.Client(bearer_token=token, api_url=emulator.url)
    clock.advance(7200)
    client.get_dm_events(user_auth=False)
    secrets += [token.access_token, token._record["refresh_token"]]
    shown = [repr(token), str(token), repr(client.bearer_token), f"{token}"]
    shown += [record.getMessage() for record in caplog.records]
    shown += [repr(row) for row in auth.stored_tokens(store)]
    for text in shown:
        for secret in secrets:
            assert secret not in text


def test_bad_arguments_are_refused_clearly():
    with pytest.raises(TypeError, match=r"OAuth2UserHandler\.fetch_token"):
        auth.OAuth2UserToken("abc", client_id="x")
    with pytest.raises(ValueError, match="no access_token"):
        auth.OAuth2UserToken({"refresh_token": "r"}, client_id="x")
    with pytest.raises(TypeError, match="Client ID"):
        auth.OAuth2UserToken({"access_token": "a"}, client_id="")
    with pytest.raises(ValueError, match="sqlite:///path or postgresql"):
        auth.OAuth2UserToken({"access_token": "a"}, client_id="x", store="redis://h")
    with pytest.raises(ValueError, match="S256, plain"):
        auth.authorization_url(client_id="x", redirect_uri=REDIRECT, code_challenge_method="md5")


def test_a_process_starting_with_the_login_dict_finds_the_stores_newer_pair(
    emulator, clock, users, tmp_path
):
    store = str(tmp_path / "tokens.json")
    token = login(emulator, clock, store=store)  # stored under the user's id
    original = {
        "access_token": token.access_token,
        "refresh_token": token._record["refresh_token"],
        "expires_at": token.expires_at,
        "scope": " ".join(token.scopes),
    }
    clock.advance(7200)
    token.token(emulator.url)  # refreshed and stored: the original refresh token is spent
    late = auth.OAuth2UserToken(
        original, client_id=emulator.oauth2_client_id,
        client_secret=emulator.oauth2_client_secret, store=store, clock=clock,
    )  # fmt: skip
    assert late.token(emulator.url) == token.access_token
    assert emulator.oauth2_stats == {"refreshes": 1, "exchanges": 0, "refresh_token_reuse": 0}
