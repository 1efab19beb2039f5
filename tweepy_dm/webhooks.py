"""Receiving X's webhooks: the CRC answer, signatures, payloads and ready-made apps.

X delivers Activity API events (for subscriptions that name a ``webhook_id``)
and Account Activity API events by ``POST`` to a URL you register, each signed
with your app's consumer secret, and checks now and then with a ``GET
?crc_token=…`` (the Challenge-Response Check) that you hold that secret.

>>> from tweepy_dm import webhooks
>>> def on_event(event):
...     if event.event_type == "dm.received":
...         print(event.direct_message.text)
>>> app = webhooks.wsgi_app(CONSUMER_SECRET, on_event)  # doctest: +SKIP

:func:`wsgi_app` and :func:`asgi_app` need no web framework: mount them in
Flask, FastAPI/Starlette, or run them under any WSGI or ASGI server. With a
framework that cannot mount an app (Django), build a view on
:func:`crc_response`, :func:`verify_signature` and :func:`parse_webhook`.

X waits 10 seconds for an answer and retries a delivery that fails or times
out. By default the apps call your handler before answering, so that an
exception (answered 500) makes X deliver again: keep handlers well under 10
seconds, or pass ``background=True`` to answer at once and handle afterwards,
in which case an event whose handler fails is lost (at most once).

Duplicates (X's retries and replays, and one DM arriving by both the Activity
API and Account Activity) are dropped by ``event_uuid``, else by DM id. An
event counts as seen only once its handler returned. This memory is per
process and bounded: behind several processes or across restarts, dedupe in
your own storage as well, by the same keys.

.. versionadded:: 0.2
"""

from __future__ import annotations

import asyncio
import binascii
import concurrent.futures
import hashlib
import hmac
import inspect
import json
import logging
import threading
from collections.abc import Awaitable, Generator, Iterable
from http import HTTPStatus
from typing import Any, Callable, NamedTuple, Optional, Union
from urllib.parse import parse_qs

from tweepy_dm import _xchat_dm
from tweepy_dm._activity import ActivityEvent, dedupe_keys, loads, parse_activity
from tweepy_dm._dedupe import SeenKeys
from tweepy_dm._flow import Call, arun_flow, run_flow
from tweepy_dm._handler_threads import HandlerThreads

__all__ = [
    "SIGNATURE_HEADER",
    "asgi_app",
    "crc_response",
    "parse_webhook",
    "verify_signature",
    "wsgi_app",
]

log = logging.getLogger("tweepy_dm.webhooks")

#: The header X signs each delivery in.
SIGNATURE_HEADER = "x-twitter-webhooks-signature"
_SIGNATURE_HEADER = SIGNATURE_HEADER.encode("ascii")
#: Bodies larger than this are refused (413) unread, by default.
DEFAULT_MAX_BODY_SIZE = 1024 * 1024
#: Seconds X waits for an answer before it counts the delivery as failed.
X_TIMEOUT_SECONDS = 10

Handler = Callable[[ActivityEvent], Any]


def _key(consumer_secret: Union[str, bytes]) -> bytes:
    if isinstance(consumer_secret, str):
        consumer_secret = consumer_secret.encode("utf-8")
    if not isinstance(consumer_secret, bytes):
        raise TypeError(
            "consumer_secret must be the app's consumer secret (API key secret) as str or "
            f"bytes, not {type(consumer_secret).__name__}"
        )
    if not consumer_secret:
        raise ValueError("consumer_secret is empty: X signs with the app's API key secret")
    return consumer_secret


def _signature(digest: bytes) -> bytes:
    """X's form of an HMAC-SHA256 digest: ``sha256=`` and its base64."""
    return b"sha256=" + binascii.b2a_base64(digest, newline=False)


def _sign(key: bytes, message: bytes) -> str:
    return _signature(hmac.digest(key, message, "sha256")).decode("ascii")


