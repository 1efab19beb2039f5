"""A bounded memory of the events already delivered, shared by the stream and webhooks."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import Callable, Optional


class SeenKeys:
    """Remembers keys, forgetting the oldest beyond ``max_keys`` or older than ``max_age``.

    A key can also be *claimed*: held while its handler runs, so that a second
    delivery of the same event meanwhile is not dispatched twice, and only
    remembered once the handler returned (:meth:`finish`). Thread-safe.
    """

    def __init__(
        self,
        max_keys: int = 100_000,
        *,
        max_age: Optional[float] = None,
        clock: Optional[Callable[[], float]] = None,
    ) -> None:
        if isinstance(max_keys, bool) or not isinstance(max_keys, int) or max_keys < 1:
            raise ValueError(f"max_keys must be a positive int, got {max_keys!r}")
        self.max_keys = max_keys
        self.max_age = max_age
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._claimed: set[str] = set()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._seen)

    def __contains__(self, key: object) -> bool:
        return key in self._seen

    def add(self, keys: Iterable[str]) -> bool:
        """Remember ``keys``; False (and nothing changed) if any of them was already known."""
        if type(keys) is not tuple:
            keys = tuple(keys)
        with self._lock:
            seen = self._seen
            for key in keys:
                if key in seen:
                    return False
            self._remember(keys)
            return True

    def claim(self, keys: Iterable[str]) -> bool:
        """Hold ``keys`` for a handler; False if any is known or held by another."""
        if type(keys) is not tuple:
            keys = tuple(keys)
        with self._lock:
            seen, claimed = self._seen, self._claimed
            for key in keys:
                if key in seen or key in claimed:
                    return False
            claimed.update(keys)
            return True

    def finish(self, keys: Iterable[str], *, handled: bool) -> None:
        """Release claimed ``keys``, remembering them if the handler succeeded."""
        if type(keys) is not tuple:
            keys = tuple(keys)
        with self._lock:
            self._claimed.difference_update(keys)
            if handled:
                self._remember(keys)

    def _remember(self, keys: tuple[str, ...]) -> None:
        now = self._clock() if self._clock is not None else 0.0
        seen = self._seen
        for key in keys:
            if key in seen:  # a new key is appended, last, already
                seen.move_to_end(key)
            seen[key] = now
        while len(seen) > self.max_keys:
            seen.popitem(last=False)
        if self.max_age is not None:
            horizon = now - self.max_age
            while self._seen:
                oldest = next(iter(self._seen.values()))
                if oldest >= horizon:
                    break
                self._seen.popitem(last=False)
