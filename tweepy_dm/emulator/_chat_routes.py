"""XChat's routes: public keys, conversations, encrypted events, media.

Rows of the route table (:data:`ROWS`), each handler a plain function of the
app and the request's context; the routes that only acknowledge a change are
made by :func:`_acknowledge`. The rules live in
:mod:`tweepy_dm.emulator._chat`. Without the ``cryptography`` package every
XChat route answers 501 with what to install: the emulator never accepts a
message it could not verify.

The request and answer shapes follow X's OpenAPI spec 2.167 and the chatxdk
SDK (0.5), not recorded traffic.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any, Callable

from tweepy_dm import _facts
from tweepy_dm.emulator import _params
from tweepy_dm.emulator._chat import (
    ChatBackend,
    ChatEvent,
    Conversation,
    CryptographyMissing,
    require_cryptography,
)
from tweepy_dm.emulator._errors import Problem, invalid_parameter, invalid_request
from tweepy_dm.emulator._ids import OLDER, encode_token
from tweepy_dm.emulator._multipart import parse_multipart
from tweepy_dm.emulator._params import Param, Query
from tweepy_dm.emulator._render import timestamp
from tweepy_dm.emulator._table import RouteResult, Row
from tweepy_dm.emulator._wire import HTTPResponse, json_page_response

_CONVERSATION = "/2/chat/conversations/{id}"


def _chat(app: Any) -> ChatBackend:
    # Without ``cryptography`` nothing signed can be checked: every XChat route says so.
    try:
        require_cryptography()
    except CryptographyMissing as error:
        raise Problem(501, "Not Implemented", str(error)) from None
    return app.chat


def _path(app: Any, context: Any, id: str) -> str:
    """The path's conversation id for the caller, canonical (``LOW:HIGH`` or ``g…``)."""
    if not _facts.CHAT_CONVERSATION_ID_PATTERN.fullmatch(id):
        raise invalid_parameter(
            "id",
            _params.echo(id),
            f"The `id` value [{_params.echo(id)}] does not match "
            f"^({_facts.CHAT_CONVERSATION_ID_PATTERN.pattern})$",
        )
    return _chat(app).canonical(context.user.id, id)


def _acknowledge(
    action: Callable[..., Any], key: str, *args: Any, body: bool = True, answer: Any = True
) -> Callable[..., RouteResult]:
    """A route that reads the JSON body (X requires one, ``{}`` at least), has the chat
    backend do ``action`` on the path's conversation (with the body if ``body``, then
    ``args``) and answers ``{"data": {key: answer}}``."""

    def handler(app: Any, context: Any, id: str) -> RouteResult:
        given = _params.json_object(context.request)
        action(
            _chat(app), context.user.id, _path(app, context, id), *((given,) if body else ()), *args
        )
        return 200, {"data": {key: answer}}, {}

    return handler


def _body_conversation(app: Any, context: Any, body: dict[str, Any]) -> str:
    value = body.get("conversation_id")
    if not isinstance(value, str) or not (
        _facts.CHAT_COLON_ID_PATTERN.fullmatch(value)
        or _facts.CHAT_CONVERSATION_ID_PATTERN.fullmatch(value)
    ):
        raise invalid_request(
            "The `conversation_id` value must be a conversation id",
            {"conversation_id": [_params.echo(value)]},
        )
    return _chat(app).canonical(context.user.id, value.replace(":", "-"))


def _fields(allowed: tuple[str, ...]) -> Param:
    return _params.one_of(allowed)


_PAGE: Query = {
    "max_results": _params.integer(1, _facts.MAX_CHAT_RESULTS, _facts.DEFAULT_CHAT_RESULTS),
    "pagination_token": _params.token(),
}
_CONVERSATION_QUERY: Query = {
    "chat_conversation.fields": _fields(_facts.CHAT_CONVERSATION_FIELDS),
    "expansions": _fields(_facts.CHAT_CONVERSATION_EXPANSIONS),
    "user.fields": _fields(_facts.USER_FIELDS),
}
_EVENTS_QUERY: Query = {
    "chat_message_event.fields": _fields(_facts.CHAT_MESSAGE_EVENT_FIELDS),
    **_PAGE,
}
_KEY_QUERY: Query = {"public_key.fields": _fields(_facts.PUBLIC_KEY_FIELDS)}


