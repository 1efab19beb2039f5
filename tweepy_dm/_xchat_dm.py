"""Legacy DM calls over XChat: what ``Client(..., xchat_key=KEY)`` does with them.

After 2026-12-09 X accepts no new unencrypted DMs; ``/2/chat`` (XChat) is the
only DM API. A client given the user's XChat key blob sends the legacy DM
methods' requests (``create_dm``, ``create_dm_conversation``,
``get_dm_events``, ``get_dm_event``, ``delete_dm_event``) as the flows below,
which encrypt, sign, decrypt and verify with X's SDK through
:mod:`tweepy_dm.xchat`'s session, and answer in the legacy shapes. The same
flows serve both clients (``perform_sync`` / ``perform_async``, which can
record each raw request's headers: :func:`message_headers` picks the send's); the
chat-event converter serves the clients, the Activity stream and the webhook
receivers, so a message is one :class:`DirectMessageEvent` wherever it is seen.

What X does not document, and so is the project's choice (each one fact in
:mod:`tweepy_dm._facts`, described in docs/xchat.rst):

- ``dm_event_id`` and ``DirectMessageEvent.id`` are X's numeric sequence id of
  the chat event (``XCHAT_DM_EVENT_ID``); the signed message id is kept as
  ``message_id``. ``get_dm_event`` and ``delete_dm_event`` find an id in the
  conversation where the client last saw it, otherwise by reading every
  conversation.
- ``get_dm_events`` without a conversation reads every conversation and merges
  their messages newest first by sequence id; its ``next_token`` is the
  sequence id of the page's last event.
- Every message is a ``MessageCreate`` (``XCHAT_DM_EVENT_TYPE``); key changes
  and signed actions are not DM events. Each event carries ``text``,
  ``sender_id``, ``created_at``, ``dm_conversation_id`` and ``attachments``
  (``{"media": [...]}``) whatever ``dm_event_fields`` asks.

chatxdk is imported on first use (:mod:`tweepy_dm.xchat`), so importing this
module works without it and on Python 3.9.

.. versionadded:: 0.2
"""

from __future__ import annotations

import datetime
import functools
import inspect
import json
import logging
import os
import re
from collections.abc import Iterable, Mapping
from typing import Any, Callable, NamedTuple, Optional

import tweepy

from tweepy_dm import _chat_ids, _facts, _flow
from tweepy_dm._activity import loads
from tweepy_dm._endpoints import ENDPOINTS, JSON, Request
from tweepy_dm._exceptions import LegacyDMsEnded, http_error, typed_forbidden
from tweepy_dm._models import DirectMessageEvent

log = logging.getLogger("tweepy_dm.xchat")
_ROWS = {row.name: row for row in ENDPOINTS}


def _pattern(key: str) -> tuple[str, re.Pattern[str]]:
    method, path = key.split(" ", 1)
    return method, re.compile(re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(path)))


#: The legacy DM methods served over XChat, and the routes they send to (from the table).
_LEGACY = (
    "create_direct_message",
    "create_direct_message_conversation",
    "get_direct_message_events",
    "get_direct_message_event",
    "delete_direct_message_event",
)
_ROUTES = [(name, *_pattern(route.key)) for name in _LEGACY for route in _ROWS[name].routes]


def _match(request: Request) -> Optional[tuple[str, dict[str, str]]]:
    """The legacy method a request was built by, and its path's parameters."""
    for name, method, pattern in _ROUTES:
        found = pattern.fullmatch(request.route)
        if method == request.method and found is not None:
            return name, found.groupdict()
    return None


def _xchat() -> Any:
    """:mod:`tweepy_dm.xchat`, or an ImportError naming the extra and Python 3.10+."""
    try:
        from tweepy_dm import xchat
    except ImportError as error:
        raise ImportError(f"xchat_key sends DMs over XChat: {error}") from None
    return xchat


# -- The refusals of a client without keys -------------------------------------------------


def refuse_file(request: Request) -> None:
    """Refuse a send with ``file`` by a client without XChat keys, before sending."""
    if getattr(request, "file", None) is not None:
        raise ValueError(
            "file= is sent encrypted over XChat, and this client has no XChat key: make it "
            "with xchat_key=KEY; over legacy DMs, upload the file with upload_dm_media and "
            "pass its media_id"
        )


