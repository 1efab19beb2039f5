"""Credentials that renew themselves: the renewal as a flow, its errors, and its two drivers.

A credential (an OAuth 2.0 user token, a bot token) holds its newest record
(access token, refresh token, expiry, scopes). Before each request a client
asks it for a token: a look at the expiry on its clock, nothing more, until the
token nears its end. Then :meth:`Credential._renew` runs, a flow that takes the
store's lock, adopts a newer record another process saved, or asks X for a new
one, saves it durably, and only then uses it. So a refresh token is spent once
by everyone sharing the store, whatever the number of threads and processes.

The window that cannot be closed: X spends the old refresh token when it
answers; a process killed after that answer and before the store's write loses
the new pair. The write follows the answer at once, so the window is the time
of one fsync; what then happens is documented in docs/credentials.rst.
"""

from __future__ import annotations

import asyncio
import base64
import json
import threading
import time
from collections.abc import Mapping
from typing import Any, Callable, NamedTuple, Optional
from urllib.parse import quote

import tweepy

from tweepy_dm import _facts, _flow, _logging, _token_store

Clock = Callable[[], float]


class HTTPCall(NamedTuple):
    """A request to X's OAuth endpoints, built without I/O; the answer is an :class:`Answer`."""

    method: str
    url: str
    headers: Mapping[str, str]
    form: Optional[Mapping[str, str]] = None
    json: Optional[Mapping[str, Any]] = None


class Answer(NamedTuple):
    status: int
    body: Any  # the decoded JSON, or None


# -- Errors -----------------------------------------------------------------------------


class CredentialError(tweepy.TweepyException):
    """A credential could not give a usable token.

    .. versionadded:: 0.2
    """


class AuthorizationRequired(CredentialError):
    """X refused the credential for good (``invalid_grant``, a revoked or spent token):
    the user must authorize the app again; retrying cannot help.

    .. versionadded:: 0.2
    """


class MissingScopesError(CredentialError, PermissionError):
    """The token lacks a scope the endpoint needs; raised before anything is sent.

    .. versionadded:: 0.2
    """

    def __init__(self, endpoint: str, missing: tuple[str, ...], granted: frozenset[str]) -> None:
        self.endpoint = endpoint
        self.missing = missing
        super().__init__(
            f"{endpoint} needs the OAuth 2.0 scope{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}, which the token was not granted (it has: "
            f"{', '.join(sorted(granted)) or 'none'}); authorize again asking for "
            f"{', '.join(missing)}"
        )


class OAuth2Error(CredentialError):
    """X's token endpoint answered an OAuth error (``error`` holds its code).

    .. versionadded:: 0.2
    """

    def __init__(self, message: str, *, error: str, status: int) -> None:
        super().__init__(message)
        self.error = error
        self.status = status


class TokenExchangeError(OAuth2Error):
    """The OAuth 1.0a → 2.0 exchange was refused.

    .. versionadded:: 0.2
    """


def _oauth1_still_works(now: float) -> bool:
    last = time.strptime(_facts.OAUTH1_CHAT_LAST_DAY, "%Y-%m-%d")
    return now < time.mktime(last) + 86400 - time.timezone


def reauthorize_hint(now: float) -> str:
    """How the user gets a new token: the exchange while OAuth 1.0a lives, else a login."""
    login = "run `tweepy-dm auth login` (or your app's OAuth 2.0 authorization flow)"
    if _oauth1_still_works(now):
        return (
            f"{login}; until {_facts.OAUTH1_CHAT_LAST_DAY}, an app that still holds the "
            "user's OAuth 1.0a token can get a new pair with `tweepy-dm auth exchange`"
        )
    return f"{login}; the OAuth 1.0a exchange ended on {_facts.OAUTH1_CHAT_LAST_DAY}"


def error_for(answer: Answer, during: str, now: float) -> CredentialError:
    """The exception for a refused token request (never quoting a token)."""
    body = answer.body if isinstance(answer.body, dict) else {}
    code = str(body.get("error") or body.get("title") or f"HTTP {answer.status}")
    description = body.get("error_description") or body.get("detail") or ""
    text = f"{during} failed: X answered {answer.status} {code}"
    if description:
        text += f" ({_logging.redact(str(description))[:200]})"
    if code == "invalid_grant":
        return AuthorizationRequired(
            f"{text}: the token was revoked, expired or already spent; the user must "
            f"authorize the app again: {reauthorize_hint(now)}"
        )
    kind = TokenExchangeError if during == "the OAuth 1.0a token exchange" else OAuth2Error
    hints = {
        "invalid_client": "check --client-id and --client-secret (the OAuth 2.0 ones)",
        "unauthorized_client": "check the client credentials, and that OAuth 2.0 is on",
        "invalid_scope": "ask only for scopes the app may grant",
        "invalid_request": "a parameter is missing or wrong",
        "rate_limited": "wait and try again",
        "temporarily_unavailable": "try again later",
    }
    if code in hints:
        text += f"; {hints[code]}"
    return kind(text, error=code, status=answer.status)