def _conversation_data(
    chat: ChatBackend, conversation: Conversation, fields: Any, expansions: Any, caller: int
) -> dict[str, Any]:
    every: dict[str, Any] = {
        "id": conversation.path_id,
        "type": "group" if conversation.is_group else "one_to_one",
        "created_at": timestamp(conversation.created_at),
        "updated_at": timestamp(conversation.updated_at),
        "is_muted": caller in conversation.muted,
        "screen_capture_blocking_enabled": conversation.screen_capture["blocking"],
        "screen_capture_detection_enabled": conversation.screen_capture["detection"],
    }
    if conversation.is_group:
        every["admin_settings"] = {
            name: conversation.admin_settings.get(name) for name in _facts.CHAT_ADMIN_SETTINGS
        }
        if conversation.invite is not None:
            every["invite"] = _invite_data(conversation.invite)
        if chat.may_add(caller, conversation):
            every["pending_member_ids"] = [str(user) for user in conversation.pending]
    if conversation.name is not None:
        every["group_name"] = conversation.name
    every.update(conversation.info)
    if conversation.ttl_msec is not None:
        every["message_ttl_ms"] = conversation.ttl_msec
    data: dict[str, Any] = {"id": conversation.path_id}
    data.update({name: every[name] for name in fields or () if name in every})
    members = [str(member) for member in conversation.members]
    if "participant_ids" in (expansions or ()):
        data["participant_ids"] = members
    if "member_ids" in (expansions or ()):
        data["member_ids"] = members
    if "admin_ids" in (expansions or ()):
        data["admin_ids"] = [str(admin) for admin in conversation.admins]
    return data


def _includes(app: Any, context: Any, conversations: list[Conversation]) -> dict[str, Any]:
    expansions = context.query["expansions"] or ()
    if not expansions:
        return {}
    ids: dict[int, None] = {}
    for conversation in conversations:
        if "admin_ids" in expansions:
            ids.update(dict.fromkeys(conversation.admins))
        if "member_ids" in expansions or "participant_ids" in expansions:
            ids.update(dict.fromkeys(conversation.members))
    fields = context.query["user.fields"]
    users = [app.backend.user(user_id) for user_id in ids]
    rendered = [app.render.user(user, fields, context.viewer) for user in users if user]
    return {"includes": {"users": rendered}} if rendered else {}


def get_conversations(app: Any, context: Any) -> Any:
    query = context.query
    chat = _chat(app)
    everything = chat.conversations(context.user.id)
    start = query["pagination_token"][1] if query["pagination_token"] else 0
    page = everything[start : start + query["max_results"]]
    body: dict[str, Any] = {}
    if page:
        body["data"] = [
            _conversation_data(
                chat, item, query["chat_conversation.fields"], query["expansions"], context.user.id
            )
            for item in page
        ]
        body.update(_includes(app, context, page))
    more = start + len(page) < len(everything)
    meta: dict[str, Any] = {
        "result_count": len(page),
        "has_more": more,
        "has_message_requests": _chat(app).has_message_requests(context.user.id),
    }
    if more:
        meta["next_token"] = encode_token(OLDER, start + len(page))
    body["meta"] = meta
    return 200, body, {}


def get_conversation(app: Any, context: Any, id: str) -> Any:
    query = context.query
    conversation = _chat(app).conversation(context.user.id, _path(app, context, id))
    body = {
        "data": _conversation_data(
            _chat(app),
            conversation,
            query["chat_conversation.fields"],
            query["expansions"],
            context.user.id,
        ),
        **_includes(app, context, [conversation]),
    }
    return 200, body, {}


def _event_data(event: ChatEvent, fields: Any) -> dict[str, Any]:
    every: dict[str, Any] = {
        "id": str(event.sequence_id),
        "conversation_id": event.conversation_id.replace(":", "-"),
        "sender_id": str(event.sender_id),
        "created_at": timestamp(event.created_at),
        "encoded_event": event.encoded,
        "is_trusted": True,
        "message_event_signature": dict(event.signature),
    }
    if event.previous_id is not None:
        every["previous_id"] = str(event.previous_id)
    data = {"id": every["id"]}
    data.update({name: every[name] for name in fields or () if name in every})
    return data


