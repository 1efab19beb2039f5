"""Who is calling: OAuth 1.0a signatures and OAuth 2.0 bearer tokens."""

from __future__ import annotations

import heapq
import threading
import time
import weakref
from collections.abc import Mapping
from typing import Callable, NamedTuple, Optional
from urllib.parse import urlsplit

from oauthlib.common import Request as OAuthRequest
from oauthlib.oauth1.rfc5849 import signature, utils

from tweepy_dm.emulator._errors import unauthorized
from tweepy_dm.emulator._state import Store, User

OAUTH1 = "oauth1"
OAUTH2_USER = "oauth2_user"
APP_ONLY = "app_only"

_VERIFIERS = {
    "HMAC-SHA1": signature.verify_hmac_sha1,
    "HMAC-SHA256": signature.verify_hmac_sha256,
}


#: How far ``oauth_timestamp`` may be from the wall clock, in seconds, either way.
TIMESTAMP_WINDOW = 5 * 60


class NonceCache:
    """The ``oauth_nonce`` values seen recently, to refuse a replayed request.

    A nonce is remembered until its request's timestamp falls out of the
    window; a replay after that is refused for its timestamp. So memory holds
    only the nonces of the last few minutes, however long the emulator runs.

    The clock is the wall clock, never the emulator's: clients sign with the
    real time even when a test drives rate limits with a fake clock.
    """

    def __init__(
        self, clock: Callable[[], float] = time.time, window: float = TIMESTAMP_WINDOW
    ) -> None:
        self._clock = clock
        self._window = window
        self._lock = threading.Lock()
        self._seen: dict[tuple[str, str, str], int] = {}  # (consumer, token, nonce): timestamp
        self._expiry: list[tuple[int, tuple[str, str, str]]] = []  # a heap of (timestamp, key)

    def __len__(self) -> int:
        with self._lock:
            return len(self._seen)

    def accept(self, consumer_key: str, token: str, timestamp: str, nonce: str) -> bool:
        """True, and remember the nonce, if the timestamp is current and the nonce new."""
        # ASCII digits only: int() would take "\u0663" or " 17e8" too.
        if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12) or not nonce:
            return False
        second = int(timestamp)
        now = self._clock()
        if abs(second - now) > self._window:
            return False
        key = (consumer_key, token, nonce)
        with self._lock:
            while self._expiry and self._expiry[0][0] < now - self._window:
                old_second, old_key = heapq.heappop(self._expiry)
                if self._seen.get(old_key) == old_second:
                    del self._seen[old_key]
            if key in self._seen:
                return False
            self._seen[key] = second
            heapq.heappush(self._expiry, (second, key))
        return True


# One cache per store, so that each emulator has its own and drops it with the store.
_NONCES: weakref.WeakKeyDictionary[Store, NonceCache] = weakref.WeakKeyDictionary()
_NONCES_LOCK = threading.Lock()


def _nonces(store: Store) -> NonceCache:
    with _NONCES_LOCK:
        cache = _NONCES.get(store)
        if cache is None:
            cache = _NONCES[store] = NonceCache()
        return cache


class Caller(NamedTuple):
    """The authenticated caller: a user (None for the app-only token)."""

    user: Optional[User]
    kind: str


def authenticate(
    store: Store,
    method: str,
    url: str,
    headers: Mapping[str, str],
    form_body: Optional[bytes],
    nonces: Optional[NonceCache] = None,
) -> Caller:
    """Check the Authorization header; raise a 401 Problem if it is not good.

    ``url`` is the URL the client signed (scheme, Host header, path and
    query); ``form_body`` is the body when it is form-urlencoded, since
    OAuth 1.0a signs those parameters too. OAuth 1.0a requests must also
    carry a timestamp within :data:`TIMESTAMP_WINDOW` of the wall clock and
    a nonce not seen before (``nonces``, by default the store's own cache).
    """
    authorization = headers.get("Authorization", "")
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer":
        return _bearer(store, credentials.strip())
    if scheme.lower() == "oauth":
        return _oauth1(store, method, url, headers, form_body, nonces or _nonces(store))
    raise unauthorized()


def _bearer(store: Store, token: str) -> Caller:
    if token and token == store.app["app_bearer_token"]:
        return Caller(None, APP_ONLY)
    user = store.user_by_bearer_token(token)
    if user is None:
        raise unauthorized()
    return Caller(user, OAUTH2_USER)


def _oauth1(
    store: Store,
    method: str,
    url: str,
    headers: Mapping[str, str],
    form_body: Optional[bytes],
    nonces: NonceCache,
) -> Caller:
    try:
        oauth_params = {
            key: utils.unescape(value)
            for key, value in utils.parse_authorization_header(headers["Authorization"])
        }
    except (ValueError, KeyError, TypeError):
        raise unauthorized() from None
    verify = _VERIFIERS.get(oauth_params.get("oauth_signature_method", ""))
    user = store.user_by_access_token(oauth_params.get("oauth_token", ""))
    if (
        verify is None
        or user is None
        or oauth_params.get("oauth_consumer_key") != store.app["consumer_key"]
        or "oauth_signature" not in oauth_params
    ):
        raise unauthorized()
    try:
        request = OAuthRequest(url, http_method=method, headers=dict(headers))
        # The signature covers the query, the oauth_* header parameters and a
        # form-urlencoded body, never a JSON or multipart one.
        request.params = signature.collect_parameters(
            uri_query=urlsplit(url).query,
            body=form_body.decode("utf-8", "replace") if form_body else None,
            headers={"Authorization": headers["Authorization"]},
            exclude_oauth_signature=True,
        )
        request.signature = oauth_params["oauth_signature"]
        valid = verify(request, store.app["consumer_secret"], user.access_token_secret)
    except ValueError:
        # A Host header or form body that does not parse: no signature can match it.
        valid = False
    if not valid:
        raise unauthorized()
    # Checked last, so that a request refused for its signature does not use up its nonce.
    if not nonces.accept(
        oauth_params["oauth_consumer_key"],
        oauth_params["oauth_token"],
        oauth_params.get("oauth_timestamp", ""),
        oauth_params.get("oauth_nonce", ""),
    ):
        raise unauthorized()
    return Caller(user, OAUTH1)
