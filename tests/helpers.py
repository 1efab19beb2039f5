"""Test doubles and checks shared by the test modules."""

from __future__ import annotations

import json
import json as _json  # RecordingAiohttpSession.request has a json argument
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, unquote, urlsplit

import requests
import requests.adapters
from oauthlib.common import Request as OAuthRequest
from oauthlib.oauth1.rfc5849 import signature, utils

import tweepy_dm

CREDENTIALS = {
    "consumer_key": "test-consumer-key",
    "consumer_secret": "test-consumer-secret",
    "access_token": "145336962-test-access-token",
    "access_token_secret": "test-access-token-secret",
}
BEARER_TOKEN = "test-bearer-token"


class SentRequest(NamedTuple):
    """What went on the wire, in a form that compares across transports."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    json: Any
    auth_scheme: str  # "OAuth" (1.0a user context) or "Bearer"
    url: str
    headers: dict[str, str]

    @classmethod
    def from_parts(cls, method, url, headers, body) -> SentRequest:
        url = str(url)
        parts = urlsplit(url)
        if isinstance(body, bytes):
            body = body.decode()
        payload = json.loads(body) if body else None
        authorization = headers.get("Authorization", "")
        return cls(
            method=method.upper(),
            path=parts.path,
            query=tuple(sorted(parse_qsl(parts.query, keep_blank_values=True))),
            json=payload,
            auth_scheme=authorization.split(" ", 1)[0],
            url=url,
            headers=dict(headers),
        )

    def wire(self) -> tuple[Any, ...]:
        return (self.method, self.path, self.query, self.json, self.auth_scheme)


def oauth1_signature_is_valid(sent: SentRequest, consumer_secret: str, token_secret: str) -> bool:
    """Check an OAuth 1.0a HMAC-SHA1 signature the way a server does."""
    oauth_params = dict(utils.parse_authorization_header(sent.headers["Authorization"]))
    request = OAuthRequest(sent.url, http_method=sent.method, headers=sent.headers)
    request.params = signature.collect_parameters(
        uri_query=urlsplit(sent.url).query,
        headers=sent.headers,
        exclude_oauth_signature=True,
    )
    request.signature = unquote(oauth_params["oauth_signature"])
    return signature.verify_hmac_sha1(request, consumer_secret, token_secret)


class RecordingAdapter(requests.adapters.BaseAdapter):
    """A requests transport that records each request and answers from a list."""

    def __init__(self, *responses: tuple[int, Any]) -> None:
        super().__init__()
        self.responses = list(responses) or [(200, {"meta": {"result_count": 0}})]
        self.sent: list[SentRequest] = []

    def send(self, request, **kwargs):
        self.sent.append(
            SentRequest.from_parts(request.method, request.url, request.headers, request.body)
        )
        status, payload = self.responses.pop(0) if len(self.responses) > 1 else self.responses[0]
        response = requests.Response()
        response.status_code = status
        response.reason = "OK" if status < 400 else "Error"
        response.headers["content-type"] = "application/json"
        response._content = json.dumps(payload).encode()
        response.url = request.url
        response.request = request
        return response

    def close(self) -> None:
        pass


def recording_client(*responses: tuple[int, Any], client_class=None, **kwargs):
    """A sync client whose requests are recorded instead of sent."""
    client_class = client_class or tweepy_dm.Client
    client = client_class(bearer_token=BEARER_TOKEN, **CREDENTIALS, **kwargs)
    adapter = RecordingAdapter(*responses)
    client.session.mount("https://", adapter)
    return client, adapter


class _FakeAiohttpResponse:
    def __init__(self, status: int, payload: Any) -> None:
        self.status = status
        self.reason = "OK" if status < 400 else "Error"
        self.headers = {"content-type": "application/json"}
        self._body = json.dumps(payload).encode()

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc_info):
        return None

    async def read(self) -> bytes:
        return self._body

    async def json(self) -> Any:
        return json.loads(self._body)

    async def text(self) -> str:
        return self._body.decode()


class RecordingAiohttpSession:
    """Stands in for ``aiohttp.ClientSession`` as tweepy's AsyncClient uses it."""

    def __init__(self, *responses: tuple[int, Any]) -> None:
        self.responses = list(responses) or [(200, {"meta": {"result_count": 0}})]
        self.sent: list[SentRequest] = []

    def request(self, method, url, *, params=None, json=None, headers=None, **kwargs):
        from yarl import URL

        url = URL(url) if isinstance(url, str) else url
        if params:
            url = url.update_query(params)
        body = None if json is None else _json.dumps(json)
        self.sent.append(SentRequest.from_parts(method, url, headers or {}, body))
        status, payload = self.responses.pop(0) if len(self.responses) > 1 else self.responses[0]
        return _FakeAiohttpResponse(status, payload)

    async def close(self) -> None:
        pass


def tiny_files() -> dict[str, bytes]:
    """Smallest byte strings each supported format is recognised by."""
    return {
        "image/jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20,
        "image/png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 20,
        "image/gif": b"GIF89a\x01\x00\x01\x00" + b"\x00" * 20,
        "image/webp": b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 20,
        "video/mp4": b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00" + b"\x00" * 20,
        "video/quicktime": b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00" + b"\x00" * 20,
    }