def get_events(app: Any, context: Any, id: str) -> Any:
    query = context.query
    token = query["pagination_token"]
    conversation, events, more = _chat(app).events(
        context.user.id, _path(app, context, id), token[1] if token else None, query["max_results"]
    )
    meta: dict[str, Any] = {
        "result_count": len(events),
        "has_more": more,
        "conversation_key_events": [event.encoded for event in conversation.key_events()],
    }
    if more:
        meta["next_token"] = encode_token(OLDER, events[-1].sequence_id)
    if not events:
        return 200, {"meta": meta}, {}
    # Each event's JSON is rendered once and kept (events never change once
    # stored); the page is assembled anew.
    fields = tuple(query["chat_message_event.fields"] or ())
    data = app.chat_render.texts(events, fields, _event_key, _event_data)
    return json_page_response(200, data, {"meta": meta}, {})


def _event_key(event: ChatEvent) -> tuple[str, int]:
    return event.conversation_id, event.sequence_id


def send_message(app: Any, context: Any, id: str) -> Any:
    body = _params.json_object(context.request)
    event = _chat(app).send(context.user.id, _path(app, context, id), body)
    return 201, {"data": {"encoded_message_event": event.encoded}}, {}


def mark_read(app: Any, context: Any, id: str) -> Any:
    body = _params.json_object(context.request)
    chat = _chat(app)
    chat.mark_read(context.user.id, _path(app, context, id), body.get("seen_until_sequence_id"))
    return 200, {"data": {"success": True}}, {}


def typing(app: Any, context: Any, id: str) -> Any:
    _chat(app).typing(context.user.id, _path(app, context, id))
    return 200, {"data": {"success": True}}, {}


def add_keys(app: Any, context: Any, id: str) -> Any:
    body = _params.json_object(context.request)
    event = _chat(app).add_keys(context.user.id, _path(app, context, id), body)
    data = {
        "conversation_id": event.conversation_id.replace(":", "-"),
        "sequence_id": str(event.sequence_id),
    }
    return 200, {"data": data}, {}


def initialize_group(app: Any, context: Any) -> Any:
    return 200, {"data": {"conversation_id": _chat(app).reserve_group(context.user.id)}}, {}


def create_group(app: Any, context: Any) -> Any:
    body = _params.json_object(context.request)
    conversation, key = _chat(app).create_group(context.user.id, body)
    data = {
        "conversation_id": conversation.id,
        "conversation_key_change_sequence_id": str(key.sequence_id),
    }
    return 201, {"data": data}, {}


def add_members(app: Any, context: Any, id: str) -> Any:
    body = _params.json_object(context.request)
    conversation = _chat(app).add_members(context.user.id, _path(app, context, id), body)
    # The spec types this answer's data as a Post; X's example is the group's id.
    return 200, {"data": {"id": conversation.id}}, {}


def _public_keys(app: Any, user_id: int, fields: Any) -> list[dict[str, Any]]:
    return [record.data(fields) for record in _chat(app).public_keys(user_id)]


def get_public_keys(app: Any, context: Any, id: str) -> Any:
    fields = context.query["public_key.fields"]
    keys = _chat(app).user_public_keys(_params.id_value("id", id))
    data = [record.data(fields) for record in keys]
    return 200, ({"data": data} if data else {}), {}


def get_users_public_keys(app: Any, context: Any) -> Any:
    fields = context.query["public_key.fields"]
    data = []
    for user_id in dict.fromkeys(context.query["ids"]):
        data.extend(_public_keys(app, user_id, fields))
    return 200, ({"data": data} if data else {}), {}


def add_public_key(app: Any, context: Any, id: str) -> Any:
    user_id = _params.id_value("id", id)
    body = _params.json_object(context.request)
    public_key = body.get("public_key")
    if not isinstance(public_key, dict) or not all(
        isinstance(value, str) for value in public_key.values()
    ):
        raise invalid_request(
            "The `public_key` value must be an object of strings",
            {"public_key": [_params.echo(public_key)]},
        )
    unknown = sorted(set(public_key) - set(_facts.PUBLIC_KEY_REGISTRATION_FIELDS))
    if unknown:
        raise invalid_request(
            f"The public_key fields [{','.join(unknown)}] are not allowed",
            {name: [""] for name in unknown},
        )
    version = body.get("version")
    if body.get("generate_version") is True:
        version = str(round(app.backend.store.clock() * 1000))
    if not isinstance(version, str) or not _facts.NUMERIC_PATTERN.fullmatch(version):
        raise invalid_request(
            "The `version` value must be a numeric string", {"version": [_params.echo(version)]}
        )
    record = _chat(app).add_public_key(context.user.id, user_id, public_key, version)
    return 200, {"data": {"public_key_version": record.version, "juicebox_config": {}}}, {}


