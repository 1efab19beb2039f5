"""OAuth 2.0 in the emulator: the app's client, consent, codes, expiring tokens and grants.

The emulator's app has one confidential OAuth 2.0 client. ``/2/oauth2/authorize``
is a consent page a person clicks through (or a test posts to); ``/2/oauth2/token``
trades codes (PKCE, S256 or plain), refresh tokens (single-use: a reused one is
counted and answers ``invalid_grant``) and OAuth 1.0a tokens (the exchange);
``/2/oauth2/revoke`` ends a token. Access tokens expire on the emulator's clock and
carry the scopes granted, which the routes enforce (``_facts.ROUTE_SCOPES``); bots'
``xcbot_`` tokens are grants too, minted by ``_bots``. State is in memory, per emulator.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import secrets
import threading
from collections.abc import Mapping
from typing import Any, Callable, NamedTuple, Optional
from urllib.parse import parse_qs, quote, unquote, urlencode

from tweepy_dm import _facts
from tweepy_dm.emulator._errors import unauthorized
from tweepy_dm.emulator._params import Param, Query
from tweepy_dm.emulator._state import EmulatorDB, User
from tweepy_dm.emulator._table import NO_TOKEN, Row
from tweepy_dm.emulator._wire import HTTPResponse, json_response


class Grant(NamedTuple):
    user_id: int
    scopes: frozenset[str]
    expires_at: float


class _Code(NamedTuple):
    user_id: int
    scopes: frozenset[str]
    client_id: str
    redirect_uri: str
    challenge: str
    method: str
    expires_at: float


class OAuthError(Exception):
    """An OAuth error answer (RFC 6749 §5.2): ``{"error", "error_description"}``."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status

    def response(self) -> HTTPResponse:
        body = {"error": self.error, "error_description": self.description}
        return json_response(self.status, body, {})


