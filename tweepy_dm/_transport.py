"""What both clients add to tweepy's transport: ``api_url``, ``timeout`` and credential checks."""

from __future__ import annotations

import inspect
import re
from typing import Any, Callable, Optional, TypeVar

import tweepy

from tweepy_dm import _facts, _logging
from tweepy_dm._exceptions import WrongTypeError
from tweepy_dm._oauth1 import OAUTH1_CREDENTIALS
from tweepy_dm._oauth2 import Credential

T = TypeVar("T")

#: The host tweepy hard-codes, and the default ``api_url``.
DEFAULT_API_URL = "https://api.twitter.com"
#: Seconds to wait for a connection and for each read, by default.
DEFAULT_TIMEOUT = 60.0

#: The credentials OAuth 1.0a User Context signs with, in tweepy's order.
# What an Authorization header can carry after "Bearer ": visible ASCII, or
# nothing (tweepy sends "Bearer " for an empty token, as its own tests do).
_HEADER_SAFE = re.compile(r"[\x21-\x7e]*")
_SURROGATE = re.compile("[\ud800-\udfff]")


def normalize_api_url(api_url: str) -> str:
    if not isinstance(api_url, str):
        raise WrongTypeError(f"api_url must be a str, not {type(api_url).__name__}: {api_url!r}")
    if not api_url.startswith(("http://", "https://")):
        raise ValueError(f"api_url must be an http:// or https:// URL, got {api_url!r}")
    return api_url.rstrip("/")


def normalize_timeout(timeout: Optional[float]) -> Optional[float]:
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise WrongTypeError(
            f"timeout must be a number of seconds or None, not {type(timeout).__name__}: "
            f"{timeout!r}"
        )
    if not timeout > 0:  # also refuses NaN
        raise ValueError(f"timeout must be a positive number of seconds or None, got {timeout!r}")
    return float(timeout)


def normalize_credential(name: str, value: Any) -> Optional[str]:
    """A credential as the client keeps it: surrounding whitespace stripped.

    Tokens and keys never contain whitespace, but one read from a file or an
    environment variable often ends with a newline. The value itself never
    appears in an error.
    """
    if value is None:
        return None
    if name == "bearer_token" and isinstance(value, Credential):
        return value  # type: ignore[return-value]
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str or None, not {type(value).__name__}")
    return value.strip()


def _credential_problem(name: str, value: Any) -> Optional[Exception]:
    """Why ``value`` cannot be sent as ``name`` (never quoting it), or None."""
    if value is None or isinstance(value, Credential):
        return None
    if not isinstance(value, str):
        return TypeError(f"{name} must be a str, not {type(value).__name__}")
    surrogate = _SURROGATE.search(value)
    if surrogate is not None:
        return ValueError(
            f"{name} holds a lone surrogate (at index {surrogate.start()} of {len(value)}), "
            "which cannot be encoded; the value is not shown"
        )
    if name == "bearer_token" and not _HEADER_SAFE.fullmatch(value):
        index, character = next(
            (i, c) for i, c in enumerate(value) if not _HEADER_SAFE.fullmatch(c)
        )
        return ValueError(
            f"bearer_token holds a character an HTTP header cannot carry (U+{ord(character):04X} "
            f"at index {index} of {len(value)}); a token is visible ASCII with no spaces; "
            "the value is not shown"
        )
    return None


def check_credentials(
    client: Any, user_auth: Any, method: Optional[str] = None, route: Optional[str] = None
) -> None:
    """Check that ``client`` holds what a request with ``user_auth`` signs with.

    Called by both clients before anything is sent. Raises ``TypeError`` when
    a credential is missing or not a str, naming it and how to fix it, and
    ``ValueError`` when one could not go in a header; never with the value.
    The client's credentials are kept out of log lines from here on.
    """
    _logging.protect_client(client)
    if not isinstance(user_auth, bool):
        raise TypeError(f"user_auth must be True or False, not {type(user_auth).__name__}")
    names = OAUTH1_CREDENTIALS if user_auth else ("bearer_token",)
    missing = [name for name in names if getattr(client, name, None) is None]
    if missing and user_auth:
        raise TypeError(
            f"this request signs with OAuth 1.0a User Context (user_auth=True), but the "
            f"client has no {', '.join(missing)}: create the client with consumer_key, "
            "consumer_secret, access_token and access_token_secret, or pass "
            "user_auth=False to authenticate with its bearer_token (an OAuth 2.0 user "
            "access token)"
        )
    if missing:
        raise TypeError(
            "this request authenticates with a bearer token (user_auth=False), but the "
            "client has no bearer_token: create the client with bearer_token (an OAuth 2.0 "
            "user access token), or pass user_auth=True to sign with OAuth 1.0a User Context"
        )
    for name in names:
        problem = _credential_problem(name, getattr(client, name))
        if problem is not None:
            raise problem
    credential = credential_of(client, user_auth)
    if credential is not None and route is not None:
        endpoint = route_key(method or "GET", route)
        if endpoint is not None:
            credential.require(_facts.ROUTE_SCOPES[endpoint], endpoint)


# -- Credentials that renew themselves (tweepy_dm.auth) ---------------------------------

_SCOPED_ROUTES = sorted(
    (
        (key, re.compile(re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(key.split(" ", 1)[1]))))
        for key in _facts.ROUTE_SCOPES
    ),
    key=lambda item: item[0].count("{"),
)


def route_key(method: str, route: str) -> Optional[str]:
    """The ``"METHOD /path/{template}"`` of :data:`_facts.ROUTE_SCOPES` ``route`` matches."""
    path = route.split("?", 1)[0]
    for key, pattern in _SCOPED_ROUTES:
        if key.startswith(method.upper() + " ") and pattern.fullmatch(path):
            return key
    return None


