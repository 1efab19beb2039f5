"""Rate limits and retries: how long to wait and whether to try again, decided once.

Every part of the package that waits or retries (both clients'
``wait_on_rate_limit``, uploads, downloads, the export, the Activity API stream,
the bot's outbox and poller) takes its arithmetic from here, and the flows that
retry are built on :func:`retrying`; waiters that are not flows ask
:func:`retry_wait`. No I/O.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Generator, Mapping
from typing import Any, NamedTuple, Optional

import tweepy

from tweepy_dm._flow import Send, Sleep

log = logging.getLogger("tweepy_dm.client")

#: Seconds to wait after a 429 that says nothing of when the window resets.
DEFAULT_RATE_LIMIT_WAIT = 60.0


class RateLimit(NamedTuple):
    """X's rate-limit headers of one response; ``None`` where X sent none."""

    limit: Optional[int]
    remaining: Optional[int]
    reset: Optional[int]  # epoch seconds

    @classmethod
    def from_headers(cls, headers: Mapping[str, str], prefix: str = "x-rate-limit") -> RateLimit:
        return cls(
            _int_header(headers, f"{prefix}-limit"),
            _int_header(headers, f"{prefix}-remaining"),
            _int_header(headers, f"{prefix}-reset"),
        )


def _int_header(headers: Mapping[str, str], name: str) -> Optional[int]:
    value = headers.get(name)
    if value is None:
        return None
    value = value.strip()
    # ASCII digits only: int() would also take "²" or Arabic-Indic digits.
    return int(value) if value.isascii() and value.isdigit() else None


def reset_time(headers: Mapping[str, str]) -> Optional[int]:
    """``x-rate-limit-reset`` as epoch seconds, if X sent a valid one."""
    return _int_header(headers, "x-rate-limit-reset")


def wait_for_reset(
    reset: Optional[int], now: float, *, fallback: float = 0.0, most: float = math.inf
) -> float:
    """Seconds to wait until a window that resets at ``reset`` has passed.

    One second more than the window's end, as tweepy's ``wait_on_rate_limit``
    waits, never negative and at most ``most``; ``fallback`` when X did not say.
    """
    if reset is None:
        return fallback
    return min(most, max(0.0, reset - math.floor(now) + 1))


class Backoff(NamedTuple):
    """How often to try and how long to wait between tries."""

    attempts: int  # tries in all, the first one included; 0 for no limit
    base: float  # seconds before the first retry
    factor: float = 2.0  # each wait is this times the previous one (1: constant)
    maximum: float = math.inf
    linear: bool = False  # waits grow by ``base`` each time instead

    def delay(self, failures: int) -> float:
        """Seconds to wait after the ``failures``-th failure in a row (1-based)."""
        if self.linear:
            seconds = self.base * failures
        else:
            seconds = self.base * self.factor ** (failures - 1)
        return min(seconds, self.maximum)

    def gives_up(self, failures: int) -> bool:
        return self.attempts > 0 and failures >= self.attempts


#: Each request of an upload: 4 tries, waiting 0.5, 1, 2 s.
UPLOAD_RETRY = Backoff(attempts=4, base=0.5)
#: Each page of an export: 5 tries, waiting 1, 2, 4, 8 s.
EXPORT_RETRY = Backoff(attempts=5, base=1.0)


class RateLimited(Exception):
    """X answered 429 and the client waits on rate limits: wait, then resend."""

    def __init__(self, error: BaseException, wait_seconds: float) -> None:
        super().__init__(str(error))
        self.error = error
        self.wait_seconds = wait_seconds


class Retryable(Exception):
    """A failure worth retrying (a 5xx, a connection error); ``error`` is the original."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


class NotSent(Retryable):
    """A failure before the request was written (no connection made): it never reached X."""


def _caused_by(error: BaseException, kinds: tuple[type[BaseException], ...]) -> bool:
    # requests wraps urllib3's error in its own: MaxRetryError(reason=NewConnectionError).
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(error, kinds) or isinstance(reason, kinds)


def classify(
    error: BaseException,
    *,
    now: Optional[float] = None,
    connection_errors: tuple[type[BaseException], ...] = (),
    unsent_errors: tuple[type[BaseException], ...] = (),
    wait_on_rate_limit: bool = False,
    rate_limit_fallback: float = 0.0,
) -> BaseException:
    """What a flow should see for an error of a transport.

    :class:`NotSent` for ``unsent_errors`` (the transport's errors of a request
    that was never written, such as a refused connection), :class:`Retryable`
    for 5xx answers and ``connection_errors``, :class:`RateLimited` for a 429
    when the client waits on rate limits (until X's reset, or
    ``rate_limit_fallback`` seconds when X named none, 0 as tweepy does), and
    the error itself otherwise. ``now`` (epoch seconds)
    defaults to the clock.
    """
    if unsent_errors and _caused_by(error, unsent_errors):
        return NotSent(error)
    if isinstance(error, tweepy.TwitterServerError) or isinstance(error, connection_errors):
        return Retryable(error)
    if wait_on_rate_limit and isinstance(error, tweepy.TooManyRequests):
        now = time.time() if now is None else now
        reset = reset_time(error.response.headers)
        return RateLimited(error, wait_for_reset(reset, now, fallback=rate_limit_fallback))
    return error


def retry_wait(error: BaseException, now: float, *, otherwise: float) -> float:
    """Seconds to wait before trying again after ``error``, for waiters that are not flows.

    A 429 waits until X's window resets (:data:`DEFAULT_RATE_LIMIT_WAIT` when X
    did not say when); anything else waits ``otherwise``.
    """
    classified = classify(
        error, now=now, wait_on_rate_limit=True, rate_limit_fallback=DEFAULT_RATE_LIMIT_WAIT
    )
    return classified.wait_seconds if isinstance(classified, RateLimited) else otherwise


def retrying(request: Any, backoff: Optional[Backoff] = None) -> Generator[Any, Any, Any]:
    """Flow: send ``request``, waiting out rate limits and retrying as ``backoff`` says.

    Without ``backoff``, a :class:`Retryable` failure is raised at once.
    """
    failures = 0
    while True:
        try:
            return (yield Send(request))
        except RateLimited as limited:
            # Like tweepy's wait_on_rate_limit: wait out the window, however often.
            if limited.wait_seconds > 0:
                log.warning("Rate limit exceeded. Sleeping for %d seconds.", limited.wait_seconds)
            yield Sleep(limited.wait_seconds)
        except Retryable as failure:
            failures += 1
            if backoff is None or backoff.gives_up(failures):
                raise failure.error from None
            yield Sleep(backoff.delay(failures))
