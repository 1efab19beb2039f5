"""Credential checks shared by both clients, run before anything is sent."""

from __future__ import annotations

import re
from typing import Any, Optional

from tweepy_dm import _facts, _logging
from tweepy_dm._oauth1 import OAUTH1_CREDENTIALS
from tweepy_dm._oauth2 import Credential

#: The credentials OAuth 1.0a User Context signs with, in tweepy's order.
# What an Authorization header can carry after "Bearer ": visible ASCII, or
# nothing (tweepy sends "Bearer " for an empty token, as its own tests do).
_HEADER_SAFE = re.compile(r"[\x21-\x7e]*")
_SURROGATE = re.compile("[\ud800-\udfff]")


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


def credential_of(client: Any, user_auth: bool) -> Optional[Credential]:
    """The renewing credential a bearer-token request of ``client`` uses, if any."""
    if user_auth:
        return None
    value = getattr(client, "bearer_token", None)
    return value if isinstance(value, Credential) else None


# -- Scopes and the token to send (tweepy_dm.auth's renewing credentials) -------------

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


def bearer_token(client: Any) -> str:
    """The bearer token to send now (a credential's current access token)."""
    value = client.bearer_token
    return value.access_token if isinstance(value, Credential) else value  # type: ignore[no-any-return]
