"""The legacy DM routes, the media upload and the user lookups, as rows of the route table.

Each handler parses its request, calls the DM backend (``app.backend``) and
renders; the rules are :mod:`tweepy_dm.emulator._backend`'s.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping, Sequence
from typing import Any, Callable, Optional

from tweepy_dm import _facts
from tweepy_dm.emulator import _params
from tweepy_dm.emulator._errors import invalid_parameter, invalid_request, not_found_item
from tweepy_dm.emulator._ids import NEWER, OLDER, encode_token
from tweepy_dm.emulator._media import expires_at, media_data
from tweepy_dm.emulator._multipart import Part, parse_multipart
from tweepy_dm.emulator._params import Param, Query
from tweepy_dm.emulator._state import User
from tweepy_dm.emulator._table import ANY_TOKEN, OAUTH2_USER_ONLY, RouteRequest, RouteResult, Row
from tweepy_dm.emulator._wire import HTTPRequest, HTTPResponse, json_page_response

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


def _item_fields(query: Mapping[str, Any]) -> dict[str, Sequence[str]]:
    return {
        "user": query["user.fields"],
        "media": query["media.fields"],
        "tweet": (*query["tweet.fields"], *query["post.fields"]),
    }


# DM event lookups


def _lookup(app: Any, context: RouteRequest, events: list[Any]) -> dict[str, Any]:
    query = context.query
    return app.render.body(
        events,
        query["dm_event.fields"],
        query["expansions"],
        _item_fields(query),
        context.user.id,
    )


def _page(app: Any, context: RouteRequest, conversation_id: Optional[str]) -> RouteResult:
    query = context.query
    older_than = newer_than = None
    if query["pagination_token"] is not None:
        direction, anchor = query["pagination_token"]
        if direction == OLDER:
            older_than = anchor
        else:
            newer_than = anchor
    events = app.backend.events(
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
    rest = app.render.expanded(events, query["expansions"], _item_fields(query), context.user.id)
    # Like X, every non-empty page points both ways; the page after the
    # oldest event is empty.
    rest["meta"] = {
        "result_count": len(events),
        "next_token": encode_token(OLDER, events[-1].id),
        "previous_token": encode_token(NEWER, events[0].id),
    }
    # Each event's JSON is rendered once and kept; the page is assembled anew.
    fields = tuple(query["dm_event.fields"])
    return json_page_response(200, app.render.events_json(events, fields), rest, {})


def list_all(app: Any, context: RouteRequest) -> RouteResult:
    return _page(app, context, None)


def list_with(app: Any, context: RouteRequest, participant_id: str) -> RouteResult:
    other = _params.id_value("participant_id", participant_id)
    conversation_id = app.backend.conversation_with(context.user.id, other)
    if conversation_id is None:
        return 200, {"meta": {"result_count": 0}}, {}
    return _page(app, context, conversation_id)


def list_conversation(app: Any, context: RouteRequest, dm_conversation_id: str) -> RouteResult:
    given = _params.conversation_id(dm_conversation_id)
    return _page(app, context, app.backend.conversation(context.user.id, given))


def get_event(app: Any, context: RouteRequest, event_id: str) -> RouteResult:
    event = app.backend.event(context.user.id, _params.id_value("event_id", event_id))
    body = _lookup(app, context, [event])
    body["data"] = body["data"][0]
    return 200, body, {}


def delete_event(app: Any, context: RouteRequest, event_id: str) -> RouteResult:
    app.backend.delete_event(context.user.id, _params.id_value("event_id", event_id))
    return 200, {"data": {"deleted": True}}, {}


# Sending


def _created(app: Any, conversation_id: str, event_id: Optional[int]) -> RouteResult:
    body = {"data": {"dm_conversation_id": conversation_id, "dm_event_id": str(event_id)}}
    return 201, body, {"location": f"{app.base_url}/2/dm_events/{event_id}"}


def send_to_user(app: Any, context: RouteRequest, participant_id: str) -> RouteResult:
    text, media_id = _params.message(_params.json_object(context.request), "")
    recipient = _params.id_value("participant_id", participant_id)
    return _created(app, *app.backend.send_to_user(context.user.id, recipient, text, media_id))


def send_into(app: Any, context: RouteRequest, dm_conversation_id: str) -> RouteResult:
    given = _params.conversation_id(dm_conversation_id)
    text, media_id = _params.message(_params.json_object(context.request), "")
    return _created(app, *app.backend.send_into(context.user.id, given, text, media_id))


def create_group(app: Any, context: RouteRequest) -> RouteResult:
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
    return _created(app, *app.backend.create_group(context.user.id, members, text, media_id))


# Blocks


def block(app: Any, context: RouteRequest, id: str) -> RouteResult:
    app.backend.set_block(context.user.id, _params.id_value("id", id), True)
    return 200, {"data": {"blocked": True}}, {}


def unblock(app: Any, context: RouteRequest, id: str) -> RouteResult:
    app.backend.set_block(context.user.id, _params.id_value("id", id), False)
    return 200, {"data": {"blocked": False}}, {}


# Media


def download(
    app: Any, context: RouteRequest, dm_id: str, media_id: str, resource_id: str
) -> RouteResult:
    media = app.backend.attached_media(
        context.user.id,
        _params.id_value("dm_id", dm_id),
        _params.id_value("media_id", media_id),
        resource_id,
    )
    return HTTPResponse(200, media.content or b"", media.media_type, {})


def upload(app: Any, context: RouteRequest) -> RouteResult:
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
            raise invalid_request("The `media` value must be base64-encoded bytes", {"media": [""]})
        category = _params.string(body, "media_category")
        media_type = _params.string(body, "media_type")
    media = app.backend.upload(context.user.id, category or "tweet_image", media_type or None, data)
    return 200, {"data": media_data(media, app.backend.now())}, {}


def initialize(app: Any, context: RouteRequest) -> RouteResult:
    body = _params.json_object(context.request)
    total_bytes = body.get("total_bytes")
    if not isinstance(total_bytes, int) or isinstance(total_bytes, bool):
        raise invalid_request(
            "The `total_bytes` value must be a positive integer",
            {"total_bytes": [_params.echo(total_bytes)]},
        )
    media = app.backend.initialize(
        context.user.id,
        _params.string(body, "media_category") or "",
        _params.string(body, "media_type") or "",
        total_bytes,
    )
    data = media_data(media, app.backend.now())
    del data["size"]
    return 200, {"data": data}, {}


def append(app: Any, context: RouteRequest, id: str) -> RouteResult:
    media_id = _params.id_value("media_id", id)
    app.backend.own_media(context.user.id, media_id)
    parts = _multipart(context.request)
    index = _part_text(parts, "segment_index") or ""
    if not re.fullmatch(r"[0-9]{1,4}", index):
        raise invalid_parameter(
            "segment_index",
            index,
            f"The `segment_index` value [{index}] is not between 0 and {_facts.MAX_SEGMENTS - 1}",
        )
    if "media" not in parts:
        raise invalid_request("The `media` field is required", {"media": [""]})
    media = app.backend.append(context.user.id, media_id, int(index), parts["media"].data)
    return 200, {"data": {"expires_at": expires_at(media)}}, {}


def finalize(app: Any, context: RouteRequest, id: str) -> RouteResult:
    media = app.backend.finalize(context.user.id, _params.id_value("media_id", id))
    return 200, {"data": media_data(media, app.backend.now())}, {}


def status(app: Any, context: RouteRequest) -> RouteResult:
    media = app.backend.own_media(context.user.id, context.query["media_id"])
    return 200, {"data": media_data(media, app.backend.now())}, {}


# Users (tweepy's get_me, get_user and get_users)


def _users(
    app: Any, context: RouteRequest, found: list[tuple[str, Optional[User]]], parameter: str
) -> dict[str, Any]:
    """``data`` for the users found, and a Not Found item for each one missing.

    X answers 200 even when none is found, with the misses in ``errors``.
    """
    fields = context.query["user.fields"]
    data = [app.render.user(user, fields, context.viewer) for _, user in found if user is not None]
    errors = [not_found_item("user", parameter, given) for given, user in found if user is None]
    body: dict[str, Any] = {"data": data} if data else {}
    if errors:
        body["errors"] = errors
    return body


def _one_user(app: Any, context: RouteRequest, given: str, user: Optional[User], parameter: str):
    body = _users(app, context, [(given, user)], parameter)
    if "data" in body:
        body["data"] = body["data"][0]
    return 200, body, {}


def me(app: Any, context: RouteRequest) -> RouteResult:
    return _one_user(app, context, str(context.user.id), context.user, "id")


def user(app: Any, context: RouteRequest, id: str) -> RouteResult:
    return _one_user(app, context, id, app.backend.user(_params.id_value("id", id)), "id")


def user_by_username(app: Any, context: RouteRequest, username: str) -> RouteResult:
    name = _params.username("username", username)
    return _one_user(app, context, name, app.backend.user_by_username(name), "username")


def _many_users(
    app: Any, context: RouteRequest, parameter: str, find: Callable[[Any], Optional[User]]
) -> RouteResult:
    given = dict.fromkeys(context.query[parameter])  # each once, in order
    found = [(str(value), find(value)) for value in given]
    return 200, _users(app, context, found, parameter), {}


def users(app: Any, context: RouteRequest) -> RouteResult:
    return _many_users(app, context, "ids", app.backend.user)


def users_by_username(app: Any, context: RouteRequest) -> RouteResult:
    return _many_users(app, context, "usernames", app.backend.user_by_username)


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


#: The legacy DM, media upload and user lookup routes.
ROWS: tuple[Row, ...] = (
    Row("GET /2/dm_events", list_all, DM_EVENTS_QUERY),
    Row("GET /2/dm_conversations/with/{participant_id}/dm_events", list_with, DM_EVENTS_QUERY),
    Row(
        "GET /2/dm_conversations/{dm_conversation_id}/dm_events", list_conversation, DM_EVENTS_QUERY
    ),
    Row("GET /2/dm_events/{event_id}", get_event, DM_EVENT_QUERY),
    Row("DELETE /2/dm_events/{event_id}", delete_event),
    Row("POST /2/dm_conversations/with/{participant_id}/messages", send_to_user),
    Row("POST /2/dm_conversations/{dm_conversation_id}/messages", send_into),
    Row("POST /2/dm_conversations", create_group),
    Row("POST /2/users/{id}/dm/block", block),
    Row("POST /2/users/{id}/dm/unblock", unblock),
    Row(
        "GET /2/dm_conversations/media/{dm_id}/{media_id}/{resource_id}",
        download,
        auth=OAUTH2_USER_ONLY,
    ),
    Row("POST /2/media/upload", upload),
    Row("POST /2/media/upload/initialize", initialize),
    Row("POST /2/media/upload/{id}/append", append),
    Row("POST /2/media/upload/{id}/finalize", finalize),
    Row("GET /2/media/upload", status, STATUS_QUERY),
    Row("GET /2/users/me", me, USER_QUERY),
    Row("GET /2/users/{id}", user, USER_QUERY, ANY_TOKEN),
    Row("GET /2/users/by/username/{username}", user_by_username, USER_QUERY, ANY_TOKEN),
    Row("GET /2/users", users, {**USER_QUERY, "ids": _params.listing(_params.id_value)}, ANY_TOKEN),
    Row(
        "GET /2/users/by",
        users_by_username,
        {**USER_QUERY, "usernames": _params.listing(_params.username)},
        ANY_TOKEN,
    ),
)

__all__ = ["ROWS"]