class _Signer:
    """X's signatures under one key, keyed once.

    HMAC hashes the padded key before each message: a copy of a keyed HMAC
    skips that, which is about a third of the cost for a webhook body. The
    copy is of OpenSSL's own HMAC object where :mod:`hmac` has one: its
    Python wrapper's ``copy`` and ``digest`` cost as much again as the hashing.
    """

    __slots__ = ("_keyed",)

    def __init__(self, key: bytes) -> None:
        keyed = hmac.new(key, digestmod=hashlib.sha256)
        # The C object has the same copy/update/digest; without OpenSSL, the wrapper.
        self._keyed = getattr(keyed, "_hmac", None) or keyed

    def __repr__(self) -> str:  # the key stays out
        return "<webhook signer>"

    def sign(self, message: bytes) -> bytes:
        mac = self._keyed.copy()
        mac.update(message)
        return _signature(mac.digest())

    def verify(self, message: bytes, signature: Any) -> bool:
        """Whether ``signature`` (str or bytes, as the header came) signs ``message``."""
        return _matches(self.sign(message), signature)


def _matches(expected: bytes, signature: Any) -> bool:
    """Whether the header ``signature`` (str or bytes) is ``expected``, in constant time."""
    if isinstance(signature, str):
        try:
            given = signature.strip().encode("ascii")
        except UnicodeEncodeError:
            return False
    elif isinstance(signature, bytes):
        given = signature.strip()
    else:
        return False
    return hmac.compare_digest(expected, given)


def crc_response(consumer_secret: Union[str, bytes], crc_token: str) -> dict[str, str]:
    """The JSON body that answers X's Challenge-Response Check.

    .. versionadded:: 0.2

    Parameters
    ----------
    consumer_secret : str | bytes
        The app's consumer secret (API key secret); never a bearer or access token.
    crc_token : str
        The ``crc_token`` query parameter of X's ``GET``.

    Returns
    -------
    dict[str, str]
        ``{"response_token": "sha256=<base64 HMAC-SHA256 of crc_token>"}``,
        to send as JSON with status 200 within 10 seconds.

    Raises
    ------
    TypeError
        ``consumer_secret`` or ``crc_token`` has the wrong type.
    ValueError
        ``consumer_secret`` is empty.

    References
    ----------
    https://docs.x.com/x-api/webhooks/quickstart#2-the-crc-check
    """
    key = _key(consumer_secret)
    if not isinstance(crc_token, str):
        raise TypeError(f"crc_token must be a str, not {type(crc_token).__name__}")
    return {"response_token": _sign(key, crc_token.encode("utf-8"))}


def verify_signature(
    consumer_secret: Union[str, bytes], body: bytes, signature: Optional[str]
) -> bool:
    """Whether ``signature`` is X's signature of ``body``, compared in constant time.

    .. versionadded:: 0.2

    Parameters
    ----------
    consumer_secret : str | bytes
        The app's consumer secret (API key secret).
    body : bytes
        The request body exactly as received, before any JSON parsing.
    signature : str | None
        The ``x-twitter-webhooks-signature`` header (``sha256=<base64>``);
        None (no header) is never valid.

    Returns
    -------
    bool

    Raises
    ------
    TypeError
        ``body`` is not bytes (a parsed or re-encoded body cannot be checked).

    References
    ----------
    https://docs.x.com/x-api/webhooks/quickstart#signature-verification
    """
    key = _key(consumer_secret)
    if not isinstance(body, (bytes, bytearray, memoryview)):
        raise TypeError(f"body must be the raw request body as bytes, not {type(body).__name__}")
    return _matches(_sign(key, bytes(body)).encode("ascii"), signature)


