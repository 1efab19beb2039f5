"""Per-user rate limits, counted on the emulator's clock."""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping, Sequence
from typing import Any, Callable, Optional, Union

from tweepy_dm.emulator._errors import too_many_requests

#: A limit: that many requests per that many seconds.
Window = tuple[int, float]

_MINUTES_15 = 15 * 60
_HOURS_24 = 24 * 60 * 60
_LOOKUP = ((15, _MINUTES_15),)
_CREATE = ((15, _MINUTES_15), (1440, _HOURS_24))
_BLOCK = ((10, _MINUTES_15), (400, _HOURS_24))
_CHUNKED = ((1875, _MINUTES_15),)

#: X's documented per-user limits of each endpoint (2026 docs), keyed as
#: ``"METHOD /path/{template}"``. The media download has no documented limit;
#: it gets the one-shot upload's.
X_RATE_LIMITS: Mapping[str, tuple[Window, ...]] = {
    "GET /2/dm_events": _LOOKUP,
    "GET /2/dm_events/{event_id}": _LOOKUP,
    "DELETE /2/dm_events/{event_id}": ((300, _MINUTES_15), (1500, _HOURS_24)),
    "GET /2/dm_conversations/with/{participant_id}/dm_events": _LOOKUP,
    "GET /2/dm_conversations/{dm_conversation_id}/dm_events": _LOOKUP,
    "POST /2/dm_conversations/with/{participant_id}/messages": _CREATE,
    "POST /2/dm_conversations/{dm_conversation_id}/messages": _CREATE,
    "POST /2/dm_conversations": _CREATE,
    "GET /2/dm_conversations/media/{dm_id}/{media_id}/{resource_id}": ((500, _MINUTES_15),),
    "POST /2/users/{id}/dm/block": _BLOCK,
    "POST /2/users/{id}/dm/unblock": _BLOCK,
    "POST /2/media/upload": ((500, _MINUTES_15),),
    "POST /2/media/upload/initialize": _CHUNKED,
    "POST /2/media/upload/{id}/append": _CHUNKED,
    "POST /2/media/upload/{id}/finalize": _CHUNKED,
    "GET /2/media/upload": _CHUNKED,
}

RateLimits = Union[bool, Mapping[str, Any]]


def _windows(value: Any) -> tuple[Window, ...]:
    # (limit, seconds) or a sequence of such pairs.
    if (
        isinstance(value, Sequence)
        and len(value) == 2
        and all(isinstance(part, (int, float)) for part in value)
    ):
        value = [value]
    windows = tuple((int(limit), float(seconds)) for limit, seconds in value)
    if not windows or any(limit < 0 or seconds <= 0 for limit, seconds in windows):
        raise ValueError(f"rate limit must be (limit, seconds) pairs, not {value!r}")
    return windows


class RateLimiter:
    """Counts requests per endpoint and caller in fixed windows.

    A window starts with the first request after the previous one ended, as
    X's do. Endpoints that are not enforced still get headers, with X's
    numbers and a budget that never runs out.
    """

    def __init__(self, rate_limits: RateLimits, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[tuple[str, str, int], list[float]] = {}
        self._enforced: dict[str, tuple[Window, ...]] = {}
        self._default: tuple[Window, ...] = ()
        if rate_limits is True:
            self._enforced = dict(X_RATE_LIMITS)
        elif isinstance(rate_limits, Mapping):
            for endpoint, value in rate_limits.items():
                if endpoint == "*":
                    self._default = _windows(value)
                elif endpoint in X_RATE_LIMITS:
                    self._enforced[endpoint] = _windows(value)
                else:
                    raise ValueError(
                        f"unknown endpoint {endpoint!r} in rate_limits; use '*' or one of "
                        f"{sorted(X_RATE_LIMITS)}"
                    )
        elif rate_limits is not False:
            raise TypeError(f"rate_limits must be a bool or a mapping, not {rate_limits!r}")

    def reset(self) -> None:
        with self._lock:
            self._buckets.clear()

    def idle_headers(self, endpoint: Optional[str]) -> dict[str, str]:
        """Headers for an answer that is not counted (say, a 401)."""
        windows = self._enforced.get(endpoint or "", self._default)
        limit, seconds = (windows or X_RATE_LIMITS.get(endpoint or "", _LOOKUP))[0]
        reset = (math.floor(self._clock() / seconds) + 1) * seconds
        return _headers("x-rate-limit", limit, limit, reset)

    def hit(self, endpoint: str, caller: str) -> dict[str, str]:
        """Count one request and return the rate-limit headers for its answer.

        Raises a 429 Problem (carrying the headers) when a window is spent;
        refused requests are not counted.
        """
        now = self._clock()
        windows = self._enforced.get(endpoint, self._default)
        if not windows:
            return self.idle_headers(endpoint)
        with self._lock:
            buckets = []
            for index, (_, seconds) in enumerate(windows):
                bucket = self._buckets.get((endpoint, caller, index))
                if bucket is None or now >= bucket[0] + seconds:
                    bucket = self._buckets[endpoint, caller, index] = [now, 0]
                buckets.append(bucket)
            spent = any(bucket[1] >= limit for bucket, (limit, _) in zip(buckets, windows))
            if not spent:
                for bucket in buckets:
                    bucket[1] += 1
            headers: dict[str, str] = {}
            for index, (bucket, (limit, seconds)) in enumerate(zip(buckets, windows)):
                prefix = "x-rate-limit" if index == 0 else f"x-user-limit-{_name(seconds)}"
                headers.update(_headers(prefix, limit, limit - int(bucket[1]), bucket[0] + seconds))
        if spent:
            problem = too_many_requests()
            problem.headers.update(headers)
            raise problem
        return headers


def _name(seconds: float) -> str:
    # X names its daily window x-user-limit-24hour-*.
    if seconds % 3600 == 0:
        return f"{int(seconds // 3600)}hour"
    return f"{int(seconds)}s"


def _headers(prefix: str, limit: int, remaining: int, reset: float) -> dict[str, str]:
    return {
        f"{prefix}-limit": str(limit),
        f"{prefix}-remaining": str(max(remaining, 0)),
        f"{prefix}-reset": str(math.ceil(reset)),
    }