def _total_bytes(body: dict[str, Any]) -> int:
    total = body.get("total_bytes")
    if isinstance(total, bool) or not isinstance(total, int) or total <= 0:
        raise invalid_request(
            "The `total_bytes` value must be a positive integer",
            {"total_bytes": [_params.echo(total)]},
        )
    return total


def media_initialize(app: Any, context: Any) -> Any:
    body = _params.json_object(context.request)
    total = _total_bytes(body)
    conversation_id = _body_conversation(app, context, body)
    session = _chat(app).initialize_media(context.user.id, conversation_id, total)
    data = {
        "conversation_id": session.conversation_id,
        "media_hash_key": session.media_hash_key,
        "session_id": str(session.session_id),
    }
    return 200, {"data": data}, {}


def _append_fields(context: Any) -> tuple[dict[str, Any], bytes]:
    request = context.request
    if (request.headers.get("Content-Type") or "").startswith("multipart/form-data"):
        try:
            parts = parse_multipart(request.headers.get("Content-Type") or "", request.body)
        except ValueError as error:
            raise invalid_request(f"The multipart body is malformed: {error}") from None
        fields: dict[str, Any] = {}
        for name, part in parts.items():
            if name != "media":
                try:
                    fields[name] = part.data.decode()
                except UnicodeDecodeError:
                    raise invalid_parameter(name, "", f"The `{name}` value is not text") from None
        media = parts["media"].data if "media" in parts else b""
        return fields, media
    body = _params.json_object(request)
    try:
        media = base64.b64decode(body.get("media") or "", validate=True)
    except (binascii.Error, TypeError, ValueError):
        media = b""
    return body, media


def _segment_index(value: Any) -> int:
    text = str(value) if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
    if not re.fullmatch(r"[0-9]{1,3}", text):
        raise invalid_parameter(
            "segment_index",
            _params.echo(value),
            f"The `segment_index` value [{_params.echo(value)}] is not between 0 and "
            f"{_facts.MAX_CHAT_SEGMENTS - 1}",
        )
    return int(text)


def media_append(app: Any, context: Any, id: str) -> Any:
    session_id = _params.id_value("id", id)
    fields, media = _append_fields(context)
    if not media:
        raise invalid_request("The `media` field is required", {"media": [""]})
    _body_conversation(app, context, fields)
    session = _chat(app).append_media(
        context.user.id,
        session_id,
        fields.get("media_hash_key"),
        _segment_index(fields.get("segment_index")),
        media,
    )
    expires = int(app.backend.store.clock()) + 24 * 60 * 60
    del session
    return 200, {"data": {"expires_at": expires}}, {}


def media_finalize(app: Any, context: Any, id: str) -> Any:
    session_id = _params.id_value("id", id)
    body = _params.json_object(context.request)
    _body_conversation(app, context, body)
    _chat(app).finalize_media(
        context.user.id, session_id, body.get("media_hash_key"), body.get("num_parts")
    )
    return 200, {"data": {"success": True}}, {}


def media_download(app: Any, context: Any, id: str, media_hash_key: str) -> Any:
    if not _facts.MEDIA_HASH_KEY_PATTERN.fullmatch(media_hash_key):
        raise invalid_parameter(
            "media_hash_key",
            _params.echo(media_hash_key),
            "The `media_hash_key` value must be 1 to 50 letters and digits",
        )
    content = _chat(app).media(context.user.id, _path(app, context, id), media_hash_key)
    return HTTPResponse(200, content, "application/octet-stream", {})


# Group administration (managing a conversation is _acknowledge's, in ROWS)


