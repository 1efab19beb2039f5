"""The route table and its dispatcher: match, authenticate, count, parse the query, answer.

:data:`ROUTES` names every endpoint the emulator serves, spelled as the keys
of ``tweepy_dm._facts.RATE_LIMITS`` (``"GET /2/dm_events/{event_id}"``). Each is
one :class:`~tweepy_dm.emulator._table.Row` of one table: the rows of
``_dm_routes``, ``_activity_routes``, ``_webhook_routes``, ``_chat_routes`` and
``_oauth2``, and any added with :func:`route`. A row declares its query
parameters (any other is a 400) and who may call it, which :class:`App` checks
before the handler runs. The backends' refusals (:class:`DMError`) become X's
problem documents in :func:`problem_for`, the one place that maps them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Callable, NamedTuple, Optional

from tweepy_dm import _facts
from tweepy_dm.emulator import (
    _activity_routes,
    _bot_routes,
    _chat_routes,
    _dm_routes,
    _oauth2,
    _web,
    _webhook_routes,
)
from tweepy_dm.emulator._activity import ActivityHub
from tweepy_dm.emulator._auth import Caller, authenticate
from tweepy_dm.emulator._backend import DMBackend, DMError, Invalid, NotFound, NotPermitted
from tweepy_dm.emulator._backends import Backends, build
from tweepy_dm.emulator._bots import BotsBackend
from tweepy_dm.emulator._chat import ChatBackend
from tweepy_dm.emulator._errors import (
    PROBLEMS,
    Problem,
    forbidden,
    invalid_parameter,
    invalid_request,
    not_found,
    unsupported_authentication,
)
from tweepy_dm.emulator._limits import RateLimiter
from tweepy_dm.emulator._params import Query, parse_query
from tweepy_dm.emulator._render import Renderer, TextCache
from tweepy_dm.emulator._state import EmulatorDB
from tweepy_dm.emulator._table import (
    ANY_TOKEN,
    APP_ONLY,
    APP_OR_OAUTH1,
    APP_TOKEN,
    CALLER_NAMES,
    NO_TOKEN,
    OAUTH2_USER_ONLY,
    USER_CONTEXT,
    Auth,
    RouteRequest,
    RouteResult,
    Row,
)
from tweepy_dm.emulator._webhooks import WebhookHub
from tweepy_dm.emulator._wire import HTTPRequest, HTTPResponse, json_response

__all__ = [
    "ANY_TOKEN",
    "APP_ONLY",
    "APP_OR_OAUTH1",
    "NO_TOKEN",
    "OAUTH2_USER_ONLY",
    "QUERY_PARAMETERS",
    "ROUTES",
    "USER_CONTEXT",
    "X_RATE_LIMITS",
    "App",
    "HTTPRequest",
    "HTTPResponse",
    "RouteRequest",
    "Row",
    "route",
]

#: The one route table.
_TABLE: list[Row] = [
    *_dm_routes.ROWS,
    *_activity_routes.ROWS,
    *_webhook_routes.ROWS,
    *_chat_routes.ROWS,
    *_oauth2.ROWS,
    *_bot_routes.ROWS,
]


def route(
    endpoint: str, *, query: Optional[Query] = None, auth: Optional[Auth] = USER_CONTEXT
) -> Callable[[Callable[..., RouteResult]], Callable[..., RouteResult]]:
    """Add ``handler(app, context, **path_params)`` to the table as ``endpoint``.

    ``route("POST /2/bots", auth=APP_ONLY)(create_bot)`` is ``Row("POST /2/bots",
    create_bot, auth=APP_ONLY)`` appended to the table.
    """

    def register(handler: Callable[..., RouteResult]) -> Callable[..., RouteResult]:
        _TABLE.append(Row(endpoint, handler, query or {}, auth))
        return handler

    return register


class ServedRoute(NamedTuple):
    """A row as the dispatcher matches it: its method and path pattern, compiled once."""

    endpoint: str  # "GET /2/dm_events/{event_id}"
    method: str
    pattern: re.Pattern[str]
    query: Query
    auth: Optional[Auth]
    handler: Callable[..., RouteResult]


def _served(row: Row) -> ServedRoute:
    method, path = row.endpoint.split(" ", 1)
    pattern = re.compile(re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", path))
    return ServedRoute(row.endpoint, method, pattern, row.query, row.auth, row.handler)


@functools.lru_cache(maxsize=1)
def _served_routes(rows: int) -> tuple[ServedRoute, ...]:
    """The table's first ``rows`` rows as served, compiled once for every App."""
    # Literal paths before templated ones: /2/users/me is not /2/users/{id}.
    ordered = sorted(_TABLE[:rows], key=lambda row: row.endpoint.count("{"))
    return tuple(_served(row) for row in ordered)


