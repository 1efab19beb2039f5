"""The X Activity API stream without I/O: framing, parsing, dedupe and reconnects.

``GET /2/activity/stream`` is one endless HTTP response of ``\\r\\n``-separated
JSON lines, with blank keep-alive lines about every 20 seconds. Everything the
stream decides lives here: :class:`LineDecoder` turns network chunks of any
size into lines, :func:`stream_flow` connects, reads, parses, drops
duplicates and reconnects the way X asks, as a generator of effects
(:class:`~tweepy_dm._flow.Send`, :class:`~tweepy_dm._flow.ReadChunk`,
:class:`~tweepy_dm._flow.Sleep`, and :class:`Emit` for each event to hand to
the consumer). The blocking and the asyncio drivers in ``_stream_client`` only
perform those effects.
"""

from __future__ import annotations

import inspect
import json
import logging
import math
from collections.abc import Generator, Iterator, Mapping
from typing import Any, Callable, NamedTuple, Optional, Union

import requests
import tweepy

from tweepy_dm import _exceptions, _facts, _logging
from tweepy_dm._activity import ActivityEvent, dedupe_keys, loads, parse_activity
from tweepy_dm._dedupe import SeenKeys
from tweepy_dm._facts import MAX_BACKFILL_MINUTES, STREAM_KEEP_ALIVE_SECONDS
from tweepy_dm._flow import ReadChunk, Send, Sleep, Stepper
from tweepy_dm._policy import Backoff, reset_time, wait_for_reset

log = logging.getLogger("tweepy_dm.stream")

#: The stream's path under ``api_url``.
STREAM_PATH = "/2/activity/stream"
#: A stream silent for longer is dead: a little over X's keep-alive interval.
DEFAULT_READ_TIMEOUT = STREAM_KEEP_ALIVE_SECONDS + 10.0
#: X's reconnect guidance for its streams: network errors back off linearly
#: (250 ms more each time, up to 16 s), HTTP errors exponentially from 5 s up to
#: 320 s, 429 exponentially from a minute.
NETWORK_BACKOFF = Backoff(attempts=0, base=0.25, linear=True, maximum=16.0)
HTTP_BACKOFF = Backoff(attempts=0, base=5.0, maximum=320.0)
RATE_LIMIT_BACKOFF = Backoff(attempts=0, base=60.0, maximum=960.0)
#: Answers that retrying cannot fix: bad request, credentials, no credits, no such endpoint.
FATAL_STATUSES = frozenset({400, 401, 402, 403, 404})
#: A line longer than this is skipped (and counted as bad) rather than held in memory.
DEFAULT_MAX_LINE_SIZE = 16 * 1024 * 1024
#: How much of an error answer's body is read, for its message.
MAX_ERROR_BODY = 64 * 1024
#: How much of a bad line goes into the log.
LOGGED_LINE_START = 80


class StreamRequest(NamedTuple):
    """What a driver sends for :class:`~tweepy_dm._flow.Send`: a GET of the stream.

    The driver adds ``api_url`` and the bearer token, which the flow never sees.
    """

    path: str
    params: dict[str, str]
    timeout: Optional[float]


class StreamResponse(NamedTuple):
    """What a driver answers to :class:`~tweepy_dm._flow.Send`.

    For 200 the body is left unread (the flow reads it with
    :class:`~tweepy_dm._flow.ReadChunk`); otherwise ``body`` holds its start.
    ``headers`` has lower-case names.
    """

    status: int
    reason: str
    headers: Mapping[str, str]
    body: bytes = b""


class Emit(NamedTuple):
    """Effect: hand ``event`` to the consumer (the driver yields it)."""

    event: ActivityEvent


class Disconnect(NamedTuple):
    """Effect: close the response being read, if any."""


class TooLong(NamedTuple):
    """A line over the decoder's limit, skipped; ``start`` is its beginning."""

    start: bytes
    size: int


