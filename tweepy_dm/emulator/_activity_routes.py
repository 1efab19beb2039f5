"""The X Activity API's routes: subscriptions and the stream.

Rows of the route table (:data:`ROWS`). Auth, declared on each row: the app's
bearer token for listing, updating, deleting and the stream; creating takes any
token, and a DM or chat subscription the OAuth 2.0 user token of the very user
it watches (a rule of the body, checked by the handler).
"""

from __future__ import annotations

from typing import Any, Optional

from tweepy_dm import _facts
from tweepy_dm.emulator import _params
from tweepy_dm.emulator._activity import parse_time
from tweepy_dm.emulator._auth import OAUTH2_USER
from tweepy_dm.emulator._errors import (
    invalid_parameter,
    invalid_request,
    not_found,
)
from tweepy_dm.emulator._ids import OLDER, encode_token
from tweepy_dm.emulator._params import Param
from tweepy_dm.emulator._table import ANY_TOKEN, APP_ONLY, Row
from tweepy_dm.emulator._wire import JSON, HTTPResponse

_SUBSCRIPTIONS = "/2/activity/subscriptions"
_CREATE_FIELDS = frozenset({"event_type", "filter", "tag", "webhook_id"})
_FILTER_FIELDS = frozenset({"user_id", "direction", "keyword"})
_UPDATE_FIELDS = frozenset({"tag", "webhook_id"})


def _time() -> Param:
    def parse(name: str, raw: str) -> float:
        seconds = parse_time(raw)
        if seconds is None:
            raise invalid_parameter(
                name,
                raw,
                f"The `{name}` query parameter value [{raw}] is not a valid RFC 3339 time "
                "(YYYY-MM-DDTHH:mm:ssZ)",
            )
        return seconds

    return Param(parse)


def _tag(body: dict[str, Any]) -> Optional[str]:
    tag = body.get("tag")
    most = _facts.ACTIVITY_TAG_MAX_LENGTH
    if tag is not None and (not isinstance(tag, str) or not 1 <= len(tag) <= most):
        raise invalid_request(
            f"The `tag` value must be a string of 1 to {most} characters",
            {"tag": [_params.echo(tag)]},
        )
    return tag


def _webhook_id(body: dict[str, Any]) -> Optional[str]:
    webhook_id = body.get("webhook_id")
    if webhook_id is None:
        return None
    return str(_params.id_value("webhook_id", webhook_id))


def _only(body: dict[str, Any], allowed: frozenset[str], where: str) -> None:
    extra = sorted(set(body) - allowed)
    if extra:
        raise invalid_request(
            f"The {where} fields [{','.join(extra)}] are not allowed; "
            f"use [{','.join(sorted(allowed))}]",
            {name: [_params.echo(body[name])] for name in extra},
        )


def create(app: Any, context: Any) -> Any:
    body = _params.json_object(context.request)
    _only(body, _CREATE_FIELDS, "body")
    event_type = body.get("event_type")
    if event_type not in _facts.ACTIVITY_EVENT_TYPES:
        raise invalid_request(
            f"The `event_type` value [{_params.echo(event_type)}] is not one of "
            f"[{','.join(_facts.ACTIVITY_EVENT_TYPES)}]",
            {"event_type": [_params.echo(event_type)]},
        )
    if event_type == "chat.conversation_join":
        event_type = "chat.conversation.join"  # X answers with the canonical name
    activity_filter = body.get("filter")
    if not isinstance(activity_filter, dict) or "user_id" not in activity_filter:
        raise invalid_request(
            "The `filter` value must be an object with a `user_id`",
            {"filter": [_params.echo(activity_filter)]},
        )
    _only(activity_filter, _FILTER_FIELDS, "filter")
    user_id = _params.id_value("filter.user_id", activity_filter["user_id"])
    direction = activity_filter.get("direction")
    if direction is not None and direction not in _facts.ACTIVITY_DIRECTIONS:
        raise invalid_request(
            f"The `filter.direction` value must be one of [{','.join(_facts.ACTIVITY_DIRECTIONS)}]",
            {"filter.direction": [_params.echo(direction)]},
        )
    tag, webhook_id = _tag(body), _webhook_id(body)
    app.activity.may_subscribe(
        event_type, user_id, context.viewer, context.caller.kind == OAUTH2_USER
    )
    subscription = app.activity.create(event_type, user_id, direction, tag, webhook_id)
    return 200, {"data": {"subscription": subscription.data()}}, {}