# -- Records ----------------------------------------------------------------------------


def scopes_of(value: Any) -> frozenset[str]:
    """Scopes from X's space-separated ``scope``, or a list of them."""
    if value is None:
        return frozenset()
    if isinstance(value, str):
        return frozenset(value.replace(",", " ").split())
    return frozenset(str(scope) for scope in value)


def record_from_token(token: Mapping[str, Any], now: float) -> dict[str, Any]:
    """A store record from an OAuth 2.0 token answer (``fetch_token``'s dict)."""
    if not isinstance(token, Mapping):
        raise TypeError(
            "token must be the dict OAuth2UserHandler.fetch_token returns (access_token, "
            f"refresh_token, expires_in or expires_at, scope), not {type(token).__name__}"
        )
    access = token.get("access_token")
    if not isinstance(access, str) or not access:
        raise ValueError("token has no access_token: pass the dict fetch_token returned")
    refresh = token.get("refresh_token")
    if refresh is not None and not isinstance(refresh, str):
        raise TypeError("token's refresh_token must be a str")
    if token.get("expires_at") is not None:
        expires_at = float(token["expires_at"])
    elif token.get("expires_in") is not None:
        expires_at = now + float(token["expires_in"])
    else:
        expires_at = None
    record = {
        "access_token": access,
        "refresh_token": refresh,
        "expires_at": expires_at,
        "issued_at": now,
        "scope": " ".join(sorted(scopes_of(token.get("scope")))),
        "version": int(token.get("version", 0) or 0),
    }
    for extra in ("user_id", "username"):
        if token.get(extra) is not None:
            record[extra] = str(token[extra])
    _logging.protect(access, refresh)
    return record


def basic_auth(client_id: str, client_secret: str) -> str:
    pair = f"{quote(client_id, safe='')}:{quote(client_secret, safe='')}"
    return "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")


def token_call(
    api_url: str, form: Mapping[str, str], client_id: str, client_secret: Optional[str]
) -> HTTPCall:
    """A POST to the token endpoint: Basic auth for a confidential client, else client_id."""
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    form = dict(form)
    if client_secret:
        headers["Authorization"] = basic_auth(client_id, client_secret)
    else:
        form["client_id"] = client_id
    return HTTPCall("POST", oauth_url(api_url, _facts.OAUTH2_TOKEN_PATH), headers, form=form)


def oauth_url(api_url: Optional[str], path: str) -> str:
    """X's OAuth endpoint on ``api_url``: api.x.com for X's own hosts, else ``api_url``."""
    base = (api_url or _facts.OAUTH2_API_URL).rstrip("/")
    if base in ("https://api.twitter.com", "https://api.x.com"):
        base = _facts.OAUTH2_API_URL
    return base + path


def token_answer(answer: Answer, during: str, now: float) -> dict[str, Any]:
    if answer.status != 200 or not isinstance(answer.body, dict):
        raise error_for(answer, during, now)
    return dict(answer.body)


# -- Drivers ----------------------------------------------------------------------------


def _decode(response_json: Callable[[], Any]) -> Any:
    try:
        return response_json()
    except ValueError:
        return None


def send_sync(call: HTTPCall, timeout: float = 30.0) -> Answer:
    import requests

    response = requests.request(
        call.method, call.url, headers=dict(call.headers), data=call.form, json=call.json,
        timeout=timeout,
    )  # fmt: skip
    return Answer(response.status_code, _decode(response.json))


async def send_async(call: HTTPCall, timeout: float = 30.0) -> Answer:
    import aiohttp

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session:
        async with session.request(
            call.method, call.url, headers=dict(call.headers), data=call.form, json=call.json
        ) as response:
            body = await response.read()
            return Answer(response.status, _decode(lambda: json.loads(body)))


