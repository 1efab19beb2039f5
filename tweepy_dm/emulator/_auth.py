"""Who is calling: OAuth 1.0a signatures and OAuth 2.0 bearer tokens."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple, Optional
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


class Caller(NamedTuple):
    """The authenticated caller: a user (None for the app-only token)."""

    user: Optional[User]
    kind: str


def authenticate(
    store: Store, method: str, url: str, headers: Mapping[str, str], form_body: Optional[bytes]
) -> Caller:
    """Check the Authorization header; raise a 401 Problem if it is not good.

    ``url`` is the URL the client signed (scheme, Host header, path and
    query); ``form_body`` is the body when it is form-urlencoded, since
    OAuth 1.0a signs those parameters too.
    """
    authorization = headers.get("Authorization", "")
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer":
        return _bearer(store, credentials.strip())
    if scheme.lower() == "oauth":
        return _oauth1(store, method, url, headers, form_body)
    raise unauthorized()


def _bearer(store: Store, token: str) -> Caller:
    if token and token == store.app["app_bearer_token"]:
        return Caller(None, APP_ONLY)
    user = store.user_by_bearer_token(token)
    if user is None:
        raise unauthorized()
    return Caller(user, OAUTH2_USER)


def _oauth1(
    store: Store, method: str, url: str, headers: Mapping[str, str], form_body: Optional[bytes]
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
    if not verify(request, store.app["consumer_secret"], user.access_token_secret):
        raise unauthorized()
    return Caller(user, OAUTH1)