class OAuth2Backend:
    """The OAuth 2.0 state of one emulator (thread-safe, in memory)."""

    def __init__(self, store: EmulatorDB, clock: Callable[[], float]) -> None:
        self.store = store
        self.clock = clock
        self.client_id = "emu-" + secrets.token_urlsafe(12)
        self.client_secret = secrets.token_urlsafe(32)
        self.access_token_seconds: float = _facts.OAUTH2_ACCESS_TOKEN_SECONDS
        #: How many times a spent refresh token was presented again.
        self.refresh_token_reuse = 0
        #: How many refreshes succeeded.
        self.refreshes = 0
        self.exchanges = 0
        self._lock = threading.Lock()
        self._codes: dict[str, _Code] = {}
        self._access: dict[str, Grant] = {}
        self._refresh: dict[str, Grant] = {}
        self._spent: set[str] = set()
        self._exchanged: dict[int, tuple[str, str]] = {}  # user: the pair exchanged last

    # Who a bearer token is

    def grant(self, token: str) -> Optional[Grant]:
        """The grant of an access token (or bot token); a 401 Problem if expired or revoked."""
        with self._lock:
            grant = self._access.get(token)
        if grant is None:
            return None
        if self.clock() >= grant.expires_at:
            raise unauthorized()
        return grant

    def _issue(self, user_id: int, scopes: frozenset[str]) -> dict[str, Any]:
        now = self.clock()
        access = secrets.token_urlsafe(32)
        self._access[access] = Grant(user_id, scopes, now + self.access_token_seconds)
        answer: dict[str, Any] = {
            "token_type": "bearer",
            "expires_in": int(self.access_token_seconds),
            "access_token": access,
            "scope": " ".join(sorted(scopes)),
        }
        if _facts.OFFLINE_ACCESS in scopes:
            refresh = secrets.token_urlsafe(32)
            self._refresh[refresh] = Grant(
                user_id, scopes, now + _facts.OAUTH2_REFRESH_TOKEN_SECONDS
            )
            answer["refresh_token"] = refresh
        return answer

    # Client authentication

    def _client(self, headers: Mapping[str, str], form: Mapping[str, str]) -> str:
        authorization = headers.get("Authorization", "")
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "basic":
            try:
                pair = base64.b64decode(value.strip(), validate=True).decode("utf-8")
            except (ValueError, UnicodeDecodeError):
                raise OAuthError("invalid_client", "Malformed Basic credentials.", 401) from None
            client_id, _, secret = (unquote(part) for part in pair.partition(":"))
            if client_id != self.client_id or not hmac.compare_digest(
                secret.encode(), self.client_secret.encode()
            ):
                raise OAuthError("invalid_client", "Client authentication failed.", 401)
            return client_id
        # A confidential client must authenticate: client_id alone is a public client's.
        if form.get("client_id") == self.client_id:
            raise OAuthError("unauthorized_client", "Missing valid authorization header", 401)
        raise OAuthError("invalid_client", "Client authentication failed.", 401)

    # The token endpoint

    def token(self, headers: Mapping[str, str], form: Mapping[str, str]) -> dict[str, Any]:
        self._client(headers, form)
        grant_type = form.get("grant_type")
        with self._lock:
            if grant_type == "authorization_code":
                return self._code_grant(form)
            if grant_type == "refresh_token":
                return self._refresh_grant(form)
            if grant_type == _facts.TOKEN_EXCHANGE_GRANT:
                return self._exchange_grant(form)
        raise OAuthError(
            "unsupported_grant_type" if grant_type else "invalid_request",
            "grant_type must be authorization_code, refresh_token or "
            f"{_facts.TOKEN_EXCHANGE_GRANT}.",
        )

    def _code_grant(self, form: Mapping[str, str]) -> dict[str, Any]:
        code = self._codes.pop(form.get("code", ""), None)
        if code is None or self.clock() > code.expires_at:
            raise OAuthError(
                "invalid_grant", "Value passed for the authorization code was invalid."
            )
        if form.get("redirect_uri") != code.redirect_uri:
            raise OAuthError("invalid_grant", "redirect_uri does not match the authorization.")
        verifier = form.get("code_verifier", "")
        if code.method == "S256":
            digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
            expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
        else:
            expected = verifier
        if not verifier or not hmac.compare_digest(expected.encode(), code.challenge.encode()):
            raise OAuthError("invalid_request", "Value passed for the code_verifier was invalid.")
        return self._issue(code.user_id, code.scopes)

    def _refresh_grant(self, form: Mapping[str, str]) -> dict[str, Any]:
        token = form.get("refresh_token", "")
        if token in self._spent:
            self.refresh_token_reuse += 1
            raise OAuthError("invalid_grant", "Value passed for the token was invalid.")
        grant = self._refresh.pop(token, None)
        if grant is None or self.clock() >= grant.expires_at:
            raise OAuthError("invalid_grant", "Value passed for the token was invalid.")
        self._spent.add(token)
        self.refreshes += 1
        return self._issue(grant.user_id, grant.scopes)

    def _exchange_grant(self, form: Mapping[str, str]) -> dict[str, Any]:
        if form.get("subject_token_type") != _facts.OAUTH1_TOKEN_TYPE:
            raise OAuthError(
                "invalid_request", f"subject_token_type must be {_facts.OAUTH1_TOKEN_TYPE}."
            )
        if not form.get("subject_token") or not form.get("oauth_token_secret"):
            raise OAuthError(
                "invalid_request", "subject_token and oauth_token_secret are required."
            )
        user = self.store.user_by_access_token(form["subject_token"])
        if user is None or not hmac.compare_digest(
            user.access_token_secret.encode(), form["oauth_token_secret"].encode()
        ):
            raise OAuthError("invalid_grant", "The subject token could not be exchanged.")
        allowed = frozenset(_facts.OAUTH1_EXCHANGE_SCOPES)
        scopes = allowed
        if form.get("scope"):
            asked = frozenset(form["scope"].split())
            if not asked <= allowed:
                raise OAuthError("invalid_scope", "The requested scope exceeds the grant.")
            scopes = asked | {_facts.OFFLINE_ACCESS}
        # Re-exchanging invalidates the pair exchanged before, for this user and app.
        previous = self._exchanged.pop(user.id, None)
        if previous is not None:
            self._access.pop(previous[0], None)
            self._refresh.pop(previous[1], None)
        answer = self._issue(user.id, scopes)
        self._exchanged[user.id] = (answer["access_token"], answer["refresh_token"])
        self.exchanges += 1
        return answer

    def revoke(self, headers: Mapping[str, str], form: Mapping[str, str]) -> dict[str, Any]:
        self._client(headers, form)
        token = form.get("token", "")
        with self._lock:
            self._access.pop(token, None)
            grant = self._refresh.pop(token, None)
            if grant is not None:  # revoking the refresh token ends the access tokens too
                for access, other in list(self._access.items()):
                    if other.user_id == grant.user_id and other.scopes == grant.scopes:
                        del self._access[access]
        return {"revoked": True}

    # Consent

    def authorize(self, params: Mapping[str, str], user_id: int) -> str:
        """A code for ``user_id``'s consent to ``params``; returns it."""
        with self._lock:
            code = secrets.token_urlsafe(24)
            self._codes[code] = _Code(
                user_id,
                frozenset(params["scope"].split()),
                params["client_id"],
                params["redirect_uri"],
                params["code_challenge"],
                params.get("code_challenge_method") or "plain",
                self.clock() + _facts.OAUTH2_CODE_SECONDS,
            )
        return code

    # Tokens minted elsewhere (bots' xcbot_ tokens, emulator/_bots.py)

    def add_grant(self, token: str, grant: Grant) -> None:
        with self._lock:
            self._access[token] = grant

    def drop_grant(self, token: str) -> None:
        with self._lock:
            self._access.pop(token, None)


