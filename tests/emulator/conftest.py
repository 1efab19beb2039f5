"""Fixtures of the emulator's own tests: users and a raw API (the clock and the emulator
are tests/conftest.py's)."""

from __future__ import annotations

import base64
from typing import Any, Optional

import pytest
import requests
from requests_oauthlib import OAuth1

from tests.helpers import START, FakeClock

__all__ = ["ALICE", "ALICE_BOB", "BOB", "CAROL", "MP4", "PNG", "START", "Api", "FakeClock"]

#: The recordings' users: alice < bob by value, but not as strings.
ALICE = "750362064426721281"
BOB = "1072250532645998596"
CAROL = "145336962"
ALICE_BOB = f"{ALICE}-{BOB}"

#: Smallest valid PNG: enough for the emulator to sniff the type.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
MP4 = b"\x00\x00\x00\x18ftypmp42" + bytes(1000)


class Api:
    """Raw HTTP to the emulator as one user, signed with OAuth 1.0a or a bearer token."""

    def __init__(self, url: str, credentials: dict[str, str], user_id: str) -> None:
        self.url = url
        self.credentials = credentials
        self.id = user_id
        self.session = requests.Session()
        self.oauth1 = OAuth1(
            credentials["consumer_key"],
            credentials["consumer_secret"],
            credentials["access_token"],
            credentials["access_token_secret"],
        )

    def request(
        self, method: str, path: str, *, bearer: bool = False, auth: Any = "oauth1", **kwargs: Any
    ) -> requests.Response:
        """Send as this user: OAuth 1.0a, the OAuth 2.0 token, or ``auth`` as given."""
        headers = kwargs.pop("headers", {})
        if bearer:
            headers["Authorization"] = f"Bearer {self.credentials['bearer_token']}"
            auth = None
        elif auth == "oauth1":
            auth = self.oauth1
        return self.session.request(method, self.url + path, auth=auth, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)

    def send(self, to: str, text: str = "Hi", **kwargs: Any) -> dict[str, str]:
        response = self.post(
            f"/2/dm_conversations/with/{to}/messages", json={"text": text}, **kwargs
        )
        assert response.status_code == 201, response.text
        return response.json()["data"]

    def events(self, path: str = "/2/dm_events", **params: Any) -> dict[str, Any]:
        response = self.get(path, params=params)
        assert response.status_code == 200, response.text
        return response.json()

    def upload(
        self, data: bytes, category: str, media_type: Optional[str] = None
    ) -> dict[str, Any]:
        fields: dict[str, Any] = {"media_category": (None, category)}
        if media_type:
            fields["media_type"] = (None, media_type)
        response = self.post("/2/media/upload", files={"media": ("file", data), **fields})
        assert response.status_code == 200, response.text
        return response.json()["data"]


def assert_problem(response: requests.Response, status: int, *, errors: bool = False) -> dict:
    """The answer is an error in X's shape, with the rate-limit headers."""
    assert response.status_code == status, response.text
    body = response.json()
    assert {"title", "detail", "type"} <= body.keys()
    if errors:
        assert body["errors"]
        assert all(isinstance(error, dict) for error in body["errors"])
    assert_rate_limit_headers(response)
    return body


def assert_rate_limit_headers(response: requests.Response) -> None:
    for name in ("x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset"):
        assert response.headers[name].isdigit(), name


@pytest.fixture
def users(emulator) -> tuple[Api, Api, Api]:
    """alice, bob and carol (the recordings' three users), as raw APIs."""
    return tuple(
        Api(emulator.url, emulator.add_user(user_id, name.lower(), name), user_id)
        for user_id, name in ((ALICE, "Alice"), (BOB, "Bob"), (CAROL, "Carol"))
    )