def refused(error: Exception, request: Request) -> Exception:
    """``error`` as :class:`LegacyDMsEnded` if it is a 403 to a legacy send, as
    :class:`RecipientNotMessageable` if X's problem type says so, else itself."""
    found = _match(request)
    if found is not None and found[0] in _facts.LEGACY_DM_SEND_METHODS:
        return LegacyDMsEnded.from_error(error)  # type: ignore[arg-type]
    return typed_forbidden(error)  # type: ignore[arg-type]


# -- One user's keys ------------------------------------------------------------------------


def _key_bytes(key: Any) -> bytes:
    if isinstance(key, (bytes, bytearray, memoryview)):
        return bytes(key)
    if isinstance(key, (str, os.PathLike)):
        path = os.fspath(key)
        try:
            with open(path, "rb") as file:
                return file.read()
        except OSError as error:
            raise ValueError(
                f"xchat_key names a key file that cannot be read: {path!r} ({error.strerror})"
            ) from None
    raise TypeError(
        "xchat_key must be the XChat key blob as bytes or the path of its file (str or "
        f"os.PathLike), not {type(key).__name__}"
    )


class XChatKeys:
    """A client's XChat session: one user's keys (inside the SDK) and what it has seen.

    The key blob goes into the SDK and is not kept: no attribute, repr, log line
    or error holds it.
    """

    def __init__(self, key: Any, user_id: Any = None) -> None:
        xchat = _xchat()
        if user_id is not None:
            user_id = _chat_ids.check_user_id(user_id, "xchat_user_id")
        # Until get_me names the user, the session holds a stand-in id it never sends.
        self.session = xchat._Session(_key_bytes(key), user_id or "1", None)
        self.user_known = user_id is not None
        #: event id -> the conversation it was seen in, for get_dm_event and delete_dm_event.
        self.where: dict[str, str] = {}

    def __repr__(self) -> str:
        user = self.session.user_id if self.user_known else "unknown"
        return f"<XChat keys user_id={user}>"


def keys(key: Any, user_id: Any) -> Optional[XChatKeys]:
    """The constructors' ``xchat_key``/``xchat_user_id``, checked (``None``: no key)."""
    if key is None:
        if user_id is not None:
            raise TypeError("xchat_user_id is given without xchat_key")
        return None
    return XChatKeys(key, user_id)


# -- Effects and their performers -----------------------------------------------------------


class Raw(NamedTuple):
    """Effect: send ``request`` through the client's transport; its JSON, as a dict."""

    request: Request


def _as_raw(name: str, args: Any, kwargs: Mapping[str, Any], user_auth: bool) -> Optional[Raw]:
    """An ``xchat.Api`` call of a JSON row as a :class:`Raw` request, else ``None``.

    Sent raw so that the flows read dicts whatever the client's ``return_type``.
    """
    row = _ROWS.get(name)
    if row is None or row.transport != JSON:
        return None
    return Raw(row.build(*args, **{"user_auth": user_auth, **kwargs}))


def _params(client: Any, request: Request) -> Any:
    return client._process_params(dict(request.params), request.endpoint_parameters)


def json_payload(content: bytes) -> Any:
    """An answer's JSON body (read as the clients read X's JSON), or {} when empty."""
    return loads(content) if content else {}


#: What a performer tells of each raw request it sent: the request, its answer's headers.
Recorder = Callable[[Request, dict[str, str]], Any]
#: The chat message send, whose headers are those of the legacy send it serves.
_MESSAGE = _pattern("POST /2/chat/conversations/{id}/messages")


def message_headers(sent: Iterable[tuple[Request, Mapping[str, str]]]) -> dict[str, str]:
    """The headers of the last chat message POST among recorded ``sent``, else ``{}``.

    A send may first set up the conversation's keys: the message's headers are the send's.
    """
    found: dict[str, str] = {}
    for request, headers in sent:
        if request.method == _MESSAGE[0] and _MESSAGE[1].fullmatch(request.route):
            found = dict(headers)
    return found


