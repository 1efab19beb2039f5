"""The X Activity API stream for blocking code (requests) and asyncio (aiohttp).

Both classes only perform the effects of :func:`tweepy_dm._stream.stream_flow`,
which decides everything else. aiohttp is imported when an
:class:`AsyncActivityStream` starts, never on import.
"""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
import logging
import select
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Iterable, Iterator
from typing import Any, Callable, Optional

import requests
import urllib3

from tweepy_dm import _logging, _xchat_dm
from tweepy_dm._activity import ActivityEvent
from tweepy_dm._client_options import DEFAULT_API_URL, normalize_api_url
from tweepy_dm._dedupe import SeenKeys
from tweepy_dm._facts import MAX_BACKFILL_MINUTES
from tweepy_dm._flow import ReadChunk, Send, Sleep
from tweepy_dm._stream import (
    DEFAULT_MAX_LINE_SIZE,
    DEFAULT_READ_TIMEOUT,
    MAX_ERROR_BODY,
    Disconnect,
    StreamRequest,
    StreamResponse,
    StreamRun,
    StreamStats,
    settings,
    stream_flow,
)

__all__ = ["ActivityStream", "AsyncActivityStream"]

log = logging.getLogger("tweepy_dm.stream")

_SYNC_NETWORK_ERRORS = (requests.RequestException, urllib3.exceptions.HTTPError, OSError)


class _StreamOptions:
    """The constructor and the state both streams share."""

    _requires: Optional[str] = None  # a module the driver imports when it starts

    def __init__(
        self,
        bearer_token: str,
        *,
        api_url: str = DEFAULT_API_URL,
        timeout: Optional[float] = DEFAULT_READ_TIMEOUT,
        event_types: Optional[Iterable[str]] = None,
        backfill_minutes: int = MAX_BACKFILL_MINUTES,
        initial_backfill_minutes: int = 0,
        network_backoff: tuple[float, float] = (0.25, 16.0),
        http_backoff: tuple[float, float] = (5.0, 320.0),
        rate_limit_backoff: tuple[float, float] = (60.0, 960.0),
        max_line_size: int = DEFAULT_MAX_LINE_SIZE,
        dedupe_size: int = 100_000,
        session: Any = None,
        clock: Callable[[], float] = time.time,
        sleep: Optional[Callable[[float], Any]] = None,
        xchat_clients: Any = None,
    ) -> None:
        # Checked first: a bad xchat_clients fails before anything else is set up.
        self._xchat = _xchat_dm.receivers(xchat_clients)
        if self._requires and importlib.util.find_spec(self._requires) is None:
            raise ImportError(
                f"{type(self).__name__} needs {self._requires}: pip install 'tweepy-dm[async]'"
            )
        if not isinstance(bearer_token, str):
            raise TypeError(
                "bearer_token must be the app's bearer token (str), "
                f"not {type(bearer_token).__name__}"
            )
        if not bearer_token.strip():
            raise ValueError("bearer_token is empty; the stream needs the app's bearer token")
        self.api_url = normalize_api_url(api_url)
        self._settings = settings(
            timeout=timeout,
            event_types=event_types,
            backfill_minutes=backfill_minutes,
            initial_backfill_minutes=initial_backfill_minutes,
            network_backoff=network_backoff,
            http_backoff=http_backoff,
            rate_limit_backoff=rate_limit_backoff,
            max_line_size=max_line_size,
            dedupe_size=dedupe_size,
        )
        self.timeout = self._settings.timeout
        self.event_types = self._settings.event_types
        _logging.protect(bearer_token)
        self._authorization = f"Bearer {bearer_token}"
        self._session = session
        self._clock = clock
        self._sleep = sleep
        self._closed = False
        self._iterating = False
        self._seen = SeenKeys(self._settings.dedupe_size)
        #: What the stream has done: :class:`~tweepy_dm._stream.StreamStats`.
        self.stats = StreamStats()

    def _fresh(self, keys: Any) -> bool:
        """Whether a decrypted chat message is new: its signed message id not seen yet."""
        if keys and not self._seen.add(keys):
            self.stats.duplicates += 1
            return False
        return True

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    def close(self) -> None:
        """End the iteration promptly; safe from any thread and from a signal handler.

        The open connection is cut and a wait between reconnects cut short;
        a closed stream yields nothing more.

        .. versionadded:: 0.2
        """
        self._closed = True
        self._interrupt()

    def _interrupt(self) -> None:
        raise NotImplementedError

    def _run(self, network_errors: tuple[type[BaseException], ...]) -> StreamRun:
        if self._iterating:
            raise RuntimeError("this stream is already being iterated")
        self._iterating = True
        flow = stream_flow(self._settings, self.stats, self._clock, self._seen)
        return StreamRun(flow, lambda: self._closed, network_errors)

    def _request(self, request: StreamRequest) -> dict[str, Any]:
        return {
            "url": self.api_url + request.path,
            "params": request.params,
            "headers": {"Authorization": self._authorization},
        }

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} api_url={self.api_url!r} "
            f"event_types={sorted(self.event_types) if self.event_types else None} "
            f"closed={self._closed} {self.stats!r}>"
        )


