"""Who is calling: OAuth 1.0a signatures and OAuth 2.0 bearer tokens (with expiry and scopes)."""

from __future__ import annotations

import binascii
import functools
import hashlib
import heapq
import hmac
import threading
import time
import weakref
from collections.abc import Mapping
from typing import Any, Callable, NamedTuple, Optional
from urllib.parse import urlsplit

from oauthlib.common import extract_params, urldecode
from oauthlib.oauth1.rfc5849 import signature, utils

from tweepy_dm.emulator import _oauth2, _table
from tweepy_dm.emulator._errors import unauthorized
from tweepy_dm.emulator._state import EmulatorDB, User

OAUTH1, OAUTH2_USER, APP_ONLY = _table.OAUTH1, _table.OAUTH2_USER, _table.APP_TOKEN

_HASHES = {"HMAC-SHA1": hashlib.sha1, "HMAC-SHA256": hashlib.sha256}

# Characters oauthlib's escape (quote with "~" safe) leaves as they are.
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

try:
    _base_string_uri = signature.base_string_uri
except AttributeError:  # oauthlib before 3.1
    _base_string_uri = signature.normalize_base_string_uri


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
_NONCES: weakref.WeakKeyDictionary[EmulatorDB, NonceCache] = weakref.WeakKeyDictionary()
_NONCES_LOCK = threading.Lock()


def _nonces(store: EmulatorDB) -> NonceCache:
    with _NONCES_LOCK:
        cache = _NONCES.get(store)
        if cache is None:
            cache = _NONCES[store] = NonceCache()
        return cache


class Caller(NamedTuple):
    """The authenticated caller: a user (None for the app-only token).

    ``scopes`` are those an OAuth 2.0 token was granted; None for every scope
    (OAuth 1.0a, and the bearer tokens ``add_user`` hands out).
    """

    user: Optional[User]
    kind: str
    scopes: Optional[frozenset[str]] = None


def authenticate(
    store: EmulatorDB,
    method: str,
    url: str,
    headers: Mapping[str, str],
    form_body: Optional[bytes],
    nonces: Optional[NonceCache] = None,
    oauth: Optional[_oauth2.OAuth2Backend] = None,
) -> Caller:
    """Check the Authorization header; raise a 401 Problem if it is not good.

    ``url`` is the URL the client signed (scheme, Host header, path and
    query); ``form_body`` is the body when it is form-urlencoded, since
    OAuth 1.0a signs those parameters too. OAuth 1.0a requests must also
    carry a timestamp within :data:`TIMESTAMP_WINDOW` of the wall clock and
    a nonce not seen before (``nonces``, by default the store's own cache).
    ``oauth`` holds the tokens minted by the OAuth 2.0 flow, the 1.0a exchange
    and bot accounts; without it only the users' own tokens are known.
    """
    authorization = headers.get("Authorization", "")
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer":
        return _bearer(store, credentials.strip(), oauth)
    if scheme.lower() == "oauth":
        return _oauth1(store, method, url, headers, form_body, nonces or _nonces(store))
    raise unauthorized()


def _bearer(store: EmulatorDB, token: str, oauth: Optional[_oauth2.OAuth2Backend]) -> Caller:
    if token and token == store.app["app_bearer_token"]:
        return Caller(None, APP_ONLY)
    user = store.user_by_bearer_token(token)
    if user is not None:
        return Caller(user, OAUTH2_USER)
    # A token from the OAuth flow, the exchange or a bot: a 401 once expired or revoked.
    grant = oauth.grant(token) if token and oauth is not None else None
    user = store.user(grant.user_id) if grant is not None else None
    if grant is None or user is None:
        raise unauthorized()
    return Caller(user, OAUTH2_USER, grant.scopes)


def _oauth1(
    store: EmulatorDB,
    method: str,
    url: str,
    headers: Mapping[str, str],
    form_body: Optional[bytes],
    nonces: NonceCache,
) -> Caller:
    try:
        header_params = utils.parse_authorization_header(headers["Authorization"])
        oauth_params = {key: utils.unescape(value) for key, value in header_params}
    except (ValueError, KeyError, TypeError):
        raise unauthorized() from None
    user = store.user_by_access_token(oauth_params.get("oauth_token", ""))
    if (
        oauth_params.get("oauth_signature_method") not in _HASHES
        or user is None
        or oauth_params.get("oauth_consumer_key") != store.app["consumer_key"]
        or "oauth_signature" not in oauth_params
    ):
        raise unauthorized()
    try:
        expected = _signature(
            _HASHES[oauth_params["oauth_signature_method"]],
            signature_base_string(method, url, header_params, form_body),
            store.app["consumer_secret"],
            user.access_token_secret,
        )
        valid = hmac.compare_digest(
            expected.encode("ascii"), oauth_params["oauth_signature"].encode("utf-8", "replace")
        )
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


# Verifying a signature: what oauthlib's verify_hmac_sha1 and verify_hmac_sha256
# compute, byte for byte, without building its request object, parsing the
# Authorization header a second time or percent-encoding what needs none. The
# subtle rules (which queries and form bodies parse, how a URL is normalised)
# stay oauthlib's own functions. tests/emulator/test_oauth1_verify.py checks
# both agree.


def _escape(value: str) -> str:
    if _UNRESERVED.issuperset(value):
        return value
    return utils.escape(value)


@functools.lru_cache(maxsize=512)
def _escaped_base_uri(url: str) -> str:
    return _escape(_base_string_uri(url))


@functools.lru_cache(maxsize=512)
def _query_params(query: str) -> tuple[tuple[str, str], ...]:
    return tuple(urldecode(query))


def signature_base_string(
    method: str,
    url: str,
    header_params: list[tuple[str, str]],
    form_body: Optional[bytes],
) -> str:
    """RFC 5849's signature base string, as oauthlib builds it when it verifies.

    ``header_params`` are the Authorization header's parameters as
    ``utils.parse_authorization_header`` returns them; ``form_body`` is a
    form-urlencoded body, or None. Raises ValueError where oauthlib does.
    """
    query = urlsplit(url).query
    params: list[tuple[str, str]] = list(_query_params(query)) if query else []
    params.extend(item for item in header_params if item[0] != "realm")
    if form_body:
        params.extend(extract_params(form_body.decode("utf-8", "replace")) or [])
    pairs = sorted(
        (_escape(key), _escape(utils.unescape(value) if key.startswith("oauth_") else value))
        for key, value in params
        if key != "oauth_signature"
    )
    normalized = "&".join(f"{key}={value}" for key, value in pairs)
    # Escaped pairs hold only unreserved characters and %XX: escaping them
    # again changes only "%", "=" and "&", as quote() would, without its
    # character-by-character loop.
    escaped = normalized.replace("%", "%25").replace("=", "%3D").replace("&", "%26")
    return f"{_escape(method.upper())}&{_escaped_base_uri(url)}&{escaped}"


def _signature(hash_function: Callable[..., Any], base: str, secret: str, token_secret: str) -> str:
    key = f"{_escape(secret or '')}&{_escape(token_secret or '')}"
    digest = hmac.new(key.encode("utf-8"), base.encode("utf-8"), hash_function).digest()
    return binascii.b2a_base64(digest)[:-1].decode("ascii")