def perform_sync(
    client: Any, user_auth: bool, record: Optional[Recorder] = None
) -> Callable[[Any], Any]:
    """How a :class:`tweepy_dm.Client` performs the flows' effects.

    ``record``: called with each raw request and its answer's headers.
    """
    xchat = _xchat()

    def raw(request: Request) -> Any:
        response = client.request(
            request.method, request.route, _params(client, request), request.json,
            request.user_auth,
        )  # fmt: skip
        if record is not None:
            record(request, dict(response.headers))
        return json_payload(response.content)

    def api(name: str, args: Any, kwargs: Any) -> Any:
        as_raw = _as_raw(name, args, kwargs, user_auth)
        return raw(as_raw.request) if as_raw else getattr(client, name)(*args, **kwargs)

    return _flow.dispatch(
        {Raw: raw, xchat.Api: api, _flow.Call: lambda function, args: function(*args)}
    )


def perform_async(
    client: Any, user_auth: bool, record: Optional[Recorder] = None
) -> Callable[[Any], Any]:
    """How a :class:`tweepy_dm.AsyncClient` performs the flows' effects (each awaited).

    ``record``: as :func:`perform_sync`'s.
    """
    xchat = _xchat()

    async def raw(request: Request) -> Any:
        response = await client.request(
            request.method, request.route, _params(client, request), request.json,
            request.user_auth,
        )  # fmt: skip
        if record is not None:
            record(request, dict(response.headers))
        # The body was read before the connection was released: json() decodes it.
        return await response.json(content_type=None) or {}

    async def api(name: str, args: Any, kwargs: Any) -> Any:
        as_raw = _as_raw(name, args, kwargs, user_auth)
        return await (raw(as_raw.request) if as_raw else getattr(client, name)(*args, **kwargs))

    async def blocking(function: Any, args: Any) -> Any:
        import asyncio

        return await asyncio.get_running_loop().run_in_executor(None, function, *args)

    return _flow.dispatch({Raw: raw, xchat.Api: api, _flow.Call: blocking})


# -- Chat messages as legacy DM events ------------------------------------------------------


def event_data(message: Any) -> dict[str, Any]:
    """A decrypted ``xchat.ChatMessage`` as the JSON of a legacy DM event."""
    data: dict[str, Any] = {
        "id": str(getattr(message, _facts.XCHAT_DM_EVENT_ID)),
        "event_type": _facts.XCHAT_DM_EVENT_TYPE,
        "text": message.text if message.text is not None else "",
        "sender_id": str(message.sender_id),
        "dm_conversation_id": message.conversation_id,
        "message_id": message.id,
    }
    when = message.created_at
    if when is not None:
        # X's shape, 2026-01-02T03:04:05.678Z: isoformat truncates as strftime's %f
        # cut to 3 digits did, at half its cost (once per message decrypted). A
        # decrypted message's time is in UTC already: its "+00:00" becomes the "Z".
        if when.tzinfo is _UTC:
            data["created_at"] = when.isoformat(timespec="milliseconds")[:-6] + "Z"
        else:
            when = when.astimezone(_UTC).replace(tzinfo=None)
            data["created_at"] = when.isoformat(timespec="milliseconds") + "Z"
    if message.attachments:
        data["attachments"] = {"media": [dict(item) for item in message.attachments]}
    return data


def direct_message(message: Any) -> DirectMessageEvent:
    """A decrypted ``xchat.ChatMessage`` as the :class:`DirectMessageEvent` the client returns."""
    return DirectMessageEvent(event_data(message))


_UTC = datetime.timezone.utc


def problem(event_id: Any, conversation: str, reason: str) -> dict[str, Any]:
    """The ``errors`` entry of an event that did not decrypt or verify."""
    return {
        "title": "XChat event not decrypted",
        "detail": (
            f"The event {event_id} of conversation {conversation} could not be decrypted "
            f"or verified: {reason}"
        ),
        "type": "about:blank",
        "resource_type": "dm_event",
        "resource_id": str(event_id),
        "dm_conversation_id": conversation,
    }


class _Item(NamedTuple):
    sequence: int
    conversation: str
    data: Optional[dict[str, Any]]  # the event, or None
    problem: Optional[dict[str, Any]]  # why it did not decrypt, or None
    # Left encrypted (``_page``'s ``leave``), and its time in epoch seconds from X's
    # envelope (None if it has none).
    left: bool = False
    at: Optional[float] = None


