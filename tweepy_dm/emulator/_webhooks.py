"""Webhooks in the emulator: registration, CRC checks, signed deliveries, retries, replay.

:class:`WebhookHub` keeps the app's webhooks (``/2/webhooks``) and the users
subscribed to them through the Account Activity API, and POSTs to each
webhook, from one background thread:

- the X Activity API envelopes of subscriptions that name a ``webhook_id``
  (the very line the stream sends, without its ``\\r\\n``), and
- Account Activity payloads (``for_user_id``, ``direct_message_events`` or
  ``direct_message_indicate_typing_events`` / ``direct_message_mark_read_events``,
  ``users`` in the v1.1 shape) for every subscribed participant of a DM event.

Every POST is signed as X signs (``x-twitter-webhooks-signature: sha256=`` and
the base64 HMAC-SHA256 of the body with the app's consumer secret). An answer
other than 2xx, or none within 10 seconds, is retried after each of
:attr:`WebhookHub.retry_delays` (real seconds; tests set them to 0), with the
very same body, so the same ``event_uuid``. Every event meant for a webhook is
kept (on the emulator's clock) for ``POST /2/webhooks/replay``, whether or not
it was delivered, as X keeps what it "delivered or attempted to deliver".

The CRC is a real ``GET url?crc_token=…``: at creation (a failing URL is not
registered), on ``PUT``, and every :data:`CRC_INTERVAL` seconds of the
emulator's clock. A wrong ``response_token``, a 3xx or a PUT that fails marks
the webhook invalid; a periodic check that fails with a 4xx, 5xx or no answer
counts as transient until the last success is :data:`CRC_GRACE` old. An
invalid webhook is sent nothing until a ``PUT`` passes.

The emulator accepts ``http://127.0.0.1:PORT/…`` and ``http://localhost:PORT/…``
besides X's HTTPS URLs without a port: they are the receivers a test runs. Being
offline, it registers (and so sends CRCs and signed DMs to) loopback hosts only
(127.0.0.0/8, ``::1``, ``localhost``) unless ``DMEmulator(webhook_hosts=...)``
names others. A receiver's answer is read up to :data:`MAX_ANSWER_BYTES`; an
answer the HTTP client cannot parse is a failed attempt, retried like any other.
The emulator keeps the last :data:`MAX_DELIVERY_HISTORY` attempts for
:meth:`WebhookHub.deliveries`, and for replay the events of the last 24 hours,
at most :data:`MAX_REPLAY_EVENTS`.
"""

from __future__ import annotations

import base64
import hashlib
import heapq
import hmac
import io
import ipaddress
import itertools
import json
import logging
import secrets
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from collections.abc import Iterable
from typing import Any, NamedTuple, Optional

from tweepy_dm import _facts
from tweepy_dm.emulator._activity import SIGNAL_KEYS, message_item, signal_item
from tweepy_dm.emulator._backend import Invalid, NotFound, NotPermitted
from tweepy_dm.emulator._events import ActivityDelivered, DMSignal, EventBus, MessageStored
from tweepy_dm.emulator._render import timestamp
from tweepy_dm.emulator._state import EmulatorDB

#: How often X re-checks a webhook with a CRC, in seconds of the emulator's clock.
CRC_INTERVAL = 60 * 60
#: How long transient CRC failures (4xx, 5xx, no answer) are tolerated: X's 28 hours.
CRC_GRACE = 28 * 60 * 60
#: Waits before each retry of a failed delivery, in real seconds (X: three retries).
RETRY_DELAYS = (5.0, 30.0, 120.0)
#: How long the delivery thread naps when it has nothing due.
POLL_SECONDS = 0.05
#: The most events one replay re-sends (the emulator's bound, not X's).
MAX_REPLAY_EVENTS = 100_000
#: The most of a receiver's answer read (a CRC answer is a few dozen bytes).
MAX_ANSWER_BYTES = 64 * 1024
#: How many attempts :meth:`WebhookHub.deliveries` keeps, the oldest forgotten first.
MAX_DELIVERY_HISTORY = 10_000
SIGNATURE_HEADER = "x-twitter-webhooks-signature"
_FIRST_WEBHOOK_ID = 1_800_000_000_000_000_000
_TABLE = "webhooks"

