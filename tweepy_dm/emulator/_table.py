"""A route as a row of the one route table: endpoint, handler, query parameters, auth.

Every route the emulator serves is a plain function
``handler(app, context, **path_params) -> RouteResult`` listed as a :class:`Row`
(``Row("POST /2/chat/conversations/{id}/mute", mute)``). The row declares who
may call it (:class:`Auth`); the dispatcher (``_routes.App``) checks that before
the handler runs, so a handler never checks the caller's kind itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Callable, NamedTuple, Optional

from tweepy_dm.emulator._params import Query
from tweepy_dm.emulator._state import User
from tweepy_dm.emulator._wire import HTTPRequest

# The kinds of caller ``_auth`` tells apart (here so that routes in ``_auth``'s own
# imports, OAuth 2.0's, can declare their auth without an import cycle).
OAUTH1 = "oauth1"
OAUTH2_USER = "oauth2_user"
APP_TOKEN = "app_only"


class Auth(NamedTuple):
    """Who may call a route: the caller kinds of ``_auth`` it lets through."""

    kinds: frozenset[str]
    supported: str  # as X's 403 lists them: "[OAuth 2.0 Application-Only]"


#: OAuth 1.0a or an OAuth 2.0 user token (the default).
USER_CONTEXT = Auth(
    frozenset({OAUTH1, OAUTH2_USER}), "[OAuth 1.0a User Context, OAuth 2.0 User Context]"
)
#: Only an OAuth 2.0 user token (the DM media download).
OAUTH2_USER_ONLY = Auth(frozenset({OAUTH2_USER}), "[OAuth 2.0 User Context]")
#: Only the app's bearer token (the app's subscriptions, the stream, bots' tokens).
APP_ONLY = Auth(frozenset({APP_TOKEN}), "[OAuth 2.0 Application-Only]")
#: The app's bearer token or OAuth 1.0a (creating, validating and deleting webhooks).
APP_OR_OAUTH1 = Auth(
    frozenset({APP_TOKEN, OAUTH1}), "[OAuth 1.0a User Context, OAuth 2.0 Application-Only]"
)
#: Any token, the app's too (the user lookups, creating an Activity API subscription).
ANY_TOKEN = Auth(
    frozenset({APP_TOKEN, OAUTH1, OAUTH2_USER}),
    "[OAuth 1.0a User Context, OAuth 2.0 Application-Only, OAuth 2.0 User Context]",
)
#: No token: the OAuth routes, which authenticate the client themselves.
NO_TOKEN: Optional[Auth] = None

#: How X names each kind of caller in its 403.
CALLER_NAMES: Mapping[str, str] = {
    OAUTH1: "OAuth 1.0a User Context",
    OAUTH2_USER: "OAuth 2.0 User Context",
    APP_TOKEN: "OAuth 2.0 Application-Only",
}

#: A route's answer: ``(status, JSON payload, extra headers)`` or a whole ``HTTPResponse``.
RouteResult = Any


class Row(NamedTuple):
    """One route: ``"METHOD /2/path/{param}"``, its handler, query parameters and auth."""

    endpoint: str
    handler: Callable[..., RouteResult]
    query: Query = MappingProxyType({})
    auth: Optional[Auth] = USER_CONTEXT


class RouteRequest(NamedTuple):
    """What a handler gets besides the app: the request, the caller, the query's values."""

    request: HTTPRequest
    caller: Any  # _auth.Caller: who called (user None for the app's token), its kind, scopes
    query: dict[str, Any]  # the declared query parameters' values, by wire name

    @property
    def user(self) -> User:
        """The calling user (routes whose auth lets the app's token through check ``caller``)."""
        assert self.caller.user is not None
        return self.caller.user

    @property
    def viewer(self) -> Optional[int]:
        return self.caller.user.id if self.caller.user is not None else None


__all__ = [
    "ANY_TOKEN",
    "APP_ONLY",
    "APP_OR_OAUTH1",
    "NO_TOKEN",
    "OAUTH2_USER_ONLY",
    "USER_CONTEXT",
    "Auth",
    "RouteRequest",
    "RouteResult",
    "Row",
]
