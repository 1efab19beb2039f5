"""Per-user rate limits, counted on the emulator's clock."""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, Callable, Optional, Union

from tweepy_dm._facts import Window
from tweepy_dm.emulator._errors import too_many_requests

#: What an endpoint without a documented limit shows in its headers.
_FALLBACK: tuple[Window, ...] = ((15, 15 * 60),)

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

    def __init__(
        self,
        rate_limits: RateLimits,
        clock: Callable[[], float],
        documented: Mapping[str, tuple[Window, ...]],
        app_documented: Mapping[str, tuple[Window, ...]] = MappingProxyType({}),
    ) -> None:
        # documented: X's per-user limits of the endpoints served, keyed as
        # "GET /2/dm_events"; app_documented: X's per-app limits, which bind
        # the app-only token where X states one.
        self._documented = documented
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[tuple[str, str, int], list[float]] = {}
        self._enforced: dict[str, tuple[Window, ...]] = {}
        self._default: tuple[Window, ...] = ()
        self._app_enforced: dict[str, tuple[Window, ...]] = {}
        if rate_limits is True:
            self._enforced = dict(documented)
            self._app_enforced = {
                endpoint: windows
                for endpoint, windows in app_documented.items()
                if endpoint in documented
            }
        elif isinstance(rate_limits, Mapping):
            for endpoint, value in rate_limits.items():
                if endpoint == "*":
                    self._default = _windows(value)
                elif endpoint in documented:
                    self._enforced[endpoint] = _windows(value)
                else:
                    raise ValueError(
                        f"unknown endpoint {endpoint!r} in rate_limits; use '*' or one of "
                        f"{sorted(documented)}"
                    )
        elif rate_limits is not False:
            raise TypeError(f"rate_limits must be a bool or a mapping, not {rate_limits!r}")

    def reset(self) -> None:
        with self._lock:
            self._buckets.clear()

    @property
    def enforcing(self) -> bool:
        """Whether any endpoint is counted (``rate_limits`` was not False)."""
        return bool(self._enforced or self._default)

    def budgets(self, caller: str) -> dict[str, tuple[int, int, Optional[float]]]:
        """``caller``'s budget of each endpoint it used: (limit, remaining, reset) of
        the first window; an ended window is full again, with no reset yet (for the
        inbox page)."""
        now = self._clock()
        found: dict[str, tuple[int, int, Optional[float]]] = {}
        with self._lock:
            for (endpoint, who, index), (start, used) in self._buckets.items():
                if who != caller or index:
                    continue
                limit, seconds = self._enforced.get(endpoint, self._default)[0]
                if now >= start + seconds:
                    found[endpoint] = (limit, limit, None)
                else:
                    found[endpoint] = (limit, max(limit - int(used), 0), start + seconds)
        return found

    def idle_headers(self, endpoint: Optional[str]) -> dict[str, str]:
        """Headers for an answer that is not counted (say, a 401)."""
        windows = self._enforced.get(endpoint or "", self._default)
        limit, seconds = (windows or self._documented.get(endpoint or "", _FALLBACK))[0]
        reset = (math.floor(self._clock() / seconds) + 1) * seconds
        return _headers("x-rate-limit", limit, limit, reset)

    def hit(self, endpoint: str, caller: Optional[str]) -> dict[str, str]:
        """Count one request and return the rate-limit headers for its answer.

        ``caller`` is the user's id, or None for the app-only token. Raises
        a 429 Problem (carrying the headers) when a window is spent; refused
        requests are not counted.
        """
        now = self._clock()
        windows = self._enforced.get(endpoint, self._default)
        if caller is None:
            windows = self._app_enforced.get(endpoint, windows)
            caller = "app"
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