class LineDecoder:
    """Splits a byte stream into lines, whatever the chunks' boundaries.

    Lines end in ``\\n`` (X sends ``\\r\\n``; the ``\\r`` is removed). Blank
    lines come out as ``b""``, so that keep-alives are seen. Only the current
    unfinished line is held; a line over ``max_line_size`` is dropped as it
    arrives and reported as :class:`TooLong` when it ends.
    """

    def __init__(self, max_line_size: int = DEFAULT_MAX_LINE_SIZE) -> None:
        self.max_line_size = max_line_size
        self._partial = bytearray()
        self._dropping: Optional[TooLong] = None

    @property
    def pending(self) -> int:
        """Bytes held of the unfinished line."""
        return len(self._partial)

    def feed(self, chunk: bytes) -> list[Union[bytes, TooLong]]:
        """The lines ``chunk`` completes, in order."""
        lines: list[Union[bytes, TooLong]] = []
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            if end < 0:
                break
            lines.append(self._finish(chunk[start:end]))
            start = end + 1
        self._extend(chunk[start:] if start else chunk)
        return lines

    def reset(self) -> int:
        """Forget the unfinished line (the connection ended); returns its size."""
        size = len(self._partial) + (self._dropping.size if self._dropping else 0)
        self._partial.clear()
        self._dropping = None
        return size

    def _extend(self, piece: bytes) -> None:
        if not piece:
            return
        if self._dropping is not None:
            self._dropping = self._dropping._replace(size=self._dropping.size + len(piece))
        elif len(self._partial) + len(piece) > self.max_line_size:
            start = bytes((self._partial + piece)[:LOGGED_LINE_START])
            self._dropping = TooLong(start, len(self._partial) + len(piece))
            self._partial.clear()
        else:
            self._partial += piece

    def _finish(self, piece: bytes) -> Union[bytes, TooLong]:
        if not self._partial and self._dropping is None and len(piece) <= self.max_line_size:
            # The whole line is in this chunk: no copy through the buffer.
            return piece[:-1] if piece.endswith(b"\r") else piece
        self._extend(piece)
        if self._dropping is not None:
            dropped, self._dropping = self._dropping, None
            return dropped
        line = bytes(self._partial)
        self._partial.clear()
        return line[:-1] if line.endswith(b"\r") else line


class StreamStats:
    """What a stream has done so far.

    .. versionadded:: 0.2

    Attributes
    ----------
    connects : int
        Connections X accepted (answered 200).
    reconnects : int
        Of those, the ones after the first.
    events : int
        Events handed to the consumer.
    duplicates : int
        Events dropped because they had been delivered already (by
        ``event_uuid``), mostly from backfill after a reconnect.
    filtered : int
        Events left out because their type is not in ``event_types``.
    bad_lines : int
        Lines that were not X events (not JSON, or too long), logged and skipped.
    keep_alives : int
        Blank keep-alive lines.
    error_messages : int
        Error documents X sent in the stream.
    uncovered_gaps : int
        Reconnects after a gap longer than X's backfill window: events of
        that gap may be missing.
    """

    __slots__ = (
        "connects",
        "reconnects",
        "events",
        "duplicates",
        "filtered",
        "bad_lines",
        "keep_alives",
        "error_messages",
        "uncovered_gaps",
    )

    def __init__(self) -> None:
        self.connects = 0
        self.reconnects = 0
        self.events = 0
        self.duplicates = 0
        self.filtered = 0
        self.bad_lines = 0
        self.keep_alives = 0
        self.error_messages = 0
        self.uncovered_gaps = 0

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.__slots__}

    def __repr__(self) -> str:
        counts = " ".join(f"{name}={value}" for name, value in self.as_dict().items())
        return f"<StreamStats {counts}>"