def parse_webhook(body: Union[bytes, str, dict[str, Any]]) -> list[ActivityEvent]:
    """The events of one webhook delivery, of the Activity API or Account Activity.

    An Activity API delivery (the stream's ``{"data": {...}}`` envelope) is one
    event. An Account Activity payload gives one event per item: DMs as
    ``dm.received`` or ``dm.sent`` (by sender against ``for_user_id``),
    typing and read receipts as ``dm.indicate_typing`` and ``dm.read``, every
    other key (``follow_events``, ``tweet_create_events``, ``user_event``, …)
    as events of that name with the item untouched in ``payload``.

    .. versionadded:: 0.2

    Parameters
    ----------
    body : bytes | str | dict
        The request body (verify its signature first) or its parsed JSON.

    Returns
    -------
    list[ActivityEvent]

    Raises
    ------
    ValueError
        The body is not JSON, is nested too deeply, or is not a payload X sends.
    TypeError
        The JSON is not an object.

    References
    ----------
    https://docs.x.com/x-api/activity/event-payloads

    https://docs.x.com/x-api/account-activity/introduction#payload-examples
    """
    try:
        if isinstance(body, (bytes, bytearray, str)):
            try:
                body = loads(body)
            except ValueError as error:
                raise ValueError(f"the webhook body is not JSON: {error}") from None
        return parse_activity(body)
    except RecursionError:
        raise ValueError("the webhook body is nested too deeply to be an X payload") from None


class WebhookResponse(NamedTuple):
    status: int
    headers: list[tuple[str, str]]
    body: bytes = b""


def _text_reply(status: int, text: str = "", **headers: str) -> WebhookResponse:
    body = (text or HTTPStatus(status).phrase).encode() + b"\n"
    return WebhookResponse(
        status, [("Content-Type", "text/plain; charset=utf-8"), *headers.items()], body
    )


_OK = WebhookResponse(200, [("Content-Length", "0")])
#: WSGI's status lines, by status: the enum lookup costs more than the rest of a reply.
_STATUS_LINES = {status.value: f"{status.value} {status.phrase}" for status in HTTPStatus}


