"""The endpoints: each route parses its request, calls the backend and renders.

:data:`ROUTES` names every endpoint the emulator serves, spelled as the keys
of ``tweepy_dm._facts.RATE_LIMITS`` (``"GET /2/dm_events/{event_id}"``);
:data:`QUERY_PARAMETERS` gives the query parameters each one declares, and
any other is a 400. The backend's refusals (:class:`DMError`) become X's
problem documents in :func:`problem_for`, the one place that maps them.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, Callable, NamedTuple, Optional

from tweepy_dm import _facts
from tweepy_dm.emulator import _bot_routes, _params
from tweepy_dm.emulator._activity_routes import ACTIVITY_ROUTES
from tweepy_dm.emulator._auth import OAUTH1, OAUTH2_USER, Caller, authenticate
from tweepy_dm.emulator._backend import (
    DMBackend,
    DMError,
    Invalid,
    NotFound,
    NotPermitted,
)
from tweepy_dm.emulator._chat_routes import CHAT_ROUTES
from tweepy_dm.emulator._errors import (
    PROBLEMS,
    Problem,
    forbidden,
    invalid_parameter,
    invalid_request,
    not_found,
    not_found_item,
    unsupported_authentication,
)
from tweepy_dm.emulator._ids import NEWER, OLDER, encode_token
from tweepy_dm.emulator._limits import RateLimiter
from tweepy_dm.emulator._media import expires_at, media_data
from tweepy_dm.emulator._multipart import Part, parse_multipart
from tweepy_dm.emulator._oauth2 import AUTHORIZE_QUERY, OAUTH_ROUTES
from tweepy_dm.emulator._params import Param, Query, parse_query
from tweepy_dm.emulator._render import Renderer
from tweepy_dm.emulator._state import EmulatorDB, User
from tweepy_dm.emulator._webhook_routes import WEBHOOK_ROUTES
from tweepy_dm.emulator._wire import HTTPRequest, HTTPResponse, json_page_response, json_response

__all__ = ["QUERY_PARAMETERS", "ROUTES", "X_RATE_LIMITS", "App", "HTTPRequest", "HTTPResponse"]

# Who may call a route.
USER_CONTEXT = "user"  # OAuth 1.0a or an OAuth 2.0 user token
OAUTH2_USER_ONLY = "oauth2_user"  # the media download
ANY_TOKEN = "any"  # the app-only bearer token too (the user lookups)
APP_TOKEN = "app"  # the app-only bearer token alone (/2/bots)
NO_TOKEN = "none"  # the OAuth routes, which authenticate the client themselves

_FIELD_PARAMETERS: Mapping[str, Param] = {
    "media.fields": _params.one_of(_facts.MEDIA_FIELDS),
    "post.fields": _params.one_of(_facts.TWEET_FIELDS),
    "tweet.fields": _params.one_of(_facts.TWEET_FIELDS),
    "user.fields": _params.one_of(_facts.USER_FIELDS),
}
DM_EVENT_QUERY: Query = {
    **_FIELD_PARAMETERS,
    "dm_event.fields": _params.one_of(_facts.DM_EVENT_FIELDS + _facts.DM_EVENT_FIELDS_2_167),
    "expansions": _params.one_of(_facts.DM_EXPANSIONS),
}
DM_EVENTS_QUERY: Query = {
    **DM_EVENT_QUERY,
    "event_types": _params.one_of(_facts.EVENT_TYPES, default=_facts.EVENT_TYPES),
    "max_results": _params.integer(
        _facts.MIN_RESULTS, _facts.MAX_RESULTS, _facts.DEFAULT_MAX_RESULTS
    ),
    "pagination_token": _params.token(),
}
USER_QUERY: Query = {
    "expansions": _params.one_of(_facts.USER_EXPANSIONS),
    "post.fields": _FIELD_PARAMETERS["post.fields"],
    "tweet.fields": _FIELD_PARAMETERS["tweet.fields"],
    "user.fields": _FIELD_PARAMETERS["user.fields"],
}
STATUS_QUERY: Query = {
    "command": _params.choice(("STATUS",), required=True),
    "media_id": Param(_params.id_value, required=True),
}


class RouteRequest(NamedTuple):
    request: HTTPRequest
    caller: Caller
    query: dict[str, Any]  # the declared query parameters' values, by wire name

    @property
    def user(self) -> User:
        """The calling user (routes that take the app-only token check ``caller``)."""
        assert self.caller.user is not None
        return self.caller.user

    @property
    def viewer(self) -> Optional[int]:
        return self.caller.user.id if self.caller.user is not None else None


#: A route's answer: status, JSON payload and extra headers, or a whole response.
RouteResult = Any


class ServedRoute(NamedTuple):
    endpoint: str  # "GET /2/dm_events/{event_id}"
    method: str
    pattern: re.Pattern[str]
    query: Query
    auth: str
    handler: Callable[..., RouteResult]


_TABLE: list[ServedRoute] = []


def route(
    endpoint: str, *, query: Optional[Query] = None, auth: str = USER_CONTEXT
) -> Callable[[Callable[..., RouteResult]], Callable[..., RouteResult]]:
    """Declare the method below as ``endpoint``, with its query parameters."""

    def register(handler: Callable[..., RouteResult]) -> Callable[..., RouteResult]:
        method, path = endpoint.split(" ", 1)
        pattern = re.compile(re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", path))
        _TABLE.append(ServedRoute(endpoint, method, pattern, query or {}, auth, handler))
        return handler

    return register


def _item_fields(query: Mapping[str, Any]) -> dict[str, Sequence[str]]:
    return {
        "user": query["user.fields"],
        "media": query["media.fields"],
        "tweet": (*query["tweet.fields"], *query["post.fields"]),
    }


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
    """Answers :class:`HTTPRequest` objects; never raises for anything a client sent."""

    def __init__(
        self,
        store: EmulatorDB,
        limiter: RateLimiter,
        base_url: str,
        backend: Optional[DMBackend] = None,
    ) -> None:
        self.store = store
        self.limiter = limiter
        self.base_url = base_url
        self.backend = backend or DMBackend(store)
        self.render = Renderer(store, base_url, self.backend.may_message)
        # Literal paths before templated ones: /2/users/me is not /2/users/{id}.
        self.routes = sorted(_TABLE, key=lambda route: route.endpoint.count("{"))

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
        if route.auth == NO_TOKEN:
            return Caller(None, NO_TOKEN)
        caller = authenticate(self.store, request.method, request.url, request.headers, form)
        if caller.scopes is not None:
            missing = [
                scope
                for scope in _facts.ROUTE_SCOPES.get(route.endpoint, ())
                if scope not in caller.scopes
            ]
            if missing:
                raise forbidden(_facts.MISSING_SCOPE_DETAIL.format(scopes=", ".join(missing)))
        if route.auth == APP_TOKEN and caller.user is not None:
            kind = "OAuth 1.0a" if caller.kind == OAUTH1 else "OAuth 2.0"
            raise unsupported_authentication(
                f"Authenticating with {kind} User Context is forbidden for this endpoint.  "
                "Supported authentication types are [OAuth 2.0 Application-Only]."
            )
        if caller.user is None and route.auth not in (ANY_TOKEN, APP_TOKEN):
            raise unsupported_authentication(
                "Authenticating with OAuth 2.0 Application-Only is forbidden for this "
                "endpoint.  Supported authentication types are [OAuth 1.0a User Context, "
                "OAuth 2.0 User Context]."
            )
        if route.auth == OAUTH2_USER_ONLY and caller.kind != OAUTH2_USER:
            raise unsupported_authentication(
                "Authenticating with OAuth 1.0a User Context is forbidden for this endpoint.  "
                "Supported authentication types are [OAuth 2.0 User Context]."
            )
        return caller

    # DM event lookups

    def _lookup(self, context: RouteRequest, events: list[Any]) -> dict[str, Any]:
        query = context.query
        return self.render.body(
            events,
            query["dm_event.fields"],
            query["expansions"],
            _item_fields(query),
            context.user.id,
        )

    def _page(self, context: RouteRequest, conversation_id: Optional[str]) -> RouteResult:
        query = context.query
        older_than = newer_than = None
        if query["pagination_token"] is not None:
            direction, anchor = query["pagination_token"]
            if direction == OLDER:
                older_than = anchor
            else:
                newer_than = anchor
        events = self.backend.events(
            context.user.id,
            conversation_id,
            event_types=query["event_types"],
            older_than=older_than,
            newer_than=newer_than,
            limit=query["max_results"],
        )
        if not events:
            # X's empty page: no data, no tokens.
            return 200, {"meta": {"result_count": 0}}, {}
        rest = self.render.expanded(
            events, query["expansions"], _item_fields(query), context.user.id
        )
        # Like X, every non-empty page points both ways; the page after the
        # oldest event is empty.
        rest["meta"] = {
            "result_count": len(events),
            "next_token": encode_token(OLDER, events[-1].id),
            "previous_token": encode_token(NEWER, events[0].id),
        }
        # Each event's JSON is rendered once and kept; the page is assembled anew.
        fields = tuple(query["dm_event.fields"])
        return json_page_response(200, self.render.events_json(events, fields), rest, {})

    @route("GET /2/dm_events", query=DM_EVENTS_QUERY)
    def list_all(self, context: RouteRequest) -> RouteResult:
        return self._page(context, None)

    @route("GET /2/dm_conversations/with/{participant_id}/dm_events", query=DM_EVENTS_QUERY)
    def list_with(self, context: RouteRequest, participant_id: str) -> RouteResult:
        other = _params.id_value("participant_id", participant_id)
        conversation_id = self.backend.conversation_with(context.user.id, other)
        if conversation_id is None:
            return 200, {"meta": {"result_count": 0}}, {}
        return self._page(context, conversation_id)

    @route("GET /2/dm_conversations/{dm_conversation_id}/dm_events", query=DM_EVENTS_QUERY)
    def list_conversation(self, context: RouteRequest, dm_conversation_id: str) -> RouteResult:
        given = _params.conversation_id(dm_conversation_id)
        return self._page(context, self.backend.conversation(context.user.id, given))

    @route("GET /2/dm_events/{event_id}", query=DM_EVENT_QUERY)
    def get_event(self, context: RouteRequest, event_id: str) -> RouteResult:
        event = self.backend.event(context.user.id, _params.id_value("event_id", event_id))
        body = self._lookup(context, [event])
        body["data"] = body["data"][0]
        return 200, body, {}

    @route("DELETE /2/dm_events/{event_id}")
    def delete_event(self, context: RouteRequest, event_id: str) -> RouteResult:
        self.backend.delete_event(context.user.id, _params.id_value("event_id", event_id))
        return 200, {"data": {"deleted": True}}, {}

    # Sending

    def _created(self, conversation_id: str, event_id: Optional[int]) -> RouteResult:
        body = {"data": {"dm_conversation_id": conversation_id, "dm_event_id": str(event_id)}}
        return 201, body, {"location": f"{self.base_url}/2/dm_events/{event_id}"}

    @route("POST /2/dm_conversations/with/{participant_id}/messages")
    def send_to_user(self, context: RouteRequest, participant_id: str) -> RouteResult:
        text, media_id = _params.message(_params.json_object(context.request), "")
        recipient = _params.id_value("participant_id", participant_id)
        return self._created(*self.backend.send_to_user(context.user.id, recipient, text, media_id))

    @route("POST /2/dm_conversations/{dm_conversation_id}/messages")
    def send_into(self, context: RouteRequest, dm_conversation_id: str) -> RouteResult:
        given = _params.conversation_id(dm_conversation_id)
        text, media_id = _params.message(_params.json_object(context.request), "")
        return self._created(*self.backend.send_into(context.user.id, given, text, media_id))

    @route("POST /2/dm_conversations")
    def create_group(self, context: RouteRequest) -> RouteResult:
        body = _params.json_object(context.request)
        if body.get("conversation_type") != "Group":
            raise invalid_request(
                "The `conversation_type` value must be [Group]",
                {"conversation_type": [_params.echo(body.get("conversation_type"))]},
            )
        ids = body.get("participant_ids")
        if not isinstance(ids, list) or not all(isinstance(item, str) for item in ids):
            raise invalid_request(
                "The `participant_ids` value must be a list of user id strings",
                {"participant_ids": [_params.echo(ids)]},
            )
        members = [_params.id_value("participant_ids", item) for item in ids]
        text, media_id = _params.message(body.get("message"), "message.")
        return self._created(*self.backend.create_group(context.user.id, members, text, media_id))

    # Blocks

    @route("POST /2/users/{id}/dm/block")
    def block(self, context: RouteRequest, id: str) -> RouteResult:
        self.backend.set_block(context.user.id, _params.id_value("id", id), True)
        return 200, {"data": {"blocked": True}}, {}

    @route("POST /2/users/{id}/dm/unblock")
    def unblock(self, context: RouteRequest, id: str) -> RouteResult:
        self.backend.set_block(context.user.id, _params.id_value("id", id), False)
        return 200, {"data": {"blocked": False}}, {}

    # Media

    @route("GET /2/dm_conversations/media/{dm_id}/{media_id}/{resource_id}", auth=OAUTH2_USER_ONLY)
    def download(
        self, context: RouteRequest, dm_id: str, media_id: str, resource_id: str
    ) -> RouteResult:
        media = self.backend.attached_media(
            context.user.id,
            _params.id_value("dm_id", dm_id),
            _params.id_value("media_id", media_id),
            resource_id,
        )
        return HTTPResponse(200, media.content or b"", media.media_type, {})

    @route("POST /2/media/upload")
    def upload(self, context: RouteRequest) -> RouteResult:
        request = context.request
        if (request.headers.get("Content-Type") or "").startswith("multipart/form-data"):
            parts = _multipart(request)
            if "media" not in parts:
                raise invalid_request("The `media` field is required", {"media": [""]})
            data = parts["media"].data
            category = _part_text(parts, "media_category")
            media_type = _part_text(parts, "media_type") or parts["media"].content_type
            if media_type == "application/octet-stream":
                media_type = None
        else:
            body = _params.json_object(request)
            encoded = body.get("media")
            try:
                data = base64.b64decode(encoded, validate=True) if encoded else b""
            except (binascii.Error, TypeError, ValueError):
                data = b""
            if not data:
                raise invalid_request(
                    "The `media` value must be base64-encoded bytes", {"media": [""]}
                )
            category = _params.string(body, "media_category")
            media_type = _params.string(body, "media_type")
        media = self.backend.upload(
            context.user.id, category or "tweet_image", media_type or None, data
        )
        return 200, {"data": media_data(media, self.backend.now())}, {}

    @route("POST /2/media/upload/initialize")
    def initialize(self, context: RouteRequest) -> RouteResult:
        body = _params.json_object(context.request)
        total_bytes = body.get("total_bytes")
        if not isinstance(total_bytes, int) or isinstance(total_bytes, bool):
            raise invalid_request(
                "The `total_bytes` value must be a positive integer",
                {"total_bytes": [_params.echo(total_bytes)]},
            )
        media = self.backend.initialize(
            context.user.id,
            _params.string(body, "media_category") or "",
            _params.string(body, "media_type") or "",
            total_bytes,
        )
        data = media_data(media, self.backend.now())
        del data["size"]
        return 200, {"data": data}, {}

    @route("POST /2/media/upload/{id}/append")
    def append(self, context: RouteRequest, id: str) -> RouteResult:
        media_id = _params.id_value("media_id", id)
        self.backend.own_media(context.user.id, media_id)
        parts = _multipart(context.request)
        index = _part_text(parts, "segment_index") or ""
        if not re.fullmatch(r"[0-9]{1,4}", index):
            raise invalid_parameter(
                "segment_index",
                index,
                f"The `segment_index` value [{index}] is not between 0 and "
                f"{_facts.MAX_SEGMENTS - 1}",
            )
        if "media" not in parts:
            raise invalid_request("The `media` field is required", {"media": [""]})
        media = self.backend.append(context.user.id, media_id, int(index), parts["media"].data)
        return 200, {"data": {"expires_at": expires_at(media)}}, {}

    @route("POST /2/media/upload/{id}/finalize")
    def finalize(self, context: RouteRequest, id: str) -> RouteResult:
        media = self.backend.finalize(context.user.id, _params.id_value("media_id", id))
        return 200, {"data": media_data(media, self.backend.now())}, {}

    @route("GET /2/media/upload", query=STATUS_QUERY)
    def status(self, context: RouteRequest) -> RouteResult:
        media = self.backend.own_media(context.user.id, context.query["media_id"])
        return 200, {"data": media_data(media, self.backend.now())}, {}

    # Users (tweepy's get_me, get_user and get_users)

    def _users(
        self, context: RouteRequest, found: list[tuple[str, Optional[User]]], parameter: str
    ) -> dict[str, Any]:
        """``data`` for the users found, and a Not Found item for each one missing.

        X answers 200 even when none is found, with the misses in ``errors``.
        """
        fields = context.query["user.fields"]
        data = [
            self.render.user(user, fields, context.viewer) for _, user in found if user is not None
        ]
        errors = [not_found_item("user", parameter, given) for given, user in found if user is None]
        body: dict[str, Any] = {"data": data} if data else {}
        if errors:
            body["errors"] = errors
        return body

    def _one_user(self, context: RouteRequest, given: str, user: Optional[User], parameter: str):
        body = self._users(context, [(given, user)], parameter)
        if "data" in body:
            body["data"] = body["data"][0]
        return 200, body, {}

    @route("GET /2/users/me", query=USER_QUERY)
    def me(self, context: RouteRequest) -> RouteResult:
        return self._one_user(context, str(context.user.id), context.user, "id")

    @route("GET /2/users/{id}", query=USER_QUERY, auth=ANY_TOKEN)
    def user(self, context: RouteRequest, id: str) -> RouteResult:
        return self._one_user(context, id, self.backend.user(_params.id_value("id", id)), "id")

    @route("GET /2/users/by/username/{username}", query=USER_QUERY, auth=ANY_TOKEN)
    def user_by_username(self, context: RouteRequest, username: str) -> RouteResult:
        name = _params.username("username", username)
        return self._one_user(context, name, self.backend.user_by_username(name), "username")

    def _many_users(
        self, context: RouteRequest, parameter: str, find: Callable[[Any], Optional[User]]
    ) -> RouteResult:
        given = dict.fromkeys(context.query[parameter])  # each once, in order
        found = [(str(value), find(value)) for value in given]
        return 200, self._users(context, found, parameter), {}

    @route(
        "GET /2/users",
        query={**USER_QUERY, "ids": _params.listing(_params.id_value)},
        auth=ANY_TOKEN,
    )
    def users(self, context: RouteRequest) -> RouteResult:
        return self._many_users(context, "ids", self.backend.user)

    @route(
        "GET /2/users/by",
        query={**USER_QUERY, "usernames": _params.listing(_params.username)},
        auth=ANY_TOKEN,
    )
    def users_by_username(self, context: RouteRequest) -> RouteResult:
        return self._many_users(context, "usernames", self.backend.user_by_username)


# The X Activity API's routes live in their own module.
for _activity_route in ACTIVITY_ROUTES:
    route(_activity_route.endpoint, query=_activity_route.query, auth=ANY_TOKEN)(
        _activity_route.handler
    )

# Webhooks and the Account Activity API too.
for _webhook_route in WEBHOOK_ROUTES:
    route(_webhook_route.endpoint, query=_webhook_route.query, auth=ANY_TOKEN)(
        _webhook_route.handler
    )

# XChat's routes too.
for _chat_route in CHAT_ROUTES:
    route(_chat_route.endpoint, query=_chat_route.query)(_chat_route.handler)

# OAuth 2.0: the consent page, the token and revoke endpoints, and bots' tokens.
_AUTHORIZE_QUERY: Query = {name: Param(lambda name, raw: raw) for name in AUTHORIZE_QUERY}
for _oauth_route in OAUTH_ROUTES:
    _query = _AUTHORIZE_QUERY if _oauth_route.endpoint.startswith("GET ") else None
    route(_oauth_route.endpoint, query=_query, auth=NO_TOKEN)(_oauth_route.handler)

# X's bot accounts: the app's bearer token only.
route("POST /2/bots", auth=APP_TOKEN)(_bot_routes.create_bot)
route("GET /2/bots", query=USER_QUERY, auth=APP_TOKEN)(_bot_routes.get_bots)
route("PUT /2/bots/{id}", auth=APP_TOKEN)(_bot_routes.update_bot)
route("DELETE /2/bots/{id}", auth=APP_TOKEN)(_bot_routes.delete_bot)
route("POST /2/bots/{id}/token", auth=APP_TOKEN)(_bot_routes.rotate_bot_token)
route("DELETE /2/bots/{id}/token", auth=APP_TOKEN)(_bot_routes.revoke_bot_token)

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
#: :data:`ROUTES` (from ``tweepy_dm._facts.RATE_LIMITS``, where X's numbers live); for
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


def _multipart(request: HTTPRequest) -> dict[str, Part]:
    try:
        return parse_multipart(request.headers.get("Content-Type") or "", request.body)
    except ValueError as error:
        raise invalid_request(f"The multipart body is malformed: {error}", {"body": [""]}) from None


def _part_text(parts: Mapping[str, Part], name: str) -> Optional[str]:
    """A text field of a multipart body (None if absent)."""
    part = parts.get(name)
    if part is None:
        return None
    try:
        return part.data.decode()
    except UnicodeDecodeError:
        raise invalid_parameter(name, "", f"The `{name}` value is not UTF-8 text") from None