def credential_of(client: Any, user_auth: bool) -> Optional[Credential]:
    """The renewing credential a bearer-token request of ``client`` uses, if any."""
    if user_auth:
        return None
    value = getattr(client, "bearer_token", None)
    return value if isinstance(value, Credential) else None


def bearer_token(client: Any) -> str:
    """The bearer token to send now (a credential's current access token)."""
    value = client.bearer_token
    return value.access_token if isinstance(value, Credential) else value  # type: ignore[no-any-return]


def _api_url(client: Any) -> str:
    return getattr(client, "api_url", DEFAULT_API_URL)


def renewing(client: Any, user_auth: bool, send: Callable[[], T], *, again: bool = True) -> T:
    """``send()``, with a fresh token, and once more after a 401 with a renewed one.

    X's 401 does not say why; any 401 of a renewable credential renews it
    once (a pair another process saved is used without asking X), and the
    second answer is final: no loop. ``again=False`` for a body that cannot
    be sent twice (a streamed upload): the 401 still renews, for the next call.
    """
    credential = credential_of(client, user_auth)
    if credential is None:
        return send()
    sent = credential.token(_api_url(client))
    try:
        return send()
    except tweepy.Unauthorized:
        credential.renew(_api_url(client), rejected=sent)
        if not again:
            raise
    return send()


async def afresh_token(client: Any, user_auth: bool) -> Optional[str]:
    """For the async client: a renewing credential's fresh token (None without one)."""
    credential = credential_of(client, user_auth)
    return None if credential is None else await credential.atoken(_api_url(client))


async def arenew_after_401(client: Any, user_auth: bool, sent: Optional[str], again: bool) -> bool:
    """For the async client, after X answered 401 to ``sent``: renew a renewing credential
    (see :func:`renewing`); True if the request is to be sent once more."""
    credential = credential_of(client, user_auth)
    if credential is None or sent is None:
        return False
    await credential.arenew(_api_url(client), rejected=sent)
    return again


class TransportOptions:
    """Takes ``api_url`` and ``timeout`` before tweepy's client ``__init__`` runs.

    Put it between the DM mixin and tweepy's client class. Subclasses set up
    their transport in :meth:`_open_transport`, once tweepy's ``__init__``
    has run; the client's credentials are then kept out of log lines.
    """

    api_url: str
    timeout: Optional[float]

    def __init__(
        self,
        bearer_token: Optional[str] = None,
        consumer_key: Optional[str] = None,
        consumer_secret: Optional[str] = None,
        access_token: Optional[str] = None,
        access_token_secret: Optional[str] = None,
        *,
        api_url: str = DEFAULT_API_URL,
        timeout: Optional[float] = DEFAULT_TIMEOUT,
        xchat_key: Any = None,
        xchat_user_id: Any = None,
        **kwargs: Any,
    ) -> None:
        self.api_url = normalize_api_url(api_url)
        self.timeout = normalize_timeout(timeout)
        from tweepy_dm import _xchat_dm  # only clients made with xchat_key need it

        # The legacy DM methods go over XChat with these keys (the blob stays in the SDK).
        self._xchat_keys = _xchat_dm.keys(xchat_key, xchat_user_id)
        credentials = {
            name: normalize_credential(name, value)
            for name, value in zip(
                _logging.CREDENTIAL_NAMES,
                (bearer_token, consumer_key, consumer_secret, access_token, access_token_secret),
            )
        }
        super().__init__(*credentials.values(), **kwargs)  # type: ignore[call-arg]
        _logging.protect_client(self)
        self._open_transport()

    def _open_transport(self) -> None:
        raise NotImplementedError


_CLIENT_DOC_TAIL = """

Surrounding whitespace (the newline at the end of a token read from a file)
is stripped from each credential. A request that needs a credential the
client lacks raises ``TypeError`` naming it, and one that could not go in a
header ``ValueError``, before anything is sent. An empty credential is sent
as tweepy sends it (as tweepy's tests do when replaying recordings). No error and no log line
quotes a credential: at DEBUG level, the ``Authorization`` header, OAuth
signatures and this client's credentials are redacted from the log lines of
tweepy and the HTTP and OAuth libraries.

.. versionadded:: 0.1

Parameters
----------
api_url : str
    Where every request goes, DM or not: ``https://api.twitter.com`` (as in
    tweepy) by default; ``https://api.x.com``, a proxy, or a
    :class:`tweepy_dm.emulator.DMEmulator`'s ``url``.
timeout : float | None
    Seconds to wait to connect and for each read before raising
    ``{timeout_error}``; ``None`` waits forever, as tweepy does.
xchat_key : bytes | str | os.PathLike | None
    The user's XChat key blob (bytes), or the path of the file holding it:
    the legacy DM methods (``create_dm``, ``create_dm_conversation``,
    ``get_dm_events``, ``get_dm_event``, ``delete_dm_event``) then send and
    read end-to-end encrypted DMs over ``/2/chat``, in the legacy shapes
    (:doc:`xchat`). Needs the ``xchat`` extra and Python 3.10+
    (``ImportError`` otherwise). The blob is never kept in an attribute,
    shown in a repr or put in a log line or an error.

    .. versionadded:: 0.2
xchat_user_id : int | str | None
    The id of the user whose key it is; looked up once with ``get_me`` when
    not given.

    .. versionadded:: 0.2

Attributes
----------
api_url : str
    The base URL requests go to, without a trailing slash.
timeout : float | None
    The connect and read timeout, in seconds.
"""


def client_doc(head: str, timeout_error: str) -> str:
    """A client class's docstring: its own ``head``, then what both clients share."""
    return inspect.cleandoc(head) + _CLIENT_DOC_TAIL.format(timeout_error=timeout_error)
