"""The emulator's inbox page: its JSON API, its server-sent events, its static files.

``GET /`` is a page (plain HTML, CSS and JavaScript shipped in ``_web/``, no build
step) that shows the emulator's users, their conversations, webhook deliveries and
rate-limit budgets, sends as any user and pulls the back doors. It reads
``GET /_emulator/state`` again whenever ``GET /_emulator/events`` (server-sent
events) says something changed. Every path but ``/`` is under ``/_emulator/``,
which is none of X's.

The page is a back door, so it is guarded: it answers only callers on loopback
(or the networks given as ``inbox_from``); it answers only a ``Host`` that is an
IP address or ``localhost`` (a DNS-rebinding page names its own domain); and a
change (any POST or DELETE) must be JSON from the page's own origin, which a
form or a script on another site cannot send. Its HTML holds no credential: the
"copy credentials" action fetches them when clicked.

XChat conversations are shown decrypted where the emulator holds the users'
keys (``add_user(xchat=True)``): an emulator-only view, as X itself never can.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import pathlib
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Callable, Optional
from urllib.parse import urlsplit

from tweepy_dm import _facts
from tweepy_dm.emulator._errors import PROBLEMS, Problem
from tweepy_dm.emulator._table import NO_TOKEN, Row
from tweepy_dm.emulator._webhooks import is_loopback
from tweepy_dm.emulator._wire import HTTPResponse

#: Where the page's files are, in the package.
STATIC = pathlib.Path(__file__).with_name("_web")
#: The files ``GET /_emulator/static/{name}`` serves, with their media types.
STATIC_FILES: Mapping[str, str] = {
    "app.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
}
HTML = "text/html; charset=utf-8"
EVENT_STREAM = "text/event-stream; charset=utf-8"

#: Real seconds between the event stream's looks at the emulator's state.
POLL_SECONDS = 0.25
#: Real seconds between the event stream's keep-alive comments.
KEEP_ALIVE_SECONDS = 15.0
#: The newest messages of each conversation the page shows.
MESSAGES_SHOWN = 50
#: The newest webhook deliveries the page shows.
DELIVERIES_SHOWN = 50
#: The longest step the clock button takes, in seconds (a year).
MAX_CLOCK_STEP = 366 * 24 * 60 * 60
#: Decrypted XChat texts remembered, by envelope (envelopes never change).
DECRYPTED_KEPT = 10_000
#: Statuses a fault button may inject (``None``: drop the connection).
FAULT_STATUSES = (400, 401, 403, 404, 429, 500, 502, 503, 504)

# The security headers of every page answer: no framing (clickjacking of the
# back doors), no sniffing, nothing loaded from elsewhere.
_PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    ),
}


class ShiftableClock:
    """The emulator's clock: the given one, plus what the page's clock buttons added."""

    def __init__(self, base: Callable[[], float]) -> None:
        self.base = base
        self.shift = 0.0

    def __call__(self) -> float:
        return self.base() + self.shift


def normalize_networks(networks: Any) -> tuple[Any, ...]:
    """``inbox_from`` as IP networks, or a TypeError/ValueError naming what was wrong."""
    if isinstance(networks, (str, bytes)) or not isinstance(networks, Iterable):
        raise TypeError(
            "inbox_from must be a list of IP addresses or networks, such as "
            f"['192.168.1.0/24'], not {networks!r}"
        )
    found = []
    for network in networks:
        try:
            if not isinstance(network, str):
                raise ValueError
            found.append(ipaddress.ip_network(network.strip(), strict=False))
        except ValueError:
            raise ValueError(
                "inbox_from takes IP addresses or networks, such as '192.168.1.20' or "
                f"'192.168.1.0/24' ('0.0.0.0/0' for any IPv4 address), not {network!r}"
            ) from None
    return tuple(found)


class Inbox:
    """What the page sees of one emulator and may do to it (thread-safe).

    ``emulator`` is the :class:`~tweepy_dm.emulator.DMEmulator`, whose public back
    doors the page pulls; ``xchat`` its users' XChat identities, by user id.
    """

    def __init__(
        self,
        emulator: Any,
        clock: ShiftableClock,
        xchat: Mapping[int, Any],
        networks: tuple[Any, ...] = (),
    ) -> None:
        self.emulator = emulator
        self.clock = clock
        self.xchat = xchat
        #: Where callers besides loopback may use the page (from :func:`normalize_networks`).
        self.networks = networks
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._decrypted: OrderedDict[str, Optional[str]] = OrderedDict()

    def close(self) -> None:
        """End the event streams: the emulator is closing."""
        self._closed.set()

    def advance(self, seconds: int) -> None:
        """Move the emulator's clock ``seconds`` ahead (two clicks at once move it twice)."""
        with self._lock:
            self.clock.shift += seconds

    def allows(self, peer: str) -> bool:
        """Whether a caller at ``peer`` (an IP address) may use the page."""
        try:
            address = ipaddress.ip_address(peer.split("%", 1)[0])
        except ValueError:
            return False
        mapped = getattr(address, "ipv4_mapped", None)
        if mapped is not None:  # ::ffff:127.0.0.1 on a dual-stack socket
            address = mapped
        if address.is_loopback:
            return True
        return any(address in network for network in self.networks)

    # What the page shows

    def state(self, app: Any) -> dict[str, Any]:
        """Everything the page shows, as JSON (ids as strings: JavaScript's numbers
        cannot hold a snowflake)."""
        backend, chat, hub = app.backend, app.chat, app.webhooks
        users = []
        conversations: dict[str, list[dict[str, Any]]] = {}
        for user in app.store.all_users():
            user_id = user.id
            users.append(
                {
                    "id": str(user_id),
                    "username": user.username,
                    "name": user.name,
                    "xchat": user_id in self.xchat,
                    "budgets": self._budgets(app, user_id),
                }
            )
            mine = self._dm_conversations(backend, user_id) + self._chat_conversations(
                chat, user_id
            )
            mine.sort(key=lambda item: item["updated_at"], reverse=True)
            conversations[str(user_id)] = mine
        deliveries = hub.deliveries()[-DELIVERIES_SHOWN:]
        return {
            "url": app.base_url,
            "now": self.clock(),
            "clock_shift": self.clock.shift,
            "legacy_dms": backend.legacy_dms,
            "rate_limits": app.limiter.enforcing,
            "pending_faults": self.emulator.pending_faults,
            "users": users,
            "conversations": conversations,
            "deliveries": [_delivery(item) for item in reversed(deliveries)],
        }

    def _budgets(self, app: Any, user_id: int) -> list[dict[str, Any]]:
        return [
            {"endpoint": endpoint, "limit": limit, "remaining": remaining, "reset": reset}
            for endpoint, (limit, remaining, reset) in sorted(
                app.limiter.budgets(str(user_id)).items()
            )
        ]

    def _dm_conversations(self, backend: Any, user_id: int) -> list[dict[str, Any]]:
        events = backend.events(
            user_id,
            None,
            event_types=_facts.EVENT_TYPES,
            older_than=None,
            newer_than=None,
            limit=MESSAGES_SHOWN * 10,
        )
        found: dict[str, dict[str, Any]] = {}
        for event in events:  # newest first
            conversation = found.get(event.conversation_id)
            if conversation is None:
                conversation = found[event.conversation_id] = {
                    "id": event.conversation_id,
                    "kind": "dm",
                    "members": [str(item) for item in backend.participants(event.conversation_id)],
                    "updated_at": event.created_at,
                    "messages": [],
                }
            if len(conversation["messages"]) < MESSAGES_SHOWN:
                conversation["messages"].append(
                    {
                        "id": str(event.id),
                        "type": event.event_type,
                        "sender_id": str(event.sender_id),
                        "text": event.text,
                        "created_at": event.created_at,
                    }
                )
        for conversation in found.values():
            conversation["messages"].reverse()
        return list(found.values())

    def _chat_conversations(self, chat: Any, user_id: int) -> list[dict[str, Any]]:
        found = []
        requests = {
            item.id
            for inbox in _facts.CHAT_REQUEST_INBOXES
            for item, _ in chat.message_requests(user_id, inbox, 0, MESSAGES_SHOWN * 10)[0]
        }
        listed = chat.conversations(user_id)
        listed += [item for item in map(chat.find, sorted(requests)) if item is not None]
        for conversation in listed:
            _, events, _ = chat.events(user_id, conversation.id, None, MESSAGES_SHOWN)
            events = [event for event in reversed(events) if event.kind == "message"]
            texts = self._decrypt(chat, user_id, conversation, events)
            found.append(
                {
                    "id": conversation.path_id,
                    "kind": "xchat",
                    "members": [str(item) for item in conversation.members],
                    "updated_at": conversation.updated_at,
                    "decrypted": user_id in self.xchat,
                    "request": conversation.id in requests,
                    "messages": [
                        {
                            "id": event.message_id,
                            "type": "MessageCreate",
                            "sender_id": str(event.sender_id),
                            "text": texts.get(event.encoded),
                            "ciphertext": event.encoded,
                            "created_at": event.created_at,
                        }
                        for event in events
                    ],
                }
            )
        return found

    def _decrypt(
        self, chat: Any, user_id: int, conversation: Any, events: list[Any]
    ) -> dict[str, Optional[str]]:
        """The texts of ``events``, decrypted with ``user_id``'s keys if the emulator holds them."""
        identity = self.xchat.get(user_id)
        if identity is None or not events:
            return {}
        with self._lock:
            known = {
                event.encoded: self._decrypted[event.encoded]
                for event in events
                if event.encoded in self._decrypted
            }
        missing = [event.encoded for event in events if event.encoded not in known]
        if missing:
            keys = [event.encoded for event in conversation.key_events()]
            try:
                sdk = identity.session(chat)
                try:
                    result = sdk.decrypt_events(keys + missing)
                finally:
                    sdk.lock()
            except Exception:  # a message the SDK refuses stays shown as ciphertext
                result = {}
            texts = {
                item.get("original_b64"): ((item.get("event") or {}).get("content") or {}).get(
                    "text"
                )
                for item in result.get("messages", [])
            }
            with self._lock:
                for encoded in missing:
                    known[encoded] = self._decrypted[encoded] = texts.get(encoded)
                while len(self._decrypted) > DECRYPTED_KEPT:
                    self._decrypted.popitem(last=False)
        return known

    def stamp(self, app: Any) -> str:
        """A digest of the state, less the clock's ticking: a change changes it."""
        state = self.state(app)
        state.pop("now")
        text = json.dumps(state, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def changes(self, app: Any) -> Iterator[bytes]:
        """The event stream: a ``change`` event whenever the state changes, as SSE frames,
        until the emulator closes.

        An empty item between looks lets the server notice a page that was closed.
        """
        yield sse_frame(None, retry=1000)
        last = None
        quiet = 0.0
        while not self._closed.is_set():
            try:
                stamp = self.stamp(app)
            except sqlite3.ProgrammingError:  # the emulator closed its database meanwhile
                return
            if stamp != last:
                last = stamp
                quiet = 0.0
                yield sse_frame({"stamp": stamp}, event="change", id=stamp)
            elif quiet >= KEEP_ALIVE_SECONDS:
                quiet = 0.0
                yield b": keep-alive\n\n"
            else:
                yield b""
            self._closed.wait(POLL_SECONDS)
            quiet += POLL_SECONDS


def sse_frame(
    data: Any, *, event: Optional[str] = None, id: Optional[str] = None, retry: Optional[int] = None
) -> bytes:
    """One server-sent event: ``data`` as one line of compact JSON (never a bare newline)."""
    lines = []
    if event is not None:
        lines.append(f"event: {event}")
    if id is not None:
        lines.append(f"id: {id}")
    if retry is not None:
        lines.append(f"retry: {retry}")
    if data is not None:
        # json.dumps escapes every newline inside strings: one data line.
        lines.append("data: " + json.dumps(data, separators=(",", ":")))
    return ("\n".join(lines) + "\n\n").encode()


def _delivery(attempt: Any) -> dict[str, Any]:
    try:
        body = json.loads(attempt.body)
    except ValueError:
        body = base64.b64encode(attempt.body).decode()
    return {
        "webhook_id": attempt.webhook_id,
        "kind": attempt.kind,
        "event_uuid": attempt.event_uuid,
        "attempt": attempt.attempt,
        "replay": attempt.replay,
        "status": attempt.status,
        "error": attempt.error,
        "delivered": attempt.delivered,
        "at": attempt.at,
        "body": body,
    }


# The guards

_REFUSED = PROBLEMS + "not-authorized-for-resource"


_TITLES = {400: "Invalid Request", 403: "Forbidden", 415: "Unsupported Media Type"}


def _refused(detail: str, status: int = 403) -> Problem:
    return Problem(status, _TITLES[status], detail, _REFUSED)


def _host_allowed(host: str) -> bool:
    name = urlsplit("//" + host).hostname or ""
    if is_loopback(name) or name.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _inbox(app: Any, context: Any) -> Inbox:
    """The emulator's :class:`Inbox`, once the request passed the page's guards."""
    inbox: Optional[Inbox] = app.inbox
    if inbox is None:
        raise Problem(404, "Not Found Error", "This emulator has no inbox page.", _REFUSED)
    request = context.request
    if not inbox.allows(request.peer):
        raise _refused(
            f"The emulator's inbox page answers only on loopback, not {request.peer or 'this'} "
            "caller; allow other addresses with DMEmulator(inbox_from=[...]) or "
            "`tweepy-dm emulator --inbox-from NETWORK`."
        )
    host = request.headers.get("Host") or ""
    if not _host_allowed(host):
        raise _refused(
            f"The emulator's inbox page answers only a Host that is an IP address or "
            f"localhost, not {host!r}: open it at its address."
        )
    if request.method != "GET":
        origin = request.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc != host:
            raise _refused(f"A change must come from the page itself, not from {origin!r}.")
        content_type = (request.headers.get("Content-Type") or "").split(";")[0].strip()
        if content_type != "application/json":
            raise _refused(
                f"A change takes a JSON body (Content-Type: application/json), "
                f"not {content_type or 'none'}.",
                415,
            )
    return inbox


def _body(context: Any, allowed: Mapping[str, type]) -> dict[str, Any]:
    """The request's JSON object, its fields checked against ``allowed`` (name: type)."""
    try:
        body = json.loads(context.request.body or b"{}")
    except ValueError:
        raise _refused("The body is not valid JSON.", 400) from None
    if not isinstance(body, dict):
        raise _refused("The body must be a JSON object.", 400)
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise _refused(
            f"Unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}.", 400
        )
    for name, kind in allowed.items():
        value = body.get(name)
        if value is not None and (
            not isinstance(value, kind) or (kind is int and isinstance(value, bool))
        ):
            raise _refused(f"{name} must be a {kind.__name__}, not {value!r}.", 400)
    return body


def _answer(payload: Any, status: int = 200) -> tuple[int, Any, dict[str, str]]:
    return status, payload, dict(_PAGE_HEADERS)


def _file(name: str, content_type: str) -> HTTPResponse:
    return HTTPResponse(200, (STATIC / name).read_bytes(), content_type, dict(_PAGE_HEADERS))


# The routes: (app, context, **path_params), registered in _routes.


def page(app: Any, context: Any) -> Any:
    """``GET /``: the inbox page (it holds no credential)."""
    _inbox(app, context)
    return _file("index.html", HTML)


def static(app: Any, context: Any, name: str) -> Any:
    """``GET /_emulator/static/{name}``: the page's script and style sheet."""
    _inbox(app, context)
    content_type = STATIC_FILES.get(name)
    if content_type is None:
        raise Problem(404, "Not Found Error", f"No file {name!r}.", PROBLEMS + "resource-not-found")
    return _file(name, content_type)


def state(app: Any, context: Any) -> Any:
    """``GET /_emulator/state``: everything the page shows."""
    return _answer(_inbox(app, context).state(app))


def events(app: Any, context: Any) -> Any:
    """``GET /_emulator/events``: a ``change`` server-sent event whenever the state changes."""
    inbox = _inbox(app, context)
    return HTTPResponse(200, inbox.changes(app), EVENT_STREAM, dict(_PAGE_HEADERS))


def credentials(app: Any, context: Any, id: str) -> Any:
    """``GET /_emulator/users/{id}/credentials``: a user's credentials, asked for by a click."""
    inbox = _inbox(app, context)
    try:
        found = inbox.emulator.credentials(id)
    except (KeyError, ValueError, TypeError):
        raise Problem(
            404, "Not Found Error", f"No user {id!r}.", PROBLEMS + "resource-not-found"
        ) from None
    return _answer({**found, "api_url": app.base_url})


def send(app: Any, context: Any) -> Any:
    """``POST /_emulator/messages``: send as any user.

    ``{"sender_id", "conversation_id" or "recipient_id", "text", "kind"}``: kind
    ``"dm"`` (the default) sends a legacy DM by X's rules, ``"xchat"`` an
    encrypted one, as the sender's XChat client would (``DMEmulator.send_chat``).
    """
    inbox = _inbox(app, context)
    body = _body(
        context,
        {"sender_id": str, "conversation_id": str, "recipient_id": str, "text": str, "kind": str},
    )
    sender, text, kind = body.get("sender_id"), body.get("text"), body.get("kind") or "dm"
    if not sender or not sender.isdigit():
        raise _refused(f"sender_id must be a user id (digits), not {sender!r}.", 400)
    if not text or not text.strip():
        raise _refused("text must be a non-empty string.", 400)
    if kind not in ("dm", "xchat"):
        raise _refused(f"kind must be dm or xchat, not {kind!r}.", 400)
    conversation, recipient = body.get("conversation_id"), body.get("recipient_id")
    if (conversation is None) == (recipient is None):
        raise _refused("Give one of conversation_id and recipient_id.", 400)
    if recipient is not None and not recipient.isdigit():
        raise _refused(f"recipient_id must be a user id (digits), not {recipient!r}.", 400)
    if app.store.user(int(sender)) is None:
        raise _refused(f"No user {sender}.", 400)
    if kind == "xchat":
        try:
            message_id = inbox.emulator.send_chat(sender, conversation or recipient, text)
        except KeyError:
            raise _refused(
                f"User {sender} has no XChat keys in the emulator (add_user(xchat=True)).", 400
            ) from None
        except (ValueError, TypeError, ImportError) as error:
            raise _refused(f"The XChat message was refused: {error}", 400) from None
        return _answer({"kind": kind, "id": message_id}, 201)
    if recipient is not None:
        canonical, event_id = app.backend.send_to_user(int(sender), int(recipient), text, None)
    else:
        canonical, event_id = app.backend.send_into(int(sender), conversation, text, None)
    return _answer({"kind": kind, "id": str(event_id), "conversation_id": canonical}, 201)


def add_fault(app: Any, context: Any) -> Any:
    """``POST /_emulator/faults``: ``{"status"|"drop", "path", "method", "count"}``."""
    inbox = _inbox(app, context)
    body = _body(context, {"status": int, "drop": bool, "path": str, "method": str, "count": int})
    drop = bool(body.get("drop"))
    status = body.get("status")
    if not drop and status not in FAULT_STATUSES:
        raise _refused(
            f"status must be one of {', '.join(map(str, FAULT_STATUSES))} "
            f"(or drop: true), not {status!r}.",
            400,
        )
    path = body.get("path") or ""
    if not path.startswith("/2/"):
        # The page's own paths must not fail: it would lose its way to clear the fault.
        raise _refused(f"path must be one of X's, starting with /2/, not {path!r}.", 400)
    method = (body.get("method") or "").upper() or None
    if method is not None and method not in ("GET", "POST", "PUT", "DELETE"):
        raise _refused(f"method must be GET, POST, PUT or DELETE, not {method!r}.", 400)
    count = body.get("count", 1)
    if not 1 <= count <= 100:
        raise _refused(f"count must be 1 to 100, not {count}.", 400)
    inbox.emulator.inject_fault(
        None if drop else status, count=count, path=path, method=method, drop=drop
    )
    return _answer({"pending_faults": inbox.emulator.pending_faults}, 201)


def clear_faults(app: Any, context: Any) -> Any:
    """``DELETE /_emulator/faults``: forget the faults not used yet."""
    inbox = _inbox(app, context)
    inbox.emulator.clear_faults()
    return _answer({"pending_faults": 0})


def advance_clock(app: Any, context: Any) -> Any:
    """``POST /_emulator/clock``: ``{"advance": seconds}`` moves the emulator's clock forward."""
    inbox = _inbox(app, context)
    body = _body(context, {"advance": int})
    seconds = body.get("advance")
    if seconds is None or not 0 < seconds <= MAX_CLOCK_STEP:
        raise _refused(
            f"advance must be a whole number of seconds, 1 to {MAX_CLOCK_STEP}, not {seconds!r}.",
            400,
        )
    inbox.advance(seconds)
    return _answer({"now": inbox.clock(), "clock_shift": inbox.clock.shift})


def reset_rate_limits(app: Any, context: Any) -> Any:
    """``POST /_emulator/rate_limits/reset``: start every rate-limit window afresh."""
    inbox = _inbox(app, context)
    _body(context, {})
    inbox.emulator.reset_rate_limits()
    return _answer({"reset": True})


#: The page's routes: (endpoint, handler), all under ``/`` and ``/_emulator/``.
#: The page's rows of the route table: no token (the page guards itself, see :func:`_inbox`).
ROWS: tuple[Row, ...] = (
    Row("GET /", page, auth=NO_TOKEN),
    Row("GET /_emulator/static/{name}", static, auth=NO_TOKEN),
    Row("GET /_emulator/state", state, auth=NO_TOKEN),
    Row("GET /_emulator/events", events, auth=NO_TOKEN),
    Row("GET /_emulator/users/{id}/credentials", credentials, auth=NO_TOKEN),
    Row("POST /_emulator/messages", send, auth=NO_TOKEN),
    Row("POST /_emulator/faults", add_fault, auth=NO_TOKEN),
    Row("DELETE /_emulator/faults", clear_faults, auth=NO_TOKEN),
    Row("POST /_emulator/clock", advance_clock, auth=NO_TOKEN),
    Row("POST /_emulator/rate_limits/reset", reset_rate_limits, auth=NO_TOKEN),
)

__all__ = ["ROWS", "Inbox", "ShiftableClock", "normalize_networks", "sse_frame"]