class StreamSettings(NamedTuple):
    """How a stream connects and reconnects (checked by :func:`settings`)."""

    timeout: Optional[float] = DEFAULT_READ_TIMEOUT
    event_types: Optional[frozenset[str]] = None
    backfill_minutes: int = MAX_BACKFILL_MINUTES
    initial_backfill_minutes: int = 0
    network_backoff: Backoff = NETWORK_BACKOFF
    http_backoff: Backoff = HTTP_BACKOFF
    rate_limit_backoff: Backoff = RATE_LIMIT_BACKOFF
    max_line_size: int = DEFAULT_MAX_LINE_SIZE
    dedupe_size: int = 100_000


def _check_minutes(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int from 0 to {MAX_BACKFILL_MINUTES}, got {value!r}")
    if not 0 <= value <= MAX_BACKFILL_MINUTES:
        raise ValueError(
            f"{name} must be from 0 to {MAX_BACKFILL_MINUTES} (X's limit), got {value}"
        )
    return value


def _check_seconds(name: str, value: Any, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise TypeError(f"{name} must be a number of seconds, got {value!r}")
    if value < 0 or (positive and value == 0):
        raise ValueError(f"{name} must be {'above' if positive else 'at least'} 0, got {value}")
    return float(value)


def settings(
    *,
    timeout: Optional[float] = DEFAULT_READ_TIMEOUT,
    event_types: Any = None,
    backfill_minutes: int = MAX_BACKFILL_MINUTES,
    initial_backfill_minutes: int = 0,
    network_backoff: tuple[float, float] = (0.25, 16.0),
    http_backoff: tuple[float, float] = (5.0, 320.0),
    rate_limit_backoff: tuple[float, float] = (60.0, 960.0),
    max_line_size: int = DEFAULT_MAX_LINE_SIZE,
    dedupe_size: int = 100_000,
) -> StreamSettings:
    """Check a stream's options; raise TypeError or ValueError naming the wrong one."""
    if timeout is not None:
        timeout = _check_seconds("timeout", timeout, positive=True)
    if event_types is not None:
        if isinstance(event_types, str):
            event_types = event_types.split(",")
        try:
            types = frozenset(event_types)
        except TypeError:
            raise TypeError(
                f"event_types must be a list of event type names, got {event_types!r}"
            ) from None
        bad = [name for name in types if not isinstance(name, str) or not name.strip()]
        if bad or not types:
            raise ValueError(f"event_types must name event types, e.g. ['dm.received'], got {bad}")
        event_types = frozenset(name.strip() for name in types)
    backoffs = []
    for name, pair, linear in (
        ("network_backoff", network_backoff, True),
        ("http_backoff", http_backoff, False),
        ("rate_limit_backoff", rate_limit_backoff, False),
    ):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError(f"{name} must be (first wait, longest wait) in seconds, got {pair!r}")
        first = _check_seconds(f"{name}[0]", pair[0])
        longest = _check_seconds(f"{name}[1]", pair[1])
        if longest < first:
            raise ValueError(f"{name}: the longest wait {longest} is below the first {first}")
        backoffs.append(Backoff(attempts=0, base=first, maximum=longest, linear=linear))
    for name, value in (("max_line_size", max_line_size), ("dedupe_size", dedupe_size)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    return StreamSettings(
        timeout=timeout,
        event_types=event_types,
        backfill_minutes=_check_minutes("backfill_minutes", backfill_minutes),
        initial_backfill_minutes=_check_minutes(
            "initial_backfill_minutes", initial_backfill_minutes
        ),
        network_backoff=backoffs[0],
        http_backoff=backoffs[1],
        rate_limit_backoff=backoffs[2],
        max_line_size=max_line_size,
        dedupe_size=dedupe_size,
    )


class ErrorResponse:
    """An error answer of the stream, shaped for tweepy's exception classes.

    ``json()`` gives the body as a dict, with X's problem documents (``title``,
    ``detail``) also under ``errors``, the only key tweepy reads.
    """

    def __init__(self, response: StreamResponse) -> None:
        self.status_code = self.status = response.status
        self.reason = response.reason
        self.headers = dict(response.headers)
        self.content = response.body
        self.text = response.body.decode("utf-8", "replace")
        try:
            body = json.loads(self.text)
        except ValueError:
            body = None
        if (
            isinstance(body, dict)
            and "errors" not in body
            and ("detail" in body or "title" in body)
        ):
            body = {**body, "errors": [{"message": body.get("detail") or body.get("title")}]}
        self._json = body if isinstance(body, dict) else None

    def json(self) -> Any:
        if self._json is None:
            raise requests.JSONDecodeError("not a JSON object", self.text, 0)
        return self._json


_TAKES_RESPONSE_JSON = (
    "response_json" in inspect.signature(tweepy.HTTPException.__init__).parameters
)


def http_error(response: StreamResponse) -> Exception:
    """The tweepy exception for an answer that ends the stream."""
    error_response = ErrorResponse(response)
    kwargs: dict[str, Any] = {"reset_time": reset_time(response.headers)}
    if _TAKES_RESPONSE_JSON:  # tweepy 4.10+; older ones call json() themselves
        kwargs["response_json"] = error_response._json
    return _exceptions.http_error(error_response, response.status, **kwargs)


def backfill_for(gap: float, most: int) -> int:
    """Minutes of backfill that cover ``gap`` seconds, at most ``most``."""
    return min(most, max(1, math.ceil(gap / 60)))


def _log_line(reason: str, line: bytes) -> None:
    start = _logging.redact(line[:LOGGED_LINE_START].decode("utf-8", "replace"))
    log.warning(
        "Skipped a stream line that is not an X event (%s; %d bytes), starting %r",
        reason,
        len(line),
        start,
    )


def parse_line(line: bytes, stats: StreamStats) -> list[ActivityEvent]:
    """The events of one line; a bad line is logged, counted and gives none."""
    try:
        document = loads(line)
        events = parse_activity(document)
        if not events and isinstance(document, dict) and "errors" in document:
            stats.error_messages += 1
            log.warning("X sent an error in the stream: %s", _logging.redact(str(document)[:500]))
    # Any failure, not only ValueError and TypeError: a line nested too deeply
    # raises RecursionError, and one bad line must never end the stream.
    except Exception as error:
        stats.bad_lines += 1
        _log_line(type(error).__name__, line)
        return []
    return events


def stream_flow(
    settings: StreamSettings,
    stats: StreamStats,
    clock: Callable[[], float],
    seen: Optional[SeenKeys] = None,
) -> Generator[Any, Any, None]:
    """Flow: read the stream forever, yielding :class:`Emit` for each new event.

    The driver answers :class:`~tweepy_dm._flow.Send` with a
    :class:`StreamResponse` and :class:`~tweepy_dm._flow.ReadChunk` with bytes
    (``b""`` at the end of the response); it throws :class:`ConnectionError`
    or :class:`TimeoutError` (a silent connection) for network failures. The
    flow ends only by raising a tweepy exception for 400, 401, 402, 403 and
    404; the driver stops it to close the stream.
    """
    decoder = LineDecoder(settings.max_line_size)
    if seen is None:
        seen = SeenKeys(settings.dedupe_size)
    network_failures = http_failures = rate_limit_failures = 0
    last_data: Optional[float] = None  # when the last bytes arrived, by ``clock``
    while True:
        params: dict[str, str] = {}
        if last_data is None:
            minutes = settings.initial_backfill_minutes
        elif settings.backfill_minutes:
            gap = clock() - last_data
            minutes = backfill_for(gap, settings.backfill_minutes)
            if gap > settings.backfill_minutes * 60:
                stats.uncovered_gaps += 1
                log.warning(
                    "The stream was down %.0f s, longer than the %d minutes of backfill: "
                    "events of that time may be missing",
                    gap,
                    settings.backfill_minutes,
                )
        else:
            minutes = 0
        if minutes:
            params["backfill_minutes"] = str(minutes)
        try:
            response = yield Send(StreamRequest(STREAM_PATH, params, settings.timeout))
        except (ConnectionError, TimeoutError) as error:
            network_failures += 1
            wait = settings.network_backoff.delay(network_failures)
            log.warning("Could not connect to the stream (%s); retrying in %.2f s", error, wait)
            yield Sleep(wait)
            continue
        if response.status != 200:
            if response.status in FATAL_STATUSES:
                raise http_error(response)
            if response.status == 429:
                rate_limit_failures += 1
                fallback = settings.rate_limit_backoff.delay(rate_limit_failures)
                wait = wait_for_reset(
                    reset_time(response.headers),
                    clock(),
                    fallback=fallback,
                    most=_facts.MAX_STREAM_RATE_LIMIT_WAIT,
                )
            else:
                http_failures += 1
                wait = settings.http_backoff.delay(http_failures)
            log.warning(
                "The stream answered %d %s; reconnecting in %.2f s",
                response.status,
                response.reason,
                wait,
            )
            yield Sleep(wait)
            continue
        stats.connects += 1
        if stats.connects > 1:
            stats.reconnects += 1
            log.info("Reconnected to the stream (%s)", params or "no backfill")
        http_failures = rate_limit_failures = 0
        try:
            while True:
                chunk = yield ReadChunk()
                if not chunk:
                    raise ConnectionError("X ended the response")
                last_data = clock()
                network_failures = 0
                for line in decoder.feed(chunk):
                    for event in _events(line, settings, stats, seen):
                        yield Emit(event)
        except (ConnectionError, TimeoutError) as error:
            lost = decoder.reset()
            network_failures += 1
            wait = settings.network_backoff.delay(network_failures)
            log.warning(
                "The stream broke (%s%s); reconnecting in %.2f s",
                error or type(error).__name__,
                f", {lost} bytes of an unfinished line dropped" if lost else "",
                wait,
            )
            yield Disconnect()
            yield Sleep(wait)


def _events(
    line: Union[bytes, TooLong], settings: StreamSettings, stats: StreamStats, seen: SeenKeys
) -> Iterator[ActivityEvent]:
    if isinstance(line, TooLong):
        stats.bad_lines += 1
        _log_line(f"over {settings.max_line_size} bytes", line.start + b"...")
        return
    if not line or line.isspace():  # as strip() would say, without copying the line
        stats.keep_alives += 1
        return
    for event in parse_line(line, stats):
        if settings.event_types is not None and event.event_type not in settings.event_types:
            stats.filtered += 1
        elif seen.add(dedupe_keys(event)):
            stats.events += 1
            yield event
        else:
            stats.duplicates += 1


class StreamRun(Stepper):
    """Steps :func:`stream_flow` for a driver, stopping once the stream is closed.

    Iterating gives the effects to perform; the events the flow emitted
    before each of them wait in :meth:`take`, which the driver hands to its
    consumer before performing the effect. A driver sets :attr:`result`, or
    calls :meth:`fail` with the exception performing raised.
    """

    def __init__(
        self,
        flow: Generator[Any, Any, Any],
        closed: Callable[[], bool],
        network_errors: tuple[type[BaseException], ...],
    ) -> None:
        super().__init__(flow)
        self._closed = closed
        self._network_errors = network_errors
        self._ready: list[ActivityEvent] = []

    def __next__(self) -> Any:
        while True:
            if self._closed():
                self.flow.close()
                raise StopIteration
            effect = super().__next__()
            if type(effect) is not Emit:
                return effect
            self._ready.append(effect.event)

    def take(self) -> list[ActivityEvent]:
        """The events emitted since the last call."""
        ready, self._ready = self._ready, []
        return ready

    def fail(self, error: BaseException) -> None:
        """Hand the flow ``error``, as :class:`ConnectionError` if it is a network error."""
        if self._closed():
            return  # closing cut the connection: that is not a failure
        if isinstance(error, self._network_errors):
            timeout = isinstance(error, TimeoutError) or "timeout" in type(error).__name__.lower()
            kind = TimeoutError if timeout else ConnectionError
            self.error = kind(_logging.redact(str(error)) or type(error).__name__)
        else:
            self.error = error