def get_admin_requests(app: Any, context: Any, id: str) -> Any:
    query = context.query
    everyone = _chat(app).admin_requests(context.user.id, _path(app, context, id))
    start = query["pagination_token"]
    page = everyone[start : start + _facts.MAX_CHAT_RESULTS]
    users = [app.backend.user(user_id) for user_id in page]
    fields = query["user.fields"]
    data = [app.render.user(user, fields, context.viewer) for user in users if user]
    body: dict[str, Any] = {"data": data} if data else {}
    meta: dict[str, Any] = {"result_count": len(data), "total_count": len(everyone)}
    if start + len(page) < len(everyone):
        meta["next_token"] = str(start + len(page))
    body["meta"] = meta
    return 200, body, {}


def _answer_admin_request(app: Any, context: Any, id: str, user_id: str, approve: bool) -> Any:
    _params.json_object(context.request)
    user = _params.id_value("user_id", user_id)
    _chat(app).answer_admin_request(context.user.id, _path(app, context, id), user, approve)
    return 200, {"data": {"approved" if approve else "rejected": True}}, {}


def approve_admin_request(app: Any, context: Any, id: str, user_id: str) -> Any:
    return _answer_admin_request(app, context, id, user_id, True)


def reject_admin_request(app: Any, context: Any, id: str, user_id: str) -> Any:
    return _answer_admin_request(app, context, id, user_id, False)


def update_screen_capture(app: Any, context: Any, id: str) -> Any:
    body = _params.json_object(context.request)
    changed = _chat(app).update_screen_capture(context.user.id, _path(app, context, id), body)
    return 200, {"data": changed}, {}


def get_pinned_messages(app: Any, context: Any, id: str) -> Any:
    # Pins are made inside encrypted messages, in a Thrift layout X has not published:
    # the emulator checks the caller's access and has none to list.
    _chat(app).conversation(context.user.id, _path(app, context, id))
    return 200, {"meta": {"result_count": 0}}, {}


def update_group(app: Any, context: Any, id: str) -> Any:
    body = _params.json_object(context.request)
    key = _chat(app).update_group(context.user.id, _path(app, context, id), body)
    data: dict[str, Any] = {"updated": True}
    if key is not None:
        data["conversation_key_change_sequence_id"] = str(key.sequence_id)
    return 200, {"data": data}, {}


# Invite links and join requests


def _invite_data(invite: dict[str, Any]) -> dict[str, Any]:
    """An invite as X renders it (conversation's ``invite`` field)."""
    data: dict[str, Any] = {"invite_url": invite["invite_url"], "token": invite["token"]}
    if invite["expires_at"] is not None:
        data["expires_at"] = timestamp(invite["expires_at"])
    data["admin_user_id"] = str(invite["admin_user_id"])
    if "welcome_message" in invite:
        data["welcome_message"] = invite["welcome_message"]
    return data


def _invite_answer(conversation_id: str, invite: dict[str, Any]) -> dict[str, Any]:
    data = {"conversation_id": conversation_id, **_invite_data(invite)}
    del data["admin_user_id"]
    for stored, name in (
        ("decrypted_title", "group_name"),
        ("decrypted_avatar_url", "group_avatar_url"),
    ):
        if stored in invite:
            data[name] = invite[stored]
    for name in ("member_count", "join_state"):
        if name in invite:
            data[name] = invite[name]
    return data


def enable_invite(app: Any, context: Any, id: str) -> Any:
    body = _params.json_object(context.request)
    group = _path(app, context, id)
    invite = _chat(app).enable_invite(context.user.id, group, body)
    return 200, {"data": _invite_answer(group, invite)}, {}


def get_invite(app: Any, context: Any, id: str, token: str) -> Any:
    if not _facts.CHAT_GROUP_ID_PATTERN.fullmatch(id):
        raise invalid_parameter("id", _params.echo(id), "The `id` value must be a group's g… id")
    if not _facts.CHAT_INVITE_TOKEN_PATTERN.fullmatch(token):
        raise invalid_parameter(
            "token", _params.echo(token), "The `token` value must be 10 characters"
        )
    preview = _chat(app).invite_preview(context.user.id, id, token)
    return 200, {"data": _invite_answer(id, preview)}, {}


def request_join(app: Any, context: Any, id: str) -> Any:
    body = _params.json_object(context.request)
    if not _facts.CHAT_GROUP_ID_PATTERN.fullmatch(id):
        raise invalid_parameter("id", _params.echo(id), "The `id` value must be a group's g… id")
    _chat(app).request_join(context.user.id, id, body)
    return 200, {"data": {"requested": True}}, {}


