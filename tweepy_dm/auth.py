"""Credentials a running bot never has to think about: OAuth 2.0 user tokens and bot tokens.

:class:`OAuth2UserToken` and :class:`BotToken` are passed as ``bearer_token=`` to
:class:`tweepy_dm.Client` and :class:`tweepy_dm.AsyncClient`. Each renews itself
before it expires (and once after a 401), through a store that threads and
processes share, so that a refresh token is spent once. The functions below get
the first token: :func:`authorization_url` and :func:`fetch_token` (PKCE, for a web
app's own callback), :func:`exchange_oauth1_token` (OAuth 1.0a → 2.0, until
2027-01-31) and :func:`revoke_token`. docs/credentials.rst says which to use when.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple, Optional
from urllib.parse import parse_qs, urlencode, urlsplit

from tweepy_dm import _facts, _logging, _oauth2, _token_store
from tweepy_dm._endpoints.bots import rotate_bot_token
from tweepy_dm._oauth2 import (
    AuthorizationRequired,
    Clock,
    CredentialError,
    MissingScopesError,
    OAuth2Error,
    TokenExchangeError,
)

__all__ = [
    "AuthorizationRequest",
    "AuthorizationRequired",
    "BotToken",
    "CredentialError",
    "MissingScopesError",
    "OAuth2Error",
    "OAuth2UserToken",
    "TokenExchangeError",
    "authorization_url",
    "exchange_oauth1_token",
    "fetch_token",
    "revoke_token",
    "stored_tokens",
    "use_stored_tokens",
]


def _check_client_id(client_id: Any) -> str:
    if not isinstance(client_id, str) or not client_id.strip():
        raise TypeError(
            "client_id must be the app's OAuth 2.0 Client ID (a non-empty str, from the "
            "developer portal's Keys and tokens page), not the OAuth 1.0a consumer key"
        )
    return client_id.strip()


def _check_secret(client_secret: Any) -> Optional[str]:
    if client_secret is None:
        return None
    if not isinstance(client_secret, str):
        raise TypeError(f"client_secret must be a str or None, not {type(client_secret).__name__}")
    _logging.protect(client_secret)
    return client_secret.strip() or None


def _user_name(client_id: str, record: Mapping[str, Any]) -> str:
    if record.get("user_id"):
        return f"oauth2:{client_id}:{record['user_id']}"
    seed = record.get("refresh_token") or record["access_token"]
    return f"oauth2:{client_id}:lineage-{_token_store.alias(seed)[:16]}"


class OAuth2UserToken(_oauth2.Credential):
    """OAuth2UserToken(token, *, client_id, client_secret=None, store=None)

    An OAuth 2.0 user access token that refreshes itself: pass it as
    ``bearer_token=`` to :class:`tweepy_dm.Client` or :class:`tweepy_dm.AsyncClient`.

    Before each request the client asks it for a token; a minute before the
    access token's two hours are up it refreshes (and once more after a 401,
    retrying that request once). The refresh is serialized through ``store``
    across threads and processes: the first takes the lock, spends the single-use
    refresh token, writes the new pair durably, and everyone else reads it.
    ``invalid_grant`` raises :class:`AuthorizationRequired` once, and is kept in
    the store, so no process asks X again with a dead token.

    .. versionadded:: 0.2

    Parameters
    ----------
    token : dict
        What ``tweepy.OAuth2UserHandler.fetch_token`` (or :func:`fetch_token`,
        :func:`exchange_oauth1_token`) returns: ``access_token``,
        ``refresh_token`` (asked with the ``offline.access`` scope),
        ``expires_in`` or ``expires_at``, ``scope``. A store holding a newer
        pair of the same user and client wins over it.
    client_id : str
        The app's OAuth 2.0 Client ID.
    client_secret : str | None
        The app's OAuth 2.0 Client Secret, for a confidential client (Web App,
        Automated App or bot); None for a public one.
    store : str | os.PathLike | None
        Where the newest pair lives: a file path (a JSON file created 0600),
        ``sqlite:///path`` or ``postgresql://…`` (the bot's URLs). None keeps
        it in this process only.
    clock : Callable[[], float] | None
        The clock expiry is read on (``time.time``); tests pass a fake one.

    Raises
    ------
    TypeError
        If ``token`` is not a dict or ``client_id`` is missing.
    ValueError
        If ``token`` has no ``access_token``, or ``store`` is not a path or
        a ``sqlite:///``/``postgresql://`` URL.

    References
    ----------
    https://docs.x.com/fundamentals/authentication/oauth-2-0/user-access-token
    """

    kind = "OAuth 2.0 user token"

    def __init__(
        self,
        token: Mapping[str, Any],
        *,
        client_id: str,
        client_secret: Optional[str] = None,
        store: Any = None,
        clock: Optional[Clock] = None,
    ) -> None:
        self.client_id = _check_client_id(client_id)
        self._client_secret = _check_secret(client_secret)
        now = (clock or time.time)()
        record = _oauth2.record_from_token(token, now)
        super().__init__(record, _user_name(self.client_id, record), store, clock)

    @classmethod
    def from_store(
        cls,
        store: Any,
        *,
        client_id: str,
        user_id: Optional[str] = None,
        client_secret: Optional[str] = None,
        clock: Optional[Clock] = None,
    ) -> OAuth2UserToken:
        """The token ``tweepy-dm auth login`` (or :meth:`save`) left in ``store``.

        ``user_id`` picks one user where the store holds several of this client.

        .. versionadded:: 0.2

        Raises
        ------
        LookupError
            If the store holds no token of ``client_id`` (and ``user_id``), or
            several and no ``user_id`` was given.
        """
        client_id = _check_client_id(client_id)
        opened = _token_store.open_token_store(store)
        prefix = f"oauth2:{client_id}:"
        lease = opened.acquire()
        try:
            names = [n for n in lease.names() if n.startswith(prefix)]
            if user_id is not None:
                names = [n for n in names if n == prefix + str(user_id)]
            record = lease.load(names[0]) if len(names) == 1 else None
        finally:
            lease.release()
        if record is None:
            which = f"user {user_id} of " if user_id is not None else ""
            reason = "several users: pass user_id" if len(names) > 1 else "no token"
            raise LookupError(
                f"the token store {opened.url} holds {reason} for {which}client "
                f"{client_id}: run `tweepy-dm auth login --client-id {client_id} "
                f"--token-store {opened.url}` first"
            )
        return cls(record, client_id=client_id, client_secret=client_secret, store=opened,
                   clock=clock)  # fmt: skip

    @property
    def renewable(self) -> bool:
        return bool(self._record.get("refresh_token"))

    def _why_not_renewable(self) -> str:
        return f"X gave no refresh token: ask for the {_facts.OFFLINE_ACCESS} scope"

    def _renewal(self, record: dict[str, Any], api_url: Optional[str]) -> _oauth2.HTTPCall:
        form = {"grant_type": "refresh_token", "refresh_token": record["refresh_token"]}
        return _oauth2.token_call(api_url, form, self.client_id, self._client_secret)

    def _renewed(self, answer: _oauth2.Answer, now: float) -> dict[str, Any]:
        body = _oauth2.token_answer(answer, "refreshing the OAuth 2.0 user token", now)
        return _oauth2.record_from_token(body, now)


class BotToken(_oauth2.Credential):
    """BotToken(token, *, bot_id, app_bearer_token, expires_at=None, store=None)

    A bot account's ``xcbot_`` token that rotates itself: pass it as
    ``bearer_token=``. A day before ``expires_at`` (or, for a shorter-lived
    token, halfway) and once after a 401 it calls ``POST /2/bots/:id/token``
    with the app's bearer token, stores the new token durably, and uses it.
    Rotation revokes every earlier token of the bot, so all processes of a bot
    share one ``store``. There is no refresh token: a bot token is renewed only
    by the app that owns the bot.

    .. versionadded:: 0.2

    Parameters
    ----------
    token : str
        The ``xcbot_…`` token X returned when the bot was created or rotated.
    bot_id : int | str
        The bot's user id.
    app_bearer_token : str
        The app's bearer token (OAuth 2.0 App Only), which rotation needs.
    expires_at : int | None
        When ``token`` expires, in epoch **milliseconds** (X's
        ``token_expires_at_ms``); None if unknown (it then rotates only after a 401).
    store : str | os.PathLike | None
        As :class:`OAuth2UserToken`'s.
    clock : Callable[[], float] | None
        The clock expiry is read on.

    Raises
    ------
    TypeError
        If a token is not a str, ``bot_id`` not an id or ``expires_at`` not an int.
    ValueError
        If ``token`` does not start with ``xcbot_``.

    References
    ----------
    https://docs.x.com/x-api/bots/rotate-bot-token
    """

    kind = "bot token"
    _margin_seconds = _facts.BOT_ROTATE_MARGIN_SECONDS

    def __init__(
        self,
        token: str,
        *,
        bot_id: Any,
        app_bearer_token: str,
        expires_at: Optional[int] = None,
        store: Any = None,
        clock: Optional[Clock] = None,
    ) -> None:
        if not isinstance(token, str):
            raise TypeError(
                f"token must be the bot's xcbot_ token (a str), not {type(token).__name__}"
            )
        if not token.startswith(_facts.BOT_TOKEN_PREFIX):
            raise ValueError(
                f"token must be a bot token, starting with {_facts.BOT_TOKEN_PREFIX!r} "
                "(the value is not shown)"
            )
        if not isinstance(app_bearer_token, str) or not app_bearer_token:
            raise TypeError("app_bearer_token must be the app's bearer token (a non-empty str)")
        rotate_bot_token(bot_id)  # checks bot_id as the endpoint does
        if expires_at is not None and (
            isinstance(expires_at, bool) or not isinstance(expires_at, int)
        ):
            raise TypeError(
                "expires_at must be epoch milliseconds (an int, as X's token_expires_at_ms)"
            )
        self.bot_id = str(bot_id)
        self._app_bearer_token = app_bearer_token
        _logging.protect(token, app_bearer_token)
        now = (clock or time.time)()
        record = {
            "access_token": token,
            "expires_at": expires_at / 1000 if expires_at is not None else None,
            "issued_at": now,
            "scope": " ".join(_facts.BOT_DEFAULT_SCOPES),
            "user_id": self.bot_id,
            "version": 0,
        }
        super().__init__(record, f"bot:{self.bot_id}", store, clock)

    @property
    def renewable(self) -> bool:
        return True

    def _renewal(self, record: dict[str, Any], api_url: Optional[str]) -> _oauth2.HTTPCall:
        request = rotate_bot_token(self.bot_id)
        base = (api_url or _facts.OAUTH2_API_URL).rstrip("/")
        headers = {"Authorization": f"Bearer {self._app_bearer_token}"}
        return _oauth2.HTTPCall(request.method, base + request.route, headers, json=request.json)

    def _renewed(self, answer: _oauth2.Answer, now: float) -> dict[str, Any]:
        body = answer.body if isinstance(answer.body, dict) else {}
        data = body.get("data") if answer.status == 200 else None
        if not isinstance(data, dict) or not isinstance(data.get("token"), str):
            if answer.status in (401, 403, 404):
                raise _oauth2.AuthorizationRequired(
                    f"rotating bot {self.bot_id}'s token failed: X answered {answer.status} "
                    "(the app's bearer token is wrong, or the bot was deleted or is not "
                    "this app's project's); create or rotate the bot again with the app's "
                    "bearer token"
                )
            raise _oauth2.error_for(answer, f"rotating bot {self.bot_id}'s token", now)
        expires_ms = data.get("token_expires_at_ms", data.get("expires_at"))
        _logging.protect(data["token"])
        return {
            "access_token": data["token"],
            "expires_at": expires_ms / 1000 if expires_ms is not None else None,
            "issued_at": now,
            "scope": " ".join(data.get("scopes") or _facts.BOT_DEFAULT_SCOPES),
            "user_id": self.bot_id,
            "username": data.get("username"),
        }


# -- Getting the first token ------------------------------------------------------------


class AuthorizationRequest(NamedTuple):
    """What :func:`authorization_url` made: send the person to ``url``; keep the rest
    (``state`` and ``code_verifier`` are secrets of this login) for :func:`fetch_token`.

    .. versionadded:: 0.2
    """

    url: str
    state: str
    code_verifier: str
    redirect_uri: str
    client_id: str
    scopes: tuple[str, ...]

    def __repr__(self) -> str:
        return f"AuthorizationRequest(redirect_uri={self.redirect_uri!r}, scopes={self.scopes!r})"


def _scope_list(scopes: Any) -> tuple[str, ...]:
    if isinstance(scopes, str):
        chosen = tuple(scopes.replace(",", " ").split())
    elif isinstance(scopes, Iterable):
        chosen = tuple(str(scope) for scope in scopes)
    else:
        raise TypeError("scopes must be a str (space- or comma-separated) or a list of str")
    if not chosen:
        raise ValueError(
            f"scopes must name at least one scope, such as {' '.join(_facts.DM_APP_SCOPES)}"
        )
    return chosen


def authorization_url(
    *,
    client_id: str,
    redirect_uri: str,
    scopes: Any = _facts.DM_APP_SCOPES,
    code_challenge_method: str = "S256",
    authorize_url: str = _facts.OAUTH2_AUTHORIZE_URL,
) -> AuthorizationRequest:
    """Start an OAuth 2.0 authorization (PKCE): the URL to send the person to.

    For a web app with its own callback: redirect to ``url``, keep the
    returned request in the session, and hand it to :func:`fetch_token` with
    the callback's URL.

    .. versionadded:: 0.2

    Parameters
    ----------
    client_id : str
        The app's OAuth 2.0 Client ID.
    redirect_uri : str
        The callback URL, exactly as registered on the app.
    scopes : str | list[str]
        Space- or comma-separated; the default is every scope a DM app uses,
        ``offline.access`` (which brings a refresh token) included.
    code_challenge_method : str
        ``"S256"`` (the default) or ``"plain"``.
    authorize_url : str
        X's page (``https://x.com/i/oauth2/authorize``), or an emulator's
        ``url + "/2/oauth2/authorize"``.

    Returns
    -------
    AuthorizationRequest

    Raises
    ------
    TypeError, ValueError
        If an argument is missing or not allowed.

    References
    ----------
    https://docs.x.com/fundamentals/authentication/oauth-2-0/authorization-code
    """
    client_id = _check_client_id(client_id)
    if not isinstance(redirect_uri, str) or not redirect_uri.startswith(("http://", "https://")):
        raise ValueError("redirect_uri must be the app's callback URL (http:// or https://)")
    if code_challenge_method not in _facts.PKCE_METHODS:
        raise ValueError(
            f"code_challenge_method must be one of {', '.join(_facts.PKCE_METHODS)}, "
            f"not {code_challenge_method!r}"
        )
    chosen = _scope_list(scopes)
    verifier = secrets.token_urlsafe(64)[:128]
    state = secrets.token_urlsafe(24)
    challenge = verifier
    if code_challenge_method == "S256":
        digest = hashlib.sha256(verifier.encode("ascii")).digest()
        challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": " ".join(chosen),
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": code_challenge_method,
        }
    )
    _logging.protect(verifier, state)
    return AuthorizationRequest(
        f"{authorize_url}?{query}", state, verifier, redirect_uri, client_id, chosen
    )


def fetch_token(
    request: AuthorizationRequest,
    callback_url: str,
    *,
    client_secret: Optional[str] = None,
    api_url: Optional[str] = None,
    store: Any = None,
    clock: Optional[Clock] = None,
) -> OAuth2UserToken:
    """Finish an authorization: trade the callback's code for a self-refreshing token.

    The user's id and username are looked up (``GET /2/users/me``) and kept
    with the pair, which is written to ``store`` if one is given.

    .. versionadded:: 0.2

    Parameters
    ----------
    request : AuthorizationRequest
        What :func:`authorization_url` returned for this login.
    callback_url : str
        The URL X redirected the person to (with ``code`` and ``state``).
    client_secret : str | None
        The app's OAuth 2.0 Client Secret, for a confidential client.
    api_url : str | None
        Where the token endpoint is: X's by default, or an emulator's ``url``.
    store : str | os.PathLike | None
        Where to write the token (see :class:`OAuth2UserToken`).
    clock : Callable[[], float] | None
        The clock expiry is read on.

    Returns
    -------
    OAuth2UserToken

    Raises
    ------
    ValueError
        If the callback carries an error, no code, or another login's ``state``.
    OAuth2Error
        If X refuses the code (it lives 30 seconds, and is single-use).
    """
    query = parse_qs(urlsplit(callback_url).query)
    if "error" in query:
        raise ValueError(f"the authorization was refused: {query['error'][0]}")
    if query.get("state", [None])[0] != request.state:
        raise ValueError(
            "the callback's state is not this login's: it belongs to another login, or the "
            "request was forged; start again with authorization_url"
        )
    code = query.get("code", [None])[0]
    if not code:
        raise ValueError("the callback URL has no code: pass the URL X redirected to")
    _logging.protect(code)
    secret = _check_secret(client_secret)
    now = (clock or time.time)()
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": request.redirect_uri,
        "code_verifier": request.code_verifier,
    }
    call = _oauth2.token_call(api_url, form, request.client_id, secret)
    body = _oauth2.token_answer(_oauth2.send_sync(call), "the authorization code's exchange", now)
    return _finish(body, request.client_id, secret, api_url, store, clock)


def _me(access_token: str, api_url: Optional[str]) -> dict[str, Any]:
    base = (api_url or "https://api.x.com").rstrip("/")
    call = _oauth2.HTTPCall(
        "GET", base + "/2/users/me", {"Authorization": f"Bearer {access_token}"}
    )
    answer = _oauth2.send_sync(call)
    data = answer.body.get("data") if isinstance(answer.body, dict) else None
    return data if answer.status == 200 and isinstance(data, dict) else {}


def _finish(
    body: dict[str, Any],
    client_id: str,
    client_secret: Optional[str],
    api_url: Optional[str],
    store: Any,
    clock: Optional[Clock],
    lease: Optional[_token_store.Lease] = None,
) -> OAuth2UserToken:
    """A token from X's answer, with its user (when ``users.read`` allows), saved
    (under ``lease`` when the caller holds the store's lock)."""
    _logging.protect(body.get("access_token"), body.get("refresh_token"))
    me = _me(body["access_token"], api_url) if "users.read" in str(body.get("scope")) else {}
    token = OAuth2UserToken(
        {**body, "user_id": me.get("id"), "username": me.get("username")},
        client_id=client_id, client_secret=client_secret, store=store, clock=clock,
    )  # fmt: skip
    token.api_url = api_url
    if lease is not None:
        token.save_in(lease)
    elif store is not None:
        token.save()
    return token


def exchange_oauth1_token(
    *,
    access_token: str,
    access_token_secret: str,
    client_id: str,
    client_secret: Optional[str] = None,
    scopes: Any = None,
    api_url: Optional[str] = None,
    store: Any = None,
    clock: Optional[Clock] = None,
) -> OAuth2UserToken:
    """Trade a user's OAuth 1.0a token for an OAuth 2.0 pair, without the user.

    X keeps the exchange open until OAuth 1.0a's retirement (2027-01-31 for
    ``/2/chat``). **Exchanging the same user again invalidates the pair
    exchanged before**: the store's lock is held across the exchange, so two
    jobs sharing a store never exchange the same user at once, and the new pair
    is written before this returns. The OAuth 1.0a token stays valid.

    .. versionadded:: 0.2

    Parameters
    ----------
    access_token, access_token_secret : str
        The user's OAuth 1.0a access token and secret.
    client_id : str
        The app's OAuth **2.0** Client ID (not the 1.0a consumer key).
    client_secret : str | None
        The app's OAuth 2.0 Client Secret, for a confidential client.
    scopes : str | list[str] | None
        A subset of the scopes the 1.0a grant maps to; all of them by default.
    api_url : str | None
        X's by default, or an emulator's ``url``.
    store : str | os.PathLike | None
        Where to write the pair.
    clock : Callable[[], float] | None
        The clock expiry is read on.

    Returns
    -------
    OAuth2UserToken

    Raises
    ------
    AuthorizationRequired
        ``invalid_grant``: the 1.0a token is revoked, invalid or not this
        app's; the user must go through the OAuth 2.0 flow. Do not retry.
    TokenExchangeError
        Any other refusal (``invalid_request``, ``invalid_scope``,
        ``invalid_client``/``unauthorized_client``, ``rate_limited``,
        ``temporarily_unavailable``), its code in ``error``.

    References
    ----------
    https://docs.x.com/fundamentals/authentication/oauth-2-0/oauth-1-0a-token-exchange
    """
    for name, value in (
        ("access_token", access_token),
        ("access_token_secret", access_token_secret),
    ):
        if not isinstance(value, str) or not value:
            raise TypeError(f"{name} must be the user's OAuth 1.0a {name} (a non-empty str)")
    _logging.protect(access_token, access_token_secret)
    client_id = _check_client_id(client_id)
    secret = _check_secret(client_secret)
    form = {
        "grant_type": _facts.TOKEN_EXCHANGE_GRANT,
        "subject_token": access_token,
        "subject_token_type": _facts.OAUTH1_TOKEN_TYPE,
        "oauth_token_secret": access_token_secret,
    }
    if scopes is not None:
        form["scope"] = " ".join(_scope_list(scopes))
    now = (clock or time.time)()
    opened = _token_store.open_token_store(store)
    # Held across the exchange and the write: a second job waits, then exchanges
    # after the first saved, so the store always holds the pair X issued last.
    lease = opened.acquire()
    try:
        answer = _oauth2.send_sync(_oauth2.token_call(api_url, form, client_id, secret))
        body = _oauth2.token_answer(answer, "the OAuth 1.0a token exchange", now)
        return _finish(body, client_id, secret, api_url, opened, clock, lease)
    finally:
        lease.release()


def revoke_token(
    token: Any,
    *,
    client_id: Optional[str] = None,
    client_secret: Optional[str] = None,
    api_url: Optional[str] = None,
) -> None:
    """Revoke an OAuth 2.0 token at X: its refresh token (which ends the pair), or a str.

    .. versionadded:: 0.2

    Parameters
    ----------
    token : OAuth2UserToken | str
        The credential (its refresh token is revoked, else its access token),
        or one token.
    client_id, client_secret : str | None
        The app's OAuth 2.0 client (taken from an :class:`OAuth2UserToken`).
    api_url : str | None
        X's by default, or an emulator's ``url``.

    Raises
    ------
    OAuth2Error
        If X refuses.
    """
    if isinstance(token, OAuth2UserToken):
        value = token._record.get("refresh_token") or token.access_token
        client_id = client_id or token.client_id
        client_secret = client_secret or token._client_secret
        api_url = api_url or token.api_url
    elif isinstance(token, str):
        value = token
    else:
        raise TypeError("token must be an OAuth2UserToken or a str")
    client_id = _check_client_id(client_id)
    call = _oauth2.token_call(api_url, {"token": value}, client_id, _check_secret(client_secret))
    call = call._replace(url=_oauth2.oauth_url(api_url, _facts.OAUTH2_REVOKE_PATH))
    answer = _oauth2.send_sync(call)
    if answer.status != 200:
        raise _oauth2.error_for(answer, "revoking the token", time.time())


def stored_tokens(store: Any, *, now: Optional[float] = None) -> list[dict[str, Any]]:
    """What a store holds, one dict per token, without any token: ``auth status``.

    .. versionadded:: 0.2
    """
    opened = _token_store.open_token_store(store)
    when = now if now is not None else time.time()
    lease = opened.acquire()
    try:
        rows = [(name, lease.load(name)) for name in lease.names()]
    finally:
        lease.release()
    return [
        {
            "kind": name.split(":", 1)[0],
            "client_id": name.split(":")[1] if name.startswith("oauth2:") else None,
            **_oauth2.status_of(record, when),
        }
        for name, record in rows
        if record is not None
    ]  # fmt: skip


def use_stored_tokens(
    clients: Mapping[Any, Any],
    store: Any,
    *,
    client_id: Optional[str] = None,
    client_secret: Optional[str] = None,
    clock: Optional[Clock] = None,
) -> list[str]:
    """Give each client (by user id) its user's stored token as ``bearer_token``.

    For a bot's clients (``DMBot.use_token_store``): a client that signs with
    OAuth 1.0a is left as it is; the others get the :class:`OAuth2UserToken`
    the store holds for their user (of ``client_id``, or of any client).

    .. versionadded:: 0.2

    Returns
    -------
    list[str]
        The user ids whose clients now use a stored token.

    Raises
    ------
    LookupError
        If a client without OAuth 1.0a has no token in the store.
    """
    rows = [
        row for row in stored_tokens(store)
        if row["kind"] == "oauth2" and (client_id is None or row["client_id"] == client_id)
    ]  # fmt: skip
    by_user = {row["user_id"]: row["client_id"] for row in rows}
    used = []
    for user_id, client in clients.items():
        if getattr(client, "access_token", None) and getattr(client, "consumer_key", None):
            continue
        if str(user_id) not in by_user:
            raise LookupError(
                f"the token store {_token_store.open_token_store(store).url} has no token of "
                f"user {user_id}: run `tweepy-dm auth login` as that user"
            )
        client.bearer_token = OAuth2UserToken.from_store(
            store, client_id=by_user[str(user_id)], user_id=str(user_id),
            client_secret=client_secret, clock=clock,
        )  # fmt: skip
        used.append(str(user_id))
    return used
