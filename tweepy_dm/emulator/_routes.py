"""The endpoints: from a parsed HTTP request to a status, headers and body."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, Callable, NamedTuple, Optional

from tweepy_dm import _validation
from tweepy_dm._models import DIRECT_MESSAGE_EVENT_FIELDS
from tweepy_dm.emulator._auth import APP_ONLY, OAUTH2_USER, Caller, authenticate
from tweepy_dm.emulator._errors import (
    PROBLEMS,
    Problem,
    forbidden,
    invalid_parameter,
    invalid_request,
    not_found,
    unsupported_authentication,
)
from tweepy_dm.emulator._ids import (
    GROUP,
    NEWER,
    OLDER,
    ONE_TO_ONE,
    check_conversation_id,
    decode_token,
    encode_token,
    one_to_one_id,
    parse_user_id,
)
from tweepy_dm.emulator._limits import RateLimiter
from tweepy_dm.emulator._media import MEDIA_LIFETIME, check_upload, is_ready, media_data, sniff
from tweepy_dm.emulator._multipart import parse_multipart
from tweepy_dm.emulator._render import Renderer
from tweepy_dm.emulator._state import Store, User

# Every documented field, plus the 2.167 spec's name for referenced_tweets.
DM_EVENT_FIELDS = (*DIRECT_MESSAGE_EVENT_FIELDS, "referenced_posts")
EVENT_TYPES = _validation.EVENT_TYPES
EXPANSIONS = (
    "attachments.media_keys",
    "participant_ids",
    "referenced_tweets.id",
    "referenced_posts.id",
    "sender_id",
)
MAX_TEXT = 10_000
#: How far back GET /2/dm_events looks.
LOOKBACK = 30 * 24 * 60 * 60


class HTTPRequest(NamedTuple):
    method: str
    path: str
    query: Mapping[str, Sequence[str]]
    headers: Mapping[str, str]
    body: bytes
    url: str  # as the client saw it, for OAuth 1.0a signatures


class HTTPResponse(NamedTuple):
    status: int
    body: bytes
    content_type: str
    headers: Mapping[str, str]


class Route(NamedTuple):
    method: str
    pattern: re.Pattern[str]
    endpoint: str
    handler: Callable[..., Any]


def _json_response(status: int, payload: Any, headers: Mapping[str, str]) -> HTTPResponse:
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return HTTPResponse(status, body, "application/json; charset=utf-8", headers)


class Context(NamedTuple):
    request: HTTPRequest
    user: User
    caller: Caller


class App:
    """Routes requests to the endpoint handlers."""

    def __init__(self, store: Store, limiter: RateLimiter, base_url: str) -> None:
        self.store = store
        self.limiter = limiter
        self.base_url = base_url
        self.render = Renderer(store, base_url)
        self.routes: list[Route] = []
        for method, endpoint, handler in (
            ("GET", "/2/dm_events", self.list_all),
            ("GET", "/2/dm_events/{event_id}", self.get_event),
            ("DELETE", "/2/dm_events/{event_id}", self.delete_event),
            ("GET", "/2/dm_conversations/with/{participant_id}/dm_events", self.list_with),
            ("GET", "/2/dm_conversations/{dm_conversation_id}/dm_events", self.list_conversation),
            ("POST", "/2/dm_conversations/with/{participant_id}/messages", self.send_to_user),
            ("POST", "/2/dm_conversations/{dm_conversation_id}/messages", self.send_into),
            ("POST", "/2/dm_conversations", self.create_group),
            (
                "GET",
                "/2/dm_conversations/media/{dm_id}/{media_id}/{resource_id}",
                self.download,
            ),
            ("POST", "/2/users/{id}/dm/block", self.block),
            ("POST", "/2/users/{id}/dm/unblock", self.unblock),
            ("POST", "/2/media/upload", self.upload),
            ("POST", "/2/media/upload/initialize", self.initialize),
            ("POST", "/2/media/upload/{id}/append", self.append),
            ("POST", "/2/media/upload/{id}/finalize", self.finalize),
            ("GET", "/2/media/upload", self.status),
        ):
            pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", endpoint)
            self.routes.append(
                Route(method, re.compile(f"^{pattern}$"), f"{method} {endpoint}", handler)
            )

    @property
    def clock(self) -> Callable[[], float]:
        return self.store.clock

    def handle(self, request: HTTPRequest) -> HTTPResponse:
        """Answer one request; never raises for anything the client sent."""
        # Every answer carries rate-limit headers, even one refused before the
        # caller is known; those are not counted.
        headers = self.limiter.idle_headers(None)
        try:
            route, path_params = self._match(request)
            endpoint = route.endpoint
            headers = self.limiter.idle_headers(endpoint)
            content_type = request.headers.get("Content-Type", "")
            form = (
                request.body
                if content_type.startswith("application/x-www-form-urlencoded")
                else None
            )
            caller = authenticate(self.store, request.method, request.url, request.headers, form)
            if caller.kind == APP_ONLY or caller.user is None:
                raise unsupported_authentication(
                    "Authenticating with OAuth 2.0 Application-Only is forbidden for this "
                    "endpoint.  Supported authentication types are [OAuth 1.0a User Context, "
                    "OAuth 2.0 User Context]."
                )
            headers = self.limiter.hit(endpoint, str(caller.user.id))
            status, payload, extra = route.handler(
                Context(request, caller.user, caller), **path_params
            )
        except Problem as problem:
            headers = {**headers, **problem.headers}
            return _json_response(problem.status, problem.body(), headers)
        if isinstance(payload, HTTPResponse):
            return payload._replace(headers={**headers, **payload.headers})
        return _json_response(status, payload, {**headers, **extra})

    def _match(self, request: HTTPRequest) -> tuple[Route, dict[str, str]]:
        for route in self.routes:
            match = route.pattern.match(request.path)
            if match and route.method == request.method:
                return route, match.groupdict()
        raise Problem(
            404,
            "Not Found Error",
            f"No endpoint {request.method} {request.path}.",
            PROBLEMS + "resource-not-found",
        )

    # Lookups

    def _lookup_params(self, request: HTTPRequest, paged: bool) -> dict[str, Any]:
        query = request.query
        params: dict[str, Any] = {
            "fields": _csv(query, "dm_event.fields", DM_EVENT_FIELDS),
            "expansions": _csv(query, "expansions", EXPANSIONS),
            "item_fields": {
                "user": _csv(query, "user.fields"),
                "media": _csv(query, "media.fields"),
                "tweet": _csv(query, "tweet.fields") + _csv(query, "post.fields"),
            },
        }
        if paged:
            params["event_types"] = _csv(query, "event_types", EVENT_TYPES) or list(EVENT_TYPES)
            raw = _one(query, "max_results")
            if raw is None:
                params["max_results"] = 100
            elif not raw.isdigit() or not 1 <= int(raw) <= 100:
                raise invalid_parameter(
                    "max_results",
                    raw,
                    f"The `max_results` query parameter value [{raw}] is not between 1 and 100",
                )
            else:
                params["max_results"] = int(raw)
            token = _one(query, "pagination_token")
            params["page"] = decode_token(token) if token else None
        return params

    def _page(self, context: Context, conversation_id: Optional[str], since: Optional[float]):
        params = self._lookup_params(context.request, paged=True)
        older_than = newer_than = None
        if params["page"] is not None:
            direction, anchor = params["page"]
            if direction == OLDER:
                older_than = anchor
            else:
                newer_than = anchor
        events = self.store.list_events(
            context.user.id,
            conversation_id=conversation_id,
            event_types=params["event_types"],
            since=since,
            older_than=older_than,
            newer_than=newer_than,
            limit=params["max_results"],
        )
        if not events:
            # X's empty page: no data, no tokens.
            return 200, {"meta": {"result_count": 0}}, {}
        body = self.render.body(
            events, params["fields"], params["expansions"], params["item_fields"]
        )
        # Like X, every non-empty page points both ways; the page after the
        # oldest event is empty.
        body["meta"] = {
            "result_count": len(events),
            "next_token": encode_token(OLDER, events[-1].id),
            "previous_token": encode_token(NEWER, events[0].id),
        }
        return 200, body, {}

    def list_all(self, context: Context):
        return self._page(context, None, self.clock() - LOOKBACK)

    def list_with(self, context: Context, participant_id: str):
        other = parse_user_id(participant_id, "participant_id")
        if other is None or other == context.user.id:
            return 200, {"meta": {"result_count": 0}}, {}
        return self._page(context, one_to_one_id(context.user.id, other), None)

    def list_conversation(self, context: Context, dm_conversation_id: str):
        self._readable(context, dm_conversation_id)
        return self._page(context, dm_conversation_id, None)

    def _readable(self, context: Context, conversation_id: str) -> None:
        check_conversation_id(conversation_id)
        if self.store.is_participant(conversation_id, context.user.id):
            return
        one_to_one = ONE_TO_ONE.match(conversation_id)
        # A 1:1 conversation that has no messages yet still belongs to its two users.
        if one_to_one and str(context.user.id) in one_to_one.groups():
            if not self.store.conversation_exists(conversation_id):
                return
        raise forbidden("You are not a participant in this conversation.")

    def _visible_event(self, context: Context, event_id: str):
        number = parse_user_id(event_id, "event_id")
        event = self.store.event(number) if number is not None else None
        if event is None or self.store.is_hidden(event.id, context.user.id):
            raise not_found("DmEvent", "event_id", event_id)
        if not self.store.is_participant(event.conversation_id, context.user.id):
            raise forbidden("You are not a participant in this conversation.")
        return event

    def get_event(self, context: Context, event_id: str):
        params = self._lookup_params(context.request, paged=False)
        event = self._visible_event(context, event_id)
        body = self.render.body(
            [event], params["fields"], params["expansions"], params["item_fields"]
        )
        body["data"] = body["data"][0]
        return 200, body, {}

    def delete_event(self, context: Context, event_id: str):
        event = self._visible_event(context, event_id)
        # X deletes an event for the caller only; the others still see it.
        self.store.hide(event.id, context.user.id)
        return 200, {"data": {"deleted": True}}, {}

    # Sending

    def _created(self, conversation_id: str, event_id: int):
        body = {"data": {"dm_conversation_id": conversation_id, "dm_event_id": str(event_id)}}
        return 201, body, {"location": f"{self.base_url}/2/dm_events/{event_id}"}

    def send_to_user(self, context: Context, participant_id: str):
        text, media_id = _message(_json_body(context.request), "")
        other = self._recipient(participant_id, "participant_id", context.user.id)
        self._may_message(context.user.id, other.id)
        media = self._attachable(context.user.id, media_id)
        conversation_id = self.store.ensure_one_to_one(context.user.id, other.id)
        return self._created(
            conversation_id, self.store.add_message(conversation_id, context.user.id, text, media)
        )

    def send_into(self, context: Context, dm_conversation_id: str):
        check_conversation_id(dm_conversation_id)
        text, media_id = _message(_json_body(context.request), "")
        sender = context.user.id
        one_to_one = ONE_TO_ONE.match(dm_conversation_id)
        if one_to_one and dm_conversation_id == one_to_one_id(*one_to_one.groups()):
            ids = [int(part) for part in one_to_one.groups()]
            if sender not in ids or ids[0] == ids[1]:
                raise forbidden("You are not a participant in this conversation.")
            other = ids[1] if ids[0] == sender else ids[0]
            if self.store.user(other) is None:
                raise forbidden("You are not a participant in this conversation.")
            self._may_message(sender, other)
            media = self._attachable(sender, media_id)
            self.store.ensure_one_to_one(sender, other)
        else:
            if not (
                GROUP.match(dm_conversation_id)
                and self.store.is_participant(dm_conversation_id, sender)
            ):
                raise forbidden("You are not a participant in this conversation.")
            media = self._attachable(sender, media_id)
        return self._created(
            dm_conversation_id, self.store.add_message(dm_conversation_id, sender, text, media)
        )

    def create_group(self, context: Context):
        body = _json_body(context.request)
        if body.get("conversation_type") != "Group":
            raise invalid_request(
                "The `conversation_type` value must be [Group]",
                {"conversation_type": [str(body.get("conversation_type"))]},
            )
        ids = body.get("participant_ids")
        if (
            not isinstance(ids, list)
            or not 2 <= len(ids) <= 49
            or not all(isinstance(item, str) for item in ids)
            or len(set(ids)) != len(ids)
        ):
            raise invalid_request(
                "The `participant_ids` value must be 2 to 49 distinct user id strings",
                {"participant_ids": [json.dumps(ids)]},
            )
        text, media_id = _message(body.get("message"), "message.")
        members = [self._recipient(item, "participant_ids", context.user.id).id for item in ids]
        for member in members:
            self._may_message(context.user.id, member)
        media = self._attachable(context.user.id, media_id)
        conversation_id = self.store.create_group(context.user.id, members)
        return self._created(
            conversation_id, self.store.add_message(conversation_id, context.user.id, text, media)
        )

    def _recipient(self, value: str, name: str, sender: int) -> User:
        number = parse_user_id(value, name)
        user = self.store.user(number) if number is not None else None
        if user is None:
            raise invalid_parameter(name, value, f"Could not find user with {name}: [{value}].")
        if user.id == sender:
            raise invalid_parameter(name, value, f"The `{name}` value [{value}] is the sender.")
        return user

    def _may_message(self, sender: int, recipient: int) -> None:
        if self.store.blocks(recipient, sender):
            raise forbidden("You cannot send Direct Messages to this user.")

    def _attachable(self, owner: int, media_id: Optional[str]) -> Optional[int]:
        if media_id is None:
            return None
        number = parse_user_id(media_id, "media_id")
        media = self.store.media(number) if number is not None else None
        if media is None or media.owner_id != owner:
            # X's own answer for media that is not the sender's.
            raise forbidden("You are not permitted to attach this media to a DM event.")
        now = self.clock()
        if not media.category.startswith("dm_"):
            raise invalid_parameter(
                "media_id",
                media_id,
                f"Media [{media_id}] was uploaded as {media.category}; a DM takes dm_* media",
            )
        if now > media.created_at + MEDIA_LIFETIME:
            raise invalid_parameter("media_id", media_id, f"Media [{media_id}] has expired")
        if not is_ready(media, now):
            raise invalid_parameter(
                "media_id", media_id, f"Media [{media_id}] has not finished processing"
            )
        return media.id

    # Media download

    def download(self, context: Context, dm_id: str, media_id: str, resource_id: str):
        if context.caller.kind != OAUTH2_USER:
            raise unsupported_authentication(
                "Authenticating with OAuth 1.0a User Context is forbidden for this endpoint.  "
                "Supported authentication types are [OAuth 2.0 User Context]."
            )
        event = self._visible_event(context, dm_id)
        media = self.store.media(event.media_id) if event.media_id is not None else None
        if media is None or str(media.id) != media_id or media.resource_id != resource_id:
            raise not_found("media", "media_id", media_id)
        payload = HTTPResponse(200, media.content or b"", media.media_type, {})
        return 200, payload, {}

    # Blocks

    def _block(self, context: Context, target: str, blocked: bool):
        user = self._recipient(target, "id", context.user.id)
        self.store.set_block(context.user.id, user.id, blocked)
        return 200, {"data": {"blocked": blocked}}, {}

    def block(self, context: Context, id: str):
        return self._block(context, id, True)

    def unblock(self, context: Context, id: str):
        return self._block(context, id, False)

    # Media upload

    def upload(self, context: Context):
        request = context.request
        content_type = request.headers.get("Content-Type", "")
        if content_type.startswith("multipart/form-data"):
            parts = _multipart(request)
            if "media" not in parts:
                raise invalid_request("The `media` field is required", {"media": [""]})
            data = parts["media"].data
            fields = {
                name: part.data.decode("utf-8", "replace")
                for name, part in parts.items()
                if name != "media"
            }
            given_type = fields.get("media_type") or parts["media"].content_type
            if given_type == "application/octet-stream":
                given_type = None
        else:
            fields = _json_body(request)
            try:
                data = base64.b64decode(fields.get("media") or "", validate=True)
            except (binascii.Error, TypeError, ValueError):
                data = b""
            if not data:
                raise invalid_request(
                    "The `media` value must be base64-encoded bytes", {"media": [""]}
                )
            given_type = fields.get("media_type")
        category = fields.get("media_category", "tweet_image")
        media_type = given_type or sniff(data)
        kind = check_upload(category, media_type, len(data))
        media = self.store.create_media(
            context.user.id, category, media_type, kind, len(data), data, True
        )
        return 200, {"data": media_data(media, self.clock())}, {}

    def initialize(self, context: Context):
        body = _json_body(context.request)
        kind = check_upload(
            body.get("media_category"), body.get("media_type"), body.get("total_bytes")
        )
        media = self.store.create_media(
            context.user.id,
            body["media_category"],
            body["media_type"],
            kind,
            body["total_bytes"],
            None,
            False,
        )
        data = media_data(media, self.clock())
        del data["size"]
        return 200, {"data": data}, {}

    def _own_media(self, context: Context, media_id: str):
        number = parse_user_id(media_id, "media_id")
        media = self.store.media(number) if number is not None else None
        if media is None or media.owner_id != context.user.id:
            raise not_found("media", "media_id", media_id)
        return media

    def append(self, context: Context, id: str):
        media = self._own_media(context, id)
        if media.finalized_at is not None:
            raise invalid_parameter("media_id", id, f"Media [{id}] is already finalized")
        parts = _multipart(context.request)
        index = parts["segment_index"].data.decode() if "segment_index" in parts else ""
        if not index.isdigit() or not 0 <= int(index) <= 999:
            raise invalid_parameter(
                "segment_index",
                index,
                f"The `segment_index` value [{index}] is not between 0 and 999",
            )
        if "media" not in parts:
            raise invalid_request("The `media` field is required", {"media": [""]})
        self.store.append_segment(media.id, int(index), parts["media"].data)
        if self.store.segments_size(media.id) > media.total_bytes:
            raise invalid_parameter("media", "", f"Media [{id}] is longer than its total_bytes")
        return 200, {"data": {"expires_at": int(media.created_at + MEDIA_LIFETIME)}}, {}

    def finalize(self, context: Context, id: str):
        media = self._own_media(context, id)
        if media.finalized_at is None:
            size = self.store.segments_size(media.id)
            if size != media.total_bytes:
                raise invalid_parameter(
                    "media_id", id, f"Media [{id}] has {size} of its {media.total_bytes} bytes"
                )
            media = self.store.finalize_media(media.id)
        return 200, {"data": media_data(media, self.clock())}, {}

    def status(self, context: Context):
        command = _one(context.request.query, "command")
        if command != "STATUS":
            raise invalid_parameter(
                "command", str(command), f"The `command` value [{command}] is not one of [STATUS]"
            )
        media = self._own_media(context, _one(context.request.query, "media_id") or "")
        return 200, {"data": media_data(media, self.clock())}, {}


def _one(query: Mapping[str, Sequence[str]], name: str) -> Optional[str]:
    values = query.get(name)
    return values[-1] if values else None


def _csv(
    query: Mapping[str, Sequence[str]], name: str, allowed: Optional[Sequence[str]] = None
) -> list[str]:
    values = [item for value in query.get(name, ()) for item in value.split(",") if item]
    for value in values:
        if allowed is not None and value not in allowed:
            raise invalid_parameter(
                name,
                value,
                f"The `{name}` query parameter value [{value}] is not one of [{','.join(allowed)}]",
            )
    return values


def _json_body(request: HTTPRequest) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"null")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise invalid_request("The request body is not a valid JSON object", {"body": [""]})
    return body


def _multipart(request: HTTPRequest):
    try:
        return parse_multipart(request.headers.get("Content-Type", ""), request.body)
    except ValueError as error:
        raise invalid_request(f"The multipart body is malformed: {error}", {"body": [""]}) from None


def _message(message: Any, prefix: str) -> tuple[Optional[str], Optional[str]]:
    """Validate a message body; return its text and media id."""
    if not isinstance(message, dict):
        raise invalid_request(
            f"`{prefix or 'body'}` must be a JSON object", {f"{prefix}text": [""]}
        )
    text = message.get("text")
    attachments = message.get("attachments")
    if text is None and attachments is None:
        raise invalid_request(
            f"One of `{prefix}text` or `{prefix}attachments` is required", {f"{prefix}text": [""]}
        )
    if text is not None and (not isinstance(text, str) or not 1 <= len(text) <= MAX_TEXT):
        raise invalid_request(
            f"`{prefix}text` must be a string of 1 to {MAX_TEXT} characters",
            {f"{prefix}text": [str(text)[:100]]},
        )
    media_id = None
    if attachments is not None:
        if (
            not isinstance(attachments, list)
            or len(attachments) != 1
            or not isinstance(attachments[0], dict)
            or not isinstance(attachments[0].get("media_id"), str)
        ):
            raise invalid_request(
                f'`{prefix}attachments` must be one {{"media_id": "..."}} object',
                {f"{prefix}attachments": [json.dumps(attachments)]},
            )
        media_id = attachments[0]["media_id"]
    return text, media_id