# -- Routes -----------------------------------------------------------------------------


def _form(request: Any) -> dict[str, str]:
    content_type = request.headers.get("Content-Type") or ""
    if not content_type.startswith("application/x-www-form-urlencoded"):
        raise OAuthError("invalid_request", "The body must be application/x-www-form-urlencoded.")
    try:
        parsed = parse_qs(
            request.body.decode("utf-8"), keep_blank_values=True, strict_parsing=False
        )
    except UnicodeDecodeError:
        raise OAuthError("invalid_request", "The body is not UTF-8.") from None
    return {name: values[-1] for name, values in parsed.items()}


def token_route(app: Any, context: Any) -> HTTPResponse:
    oauth = app.oauth
    try:
        answer = oauth.token(context.request.headers, _form(context.request))
    except OAuthError as error:
        return error.response()
    return json_response(200, answer, {"Cache-Control": "no-store"})


def revoke_route(app: Any, context: Any) -> HTTPResponse:
    oauth = app.oauth
    try:
        answer = oauth.revoke(context.request.headers, _form(context.request))
    except OAuthError as error:
        return error.response()
    return json_response(200, answer, {})


_AUTHORIZE_PARAMS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
)


def _authorize_problem(oauth: OAuth2Backend, params: Mapping[str, str]) -> Optional[str]:
    missing = [name for name in _AUTHORIZE_PARAMS[:-1] if not params.get(name)]
    if missing:
        return f"missing {', '.join(missing)}"
    if params["response_type"] != "code":
        return "response_type must be code"
    if params["client_id"] != oauth.client_id:
        return "unknown client_id"
    redirect = params["redirect_uri"]
    if not redirect.startswith(("http://", "https://")) or not redirect.isprintable():
        return "redirect_uri must be an http:// or https:// URL"
    if any(char.isspace() for char in redirect):
        return "redirect_uri must not contain whitespace"
    if (params.get("code_challenge_method") or "plain") not in _facts.PKCE_METHODS:
        return "code_challenge_method must be S256 or plain"
    return None