class ActivityStream(_StreamOptions):
    """The X Activity API stream, for blocking code: ``for event in stream``.

    Connects to ``GET /2/activity/stream`` with the app's bearer token and
    yields each :class:`~tweepy_dm.ActivityEvent` as it arrives, reconnecting
    the way X asks: after a network error at once and then 250 ms longer each
    time (up to 16 s), after an HTTP error in 5 s and twice as long each time
    (up to 320 s), after 429 at ``x-rate-limit-reset`` (or in a minute, then
    doubling). A connection silent for longer than ``timeout`` is treated as
    dead. On reconnect it asks X for the backfill that covers the gap (up to
    ``backfill_minutes``) and drops the events it already delivered, by
    ``event_uuid``: one stream object delivers each event exactly once.
    Across a restart of the process, use ``initial_backfill_minutes`` and
    dedupe by ``event_uuid`` in your own storage: delivery is then at least
    once. 401, 403, 402 (no credits), 400 and 404 end the iteration with
    tweepy's exception.

    :meth:`close`, from any thread or a signal handler, ends the iteration
    promptly; the stream is also a context manager that closes on exit.

    .. versionadded:: 0.2

    Parameters
    ----------
    bearer_token : str
        The app's bearer token (app-only OAuth 2.0), which the stream needs.
    api_url : str
        Where the API is, e.g. the emulator's URL.
    timeout : float | None
        Seconds without a byte (X sends a keep-alive at least every 20 s)
        after which the connection counts as dead; also the connect timeout.
    event_types : list[str] | None
        Only yield events of these types (filtered here; X sends what the
        app's subscriptions name).
    backfill_minutes : int
        The most backfill (0 to 5 minutes, X's limit) asked for on reconnect;
        0 asks for none.
    initial_backfill_minutes : int
        Backfill asked for on the first connection (0 to 5).
    network_backoff, http_backoff, rate_limit_backoff : tuple[float, float]
        (first wait, longest wait) in seconds after network errors (linear),
        HTTP errors and 429 without ``x-rate-limit-reset`` (exponential).
    max_line_size : int
        Lines (events) longer than this many bytes are skipped, not held.
    dedupe_size : int
        How many delivered events are remembered to drop duplicates.
    session : requests.Session | None
        The session to connect with; a new one by default.
    clock : Callable[[], float]
        Wall-clock seconds (``time.time``), for rate-limit resets and gaps.
    sleep : Callable[[float], Any] | None
        Waits between reconnects; by default a wait that :meth:`close` cuts short.
    xchat_clients : Client | AsyncClient | Mapping[int | str, Client | AsyncClient] | None
        A client made with ``xchat_key`` (or a mapping of user id to one):
        ``chat.received`` and ``chat.sent`` events are then decrypted and
        verified with it, their ``direct_message`` the same
        :class:`~tweepy_dm.DirectMessageEvent` that ``get_dm_events``
        returns, and a message already delivered (by its signed
        ``message_id``) is dropped. One that does not decrypt or verify is
        delivered with ``direct_message`` ``None`` and a warning in the log.
        Give :class:`AsyncActivityStream` an :class:`AsyncClient`: a
        :class:`Client`'s requests would block the event loop.

        .. versionadded:: 0.2

    Raises
    ------
    TypeError, ValueError
        A parameter has the wrong type or value.

    Attributes
    ----------
    stats : StreamStats
        Connects, reconnects, events, duplicates dropped, bad lines, ….

    References
    ----------
    https://docs.x.com/x-api/activity/activity-stream

    https://docs.x.com/x-api/fundamentals/consuming-streaming-data
    """

    _response: Optional[requests.Response] = None
    _socket: Optional[socket.socket] = None
    _chunks: Iterator[bytes] = iter(())
    _wake_reader: Optional[socket.socket] = None
    _wake_writer: Optional[socket.socket] = None

    def _decrypted(self, events: list[ActivityEvent]) -> Iterator[ActivityEvent]:
        for event in events:
            keys = self._xchat.decrypt(event) if self._xchat is not None else ()
            if inspect.isawaitable(keys):  # xchat_clients holds an AsyncClient
                keys = asyncio.run(keys)
            if self._fresh(keys):
                yield event

    def __iter__(self) -> Iterator[ActivityEvent]:
        run = self._run(_SYNC_NETWORK_ERRORS)
        session = self._session if self._session is not None else requests.Session()
        # A socket pair wakes a wait between reconnects: writing to a socket is
        # safe in a signal handler, where taking a lock (threading.Event) is not.
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._wake_writer.setblocking(False)
        try:
            for effect in run:
                yield from self._decrypted(run.take())
                try:
                    run.result = self._perform(session, effect)
                except Exception as error:
                    run.fail(error)
            yield from self._decrypted(run.take())
        finally:
            self._disconnect()
            if session is not self._session:
                session.close()
            for wake in (self._wake_reader, self._wake_writer):
                wake.close()
            self._iterating = False

    def _interrupt(self) -> None:
        writer = self._wake_writer
        if writer is not None:
            try:
                writer.send(b"x")
            except OSError:  # already woken (buffer full) or closed
                pass
        sock = self._socket
        if sock is not None:
            try:  # wakes a read blocked in another thread or in this one
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def __enter__(self) -> ActivityStream:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def _perform(self, session: requests.Session, effect: Any) -> Any:
        if self._closed:
            return None
        kind = type(effect)
        if kind is ReadChunk:
            return next(self._chunks, b"")
        if kind is Send:
            return self._connect(session, effect.request)
        if kind is Sleep:
            if self._sleep is not None:
                self._sleep(effect.seconds)
            else:
                select.select([self._wake_reader], [], [], effect.seconds)  # type: ignore[type-var]
            return None
        if kind is Disconnect:
            return self._disconnect()
        raise TypeError(f"unknown effect {effect!r}")

    def _connect(self, session: requests.Session, request: StreamRequest) -> StreamResponse:
        self._disconnect()
        response = session.get(
            **self._request(request), stream=True, timeout=(request.timeout, request.timeout)
        )
        headers = {name.lower(): value for name, value in response.headers.items()}
        if response.status_code != 200:
            with response:
                body = response.raw.read(MAX_ERROR_BODY, decode_content=True) or b""
            return StreamResponse(response.status_code, response.reason or "", headers, body)
        self._response = response
        self._socket = _socket_of(response)
        if self._closed:  # close() ran while connecting, before the socket was known
            self._disconnect()
        self._chunks = _chunks_of(response)
        return StreamResponse(200, response.reason or "", headers)

    def _disconnect(self) -> None:
        response, self._response, self._socket = self._response, None, None
        self._chunks = iter(())
        if response is not None:
            response.close()