class _Receiver:
    """The receiving logic both apps share; it does no I/O."""

    def __init__(
        self,
        consumer_secret: Union[str, bytes],
        handler: Handler,
        *,
        path: Optional[str],
        max_body_size: int,
        background: bool,
        dedupe_size: int,
        xchat_clients: Any = None,
    ) -> None:
        self._signer = _Signer(_key(consumer_secret))
        self.xchat = _xchat_dm.receivers(xchat_clients)
        if not callable(handler):
            raise TypeError(f"handler must be callable, not {type(handler).__name__}")
        if path is not None and (not isinstance(path, str) or not path.startswith("/")):
            raise ValueError(f"path must start with '/', got {path!r}")
        if isinstance(max_body_size, bool) or not isinstance(max_body_size, int):
            raise TypeError(f"max_body_size must be an int, got {max_body_size!r}")
        if max_body_size < 1:
            raise ValueError(f"max_body_size must be positive, got {max_body_size}")
        self.handler = handler
        self.path = path
        self.max_body_size = max_body_size
        self.background = bool(background)
        self.seen = SeenKeys(dedupe_size)

    def __repr__(self) -> str:  # the secret stays out
        return f"<webhook receiver path={self.path!r} background={self.background}>"

    def early_reply(
        self, method: str, path: str, query: str, content_length: Optional[str]
    ) -> Optional[WebhookResponse]:
        """The answer to give before reading the body, if any."""
        if self.path is not None and path.rstrip("/") != self.path.rstrip("/"):
            return _text_reply(404)
        if method == "GET":
            tokens = parse_qs(query).get("crc_token")
            if not tokens or not tokens[0]:
                return _text_reply(400, "Missing crc_token")
            token = self._signer.sign(tokens[0].encode()).decode("ascii")
            body = json.dumps({"response_token": token}).encode()
            return WebhookResponse(200, [("Content-Type", "application/json")], body)
        if method != "POST":
            return _text_reply(405, Allow="GET, POST")
        if content_length:
            if not (content_length.isascii() and content_length.isdigit()):
                return _text_reply(400, "Bad Content-Length")
            if int(content_length) > self.max_body_size:
                return _text_reply(413)
        return None

    def accept(
        self, body: Optional[bytes], signature: Union[str, bytes, None], client: Optional[str]
    ) -> Union[WebhookResponse, list[tuple[ActivityEvent, tuple[str, ...]]]]:
        """The events to dispatch (claimed against duplicates), or the answer refusing them."""
        if body is None:
            return _text_reply(413)
        if not self._signer.verify(body, signature):
            log.warning(
                "Rejected a webhook POST from %s: %s %s header",
                client or "an unknown client",
                "wrong" if signature else "no",
                SIGNATURE_HEADER,
            )
            return _text_reply(403)
        try:
            events = parse_webhook(body)
        except (TypeError, ValueError) as error:
            log.warning("Rejected a signed webhook POST that is not an X payload: %s", error)
            return _text_reply(400, "Not an X webhook payload")
        claimed = []
        for event in events:
            keys = dedupe_keys(event, across_products=True)
            if self.seen.claim(keys):
                claimed.append((event, keys))
            else:
                log.info("Dropped a duplicate delivery of %r", event)
        return claimed

    def dispatch(
        self, claimed: list[tuple[ActivityEvent, tuple[str, ...]]]
    ) -> Generator[Any, Any, WebhookResponse]:
        """Flow: call the handler for each event; 500 if any failed, so that X retries."""
        failed = False
        for event, keys in claimed:
            if self.xchat is not None:  # decrypt chat events; dedupe by signed message id
                message = yield Call(self.xchat.decrypt, (event,))
                if message and not self.seen.claim(message):
                    log.info("Dropped a duplicate delivery of %r", event)
                    self.seen.finish(keys, handled=True)
                    continue
                keys += tuple(message)
            with self.handling(event, keys) as outcome:
                yield Call(self.handler, (event,))
            failed = failed or outcome.failed
        return _text_reply(500, "Handler failed") if failed else _OK

    def handling(self, event: ActivityEvent, keys: tuple[str, ...]) -> _Outcome:
        """Context of one handler call on ``event``, claimed under ``keys``."""
        return _Outcome(self, event, keys)


class _Outcome:
    """Ends one handler call: its keys remembered if it returned, freed if not.

    An Exception from the handler is logged and kept as :attr:`failed` (the
    request is answered 500, so that X retries); a BaseException (a cancelled
    request, an interrupted flow) goes on after the keys are freed.
    """

    __slots__ = ("receiver", "event", "keys", "failed")

    def __init__(self, receiver: _Receiver, event: ActivityEvent, keys: tuple[str, ...]) -> None:
        self.receiver = receiver
        self.event = event
        self.keys = keys
        self.failed = False

    def __enter__(self) -> _Outcome:
        return self

    def __exit__(self, kind: Any, error: Optional[BaseException], traceback: Any) -> bool:
        self.receiver.seen.finish(self.keys, handled=kind is None)
        if isinstance(error, Exception):
            self.failed = True
            log.error("The webhook handler failed on %r", self.event, exc_info=error)
            return True
        return False


def _deliver_sync(
    receiver: _Receiver, claimed: list[tuple[ActivityEvent, tuple[str, ...]]]
) -> WebhookResponse:
    """:meth:`_Receiver.dispatch` without :func:`run_flow`, when there is no XChat to decrypt.

    The flow's driver costs as much again as the handler's call; see ``_AsyncCaller.deliver``.
    """
    failed = False
    for event, keys in claimed:
        with receiver.handling(event, keys) as outcome:
            _call_sync(Call(receiver.handler, (event,)))
        failed = failed or outcome.failed
    return _text_reply(500, "Handler failed") if failed else _OK


def _call_sync(effect: Call) -> Any:
    result = effect.function(*effect.args)
    if inspect.isawaitable(result):  # a coroutine function under WSGI

        async def wait() -> Any:
            return await result

        return asyncio.run(wait())
    return result