def list_subscriptions(app: Any, context: Any) -> Any:
    token = context.query["pagination_token"]
    after = token[1] if token is not None else None
    page, more = app.activity.subscriptions(after, context.query["max_results"])
    meta: dict[str, Any] = {"result_count": len(page)}
    if more:
        meta["next_token"] = encode_token(OLDER, page[-1].id)
    body: dict[str, Any] = {"data": [item.data() for item in page]} if page else {}
    body["meta"] = meta
    return 200, body, {}


def update(app: Any, context: Any, subscription_id: str) -> Any:
    number = _params.id_value("subscription_id", subscription_id)
    body = _params.json_object(context.request)
    _only(body, _UPDATE_FIELDS, "body")
    hub = app.activity
    updated = hub.update(number, _tag(body), _webhook_id(body))
    return 200, {"data": {"subscription": updated.data(), "total_subscriptions": hub.count()}}, {}


def delete(app: Any, context: Any, subscription_id: str) -> Any:
    number = _params.id_value("subscription_id", subscription_id)
    if not app.activity.delete(number):
        raise not_found("subscription", "subscription_id", subscription_id)
    return 200, {"data": {"deleted": True}}, {}


def delete_many(app: Any, context: Any) -> Any:
    ids = list(dict.fromkeys(context.query["ids"]))
    if len(ids) > _facts.MAX_ACTIVITY_SUBSCRIPTION_IDS:
        raise invalid_parameter(
            "ids",
            ",".join(map(str, ids)),
            f"The `ids` query parameter takes 1 to {_facts.MAX_ACTIVITY_SUBSCRIPTION_IDS} ids",
        )
    hub = app.activity
    deleted, errors = [], []
    for number in ids:
        if hub.delete(number):
            deleted.append({"subscription_id": str(number), "deleted": True})
        else:
            errors.append(
                {
                    "subscription_id": str(number),
                    "reason": "NotFound",
                    "message": f"Could not find subscription with subscription_id: [{number}].",
                }
            )
    body: dict[str, Any] = {"data": deleted} if deleted else {}
    if errors:
        body["errors"] = errors
    body["meta"] = {"total_subscriptions": hub.count()}
    return 200, body, {}


def stream(app: Any, context: Any) -> Any:
    query = context.query
    hub = app.activity
    start, end = query["start_time"], query["end_time"]
    if query["backfill_minutes"] and start is not None:
        raise invalid_request(
            "Pass backfill_minutes or start_time, not both",
            {"backfill_minutes": [str(query["backfill_minutes"])]},
        )
    if start is not None and end is not None and end <= start:
        raise invalid_parameter("end_time", "", "The `end_time` must be after `start_time`")
    if query["backfill_minutes"]:
        start = hub.now() - 60 * query["backfill_minutes"]
    return HTTPResponse(200, hub.open_stream(start, end), JSON, {})


#: The Activity API's routes.
ROWS: tuple[Row, ...] = (
    Row(f"POST {_SUBSCRIPTIONS}", create, auth=ANY_TOKEN),
    Row(
        f"GET {_SUBSCRIPTIONS}",
        list_subscriptions,
        {
            "max_results": _params.integer(
                _facts.MIN_RESULTS,
                _facts.MAX_ACTIVITY_SUBSCRIPTIONS_PER_PAGE,
                _facts.DEFAULT_ACTIVITY_SUBSCRIPTIONS_PER_PAGE,
            ),
            "pagination_token": _params.token(),
        },
        APP_ONLY,
    ),
    Row(f"PUT {_SUBSCRIPTIONS}/{{subscription_id}}", update, auth=APP_ONLY),
    Row(f"DELETE {_SUBSCRIPTIONS}/{{subscription_id}}", delete, auth=APP_ONLY),
    Row(
        f"DELETE {_SUBSCRIPTIONS}",
        delete_many,
        {"ids": _params.listing(_params.id_value)},
        APP_ONLY,
    ),
    Row(
        "GET /2/activity/stream",
        stream,
        {
            "backfill_minutes": _params.integer(0, _facts.MAX_BACKFILL_MINUTES, 0),
            "start_time": _time(),
            "end_time": _time(),
        },
        APP_ONLY,
    ),
)

__all__ = ["ROWS"]