def _page(status: int, body: str) -> HTTPResponse:
    document = (
        "<!doctype html><html><head><meta charset='utf-8'><title>Authorize app - "
        f"DMEmulator</title></head><body>{body}</body></html>"
    )
    return HTTPResponse(status, document.encode("utf-8"), "text/html; charset=utf-8", {})


def authorize_page(app: Any, context: Any) -> HTTPResponse:
    """The consent page: which app, which scopes, as which user; Authorize or Cancel."""
    oauth = app.oauth
    params = {name: values[-1] for name, values in context.request.query.items() if values}
    problem = _authorize_problem(oauth, params)
    if problem is not None:
        return _page(400, f"<h1>Invalid authorization request</h1><p>{html.escape(problem)}</p>")
    users = _users(app.store)
    hidden = "".join(
        f"<input type='hidden' name='{name}' value='{html.escape(params.get(name, ''))}'>"
        for name in _AUTHORIZE_PARAMS
    )
    options = "".join(
        f"<option value='{user.id}'>@{html.escape(user.username)} "
        f"({html.escape(user.name)})</option>"
        for user in users
    )
    scopes = "".join(f"<li>{html.escape(scope)}</li>" for scope in params["scope"].split())
    body = (
        "<h1>Authorize app</h1><p>The emulator's app asks to act as you with:</p>"
        f"<ul id='scopes'>{scopes}</ul>"
        f"<form method='post' action='{_facts.OAUTH2_AUTHORIZE_PATH}'>{hidden}"
        f"<label>Sign in as <select name='user_id'>{options}</select></label> "
        "<button name='decision' value='allow'>Authorize app</button> "
        "<button name='decision' value='deny'>Cancel</button></form>"
    )
    return _page(200, body)


def _users(store: EmulatorDB) -> list[User]:
    with store.lock:
        ids = [row[0] for row in store.db.execute("SELECT id FROM users ORDER BY id")]
    return store.users(ids)


def authorize_submit(app: Any, context: Any) -> HTTPResponse:
    """The consent form's answer: a redirect to the app with a code (or access_denied)."""
    oauth = app.oauth
    try:
        params = _form(context.request)
    except OAuthError as error:
        return _page(400, f"<h1>Invalid request</h1><p>{html.escape(error.description)}</p>")
    problem = _authorize_problem(oauth, params)
    if problem is not None:
        return _page(400, f"<h1>Invalid authorization request</h1><p>{html.escape(problem)}</p>")
    redirect = params["redirect_uri"]
    joiner = "&" if "?" in redirect else "?"
    if params.get("decision") != "allow":
        query = urlencode({"error": "access_denied", "state": params["state"]})
        return HTTPResponse(302, b"", "text/plain", {"Location": f"{redirect}{joiner}{query}"})
    raw_user = params.get("user_id", "")
    valid = raw_user.isascii() and raw_user.isdigit() and len(raw_user) <= 19
    user = app.store.user(int(raw_user)) if valid else None
    if user is None:
        return _page(400, "<h1>Invalid request</h1><p>choose a user</p>")
    code = oauth.authorize(params, user.id)
    query = urlencode({"state": params["state"], "code": code}, quote_via=quote)
    return HTTPResponse(302, b"", "text/plain", {"Location": f"{redirect}{joiner}{query}"})


_AUTHORIZE_QUERY: Query = {name: Param(lambda name, raw: raw) for name in _AUTHORIZE_PARAMS}

#: The OAuth routes: the consent page and the token and revoke endpoints authenticate
#: their client themselves (Basic, or none for the page).
ROWS: tuple[Row, ...] = (
    Row(f"GET {_facts.OAUTH2_AUTHORIZE_PATH}", authorize_page, _AUTHORIZE_QUERY, NO_TOKEN),
    Row(f"POST {_facts.OAUTH2_AUTHORIZE_PATH}", authorize_submit, auth=NO_TOKEN),
    Row(f"POST {_facts.OAUTH2_TOKEN_PATH}", token_route, auth=NO_TOKEN),
    Row(f"POST {_facts.OAUTH2_REVOKE_PATH}", revoke_route, auth=NO_TOKEN),
)