def _is_coroutine_function(function: Any) -> bool:
    return inspect.iscoroutinefunction(function) or inspect.iscoroutinefunction(
        getattr(function, "__call__", None)  # noqa: B004 - callable objects' own method
    )


class _AsyncCaller:
    """How the ASGI app calls functions: ``handler``'s kind is looked up once.

    Coroutine functions are awaited on the loop; plain functions, which may
    block, run on the app's own threads (see ``_handler_threads``).
    """

    __slots__ = ("handler", "handler_is_async", "threads")

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.handler_is_async = _is_coroutine_function(handler)
        self.threads = HandlerThreads(name="tweepy-dm-webhook")

    async def _off_the_loop(self, function: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        result = await self.threads.run(function, args)
        if inspect.isawaitable(result):
            result = await result
        return result

    def call(self, effect: Call) -> Awaitable[Any]:
        """Perform a flow's :class:`Call` (for :func:`arun_flow`)."""
        # A coroutine function's own coroutine is returned for the driver to
        # await: no coroutine of ours around it.
        function, args = effect
        if function is self.handler:
            return self.handle(*args)
        if _is_coroutine_function(function):
            return function(*args)  # type: ignore[no-any-return]
        return self._off_the_loop(function, args)

    def handle(self, event: ActivityEvent) -> Awaitable[Any]:
        """The handler's call on ``event``, to await."""
        if self.handler_is_async:
            return self.handler(event)  # type: ignore[no-any-return]
        return self._off_the_loop(self.handler, (event,))

    async def deliver(
        self, receiver: _Receiver, claimed: list[tuple[ActivityEvent, tuple[str, ...]]]
    ) -> WebhookResponse:
        """:meth:`_Receiver.dispatch` when it has nothing to await but the handler.

        That flow, driven by :func:`arun_flow`, costs a coroutine, a generator,
        an effect and a StopIteration per request besides the handler's own
        call: as much again as verifying the request.
        """
        failed = False
        for event, keys in claimed:
            with receiver.handling(event, keys) as outcome:
                await self.handle(event)
            failed = failed or outcome.failed
        return _text_reply(500, "Handler failed") if failed else _OK


def _check_options(kwargs: dict[str, Any]) -> dict[str, Any]:
    options = {
        "path": None,
        "max_body_size": DEFAULT_MAX_BODY_SIZE,
        "background": False,
        "dedupe_size": 100_000,
        "xchat_clients": None,
    }
    unknown = set(kwargs) - set(options)
    if unknown:
        raise TypeError(f"unexpected keyword arguments {sorted(unknown)}; allowed: {list(options)}")
    options.update(kwargs)
    return options


_APP_DOC = """

    .. versionadded:: 0.2

    Parameters
    ----------
    consumer_secret : str | bytes
        The app's consumer secret (API key secret), for the CRC and signatures.
    handler : Callable[[ActivityEvent], Any]
        Called once per event; a function or a coroutine function.
    path : str | None
        Answer only at this path (404 elsewhere); by default at any path.
    max_body_size : int
        Larger bodies are refused with 413, unread (1 MiB by default).
    background : bool
        Answer 200 at once and call the handler afterwards: X never waits on
        it, but an event whose handler fails is lost (at most once). By
        default the handler runs before the answer, and a failure is answered
        500 so that X delivers again; X waits at most 10 seconds.
    dedupe_size : int
        How many handled events this process remembers to drop duplicates.
    xchat_clients : Client | AsyncClient | Mapping[int | str, Client | AsyncClient] | None
        A client made with ``xchat_key`` (or a mapping of user id to one):
        ``chat.received`` and ``chat.sent`` events are decrypted and verified
        with it before the handler sees them, ``event.direct_message`` being
        the :class:`~tweepy_dm.DirectMessageEvent` that ``get_dm_events``
        returns; a message already handled (by its signed ``message_id``) is
        dropped. One that does not decrypt keeps ``direct_message`` ``None``
        and is logged.

        .. versionadded:: 0.2

    Raises
    ------
    TypeError, ValueError
        A parameter has the wrong type or value.

    References
    ----------
    https://docs.x.com/x-api/webhooks/quickstart
"""


def wsgi_app(consumer_secret: Union[str, bytes], handler: Handler, **options: Any) -> Any:
    receiver = _Receiver(consumer_secret, handler, **_check_options(options))
    background: list[concurrent.futures.ThreadPoolExecutor] = []
    lock = threading.Lock()
    if receiver.xchat is None:  # as in asgi_app

        def deliver(claimed: list[tuple[ActivityEvent, tuple[str, ...]]]) -> WebhookResponse:
            return _deliver_sync(receiver, claimed)

    else:

        def deliver(claimed: list[tuple[ActivityEvent, tuple[str, ...]]]) -> WebhookResponse:
            return run_flow(receiver.dispatch(claimed), _call_sync)

    def run_in_background(claimed: list[tuple[ActivityEvent, tuple[str, ...]]]) -> None:
        with lock:
            if not background:  # one worker keeps the events in order
                background.append(concurrent.futures.ThreadPoolExecutor(1, "tweepy-dm-webhook"))
        background[0].submit(deliver, claimed)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        reply = receiver.early_reply(
            environ.get("REQUEST_METHOD", "GET").upper(),
            environ.get("PATH_INFO") or "/",
            environ.get("QUERY_STRING", ""),
            environ.get("CONTENT_LENGTH"),
        )
        if reply is None:
            body = _read_wsgi_body(environ, receiver.max_body_size)
            accepted = receiver.accept(
                body, environ.get("HTTP_X_TWITTER_WEBHOOKS_SIGNATURE"), environ.get("REMOTE_ADDR")
            )
            if isinstance(accepted, WebhookResponse):
                reply = accepted
            elif receiver.background:
                run_in_background(accepted)
                reply = _OK
            else:
                reply = deliver(accepted)
        start_response(_STATUS_LINES[reply.status], reply.headers)
        return [reply.body]

    app.receiver = receiver  # type: ignore[attr-defined]
    return app


wsgi_app.__doc__ = (
    """A WSGI app that receives X's webhooks and calls ``handler(event)`` per event.

    It answers the CRC ``GET``, refuses a ``POST`` without a valid signature
    (403, nothing dispatched), a body over ``max_body_size`` (413) and one
    that is not an X payload (400: not JSON, nested too deeply, not X's shape;
    never 500, which would ask X to retry what no retry can fix), drops
    duplicates, and calls the handler for each event. Mount it in Flask (``app.wsgi_app =
    DispatcherMiddleware(app.wsgi_app, {"/webhooks/x": receiver})``) or run
    it under any WSGI server. A coroutine-function handler is run to its end
    with :func:`asyncio.run`.
"""
    + _APP_DOC
)


def _read_wsgi_body(environ: dict[str, Any], limit: int) -> Optional[bytes]:
    """The body, or None if it is over ``limit`` (never reading more than ``limit + 1``)."""
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    length = environ.get("CONTENT_LENGTH")
    if length:
        body = stream.read(int(length))
    else:  # chunked or unknown length: read to the end, up to the limit
        parts: list[bytes] = []
        size = 0
        while size <= limit:
            part = stream.read(min(64 * 1024, limit + 1 - size))
            if not part:
                break
            parts.append(part)
            size += len(part)
        body = b"".join(parts)
    return None if len(body) > limit else body


def _mounted_path(scope: dict[str, Any]) -> str:
    # Starlette's mounts and uvicorn's --root-path keep the full path in "path"
    # and the mount point in "root_path"; ``path=`` is relative to the mount,
    # as it is for the WSGI app (whose PATH_INFO excludes SCRIPT_NAME).
    path = scope.get("path") or "/"
    root = (scope.get("root_path") or "").rstrip("/")
    if root and (path == root or path.startswith(root + "/")):
        path = path[len(root) :] or "/"
    return path


def asgi_app(consumer_secret: Union[str, bytes], handler: Handler, **options: Any) -> Any:
    receiver = _Receiver(consumer_secret, handler, **_check_options(options))
    tasks: set[asyncio.Task[Any]] = set()
    caller = _AsyncCaller(receiver.handler)
    # Decrypting XChat events is a flow of its own calls; otherwise the
    # handler is all there is to await, without a flow's driver around it.
    if receiver.xchat is None:

        def deliver(claimed: list[tuple[ActivityEvent, tuple[str, ...]]]) -> Any:
            return caller.deliver(receiver, claimed)

    else:

        def deliver(claimed: list[tuple[ActivityEvent, tuple[str, ...]]]) -> Any:
            return arun_flow(receiver.dispatch(claimed), caller.call)

    limit, only_path = receiver.max_body_size, receiver.path

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        length = signature = None
        for name, value in scope["headers"]:  # only two are read: no dict of them all
            lowered = name.lower()
            if lowered == b"content-length":
                length = value
            elif lowered == _SIGNATURE_HEADER:
                signature = value
        reply = receiver.early_reply(
            scope["method"].upper(),
            _mounted_path(scope) if only_path is not None else "/",
            scope.get("query_string", b"").decode("latin-1"),
            length.decode("latin-1") if length is not None else None,
        )
        if reply is None:
            # One message holds the whole body nearly always: no list nor join.
            message = await receive()
            if message.get("more_body", False) or message["type"] != "http.request":
                body = await _read_asgi_body(receive, limit, message)
            else:
                body = message.get("body", b"")
                if len(body) > limit:
                    body = None
            client = scope.get("client") or ("", 0)
            # The header's bytes are compared as they came: no str made and encoded back.
            accepted = receiver.accept(body, signature, client[0])
            if isinstance(accepted, WebhookResponse):
                reply = accepted
            elif receiver.background:
                task = asyncio.get_running_loop().create_task(deliver(accepted))
                tasks.add(task)  # a task nobody references may be collected mid-way
                task.add_done_callback(tasks.discard)
                reply = _OK
            else:
                reply = await deliver(accepted)
        headers = (
            [(b"content-length", b"0")]  # a new list: middleware may add to it
            if reply is _OK
            else [(k.lower().encode(), v.encode()) for k, v in reply.headers]
        )
        await send({"type": "http.response.start", "status": reply.status, "headers": headers})
        await send({"type": "http.response.body", "body": reply.body})

    app.receiver = receiver  # type: ignore[attr-defined]
    return app


asgi_app.__doc__ = (
    """An ASGI app that receives X's webhooks and calls ``handler(event)`` per event.

    Everything :func:`wsgi_app` does, for asyncio servers: mount it in
    FastAPI or Starlette (``app.mount("/webhooks/x", receiver)``) or run it
    under uvicorn. It needs no lifespan events (and answers them if the
    server sends them). Coroutine-function handlers are awaited on the
    event loop. Plain functions may block: they run on the app's own thread,
    one call after another in the order the requests came, and while every
    such thread has been inside one call for 10 ms with calls waiting,
    another thread starts (up to as many as asyncio's default executor
    has), so a slow handler never blocks the loop nor, for long, the others.
"""
    + _APP_DOC
)


async def _read_asgi_body(receive: Any, limit: int, first: Any = None) -> Optional[bytes]:
    """The body, or None if it is over ``limit``; ``first`` is a message already received."""
    parts: list[bytes] = []
    size = 0
    while True:
        message, first = (await receive() if first is None else first), None
        if message["type"] == "http.disconnect":
            return b"".join(parts)
        part = message.get("body", b"")
        size += len(part)
        if size > limit:
            return None
        parts.append(part)
        if not message.get("more_body", False):
            return b"".join(parts)


async def _lifespan(receive: Any, send: Any) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
