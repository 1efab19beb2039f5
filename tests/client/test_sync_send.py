"""The sync client sends without requests.Session.request, and loses nothing of it.

Client.request prepares with the session (its headers, cookies, hooks) and
sends through its adapters, reading the environment's proxy settings only
when they change; a bearer token goes as an auth object, so ~/.netrc never
replaces it.
"""

from __future__ import annotations

import pytest
import requests

import tweepy_dm
from tests.helpers import BEARER_TOKEN, CREDENTIALS
from tests.loopback import LoopbackServer

PROXY_VARIABLES = ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy")


@pytest.fixture
def no_proxy_settings(monkeypatch):
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_session_headers_cookies_and_hooks_still_apply():
    seen = []
    with LoopbackServer() as server:
        client = tweepy_dm.Client(bearer_token=BEARER_TOKEN, **CREDENTIALS, api_url=server.url)
        client.session.headers["X-Extra"] = "1"
        client.session.cookies.set("c", "v")
        client.session.hooks["response"].append(lambda response, **_: seen.append(response))
        client.get_dm_events(user_auth=False)
        client.get_dm_events()
    bearer, oauth1 = server.requests
    assert bearer.headers["Authorization"] == f"Bearer {BEARER_TOKEN}"
    assert oauth1.headers["Authorization"].startswith("OAuth ")
    for request in (bearer, oauth1):
        assert request.headers["X-Extra"] == "1"
        assert request.headers["Cookie"] == "c=v"
    assert len(seen) == 2


def test_a_netrc_entry_never_replaces_the_bearer_token(tmp_path, no_proxy_settings):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password secret\n")
    netrc.chmod(0o600)
    no_proxy_settings.setenv("NETRC", str(netrc))
    with LoopbackServer() as server:
        client = tweepy_dm.Client(bearer_token=BEARER_TOKEN, api_url=server.url)
        client.get_dm_events(user_auth=False)
    assert server.requests[0].headers["Authorization"] == f"Bearer {BEARER_TOKEN}"


def test_a_new_bearer_token_is_sent_from_the_next_call():
    with LoopbackServer() as server:
        client = tweepy_dm.Client(bearer_token=BEARER_TOKEN, api_url=server.url)
        client.get_dm_events(user_auth=False)
        client.bearer_token = "another-token"
        client.get_dm_events(user_auth=False)
    first, second = server.requests
    assert first.headers["Authorization"] == f"Bearer {BEARER_TOKEN}"
    assert second.headers["Authorization"] == "Bearer another-token"


def test_a_proxy_set_in_the_environment_between_calls_is_used(no_proxy_settings):
    with LoopbackServer() as server:
        client = tweepy_dm.Client(bearer_token=BEARER_TOKEN, api_url=server.url)
        client.get_dm_events(user_auth=False)
        no_proxy_settings.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
        with pytest.raises(requests.ConnectionError):
            client.get_dm_events(user_auth=False)
        no_proxy_settings.setenv("NO_PROXY", "127.0.0.1")
        client.get_dm_events(user_auth=False)
    assert len(server.requests) == 2


def test_the_session_proxies_apply_too(no_proxy_settings):
    with LoopbackServer() as server:
        client = tweepy_dm.Client(bearer_token=BEARER_TOKEN, api_url=server.url)
        client.get_dm_events(user_auth=False)
        client.session.proxies["http"] = "http://127.0.0.1:9"
        with pytest.raises(requests.ConnectionError):
            client.get_dm_events(user_auth=False)
    assert len(server.requests) == 1