SYNC_PERFORM = _flow.dispatch({_flow.Send: send_sync, _flow.Call: lambda f, args: f(*args)})


async def _blocking(function: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    # The store's lock and writes block: they run off the event loop.
    return await asyncio.get_running_loop().run_in_executor(None, function, *args)


ASYNC_PERFORM = _flow.dispatch({_flow.Send: send_async, _flow.Call: _blocking})


# -- The credential ---------------------------------------------------------------------


class Credential:
    """A bearer token that renews itself; the base of the public credentials.

    Subclasses say how a record is renewed (:meth:`_renewal`), and from the
    answer what the new record is (:meth:`_renewed`).
    """

    kind = "credential"
    _margin_seconds = _facts.REFRESH_MARGIN_SECONDS

    def __init__(self, record: dict[str, Any], name: str, store: Any, clock: Optional[Clock]):
        self._clock: Clock = clock or time.time
        self._store = _token_store.open_token_store(store)
        self._name = name
        self._record = record
        self._lock = threading.Lock()
        self._synced = False  # the store not yet read by this process
        self.api_url: Optional[str] = None

    # What a client asks, before each request.

    @property
    def access_token(self) -> str:
        """The current access token (no renewal; clients call :meth:`token`)."""
        return str(self._record["access_token"])

    # str() is the repr, never the token: print(client.bearer_token) must not leak it.
    # tweepy_dm's clients ask token() for what to send.
    def __str__(self) -> str:
        return repr(self)

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} {self._name.split(':', 2)[-1]} scopes="
            f"{' '.join(sorted(self.scopes)) or '-'} expires_at={self.expires_at} "
            f"store={self._store.url}>"
        )

    @property
    def scopes(self) -> frozenset[str]:
        """The scopes X granted the token.

        .. versionadded:: 0.2
        """
        return scopes_of(self._record.get("scope"))

    @property
    def expires_at(self) -> Optional[float]:
        """When the access token expires (epoch seconds), or None if unknown.

        .. versionadded:: 0.2
        """
        value = self._record.get("expires_at")
        return float(value) if value is not None else None

    @property
    def user_id(self) -> Optional[str]:
        return self._record.get("user_id")

    def require(self, scopes: tuple[str, ...], endpoint: str) -> None:
        """Raise :class:`MissingScopesError` if the token lacks any of ``scopes``."""
        granted = self.scopes
        if not granted:  # X did not say: let X decide
            return
        missing = tuple(scope for scope in scopes if scope not in granted)
        if missing:
            raise MissingScopesError(endpoint, missing, granted)

    def _fresh(self, now: float) -> bool:
        if self._record.get("dead"):
            return False
        expires_at = self.expires_at
        if expires_at is None:
            return True
        issued = float(self._record.get("issued_at") or now)
        margin = min(self._margin_seconds, max(expires_at - issued, 0) / 2)
        return now < expires_at - margin

    def needs_renewal(self) -> bool:
        return not self._synced or not self._fresh(self._clock())

    def token(self, api_url: Optional[str] = None) -> str:
        """A token good for the next request, renewed first if it nears its expiry.

        .. versionadded:: 0.2
        """
        if self.needs_renewal():
            _flow.run_flow(self._renew(api_url), SYNC_PERFORM)
        return self.access_token

    async def atoken(self, api_url: Optional[str] = None) -> str:
        """:meth:`token` for asyncio (the store's I/O runs off the event loop).

        .. versionadded:: 0.2
        """
        if self.needs_renewal():
            await _flow.arun_flow(self._renew(api_url), ASYNC_PERFORM)
        return self.access_token

    def renew(self, api_url: Optional[str] = None, *, rejected: Optional[str] = None) -> str:
        """Renew now: after X refused ``rejected`` (a 401), or by hand (``auth refresh``).

        A pair another process saved since ``rejected`` is used without asking X.

        .. versionadded:: 0.2
        """
        _flow.run_flow(self._renew(api_url, force=True, rejected=rejected), SYNC_PERFORM)
        return self.access_token

    async def arenew(self, api_url: Optional[str] = None, *, rejected: Optional[str] = None) -> str:
        """:meth:`renew` for asyncio.

        .. versionadded:: 0.2
        """
        flow = self._renew(api_url, force=True, rejected=rejected)
        await _flow.arun_flow(flow, ASYNC_PERFORM)
        return self.access_token

    @property
    def renewable(self) -> bool:
        raise NotImplementedError

    # The renewal, as a flow.

    def _load(self, lease: _token_store.Lease) -> Optional[dict[str, Any]]:
        saved = lease.load(self._name)
        if saved is None and self._record.get("refresh_token"):
            found = lease.find(_token_store.alias(self._record["refresh_token"]))
            if found is not None:
                self._name = found
                saved = lease.load(found)
        return saved

    def _adopt(self, record: dict[str, Any]) -> None:
        _logging.protect(record.get("access_token"), record.get("refresh_token"))
        self._record = record

    def _renew(
        self, api_url: Optional[str], *, force: bool = False, rejected: Optional[str] = None
    ) -> _flow.Flow[None]:
        lease = yield _flow.Call(self._store.acquire)
        try:
            yield from self._renew_locked(lease, api_url, force, rejected)
        except GeneratorExit:
            lease.release()  # interrupted: no more effects may be yielded
            raise
        except BaseException:
            yield _flow.Call(lease.release)
            raise
        yield _flow.Call(lease.release)

    def _renew_locked(
        self, lease: Any, api_url: Optional[str], force: bool, rejected: Optional[str]
    ) -> _flow.Flow[None]:
        saved = yield _flow.Call(self._load, (lease,))
        if saved is not None and int(saved.get("version", 0)) >= int(
            self._record.get("version", 0)
        ):
            self._adopt(saved)
        self._synced = True
        now = self._clock()
        if self._record.get("dead"):
            raise AuthorizationRequired(self._record["dead"])
        if self._fresh(now) and (
            not force or (rejected is not None and self.access_token != rejected)
        ):
            return  # fresh, or someone renewed after X refused ours
        if not self.renewable:
            raise AuthorizationRequired(
                f"the {self.kind}'s access token expired and cannot be renewed "
                f"({self._why_not_renewable()}); {reauthorize_hint(now)}"
            )
        answer = yield _flow.Send(self._renewal(self._record, api_url or self.api_url))
        try:
            record = self._renewed(answer, now)
        except AuthorizationRequired as error:
            # Kept in the store, so no process asks X again with a dead token.
            dead = {**self._record, "dead": str(error), "version": self._next_version()}
            yield _flow.Call(lease.save, (self._name, dead))
            self._record = dead
            raise
        record["version"] = self._next_version()
        for kept in ("user_id", "username"):
            if kept in self._record and kept not in record:
                record[kept] = self._record[kept]
        spent = self._record.get("refresh_token")
        aliases = tuple(
            _token_store.alias(token) for token in (spent, record.get("refresh_token")) if token
        )
        # Durable before it is used: X has spent the old refresh token already.
        yield _flow.Call(lease.save, (self._name, record, aliases))
        self._adopt(record)

    def _next_version(self) -> int:
        return int(self._record.get("version", 0)) + 1

    def _why_not_renewable(self) -> str:
        return "no way to renew it"

    def _renewal(self, record: dict[str, Any], api_url: Optional[str]) -> HTTPCall:
        raise NotImplementedError

    def _renewed(self, answer: Answer, now: float) -> dict[str, Any]:
        raise NotImplementedError

    def save(self) -> None:
        """Write the current record to the store (``auth login`` and the exchange do).

        .. versionadded:: 0.2
        """
        lease = self._store.acquire()
        try:
            self.save_in(lease)
        finally:
            lease.release()

    def save_in(self, lease: _token_store.Lease) -> None:
        """:meth:`save`, under a lease of the store the caller already holds."""
        saved = lease.load(self._name)
        version = max(int((saved or {}).get("version", 0)) + 1, self._next_version())
        self._record = {**self._record, "version": version}
        self._record.pop("dead", None)
        # A process that starts with this pair's dict finds the newest pair by this alias.
        refresh = self._record.get("refresh_token")
        lease.save(self._name, self._record, (_token_store.alias(refresh),) if refresh else ())
        self._synced = True


def status_of(record: Mapping[str, Any], now: float) -> dict[str, Any]:
    """What ``auth status`` and ``migrate check`` show of a record: never a token."""
    expires_at = record.get("expires_at")
    return {
        "user_id": record.get("user_id"),
        "username": record.get("username"),
        "scopes": sorted(scopes_of(record.get("scope"))),
        "expires_at": expires_at,
        "expires_in": None if expires_at is None else round(float(expires_at) - now),
        "refreshable": bool(record.get("refresh_token")),
        "dead": bool(record.get("dead")),
    }