def problem_for(error: DMError) -> Problem:
    """X's answer to a refusal of the DM rules."""
    if isinstance(error, NotFound):
        return not_found(error.resource_type, error.field, error.value)
    if error.status is not None:  # a refusal with X's own problem type
        return Problem(error.status, error.title, error.message, error.problem_type)
    if isinstance(error, NotPermitted):
        return forbidden(error.message)
    if isinstance(error, Invalid) and error.field:
        return invalid_parameter(error.field, error.value, error.message)
    return invalid_request(error.message)


class App:
    """Answers :class:`HTTPRequest` objects; never raises for anything a client sent.

    The routes reach the emulator's services through it: ``backend`` (the DM rules),
    ``activity``, ``webhooks``, ``chat``, ``oauth`` and ``bots``, all of one
    :class:`~tweepy_dm.emulator._backends.Backends`, and ``inbox``, the emulator's page.
    """

    def __init__(
        self,
        store: EmulatorDB,
        limiter: RateLimiter,
        base_url: str,
        backends: Optional[Backends] = None,
        inbox: Optional[_web.Inbox] = None,
    ) -> None:
        self.store = store
        self.limiter = limiter
        self.base_url = base_url
        self.backends = backends if backends is not None else build(store)
        self.backend: DMBackend = self.backends.dms
        self.activity: ActivityHub = self.backends.activity
        self.webhooks: WebhookHub = self.backends.webhooks
        self.chat: ChatBackend = self.backends.chat
        self.oauth: _oauth2.OAuth2Backend = self.backends.oauth
        self.bots: BotsBackend = self.backends.bots
        #: The emulator's inbox page (None: an App made without a DMEmulator has none).
        self.inbox = inbox
        self.render = Renderer(store, base_url, self.backend.may_message, self.bots.label)
        #: The ``/2/chat`` pages' events, each rendered once per set of fields.
        self.chat_render = TextCache()
        self.routes = _served_routes(len(_TABLE))

    def handle(self, request: HTTPRequest) -> HTTPResponse:
        """Answer one request."""
        # Every answer carries rate-limit headers, even one refused before the
        # caller is known; those are not counted.
        endpoint: Optional[str] = None
        headers: Optional[dict[str, str]] = None
        try:
            route, path_params = self._match(request)
            endpoint = route.endpoint
            caller = self._authenticate(request, route)
            key = str(caller.user.id) if caller.user is not None else None
            headers = self.limiter.hit(endpoint, key)
            try:
                write = LEGACY_ROUTES.get(endpoint)
                if write is not None:
                    # Before the query is parsed: after the cutover every legacy route
                    # answers the same 403, whatever it was asked.
                    self.backend.require_legacy(write=write)
                context = RouteRequest(request, caller, parse_query(request.query, route.query))
                if route.auth is not None and caller.kind not in route.auth.kinds:
                    # A route the app's token may call reads its query before it checks
                    # the kind of token (user-context routes refused it in _authenticate).
                    raise _unsupported(caller.kind, route.auth)
                reply = route.handler(self, context, **path_params)
            except DMError as error:
                raise problem_for(error) from None
        except Problem as problem:
            if headers is None:  # refused before it was counted
                headers = self.limiter.idle_headers(endpoint)
            return json_response(problem.status, problem.body(), {**headers, **problem.headers})
        if isinstance(reply, HTTPResponse):
            return reply._replace(headers={**headers, **reply.headers})
        status, payload, extra = reply
        return json_response(status, payload, {**headers, **extra})

    def _match(self, request: HTTPRequest) -> tuple[ServedRoute, dict[str, str]]:
        for route in self.routes:
            if route.method == request.method:
                match = route.pattern.fullmatch(request.path)
                if match:
                    return route, match.groupdict()
        raise Problem(
            404,
            "Not Found Error",
            f"No endpoint {request.method} {request.path}.",
            PROBLEMS + "resource-not-found",
        )

    def _authenticate(self, request: HTTPRequest, route: ServedRoute) -> Caller:
        content_type = request.headers.get("Content-Type") or ""
        form = (
            request.body if content_type.startswith("application/x-www-form-urlencoded") else None
        )
        auth = route.auth
        if auth is None:  # NO_TOKEN: the route authenticates its client itself
            return Caller(None, "none")
        caller = authenticate(
            self.store, request.method, request.url, request.headers, form, oauth=self.oauth
        )
        if caller.scopes is not None:
            missing = [
                scope
                for scope in _facts.ROUTE_SCOPES.get(route.endpoint, ())
                if scope not in caller.scopes
            ]
            if missing:
                raise forbidden(_facts.MISSING_SCOPE_DETAIL.format(scopes=", ".join(missing)))
        if caller.kind not in auth.kinds and APP_TOKEN not in auth.kinds:
            raise _unsupported(caller.kind, auth)
        return caller