# Message requests and settings


def _one_to_one(app: Any, context: Any, id: str) -> str:
    """A message request's path id (a user id or ``LOW-HIGH``), canonical (``LOW:HIGH``)."""
    if not _facts.CHAT_ONE_TO_ONE_ID_PATTERN.fullmatch(id):
        raise invalid_parameter(
            "id",
            _params.echo(id),
            f"The `id` value [{_params.echo(id)}] does not match "
            f"^({_facts.CHAT_ONE_TO_ONE_ID_PATTERN.pattern})$",
        )
    return _chat(app).canonical(context.user.id, id)


def _request_events(conversation: Conversation) -> dict[str, Any]:
    messages = [event.encoded for event in reversed(conversation.events) if event.kind == "message"]
    return {
        "message_events": messages,
        "conversation_key_events": [event.encoded for event in conversation.key_events()],
    }


def get_message_requests(app: Any, context: Any) -> Any:
    query = context.query
    chat = _chat(app)
    caller = context.user.id
    page, total, following = chat.message_requests(
        caller, query["inbox_type"], query["pagination_token"], query["max_results"]
    )
    data = []
    for conversation, sender in page:
        events = _request_events(conversation)
        item: dict[str, Any] = {
            "conversation_id": conversation.path_id,
            "sender_id": str(sender),
            **events,
            "has_more_events": False,
            "sender_recently_modified_profile": False,
            "social_proof_user_ids": [str(user) for user in chat.social_proof(caller, sender)],
        }
        if events["message_events"]:
            item["encoded_message_create_event"] = events["message_events"][0]
        data.append(item)
    meta: dict[str, Any] = {"result_count": len(data), "total_count": total}
    if following is not None:
        meta["next_token"] = str(following)
    body: dict[str, Any] = {"data": data} if data else {}
    body["meta"] = meta
    return 200, body, {}


def get_message_request(app: Any, context: Any, id: str) -> Any:
    caller = context.user.id
    conversation, state = _chat(app).message_request(caller, _one_to_one(app, context, id))
    other = next(member for member in conversation.members if member != caller)
    events = _request_events(conversation)
    data = {
        "conversation_id": conversation.path_id,
        "participant_id": str(other),
        "message_request_state": state,
        **events,
        "has_more_events": bool(events["message_events"]),
    }
    return 200, {"data": data}, {}


def accept_message_request(app: Any, context: Any, id: str) -> Any:
    _chat(app).accept_request(context.user.id, _one_to_one(app, context, id))
    return 200, {"data": {"accepted": True}}, {}


def get_settings(app: Any, context: Any) -> Any:
    return 200, {"data": _chat(app).settings(context.user.id)}, {}


def update_settings(app: Any, context: Any) -> Any:
    body = _params.json_object(context.request)
    return 200, {"data": _chat(app).update_settings(context.user.id, body)}, {}


_REQUESTS_QUERY: Query = {
    "inbox_type": _params.choice(_facts.CHAT_REQUEST_INBOXES)._replace(
        default=_facts.CHAT_REQUEST_INBOXES[0]
    ),
    "max_results": _params.integer(1, _facts.MAX_CHAT_REQUESTS, _facts.DEFAULT_CHAT_REQUESTS),
    "pagination_token": _params.integer(0, 10**10 - 1, 0),
}


_NUMERIC_TOKEN = _params.integer(0, 10**19 - 1, 0)
_ADMIN_REQUESTS_QUERY: Query = {
    "pagination_token": _NUMERIC_TOKEN,
    "user.fields": _fields(_facts.USER_FIELDS),
    "expansions": _fields(_facts.USER_EXPANSIONS),
    "tweet.fields": _fields(_facts.TWEET_FIELDS),
}


_IDS: Param = _params.listing(_params.id_value)