def _socket_of(response: requests.Response) -> Optional[socket.socket]:
    """The socket under a streamed response, so that another thread can cut it."""
    connection = getattr(response.raw, "_connection", None) or getattr(
        response.raw, "connection", None
    )
    sock = getattr(connection, "sock", None)
    if sock is None:  # the connection was detached: find it under http.client's file
        raw_file = getattr(getattr(getattr(response.raw, "_fp", None), "fp", None), "raw", None)
        sock = getattr(raw_file, "_sock", None)
    return sock if isinstance(sock, socket.socket) else None


def _chunks_of(response: requests.Response) -> Iterator[bytes]:
    """The body as it arrives, in whatever pieces the network gives.

    X streams with chunked transfer encoding, which urllib3 reads one HTTP
    chunk at a time. A body without it is read with ``read1`` (whatever is
    there); ``iter_content`` with no size would wait for its end.
    """
    if getattr(response.raw, "chunked", False):
        return response.iter_content(chunk_size=None)
    read1 = getattr(response.raw, "read1", None)
    if read1 is not None:
        return iter(lambda: read1(64 * 1024), b"")
    return response.iter_content(chunk_size=1)


class AsyncActivityStream(_StreamOptions):
    """The X Activity API stream for asyncio: ``async for event in stream``.

    Everything :class:`ActivityStream` does, with aiohttp (the ``async``
    extra). :meth:`ActivityStream.close` may be called from any thread or signal handler,
    :meth:`aclose` from any task, the iterating one included; either ends
    the iteration promptly. ``async with`` closes on exit.

    .. versionadded:: 0.2

    Parameters
    ----------
    bearer_token : str
        The app's bearer token.
    **kwargs
        As for :class:`ActivityStream`; ``session`` is an
        :class:`aiohttp.ClientSession` and ``sleep`` a coroutine function.

    Raises
    ------
    TypeError, ValueError
        A parameter has the wrong type or value.
    ImportError
        aiohttp is not installed.

    References
    ----------
    https://docs.x.com/x-api/activity/activity-stream
    """

    _requires = "aiohttp"
    _response: Any = None
    _chunks: Any = None
    _loop: Optional[asyncio.AbstractEventLoop] = None
    _wake: Optional[asyncio.Event] = None

    def __aiter__(self) -> AsyncIterator[ActivityEvent]:
        return self._events()

    async def _decrypted(self, events: list[ActivityEvent]) -> list[ActivityEvent]:
        fresh = []
        for event in events:
            keys = self._xchat.decrypt(event) if self._xchat is not None else ()
            if inspect.isawaitable(keys):
                keys = await keys
            if self._fresh(keys):
                fresh.append(event)
        return fresh

    async def _events(self) -> AsyncIterator[ActivityEvent]:
        import aiohttp

        network_errors = (aiohttp.ClientError, asyncio.TimeoutError, OSError)
        run = self._run(network_errors)
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        session = self._session if self._session is not None else aiohttp.ClientSession()
        try:
            for effect in run:
                for event in await self._decrypted(run.take()):
                    yield event
                try:
                    run.result = await self._perform(session, effect)
                except Exception as error:
                    run.fail(error)
            for event in await self._decrypted(run.take()):
                yield event
        finally:
            self._disconnect()
            if session is not self._session:
                await session.close()
            self._iterating = False

    def _interrupt(self) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(self._abort)
            except RuntimeError:  # the loop closed meanwhile
                pass

    async def aclose(self) -> None:
        """End the iteration promptly (it stops at its next step).

        .. versionadded:: 0.2
        """
        self.close()
        if self._loop is asyncio.get_running_loop():
            self._abort()

    async def __aenter__(self) -> AsyncActivityStream:
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.aclose()

    def _abort(self) -> None:
        if self._wake is not None:
            self._wake.set()
        self._disconnect()

    async def _perform(self, session: Any, effect: Any) -> Any:
        if self._closed:
            return None
        kind = type(effect)
        if kind is ReadChunk:
            try:
                return await self._chunks.__anext__()
            except StopAsyncIteration:
                return b""
        if kind is Send:
            return await self._connect(session, effect.request)
        if kind is Sleep:
            await self._wait(effect.seconds)
            return None
        if kind is Disconnect:
            return self._disconnect()
        raise TypeError(f"unknown effect {effect!r}")

    async def _wait(self, seconds: float) -> None:
        if self._sleep is not None:
            waited = self._sleep(seconds)
            if isinstance(waited, Awaitable):
                await waited
            return
        assert self._wake is not None
        try:
            await asyncio.wait_for(self._wake.wait(), seconds)
        except asyncio.TimeoutError:
            pass

    async def _connect(self, session: Any, request: StreamRequest) -> StreamResponse:
        import aiohttp

        self._disconnect()
        timeout = aiohttp.ClientTimeout(
            total=None, sock_connect=request.timeout, sock_read=request.timeout
        )
        response = await session.get(**self._request(request), timeout=timeout)
        headers = {name.lower(): value for name, value in response.headers.items()}
        if response.status != 200:
            try:
                body = await response.content.read(MAX_ERROR_BODY)
            finally:
                response.release()
            return StreamResponse(response.status, response.reason or "", headers, body)
        self._response = response
        self._chunks = response.content.iter_any().__aiter__()
        if self._closed:
            self._disconnect()
        return StreamResponse(200, response.reason or "", headers)

    def _disconnect(self) -> None:
        response, self._response = self._response, None
        if response is not None:
            response.close()