def _not_found(event_id: str) -> Exception:
    import requests

    response = requests.Response()
    response.status_code, response.reason = 404, "Not Found"
    response.headers["content-type"] = "application/problem+json"
    response._content = json.dumps(
        {
            "title": "Not Found Error",
            "type": "https://api.twitter.com/2/problems/resource-not-found",
            "detail": f"Could not find DmEvent with event_id: [{event_id}] in any XChat "
            "conversation of this user.",
            "status": 404,
        }
    ).encode()
    return http_error(response, 404)


# -- The flows ------------------------------------------------------------------------------


def _start(state: XChatKeys, user_auth: bool) -> _flow.Flow[str]:
    """Learn the user's id (once, with get_me) and key version; returns the user id."""
    if not state.user_known:
        answer = yield Raw(Request("GET", "/2/users/me", user_auth=user_auth))
        state.session.user_id = _chat_ids.check_user_id(answer["data"]["id"])
        state.user_known = True
    yield from state.session._ready()
    return state.session.user_id  # type: ignore[no-any-return]


def _left(event: Any, me: str, seen: Optional[int]) -> Optional[tuple[int, Optional[float]]]:
    """The sequence id and time (epoch seconds) of ``event`` if X's envelope says ``me``
    sent it or its sequence id is ``seen`` or older, else ``None``: such an event need
    not be decrypted.

    The envelope is X's unsigned metadata, as a decrypted message's sequence id
    and time are: trusting it only to leave a message undecrypted gives X no
    power it lacks (it could leave the message out), and nothing from the
    message itself is read.
    """
    xchat = _xchat()
    encoded = event.get("encoded_event") if isinstance(event, Mapping) else None
    if not isinstance(encoded, str):
        return None
    # Without a sequence to compare, the sender is found without parsing the envelope.
    if seen is None and xchat._sender(encoded) != me:
        return None
    try:
        fields = xchat._envelope(encoded)
    except (ValueError, IndexError):
        return None
    sequence, created = fields.get(1, ""), fields.get(6)
    if not (sequence.isascii() and sequence.isdigit()):
        return None
    if fields.get(3) != me and (seen is None or int(sequence) > seen):
        return None
    if created is None:
        return int(sequence), None
    if not (created.isascii() and created.isdigit()):
        return None
    return int(sequence), int(created) / 1000


def _page(
    state: XChatKeys,
    path: str,
    max_results: int,
    token: Optional[str],
    leave: bool = False,
    seen: Optional[int] = None,
) -> _flow.Flow[tuple[list[_Item], Optional[str], int]]:
    """One page of a conversation's events, decrypted; with the next token and its size.

    ``leave``: the user's own messages, and those of sequence id ``seen`` or
    older, are not decrypted; each is an item with ``left`` set, its time as
    ``at``, and no data.
    """
    xchat = _xchat()
    kwargs: dict[str, Any] = {"max_results": max_results}
    if token:
        kwargs["pagination_token"] = token
    answer = yield xchat.Api("get_chat_conversation_events", (path,), kwargs)
    data, meta = xchat._json(answer)
    key_events = meta.get("conversation_key_events") or []
    left: list[_Item] = []
    if leave and isinstance(data, list):
        others = []
        for event in data:
            found = _left(event, state.session.user_id, seen)
            if found is None:
                others.append(event)
            else:
                sequence, at = found
                left.append(_Item(sequence, path, None, None, True, at))
        data = others
    conversation = _chat_ids.event_id(path)
    if left and not data:
        # Nothing of anyone else's to decrypt: the page's key changes are still
        # verified and kept (those not held yet), so a send uses the newest key.
        yield from state.session._learn_keys(conversation, key_events)
        messages, failed = [], []
    else:
        # The page's keys are kept for the conversation: a send there then needs no key
        # read (without them it would find none and make the 1:1 a new key).
        messages, failed = yield from state.session._decrypt(
            key_events, data or [], set(), conversation
        )
    # Reactions and edits are not DM events (only MessageCreate is).
    items = [
        _Item(m.sequence_id, m.conversation_id, event_data(m), None)
        for m in messages
        if getattr(m, "action", None) is None
    ]
    # A malformed event may have no id at all: it is still reported, sorted last.
    items += [
        _Item(-1 if i is None else int(i), path, None, problem(i, path, reason))
        for i, reason in failed
    ]
    items += left
    for item in items:
        if item.sequence >= 0:
            state.where[str(item.sequence)] = item.conversation
    items.sort(key=lambda item: item.sequence, reverse=True)
    return items, meta.get("next_token"), len(data or [])


