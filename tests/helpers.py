"""Test doubles and checks shared by the test modules."""

from __future__ import annotations

import asyncio
import contextlib
import json
import json as _json  # RecordingAiohttpSession.request has a json argument
import os
import time
from collections.abc import Mapping
from typing import Any, Callable, NamedTuple
from urllib.parse import parse_qsl, urlsplit

import requests
import requests.adapters
import tweepy
from oauthlib.common import Request as OAuthRequest
from oauthlib.oauth1.rfc5849 import signature, utils

import tweepy_dm

#: Whether this is ``tox -e thorough``, which runs property-based tests at full strength.
THOROUGH = bool(os.environ.get("TWEEPY_DM_THOROUGH"))


def examples(full: int) -> int:
    """How many examples a property-based test tries: ``full`` in ``tox -e thorough``,
    a tenth of it (at least 25) in each of the matrix cells, which all run the same code."""
    return full if THOROUGH else max(25, full // 10)


CREDENTIALS = {
    "consumer_key": "test-consumer-key",
    "consumer_secret": "test-consumer-secret",
    "access_token": "145336962-test-access-token",
    "access_token_secret": "test-access-token-secret",
}
BEARER_TOKEN = "test-bearer-token"

#: How long a test waits for another thread's or process's work before it fails.
PATIENCE = 10.0


def wait_until(
    condition: Callable[[], Any],
    *,
    timeout: float = PATIENCE,
    what: Any = "",
    interval: float = 0.005,
) -> Any:
    """Wait until ``condition()`` is true, for at most ``timeout`` seconds; return its value.

    For what another thread or process does, which a test cannot step itself:
    it returns as soon as the condition holds, so the bound only turns a hang
    into a failure (naming ``what`` was awaited; a callable is asked then) and
    never decides a result.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            what = what() if callable(what) else what
            raise AssertionError(f"waited {timeout} s in vain for {what or condition}")
        time.sleep(interval)


#: Where :class:`FakeClock` starts unless told otherwise (2023-11-14, epoch seconds).
START = 1_700_000_000.0


def keyed_client(emulator: Any, user_id: int, kind: Any = tweepy_dm.Client) -> Any:
    """A ``Client`` (or ``kind``) of an emulator's XChat user: credentials and key blob."""
    return kind(
        api_url=emulator.url,
        **emulator.credentials(user_id),
        xchat_key=emulator.xchat_key_blob(user_id),
        xchat_user_id=user_id,
    )


def chat_received(message: Any, key_change: Any = None) -> dict[str, Any]:
    """The Activity API's ``chat.received`` event of a sent ``message`` (with a key change)."""
    payload = {"encoded_event": message.encoded_event, "conversation_id": message.conversation_id}
    if key_change is not None:
        payload["conversation_key_change_event"] = key_change
    return {"data": {"event_type": "chat.received", "payload": payload}}


class FakeClock:
    """Epoch seconds that move only when the test says: the one fake clock of the tests.

    Hand it to the emulator (``DMEmulator(clock=...)``, as the ``emulator``
    fixture does), a bot or a flow driver; move it with :meth:`advance` or by
    setting :attr:`now`.
    """

    def __init__(self, now: float = START) -> None:
        self.now = float(now)

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


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


def oauth1_is_valid(request: Any, credentials: Mapping[str, str]) -> bool:
    """Verify a raw request's OAuth 1.0a HMAC-SHA1 signature the way a server does.

    The one checker for requests seen on a raw transport (``SentRequest`` of
    the recording doubles, ``RecordedRequest`` of ``tests.loopback``): they
    have ``method``, ``url`` and ``headers``. Requests sent to the emulator are
    checked by the emulator itself (``tweepy_dm.emulator._auth``), which
    answers 401 to a bad signature.
    """
    try:
        oauth_params = {
            key: utils.unescape(value)
            for key, value in utils.parse_authorization_header(request.headers["Authorization"])
        }
    except (KeyError, ValueError):
        return False
    if (
        oauth_params.get("oauth_signature_method") != "HMAC-SHA1"
        or oauth_params.get("oauth_consumer_key") != credentials["consumer_key"]
        or oauth_params.get("oauth_token") != credentials["access_token"]
        or not oauth_params.get("oauth_nonce")
        or not oauth_params.get("oauth_timestamp", "").isdigit()
    ):
        return False
    url = str(request.url)
    signed = OAuthRequest(url, http_method=request.method, headers=dict(request.headers))
    # The query and the oauth_* parameters are signed; a JSON or multipart body is not.
    signed.params = signature.collect_parameters(
        uri_query=urlsplit(url).query,
        headers={"Authorization": request.headers["Authorization"]},
        exclude_oauth_signature=True,
    )
    signed.signature = oauth_params.get("oauth_signature", "")
    return signature.verify_hmac_sha1(
        signed, credentials["consumer_secret"], credentials["access_token_secret"]
    )


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

    async def json(self, *, content_type: Any = "application/json", **kwargs: Any) -> Any:
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


class Caller:
    """A client of either kind, called one way: :meth:`call` awaits an async client's methods."""

    def __init__(self, clients: Clients, client: Any, sent: list[SentRequest] | None = None):
        self.clients = clients
        self.client = client
        #: What a recording client sent (see :meth:`Clients.recording`).
        self.sent = sent

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        return self.clients.run(getattr(self.client, name)(*args, **kwargs))

    @contextlib.contextmanager
    def opened(self) -> Any:
        """``with client`` or ``async with client``."""
        if not self.clients.is_async:
            with self.client:
                yield self
            return
        self.clients.run(self.client.__aenter__())
        try:
            yield self
        finally:
            self.clients.run(self.client.__aexit__(None, None, None))


class Clients:
    """Makes sync or async clients (the ``clients`` fixture), so one test covers both.

    An async client's coroutines run on an event loop of this object's own,
    so a test is written once, as plain synchronous code.
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.is_async = kind == "async"
        self._loop: asyncio.AbstractEventLoop | None = None
        #: Every client :meth:`make` made: :meth:`close` closes their sessions.
        self.made: list[Any] = []

    def run(self, value: Any) -> Any:
        """``value`` itself for a sync client; awaited for an async one."""
        if not self.is_async:
            return value
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
        return self._loop.run_until_complete(value)

    def close(self) -> None:
        """Close the sessions of the clients made (an async client's only if it has one),
        then the event loop."""
        for client in self.made:
            session = getattr(client, "session", None)
            if session is not None:
                self.run(session.close())
        if self._loop is not None:
            self._loop.run_until_complete(self._loop.shutdown_asyncgens())
            self._loop.close()

    def paginator(self, *args: Any, **kwargs: Any) -> Any:
        """tweepy's Paginator, or AsyncPaginator for an async client."""
        if not self.is_async:
            return tweepy.Paginator(*args, **kwargs)
        try:
            from tweepy.asynchronous import AsyncPaginator
        except ImportError:
            import pytest

            pytest.skip("tweepy < 4.11 has no AsyncPaginator")
        return AsyncPaginator(*args, **kwargs)

    def collect(self, iterator: Any) -> list[Any]:
        """The items of a (sync or async) iterator, as a list."""
        if not self.is_async:
            return list(iterator)

        async def collect() -> list[Any]:
            return [item async for item in iterator]

        return self.run(collect())

    def client_class(self, *, native: bool = False) -> type:
        """tweepy_dm's client of this kind, or tweepy's own with ``native``."""
        if not self.is_async:
            return tweepy.Client if native else tweepy_dm.Client
        if native:
            from tweepy.asynchronous import AsyncClient

            return AsyncClient
        return tweepy_dm.AsyncClient

    def make(self, *, native: bool = False, credentials: Any = None, **kwargs: Any) -> Caller:
        """A client with the test credentials (or ``credentials``); ``kwargs`` go to it."""
        if credentials is None:
            credentials = {"bearer_token": BEARER_TOKEN, **CREDENTIALS}
        client = self.client_class(native=native)(**credentials, **kwargs)
        self.made.append(client)
        return Caller(self, client)

    def recording(self, *responses: tuple[int, Any], native: bool = False, **kwargs: Any) -> Caller:
        """A client whose requests are recorded in ``caller.sent`` and answered from ``responses``."""
        caller = self.make(native=native, **kwargs)
        if self.is_async:
            caller.client.session = session = RecordingAiohttpSession(*responses)
            caller.sent = session.sent
        else:
            adapter = RecordingAdapter(*responses)
            caller.client.session.mount("https://", adapter)
            caller.sent = adapter.sent
        return caller

    def status(self, response: Any) -> int:
        """The HTTP status of a transport's response (requests or aiohttp)."""
        return response.status if self.is_async else response.status_code

    @property
    def timeout_error(self) -> type[BaseException]:
        return asyncio.TimeoutError if self.is_async else requests.Timeout


@contextlib.contextmanager
def refused(status: int, text: str = "") -> Any:
    """X's refusal with this status, saying ``text``.

    Checked on the response rather than on the exception's class and message:
    tweepy before 4.8 raises the base class for 404, and before 4.10 leaves a
    problem's ``detail`` out of the message.
    """
    import pytest

    with pytest.raises(tweepy.HTTPException) as caught:
        yield
    response = caught.value.response
    got = getattr(response, "status_code", None) or getattr(response, "status", None)
    assert got == status, caught.value
    body = response.text if isinstance(getattr(response, "text", None), str) else ""
    assert text in body or text in str(caught.value), (text, body, str(caught.value))