def _unsupported(kind: str, auth: Auth) -> Problem:
    return unsupported_authentication(
        f"Authenticating with {CALLER_NAMES[kind]} is forbidden for this "
        f"endpoint.  Supported authentication types are {auth.supported}."
    )


#: Every endpoint the emulator serves, as ``"METHOD /path/{template}"``.
ROUTES: tuple[str, ...] = tuple(route.endpoint for route in _TABLE)
#: The legacy DM routes (``/2/dm_events*``, ``/2/dm_conversations*``), each with whether it
#: writes (True) or only reads (False): what ``legacy_dms`` turns off.
LEGACY_ROUTES: Mapping[str, bool] = MappingProxyType(
    {
        endpoint: not endpoint.startswith("GET ")
        for endpoint in ROUTES
        if endpoint.split(" ", 1)[1].startswith(("/2/dm_events", "/2/dm_conversations"))
    }
)
#: X's documented per-user limits of the endpoints the emulator serves, keyed as
#: ``ROUTES`` (from ``tweepy_dm._facts.RATE_LIMITS``, where X's numbers live); for
#: ``/2/chat``, for which X publishes none, the assumed ``_facts.CHAT_RATE_LIMITS``.
X_RATE_LIMITS: Mapping[str, tuple[_facts.Window, ...]] = MappingProxyType(
    {route: _facts.RATE_LIMITS[route] for route in ROUTES if _facts.RATE_LIMITS.get(route)}
)
#: X's per-app limits of those endpoints, where X states one; they bind the
#: app-only bearer token.
X_APP_RATE_LIMITS: Mapping[str, tuple[_facts.Window, ...]] = MappingProxyType(
    {route: _facts.APP_RATE_LIMITS[route] for route in ROUTES if route in _facts.APP_RATE_LIMITS}
)
#: The query parameters each route declares; any other is a 400.
QUERY_PARAMETERS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {route.endpoint: tuple(sorted(route.query)) for route in _TABLE}
)

# The emulator's inbox page: not X's (none of ROUTES), so its rows come after the
# tables above were read; it guards itself (loopback, Host, JSON from the page).
_TABLE.extend(_web.ROWS)