def _conversation(state: XChatKeys, path: str) -> _flow.Flow[list[_Item]]:
    items: list[_Item] = []
    token = None
    while True:
        page, token, count = yield from _page(state, path, _facts.XCHAT_SCAN_PAGE, token)
        items.extend(page)
        if not token or not count:
            return items


def _everything(state: XChatKeys) -> _flow.Flow[list[_Item]]:
    """Every event of every conversation of the user, newest first."""
    xchat = _xchat()
    paths: list[str] = []
    token = None
    while True:
        kwargs: dict[str, Any] = {"max_results": _facts.XCHAT_SCAN_PAGE}
        if token:
            kwargs["pagination_token"] = token
        data, meta = xchat._json((yield xchat.Api("get_chat_conversations", (), kwargs)))
        paths.extend(conversation["id"] for conversation in data or [])
        token = meta.get("next_token")
        if not token or not data:
            break
    items: list[_Item] = []
    for path in dict.fromkeys(paths):
        items.extend((yield from _conversation(state, path)))
    items.sort(key=lambda item: item.sequence, reverse=True)
    return items


class Polled(NamedTuple):
    """One event of a conversation's page, as the bot's poller reads it."""

    sequence: int
    at: Optional[float]  # epoch seconds, None if X gives no time
    dm: Optional[DirectMessageEvent]  # None: left encrypted (the user's own, or seen)


def poll_page(
    state: XChatKeys,
    conversation_id: str,
    max_results: int,
    token: Optional[str],
    user_auth: bool,
    seen: Optional[int] = None,
) -> _flow.Flow[tuple[list[Polled], Optional[str]]]:
    """One page of a conversation for :class:`tweepy_dm.DMPoller`, newest first; the next token.

    The user's own messages (a bot's replies) and those of sequence id
    ``seen`` or older (read by an earlier poll) are left encrypted: the poller
    needs only where they are, and decrypting each would cost as much as a new
    message. Everyone else's are decrypted and verified as ``get_dm_events``
    does; events that do not decrypt are left out, as ``get_dm_events`` leaves
    them out of its data. A conversation X does not know has no events.
    """
    yield from _start(state, user_auth)
    path = _chat_ids.path_id(conversation_id)
    try:
        items, next_token, _ = yield from _page(
            state, path, max_results, token, leave=True, seen=seen
        )
    except Exception as error:
        if _xchat()._status(error) != 404:
            raise
        return [], None
    polled = []
    for item in items:
        if item.left:
            polled.append(Polled(item.sequence, item.at, None))
        elif item.data is not None:
            dm = DirectMessageEvent(item.data)
            at = dm.created_at.timestamp() if dm.created_at is not None else None
            polled.append(Polled(item.sequence, at, dm))
    return polled, next_token


def pending_request(conversation_id: str, user_auth: bool) -> _flow.Flow[bool]:
    """Whether the other user's message request is pending in this 1:1 (False for a group).

    X's ``GET /2/chat/message_requests/{id}``, which also marks the request's
    messages delivered, as opening it in an X app does.
    """
    if not _facts.CHAT_ONE_TO_ONE_ID_PATTERN.fullmatch(str(conversation_id)):
        return False
    build = _ROWS["get_chat_message_request"].build
    try:
        payload, _ = yield _flow.Send(build(conversation_id=conversation_id, user_auth=user_auth))
    except tweepy.NotFound:
        return False  # no such conversation for this user: nothing pending
    data = payload.get("data") if isinstance(payload, Mapping) else None
    return isinstance(data, Mapping) and data.get("message_request_state") == "received"


def accept_request(conversation_id: str, user_auth: bool) -> _flow.Flow[bool]:
    """Accept the pending request; False when X says none is pending (404: accepted since)."""
    build = _ROWS["accept_chat_message_request"].build
    try:
        yield _flow.Send(build(conversation_id=conversation_id, user_auth=user_auth))
    except tweepy.NotFound:
        return False
    return True


def _find(state: XChatKeys, event_id: str, user_auth: bool) -> _flow.Flow[_Item]:
    yield from _start(state, user_auth)
    path = state.where.get(event_id)
    places = [path] if path else []
    for where in places:
        for item in (yield from _conversation(state, where)):
            if str(item.sequence) == event_id:
                return item
    for item in (yield from _everything(state)):
        if str(item.sequence) == event_id:
            return item
    raise _not_found(event_id)


