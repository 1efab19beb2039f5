"""The emulator's OAuth 2.0 routes on bad input: clear OAuth errors, never a 5xx."""

from __future__ import annotations

import base64

import pytest
import requests


@pytest.fixture
def url(emulator):
    emulator.add_user(1, "alice", "Alice")
    return emulator.url


def _basic(emulator, secret=None):
    pair = f"{emulator.oauth2_client_id}:{secret or emulator.oauth2_client_secret}"
    return {"Authorization": "Basic " + base64.b64encode(pair.encode()).decode()}


def test_the_token_endpoint_answers_oauth_errors(emulator, url):
    token = url + "/2/oauth2/token"
    answer = requests.post(token, data={"grant_type": "refresh_token"}, timeout=10)
    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_client"
    public = {"grant_type": "refresh_token", "client_id": emulator.oauth2_client_id}
    answer = requests.post(token, data=public, timeout=10)
    assert answer.json()["error"] == "unauthorized_client"  # a confidential client
    answer = requests.post(token, data={"grant_type": "password"}, headers=_basic(emulator))
    assert answer.status_code == 400
    assert answer.json()["error"] == "unsupported_grant_type"
    answer = requests.post(token, json={"grant_type": "refresh_token"}, headers=_basic(emulator))
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_request"
    wrong = _basic(emulator, secret="wrong")
    answer = requests.post(token, data={"grant_type": "refresh_token"}, headers=wrong)
    assert answer.json()["error"] == "invalid_client"
    answer = requests.post(
        token, data={"grant_type": "refresh_token", "refresh_token": "x"}, headers=_basic(emulator)
    )
    assert answer.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"client_id": "someone-else"}, "unknown client_id"),
        ({"redirect_uri": "http://127.0.0.1:9/cb\r\nSet-Cookie: x=1"}, "redirect_uri"),
        ({"redirect_uri": "javascript:alert(1)"}, "redirect_uri"),
        ({"code_challenge_method": "md5"}, "S256 or plain"),
        ({"response_type": "token"}, "response_type"),
    ],
)
def test_a_bad_authorization_request_gets_a_400_page(emulator, url, change, problem):
    params = {
        "response_type": "code",
        "client_id": emulator.oauth2_client_id,
        "redirect_uri": "http://127.0.0.1:9/cb",
        "scope": "dm.read",
        "state": "s",
        "code_challenge": "c",
        "code_challenge_method": "S256",
        **change,
    }
    page = requests.get(url + "/2/oauth2/authorize", params=params, timeout=10)
    assert page.status_code == 400
    assert problem in page.text
    submit = requests.post(
        url + "/2/oauth2/authorize",
        data={**params, "user_id": "1", "decision": "allow"},
        allow_redirects=False,
        timeout=10,
    )
    assert submit.status_code == 400
    assert "Location" not in submit.headers


def test_rotating_a_bot_token_with_a_bad_body_is_a_400(emulator, url):
    bot = emulator.add_bot(7, "helperbot", "Helper")
    headers = {"Authorization": f"Bearer {emulator.app_bearer_token}"}
    for body in (b"[" * 100_000, b"\xff", b'{"scopes": "dm.read"}', b'{"other": 1}'):
        answer = requests.post(
            f"{url}/2/bots/{bot['id']}/token",
            data=body,
            headers={**headers, "Content-Type": "application/json"},
            timeout=10,
        )
        assert answer.status_code == 400, body[:20]