log = logging.getLogger("tweepy_dm.emulator")


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a URL's host name) is this machine: 127.0.0.0/8, ``::1``, localhost."""
    host = host.lower().removesuffix(".")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def normalize_hosts(hosts: Any) -> frozenset[str]:
    """``webhook_hosts`` as lower-case names without a trailing dot, or a TypeError/ValueError."""
    if isinstance(hosts, (str, bytes)) or not isinstance(hosts, Iterable):
        raise TypeError(
            f"webhook_hosts must be a list of host names, such as ['abc.ngrok.app'], not {hosts!r}"
        )
    names = []
    for host in hosts:
        if not isinstance(host, str) or not host.strip(". ") or "/" in host or ":" in host:
            raise ValueError(
                "webhook_hosts takes host names without a scheme, port or path, such as "
                f"'abc.ngrok.app', not {host!r}"
            )
        names.append(host.strip().lower().removesuffix("."))
    return frozenset(names)


class CrcFailed(Exception):
    """The webhook's URL did not answer the CRC as X expects."""

    def __init__(self, reason: str, transient: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient


class Webhook(NamedTuple):
    id: int
    url: str
    valid: bool
    created_at: float
    last_valid_at: float  # emulator clock of the last CRC passed
    last_check_at: float  # emulator clock of the last CRC tried

    def data(self, fields: Optional[Iterable[str]] = None) -> dict[str, Any]:
        """The webhook as ``GET /2/webhooks`` gives it (``id`` always)."""
        every = {
            "id": str(self.id),
            "url": self.url,
            "valid": self.valid,
            "created_at": timestamp(self.created_at),
        }
        wanted = set(fields or every) | {"id"}
        return {name: value for name, value in every.items() if name in wanted}


class Attempt(NamedTuple):
    """One POST to a webhook (or one the emulator did not make: ``status`` None)."""

    webhook_id: str
    kind: str  # "activity", "account_activity" or "replay_job_status"
    body: bytes
    event_uuid: Optional[str]
    attempt: int  # 1 for the first try, 2.. for retries
    replay: bool
    status: Optional[int]  # the receiver's HTTP status; None: no answer or not sent
    error: Optional[str]
    at: float  # emulator clock

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    def json(self) -> Any:
        return json.loads(self.body)


class _Job(NamedTuple):
    webhook_id: int
    kind: str
    body: bytes
    event_uuid: Optional[str]
    attempt: int
    replay: bool
    job_id: Optional[str] = None  # a replay's last job announces its end


class _Stored(NamedTuple):
    at: float
    webhook_id: int
    kind: str
    body: bytes
    event_uuid: Optional[str]


def sign(consumer_secret: str, body: bytes) -> str:
    """X's signature of a body (and the CRC's ``response_token``)."""
    digest = hmac.new(consumer_secret.encode("utf-8"), body, hashlib.sha256).digest()
    return "sha256=" + base64.b64encode(digest).decode("ascii")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 3xx is an answer to judge, not a place to go


_OPENER = urllib.request.build_opener(_NoRedirect)


def _read_answer(response: Any, timeout: float) -> bytes:
    """At most :data:`MAX_ANSWER_BYTES` of an answer, for at most about ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    parts: list[bytes] = []
    size = 0
    while size < MAX_ANSWER_BYTES and time.monotonic() < deadline:
        part = response.read1(MAX_ANSWER_BYTES - size)
        if not part:
            break
        parts.append(part)
        size += len(part)
    return b"".join(parts)


def _call_wsgi(app: Any, request: urllib.request.Request) -> tuple[int, bytes]:
    """What a WSGI server would answer to ``request`` with ``app``: status and answer."""
    parts = urllib.parse.urlsplit(request.full_url)
    body = request.data if isinstance(request.data, bytes) else b""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": request.get_method(),
        "SCRIPT_NAME": "",
        "PATH_INFO": urllib.parse.unquote(parts.path, "latin-1") or "/",
        "QUERY_STRING": parts.query,
        "SERVER_NAME": parts.hostname or "localhost",
        "SERVER_PORT": str(parts.port or 80),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": parts.scheme or "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in request.header_items():
        key = name.upper().replace("-", "_")
        if key == "CONTENT_TYPE":
            environ[key] = value
        else:
            environ[f"HTTP_{key}"] = value
    started: list[str] = []

    def start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
        started[:] = [status]
        return lambda data: None

    try:
        answer = app(environ, start_response)
        try:
            data = b"".join(answer)
        finally:
            close = getattr(answer, "close", None)
            if close is not None:
                close()
    except Exception:  # as a WSGI server does: a failing app answers 500
        log.exception("The in-process webhook receiver at %s failed", request.full_url)
        return 500, b""
    return int(started[0].split(" ", 1)[0]), data[:MAX_ANSWER_BYTES]


class WebhookHub:
    """The app's webhooks, its Account Activity subscriptions and its deliveries (thread-safe).

    The back door of :attr:`DMEmulator.webhooks <tweepy_dm.emulator.DMEmulator.webhooks>`.

    .. versionadded:: 0.2

    Attributes
    ----------
    retry_delays : tuple[float, ...]
        Real seconds before each retry of a failed delivery; one retry per
        item (X's three by default). Tests set ``(0.0, 0.0, 0.0)``.
    timeout : float
        Seconds a receiver has to answer a CRC or a POST (X's 10).
    max_webhooks, max_subscriptions : int
        X's limits of the pay-per-use tier (1 webhook, 3 Account Activity
        subscriptions); raise them for tests that need more.
    hosts : frozenset[str]
        Host names besides loopback ones that webhooks may be at
        (``DMEmulator(webhook_hosts=...)``).
    """

    def __init__(
        self, store: EmulatorDB, hosts: Iterable[str] = (), bus: Optional[EventBus] = None
    ) -> None:
        self.store = store
        #: Hosts besides loopback ones that webhooks may be registered at.
        self.hosts = normalize_hosts(hosts)
        self.retry_delays: tuple[float, ...] = RETRY_DELAYS
        self.timeout = _facts.WEBHOOK_TIMEOUT_SECONDS
        self.max_webhooks = _facts.MAX_WEBHOOKS
        self.max_subscriptions = _facts.MAX_ACCOUNT_ACTIVITY_SUBSCRIPTIONS
        self._condition = threading.Condition()
        # Kept in the store too, so that an emulator with a database file
        # keeps them across a restart (deliveries and their history are not).
        self._webhooks: dict[int, Webhook] = {
            row[0]: Webhook(row[0], row[1], bool(row[2]), *row[3:]) for row in store.rows(_TABLE)
        }
        # webhook id -> user ids, in order
        self._subscribers: dict[int, list[int]] = {key: [] for key in self._webhooks}
        self._subscribers.update(store.subscribers())
        self._queue: list[tuple[float, int, _Job]] = []  # (due, order, job), a heap
        self._order = itertools.count()
        self._busy = 0
        self._attempts: deque[Attempt] = deque(maxlen=MAX_DELIVERY_HISTORY)
        self._history: deque[_Stored] = deque(maxlen=MAX_REPLAY_EVENTS)
        self._replaying: set[int] = set()
        self._thread: Optional[threading.Thread] = None
        self._closed = False
        self._in_process: dict[str, Any] = {}  # URL (no query) -> WSGI app
        if bus is not None:
            bus.subscribe(ActivityDelivered, self._on_activity)
            bus.subscribe(MessageStored, self._on_message)
            bus.subscribe(DMSignal, self._on_signal)

    def now(self) -> float:
        return self.store.clock()

    def _secret(self) -> str:
        return str(self.store.app["consumer_secret"])

    # The CRC

    def host_problem(self, url: str) -> Optional[str]:
        """Why the emulator will not send to ``url`` (None if it will): it is not loopback."""
        try:
            host = (urllib.parse.urlsplit(url).hostname or "").lower().removesuffix(".")
        except ValueError:
            return "is not a valid URL"
        if is_loopback(host) or host in self.hosts:
            return None
        return (
            f"host [{host}] is not this machine: the emulator sends CRCs and events only to "
            "127.0.0.0/8, ::1 and localhost, or to the hosts DMEmulator(webhook_hosts=[...]) "
            "names"
        )

    def crc(self, url: str) -> None:
        """Send a CRC to ``url``; :class:`CrcFailed` says why it did not pass."""
        refused = self.host_problem(url)
        if refused is not None:
            raise CrcFailed(f"not sent: the url's {refused}", transient=False)
        token = secrets.token_urlsafe(24)
        separator = "&" if urllib.parse.urlsplit(url).query else "?"
        request = urllib.request.Request(
            f"{url}{separator}crc_token={urllib.parse.quote(token)}",
            headers={"User-Agent": "tweepy-dm emulator (CRC)"},
        )
        try:
            status, body = self._exchange(request)
        # Not only OSError: a malformed answer raises http.client's own errors.
        except Exception as error:
            raise CrcFailed(f"no valid answer from {url}: {error!r}", transient=True) from None
        if 300 <= status < 400:
            raise CrcFailed(f"{url} answered the CRC with a redirect ({status})", False)
        if not 200 <= status < 300:
            raise CrcFailed(f"{url} answered the CRC with {status}", transient=True)
        try:
            answer = json.loads(body)
        except (ValueError, RecursionError):  # not JSON, or nested too deeply to parse
            answer = None
        expected = sign(self._secret(), token.encode("ascii"))
        got = answer.get("response_token") if isinstance(answer, dict) else None
        if not isinstance(got, str) or not hmac.compare_digest(got, expected):
            raise CrcFailed(
                f"{url} answered the CRC without the right response_token "
                "(HMAC-SHA256 of crc_token with the app's consumer secret)",
                transient=False,
            )

    def _check(self, webhook: Webhook, *, strict: bool) -> Webhook:
        """Run a CRC and record its outcome (a strict check fails on any failure)."""
        now = self.now()
        try:
            self.crc(webhook.url)
        except CrcFailed as failure:
            grace_over = now - webhook.last_valid_at > CRC_GRACE
            valid = webhook.valid and failure.transient and not strict and not grace_over
            updated = webhook._replace(valid=valid, last_check_at=now)
        else:
            updated = webhook._replace(valid=True, last_valid_at=now, last_check_at=now)
        with self._condition:
            if webhook.id in self._webhooks:
                self.store.save_row(_TABLE, updated)
                self._webhooks[webhook.id] = updated
        return updated

    def check_due(self) -> int:
        """Back door: run the CRC of every webhook whose periodic check is due now.

        The delivery thread does this by itself on the emulator's clock; a test
        that moves a fake clock can call it to have it done at once.

        Returns
        -------
        int
            How many webhooks were checked.
        """
        with self._condition:
            due = [hook for hook in self._webhooks.values() if self._due(hook)]
        for webhook in due:
            self._check(webhook, strict=False)
        return len(due)

    def _due(self, webhook: Webhook) -> bool:
        return self.now() - webhook.last_check_at >= CRC_INTERVAL

    # Webhooks

    def create(self, url: str) -> Webhook:
        problem = _facts.webhook_url_problem(url)
        if problem is not None:
            # A URL with a password in it is a secret: not echoed back.
            raise Invalid(f"The url {problem}.", "url", "" if "@" in url else url)
        refused = self.host_problem(url)
        if refused is not None:
            raise Invalid(f"The url's {refused}.", "url", url)
        with self._condition:
            if any(hook.url == url for hook in self._webhooks.values()):
                raise Invalid(f"A webhook with the url [{url}] exists already.", "url", url)
            if len(self._webhooks) >= self.max_webhooks:
                raise NotPermitted(
                    f"The app has {len(self._webhooks)} webhook(s), the most its tier allows "
                    f"({self.max_webhooks})."
                )
        try:
            self.crc(url)
        except CrcFailed as failure:
            raise Invalid(f"CrcValidationFailed: {failure.reason}.", "url", url) from None
        now = self.now()
        with self._condition:
            webhook = Webhook(
                self.store.next_id("webhook", _FIRST_WEBHOOK_ID), url, True, now, now, now
            )
            self.store.save_row(_TABLE, webhook)
            self._webhooks[webhook.id] = webhook
            self._subscribers[webhook.id] = []
        self._start()
        return webhook

    def webhooks(self) -> list[Webhook]:
        with self._condition:
            return [self._webhooks[key] for key in sorted(self._webhooks)]

    def get(self, webhook_id: int) -> Webhook:
        with self._condition:
            found = self._webhooks.get(webhook_id)
        if found is None:
            raise NotFound("webhook", "webhook_id", str(webhook_id))
        return found

    def validate(self, webhook_id: int) -> bool:
        """X's PUT: a CRC now; the webhook is valid again only if it passes."""
        return self._check(self.get(webhook_id), strict=True).valid

    def delete(self, webhook_id: int) -> None:
        with self._condition:
            if self._webhooks.pop(webhook_id, None) is None:
                raise NotFound("webhook", "webhook_id", str(webhook_id))
            self._subscribers.pop(webhook_id, None)
            self.store.delete_row(_TABLE, webhook_id)
            self.store.unsubscribe(webhook_id)

    def invalidate(self, webhook_id: int) -> None:
        """Back door: mark a webhook invalid, as a failed CRC would."""
        webhook = self.get(webhook_id)
        with self._condition:
            invalid = webhook._replace(valid=False)
            self.store.save_row(_TABLE, invalid)
            self._webhooks[webhook_id] = invalid

    # Account Activity subscriptions

    def subscribe(self, webhook_id: int, user_id: int) -> None:
        webhook = self.get(webhook_id)
        if not webhook.valid:
            raise Invalid(
                f"CrcValidationFailed: webhook [{webhook_id}] is not valid; "
                "PUT /2/webhooks/:webhook_id to validate it",
                "webhook_id",
                str(webhook_id),
            )
        with self._condition:
            users = self._subscribers.setdefault(webhook_id, [])
            if user_id in users:
                return  # subscribing twice changes nothing
            if self.subscription_count() >= self.max_subscriptions:
                raise NotPermitted(
                    f"The app has {self.max_subscriptions} Account Activity subscriptions, "
                    "the most its tier allows."
                )
            self.store.subscribe(webhook_id, user_id)
            users.append(user_id)

    def subscribed(self, webhook_id: int, user_id: int) -> bool:
        self.get(webhook_id)
        with self._condition:
            return user_id in self._subscribers.get(webhook_id, ())

    def subscribers(self, webhook_id: int) -> list[int]:
        self.get(webhook_id)
        with self._condition:
            return list(self._subscribers.get(webhook_id, ()))

    def unsubscribe(self, webhook_id: int, user_id: int) -> None:
        self.get(webhook_id)
        with self._condition:
            users = self._subscribers.get(webhook_id, [])
            if user_id not in users:
                raise NotFound("subscription", "user_id", str(user_id))
            self.store.unsubscribe(webhook_id, user_id)
            users.remove(user_id)

    def subscription_count(self) -> int:
        with self._condition:
            return sum(len(users) for users in self._subscribers.values())

    # What the Activity API hub announces

    def _on_activity(self, delivered: ActivityDelivered) -> None:
        """An Activity API envelope for a subscription that names a webhook."""
        line = delivered.line
        try:
            number = int(delivered.webhook_id)
            uuid = json.loads(line)["data"].get("event_uuid")
        except (ValueError, KeyError, TypeError, AttributeError):
            return
        self._enqueue(number, "activity", line.rstrip(b"\r\n"), uuid)

    def _on_message(self, stored: MessageStored) -> None:
        if not self._has_subscribers():
            return
        event = stored.event
        participants = self.store.participants(event.conversation_id)
        others = [user_id for user_id in participants if user_id != event.sender_id]
        item = message_item(self.store, event, others, stored.base_url)
        self._account_activity("direct_message_events", participants, item, participants)

    def _on_signal(self, signal: DMSignal) -> None:
        if not self._has_subscribers():
            return
        others = [other for other in signal.participants if other != signal.user_id]
        for other in others:
            item = signal_item(self.now(), signal, other, others)
            key = SIGNAL_KEYS[signal.event_type]
            self._account_activity(key, [other], item, signal.participants)

    def _has_subscribers(self) -> bool:
        with self._condition:
            return any(self._subscribers.values())

    def _account_activity(
        self, key: str, user_ids: Iterable[int], item: dict[str, Any], participants: Iterable[int]
    ) -> None:
        """A DM event (under ``key``) for each subscribed user among ``user_ids``."""
        wanted = set(user_ids)
        with self._condition:
            targets = [
                (webhook_id, user_id)
                for webhook_id, subscribed in self._subscribers.items()
                for user_id in subscribed
                if user_id in wanted
            ]
        if not targets:
            return
        users = v1_users(self.store, participants)
        for webhook_id, user_id in targets:
            payload = {"for_user_id": str(user_id), key: [item], "users": users}
            body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
            self._enqueue(webhook_id, "account_activity", body, None)

    def _enqueue(self, webhook_id: int, kind: str, body: bytes, uuid: Optional[str]) -> None:
        with self._condition:
            if webhook_id not in self._webhooks:
                return  # X drops events for a webhook that no longer exists
            now = self.now()
            # X replays at most the last 24 hours: older events need not be kept.
            while self._history and self._history[0].at < now - _facts.MAX_REPLAY_WINDOW_SECONDS:
                self._history.popleft()
            self._history.append(_Stored(now, webhook_id, kind, body, uuid))
            self._push(_Job(webhook_id, kind, body, uuid, 1, False), 0.0)
        # A webhook read back from the database has had no create() to start the sender.
        self._start()

    def _push(self, job: _Job, delay: float) -> None:
        # The caller holds the lock.
        heapq.heappush(self._queue, (time.monotonic() + delay, next(self._order), job))
        self._condition.notify_all()

    # Replay

    def replay(self, webhook_id: int, start: float, end: float) -> str:
        """Queue again every event meant for the webhook with ``start <= time < end``.

        X's window: both times past, ``start`` before ``end``, and within the last 24 hours.
        """
        now = self.now()
        for name, moment in (("from_date", start), ("to_date", end)):
            if moment > now:
                raise Invalid(
                    f"QueryParamInvalid: `{name}` is in the future", name, _minute(moment)
                )
        if start >= end:
            raise Invalid(
                "QueryParamInvalid: `from_date` is not before `to_date`",
                "from_date",
                _minute(start),
            )
        if now - start > _facts.MAX_REPLAY_WINDOW_SECONDS:
            raise Invalid(
                "QueryParamInvalid: `from_date` is older than 24 hours from the current time",
                "from_date",
                _minute(start),
            )
        webhook = self.get(webhook_id)
        if not webhook.valid:
            raise Invalid(
                f"CrcValidationFailed: webhook [{webhook_id}] is not valid",
                "webhook_id",
                str(webhook_id),
            )
        job_id = str(secrets.randbelow(10**18) + 10**18)
        with self._condition:
            if webhook_id in self._replaying:
                raise NotPermitted(
                    f"ReplayConflictError: a replay job is already running for webhook "
                    f"[{webhook_id}]."
                )
            events = [
                stored
                for stored in self._history
                if stored.webhook_id == webhook_id and start <= stored.at < end
            ][:MAX_REPLAY_EVENTS]
            self._replaying.add(webhook_id)
            for stored in events:
                self._push(
                    _Job(webhook_id, stored.kind, stored.body, stored.event_uuid, 1, True), 0
                )
            status = {
                "replay_job_status": {
                    "webhook_id": str(webhook_id),
                    "job_state": "Complete",
                    "job_state_description": "Job completed successfully",
                    "job_id": job_id,
                }
            }
            body = json.dumps(status, separators=(",", ":")).encode()
            self._push(_Job(webhook_id, "replay_job_status", body, None, 1, True, job_id), 0)
        self._start()
        return job_id

    # Deliveries

    def deliveries(
        self, webhook_id: Any = None, *, delivered: Optional[bool] = None
    ) -> list[Attempt]:
        """Back door: the POSTs made (and events held back), oldest first.

        The last :data:`MAX_DELIVERY_HISTORY` of them: older ones are forgotten.

        Parameters
        ----------
        webhook_id : int | str | None
            Only those for this webhook.
        delivered : bool | None
            Only the answered-2xx ones (True) or the others (False).
        """
        with self._condition:
            found = list(self._attempts)
        if webhook_id is not None:
            found = [item for item in found if item.webhook_id == str(webhook_id)]
        if delivered is not None:
            found = [item for item in found if item.delivered == delivered]
        return found

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Back door: wait until every queued POST (retries included) has been made.

        Retries wait :attr:`retry_delays` real seconds: set them to 0 in tests.

        Returns
        -------
        bool
            False if work was still pending after ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        with self._condition:
            while self._queue or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._condition.wait(min(left, POLL_SECONDS))
        return True

    def close(self) -> None:
        with self._condition:
            self._closed = True
            self._condition.notify_all()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(self.timeout + 1)

    def _start(self) -> None:
        with self._condition:
            if self._thread is not None or self._closed:
                return
            self._thread = threading.Thread(
                target=self._run, name="DMEmulator webhooks", daemon=True
            )
            self._thread.start()

    def _run(self) -> None:
        while True:
            with self._condition:
                if self._closed:
                    return
                job = None
                if self._queue and self._queue[0][0] <= time.monotonic():
                    job = heapq.heappop(self._queue)[2]
                    self._busy += 1
                else:
                    wait = self._queue[0][0] - time.monotonic() if self._queue else POLL_SECONDS
                    self._condition.wait(max(min(wait, POLL_SECONDS), 0.001))
            if job is None:
                try:
                    self.check_due()
                except Exception:  # a check must never stop the deliveries
                    pass
                continue
            try:
                self._deliver(job)
            except Exception:  # the thread serves every webhook: it must live on
                log.exception("The webhook delivery of a %s event failed", job.kind)
            finally:
                with self._condition:
                    self._busy -= 1
                    self._condition.notify_all()

    def _deliver(self, job: _Job) -> None:
        with self._condition:
            webhook = self._webhooks.get(job.webhook_id)
        if webhook is None:
            return
        status: Optional[int] = None
        error: Optional[str] = None
        refused = self.host_problem(webhook.url)
        if not webhook.valid:
            error = "not sent: the webhook is invalid (failed its CRC)"
        elif refused is not None:
            error = f"not sent: the url's {refused}"
        else:
            try:
                status, error = self._post(webhook.url, job.body)
            # Not only OSError: a malformed answer raises http.client's own errors.
            except Exception as failure:
                if job.attempt == 1:
                    log.warning("Webhook %s gave no valid answer: %r", job.webhook_id, failure)
                error = f"no valid answer: {failure!r}"
        attempt = Attempt(
            str(job.webhook_id), job.kind, job.body, job.event_uuid, job.attempt, job.replay,
            status, error, self.now(),
        )  # fmt: skip
        with self._condition:
            self._attempts.append(attempt)
            if not attempt.delivered and webhook.valid and job.attempt <= len(self.retry_delays):
                delay = self.retry_delays[job.attempt - 1]
                self._push(job._replace(attempt=job.attempt + 1), delay)
            elif job.job_id is not None:  # the replay's last POST is done
                self._replaying.discard(job.webhook_id)

    def serve_in_process(self, url: str, app: Any) -> None:
        """Back door: CRCs and deliveries to ``url`` call the WSGI ``app`` in this process.

        No socket and no server thread: the delivery thread calls ``app`` as a
        WSGI server would (an exception in it answers 500). The test kit's
        receiver (:class:`tweepy_dm.testing.DMChat`) is served so.

        .. versionadded:: 0.2
        """
        with self._condition:
            self._in_process[url.partition("?")[0]] = app

    def _exchange(self, request: urllib.request.Request) -> tuple[int, bytes]:
        """Send ``request``; its status and (the start of) its answer, whatever the status."""
        app = self._in_process.get(request.full_url.partition("?")[0])
        if app is not None:
            return _call_wsgi(app, request)
        try:
            with _OPENER.open(request, timeout=self.timeout) as response:
                return response.status, _read_answer(response, self.timeout)
        except urllib.error.HTTPError as error:
            error.close()
            return error.code, b""

    def _post(self, url: str, body: bytes) -> tuple[Optional[int], Optional[str]]:
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                SIGNATURE_HEADER: sign(self._secret(), body),
                "User-Agent": "tweepy-dm emulator (webhooks)",
            },
        )
        try:
            return self._exchange(request)[0], None  # only its status counts
        except (OSError, ValueError) as error:
            return None, f"no answer: {error}"


def _minute(moment: float) -> str:
    """A replay time as the request gave it (``yyyymmddhhmm``, UTC)."""
    return time.strftime("%Y%m%d%H%M", time.gmtime(moment))


def v1_users(store: EmulatorDB, user_ids: Iterable[int]) -> dict[str, Any]:
    """Account Activity's ``users`` map: v1.1 users by id."""
    users: dict[str, Any] = {}
    for user_id in user_ids:
        user = store.user(user_id)
        if user is not None:
            users[str(user.id)] = {
                "id": str(user.id),
                "name": user.name,
                "screen_name": user.username,
                "protected": False,
                "verified": False,
            }
    return users


__all__ = ["Attempt", "CrcFailed", "Webhook", "WebhookHub", "sign"]