def _names(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(",")
    return [str(name) for name in value]


def _respond(
    items: Iterable[_Item], params: Mapping[str, Any], user_auth: bool
) -> _flow.Flow[dict[str, Any]]:
    """The legacy answer for ``items``: data, errors and the expanded users."""
    items = list(items)
    payload: dict[str, Any] = {}
    data = [item.data for item in items if item.data is not None]
    if data:
        payload["data"] = data
    errors = [item.problem for item in items if item.problem is not None]
    if errors:
        payload["errors"] = errors
    # Chat events are all messages: only the sender is ever there to expand.
    if "sender_id" in _names(params.get("expansions")) and data:
        ids = list(dict.fromkeys(event["sender_id"] for event in data))
        query = {"ids": ids}
        if params.get("user_fields"):
            query["user_fields"] = _names(params["user_fields"])
        answer = yield Raw(
            Request("GET", "/2/users", query, ("ids", "user.fields"), user_auth=user_auth)
        )
        if answer.get("data"):
            payload["includes"] = {"users": answer["data"]}
    return payload


def _get_events(
    state: XChatKeys, request: Request, path: dict[str, str]
) -> _flow.Flow[dict[str, Any]]:
    params = request.params
    me = yield from _start(state, request.user_auth)
    types = _names(params.get("event_types"))
    size = int(params.get("max_results") or _facts.XCHAT_SCAN_PAGE)
    token = params.get("pagination_token")
    items: list[_Item] = []
    next_token = None
    if types and _facts.XCHAT_DM_EVENT_TYPE not in types:
        pass  # nothing over XChat is of those types
    elif path:
        conversation = path.get("dm_conversation_id")
        if conversation is None:
            conversation = _chat_ids.one_to_one(me, path["participant_id"])
        try:
            items, next_token, _ = yield from _page(
                state, _chat_ids.path_id(conversation), size, token
            )
        except Exception as error:
            if _xchat()._status(error) != 404:
                raise
            # No conversation yet: no events, as the legacy lookup answers.
    else:
        everything = yield from _everything(state)
        start = 0
        if token:
            if not str(token).isdigit():
                raise ValueError(
                    f"pagination_token {token!r} is not a next_token that get_dm_events gave"
                )
            start = next(
                (i for i, item in enumerate(everything) if item.sequence < int(token)),
                len(everything),
            )
        items = everything[start : start + size]
        if start + size < len(everything):
            next_token = str(items[-1].sequence)
    payload = yield from _respond(items, params, request.user_auth)
    payload["meta"] = {"result_count": len(payload.get("data", ()))}
    if next_token:
        payload["meta"]["next_token"] = next_token
    return payload


def _get_event(
    state: XChatKeys, request: Request, path: dict[str, str]
) -> _flow.Flow[dict[str, Any]]:
    item = yield from _find(state, path["event_id"], request.user_auth)
    payload = yield from _respond([item], request.params, request.user_auth)
    if "data" in payload:
        payload["data"] = payload["data"][0]
    return payload


def _delete_event(
    state: XChatKeys, request: Request, path: dict[str, str]
) -> _flow.Flow[dict[str, Any]]:
    item = yield from _find(state, path["event_id"], request.user_auth)
    # A legacy delete hides the event from the caller only: XChat's delete_for_self.
    yield from state.session.delete([path["event_id"]], conversation_id=item.conversation)
    state.where.pop(path["event_id"], None)
    return {"data": {"deleted": True}}


def _message_of(request: Request) -> tuple[str, Any]:
    body = request.json or {}
    message = body.get("message", body)
    if message.get("attachments"):
        raise ValueError(
            "over XChat a media_id cannot be sent: media uploaded with upload_dm_media is "
            "not encrypted. Pass the file itself as file= (its path or bytes); it is "
            "encrypted with the conversation's key and uploaded"
        )
    return message["text"], getattr(request, "file", None)


def _sent(state: XChatKeys, message: Any) -> dict[str, Any]:
    state.where[str(message.sequence_id)] = message.conversation_id
    return {
        "data": {
            "dm_conversation_id": message.conversation_id,
            "dm_event_id": str(getattr(message, _facts.XCHAT_DM_EVENT_ID)),
        }
    }


def _create(state: XChatKeys, request: Request, path: dict[str, str]) -> _flow.Flow[Any]:
    text, file = _message_of(request)
    me = yield from _start(state, request.user_auth)
    conversation = path.get("dm_conversation_id")
    if conversation is None:
        conversation = _chat_ids.one_to_one(me, path["participant_id"])
    # XChat.send sets up the conversation key on first contact (start_conversation).
    message = yield from state.session.send(_chat_ids.path_id(conversation), text, media=file)
    return _sent(state, message)


def _create_group(state: XChatKeys, request: Request, path: dict[str, str]) -> _flow.Flow[Any]:
    text, file = _message_of(request)
    yield from _start(state, request.user_auth)
    group = yield from state.session.create_group((request.json or {})["participant_ids"])
    message = yield from state.session.send(group, text, media=file)
    return _sent(state, message)


_FLOWS = {
    "create_direct_message": _create,
    "create_direct_message_conversation": _create_group,
    "get_direct_message_events": _get_events,
    "get_direct_message_event": _get_event,
    "delete_direct_message_event": _delete_event,
}


def routed(client: Any, request: Request) -> Optional[_flow.Flow[dict[str, Any]]]:
    """The XChat flow for a legacy DM request of a client with XChat keys, else ``None``.

    A client without keys gets ``None``, after its ``file`` is refused.
    """
    state = getattr(client, "__dict__", {}).get("_xchat_keys")
    found = _match(request) if state is not None else None
    if found is None:
        refuse_file(request)
        return None
    name, path = found
    return _FLOWS[name](state, request, path)


# -- Answers in the client's return_type ----------------------------------------------------


class _Answer:
    """What an ``aiohttp.ClientResponse`` return type gets: status, headers and the JSON."""

    status = 200
    reason = "OK"

    def __init__(self, payload: dict[str, Any]) -> None:
        self._body = json.dumps(payload).encode()
        self.headers = {"content-type": "application/json"}

    async def read(self) -> bytes:
        return self._body

    async def text(self, *args: Any, **kwargs: Any) -> str:
        return self._body.decode()

    async def json(self, *args: Any, **kwargs: Any) -> Any:
        return json.loads(self._body)


def respond(client: Any, payload: dict[str, Any], request: Request) -> Any:
    """``payload`` as the client's ``return_type`` says, as X's answer would be."""
    kind = client.return_type
    if kind is dict:
        return payload
    if getattr(kind, "__name__", None) == "ClientResponse":
        return _Answer(payload)
    import requests

    if kind is requests.Response:
        response = requests.Response()
        response.status_code, response.reason = 200, "OK"
        response.headers["content-type"] = "application/json"
        response._content = json.dumps(payload).encode()
        return response
    return client._construct_response(payload, data_type=request.data_type)


# -- Receiving: chat.received and chat.sent from the stream and webhooks --------------------

#: The Activity API events that carry an encrypted chat message.
CHAT_EVENT_TYPES = ("chat.received", "chat.sent")


def _user_auth(client: Any) -> bool:
    """OAuth 1.0a when the client holds its credentials, else its bearer (OAuth 2.0) token."""
    # Once per chat event the receivers decrypt: two reads, no generator.
    return bool(getattr(client, "consumer_key", None) and getattr(client, "access_token", None))


def message_key(user_id: Any, message_id: Any) -> str:
    """The dedupe key of a chat message seen by a user, wherever it was seen."""
    return f"xchat:{user_id}:{message_id}"


def _attach(event: Any, message: Any) -> None:
    """Give ``event`` the decrypted ``xchat.ChatMessage`` as its DM."""
    # What a handler reads first (id, type, text, sender, conversation, time) now, the
    # DM's JSON on first use, as for the DMs of X's v1.1 payloads: the fields the event
    # shares with its DM are the message's own values, set on both (its time to the
    # millisecond, as the JSON carries it), not parsed back from JSON written from them.
    text = message.text
    direct = DirectMessageEvent._deferred(
        int(str(getattr(message, _facts.XCHAT_DM_EVENT_ID))),
        _facts.XCHAT_DM_EVENT_TYPE,
        text if text is not None else "",
        functools.partial(event_data, message),
    )
    when = message.created_at
    if when is not None and (when.tzinfo is not _UTC or when.microsecond % 1000):
        when = when.astimezone(_UTC)
        when = when.replace(microsecond=when.microsecond - when.microsecond % 1000)
    direct.sender_id = event.sender_id = int(message.sender_id)
    direct.dm_conversation_id = event.dm_conversation_id = message.conversation_id
    direct.created_at = event.created_at = when
    # ActivityEvent reads legacy DM payloads itself on first use of one of these
    # fields, setting them all: every one is set here, so that it never does and
    # overwrites them. A chat event has no legacy DM payload (no recipient, no
    # read receipt); its DM is this one.
    event.recipient_id = event.last_read_event_id = None
    event._messages = []
    event._direct_messages = [direct]


def _receive(keys: XChatKeys, event: Any, user_auth: bool) -> _flow.Flow[tuple[str, ...]]:
    """Decrypt ``event`` into its ``direct_message``; returns its dedupe keys.

    An event that does not decrypt or verify keeps ``direct_message`` ``None``
    and is still delivered; a warning names it and the reason.
    """
    try:
        yield from _start(keys, user_auth)
        message = yield from keys.session.decrypt_activity(event)
    except Exception as error:
        log.warning(
            "Could not decrypt or verify the %s event %s: %s (delivered without direct_message)",
            event.event_type,
            event.event_uuid,
            error,
        )
        return ()
    if getattr(message, "action", None) is not None:
        return ()  # a reaction or an edit: no DM event (only MessageCreate is)
    keys.where[str(message.sequence_id)] = message.conversation_id
    _attach(event, message)
    return (message_key(keys.session.user_id, message.id),)


class Receivers:
    """The clients made with ``xchat_key`` that the stream and webhooks decrypt with.

    ``xchat_clients`` is one such client (for every event), or a mapping of user
    id to one (for that user's events, by the event's ``filter.user_id`` or
    ``for_user_id``).
    """

    def __init__(self, xchat_clients: Any) -> None:
        clients = xchat_clients if isinstance(xchat_clients, Mapping) else {None: xchat_clients}
        self.clients: dict[Optional[str], Any] = {}
        for user_id, client in clients.items():
            if getattr(client, "__dict__", {}).get("_xchat_keys") is None:
                raise TypeError(
                    "xchat_clients must be a tweepy_dm.Client or AsyncClient made with "
                    "xchat_key=..., or a mapping of user id to such clients, not "
                    f"{type(client).__name__}"
                )
            key = None if user_id is None else _chat_ids.check_user_id(user_id, "xchat_clients")
            self.clients[key] = client
        # Per client and kind of auth: whether it is async, and how it performs the
        # flows' effects (made once, not per event).
        self._performers: dict[tuple[int, bool], tuple[bool, Callable[[Any], Any]]] = {}

    def __repr__(self) -> str:
        return f"<XChat receivers users={sorted(map(str, self.clients))}>"

    def _client(self, event: Any) -> Any:
        if None in self.clients:
            return self.clients[None]
        client = self.clients.get(str(event.user_id))
        if client is None:
            log.warning(
                "No xchat_clients entry for user %s: the %s event %s stays encrypted",
                event.user_id,
                event.event_type,
                event.event_uuid,
            )
        return client

    def decrypt(self, event: Any) -> Any:
        """Give a chat event its ``direct_message``; returns its dedupe keys (``()`` if none).

        For an AsyncClient, returns a coroutine to await instead.
        """
        if event.event_type not in CHAT_EVENT_TYPES:
            return ()
        client = self._client(event)
        if client is None:
            return ()
        user_auth = _user_auth(client)
        flow = _receive(client.__dict__["_xchat_keys"], event, user_auth)
        performer = self._performers.get((id(client), user_auth))
        if performer is None:  # the clients are held in self.clients: their ids stay theirs
            asynchronous = inspect.iscoroutinefunction(client.request)
            make = perform_async if asynchronous else perform_sync
            performer = self._performers[id(client), user_auth] = (
                asynchronous,
                make(client, user_auth),
            )
        asynchronous, perform = performer
        if asynchronous:
            return _flow.arun_flow(flow, perform)
        return _flow.run_flow(flow, perform)


def receivers(xchat_clients: Any) -> Optional[Receivers]:
    """The streams' and receivers' ``xchat_clients``, checked (``None``: none)."""
    return None if xchat_clients is None else Receivers(xchat_clients)