#: XChat's routes.
ROWS: tuple[Row, ...] = (
    Row("GET /2/chat/conversations", get_conversations, {**_CONVERSATION_QUERY, **_PAGE}),
    Row(f"GET {_CONVERSATION}", get_conversation, _CONVERSATION_QUERY),
    Row(f"GET {_CONVERSATION}/events", get_events, _EVENTS_QUERY),
    Row(f"POST {_CONVERSATION}/messages", send_message),
    Row(f"POST {_CONVERSATION}/messages/delete", _acknowledge(ChatBackend.delete, "deleted")),
    Row(f"POST {_CONVERSATION}/read", mark_read),
    Row(f"POST {_CONVERSATION}/typing", typing),
    Row(f"POST {_CONVERSATION}/keys", add_keys),
    Row("POST /2/chat/conversations/group/initialize", initialize_group),
    Row("POST /2/chat/conversations/group", create_group),
    Row(f"POST {_CONVERSATION}/members", add_members),
    Row("POST /2/chat/media/upload/initialize", media_initialize),
    Row("POST /2/chat/media/upload/{id}/append", media_append),
    Row("POST /2/chat/media/upload/{id}/finalize", media_finalize),
    Row("GET /2/chat/media/{id}/{media_hash_key}", media_download),
    Row("GET /2/users/{id}/public_keys", get_public_keys, _KEY_QUERY),
    Row("GET /2/users/public_keys", get_users_public_keys, {**_KEY_QUERY, "ids": _IDS}),
    Row("POST /2/users/{id}/public_keys", add_public_key),
    Row("GET /2/chat/message_requests", get_message_requests, _REQUESTS_QUERY),
    Row("GET /2/chat/message_requests/{id}", get_message_request),
    Row("POST /2/chat/message_requests/{id}/accept", accept_message_request),
    Row("GET /2/chat/settings", get_settings),
    Row("PUT /2/chat/settings", update_settings),
    Row(
        f"DELETE {_CONVERSATION}",
        _acknowledge(ChatBackend.delete_conversation, "deleted", body=False),
    ),
    Row(
        f"POST {_CONVERSATION}/mute", _acknowledge(ChatBackend.set_muted, "muted", True, body=False)
    ),
    Row(
        f"DELETE {_CONVERSATION}/mute",
        _acknowledge(ChatBackend.set_muted, "muted", False, body=False, answer=False),
    ),
    Row(f"PUT {_CONVERSATION}/message_ttl", _acknowledge(ChatBackend.set_ttl, "updated")),
    Row(
        f"DELETE {_CONVERSATION}/message_ttl",
        _acknowledge(ChatBackend.set_ttl, "deleted", None, body=False),
    ),
    Row(
        f"POST {_CONVERSATION}/members/remove", _acknowledge(ChatBackend.remove_members, "removed")
    ),
    Row(f"PUT {_CONVERSATION}", update_group),
    Row(f"POST {_CONVERSATION}/invite", enable_invite),
    Row(
        f"DELETE {_CONVERSATION}/invite",
        _acknowledge(ChatBackend.disable_invite, "disabled", body=False),
    ),
    Row(f"GET {_CONVERSATION}/invites/{{token}}", get_invite),
    Row(f"POST {_CONVERSATION}/join_requests", request_join),
    Row(
        f"POST {_CONVERSATION}/join_requests/reject",
        _acknowledge(ChatBackend.reject_joins, "rejected"),
    ),
    Row(f"POST {_CONVERSATION}/admins", _acknowledge(ChatBackend.add_admins, "added")),
    Row(f"POST {_CONVERSATION}/admins/remove", _acknowledge(ChatBackend.remove_admins, "removed")),
    Row(f"GET {_CONVERSATION}/admin_requests", get_admin_requests, _ADMIN_REQUESTS_QUERY),
    Row(
        f"POST {_CONVERSATION}/admin_requests",
        _acknowledge(ChatBackend.request_admin, "requested", body=False),
    ),
    Row(f"POST {_CONVERSATION}/admin_requests/{{user_id}}/approve", approve_admin_request),
    Row(f"POST {_CONVERSATION}/admin_requests/{{user_id}}/reject", reject_admin_request),
    Row(
        f"PUT {_CONVERSATION}/admin_settings",
        _acknowledge(ChatBackend.update_admin_settings, "updated"),
    ),
    Row(f"PUT {_CONVERSATION}/screen_capture", update_screen_capture),
    Row(
        f"GET {_CONVERSATION}/pinned_messages",
        get_pinned_messages,
        {"pagination_token": _NUMERIC_TOKEN},
    ),
)

__all__ = ["ROWS"]
