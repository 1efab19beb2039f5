"""Leadership through a lease in the store, renewed by heartbeat.

A lease is a row with an owner and an expiry; the leader renews it every
``ttl / 3`` seconds. A leader that stops renewing (killed, frozen, cut off
from the store) loses it when it expires, and another process takes over
within ``ttl`` seconds plus one heartbeat. An advisory lock would instead
live as long as the dead machine's database session, until TCP keepalive
notices.
"""

from __future__ import annotations

import logging
import threading
from typing import Callable, Optional

from tweepy_dm.bot._store import BotStore

log = logging.getLogger("tweepy_dm.bot")


class FailureStreak:
    """Logs a run of failures of one loop without flooding the log while, say, the
    database restarts: the first with its traceback, then one line at the 2nd, 4th,
    8th, … failure in a row, and one when it works again."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.count = 0

    def failed(self, error: BaseException) -> int:
        """Count a failure (and log it if due); returns how many in a row."""
        self.count += 1
        if self.count == 1:
            log.error("%s failed; retrying", self.what, exc_info=error)
        elif self.count & (self.count - 1) == 0:
            log.warning(
                "%s still failing (%d times in a row): %s: %s",
                self.what,
                self.count,
                type(error).__name__,
                str(error).strip().splitlines()[0] if str(error).strip() else "",
            )
        return self.count

    def succeeded(self) -> None:
        if self.count:
            log.warning("%s works again after %d failures", self.what, self.count)
        self.count = 0


class Leadership:
    """Runs ``lead(stop)`` while this process holds the lease ``name``.

    ``lead`` must return soon after ``stop`` is set; it is called again each
    time the lease is won anew.
    """

    def __init__(
        self,
        store: BotStore,
        name: str,
        owner: str,
        lead: Callable[[threading.Event], None],
        *,
        ttl: float,
        clock: Callable[[], float],
    ) -> None:
        self.store = store
        self.name = name
        self.owner = owner
        self.lead = lead
        self.ttl = ttl
        self.clock = clock
        self.leading = False
        self._term: Optional[threading.Event] = None
        self._thread: Optional[threading.Thread] = None

    def run(self, stop: threading.Event) -> None:
        """Heartbeat until ``stop``; lead while the lease is ours."""
        streak = FailureStreak(f"Renewing the lease {self.name!r}")
        try:
            while not stop.is_set():
                try:
                    held = self.store.acquire(self.name, self.owner, self.clock(), self.ttl)
                    streak.succeeded()
                except Exception as error:
                    streak.failed(error)
                    held = False
                if held and not self.leading:
                    self._start()
                elif not held and self.leading:
                    log.warning("Lost the lease %r to another process", self.name)
                    self._end()
                if self.leading and self._thread is not None and not self._thread.is_alive():
                    # The source ended by itself (an error): let another try.
                    self._end()
                    try:
                        self.store.give_up(self.name, self.owner)
                    except Exception as error:  # it expires by itself
                        streak.failed(error)
                    stop.wait(self.ttl)
                    continue
                stop.wait(self.ttl / 3)
        finally:
            if self.leading:
                self._end()
                try:
                    self.store.give_up(self.name, self.owner)
                except Exception:
                    log.exception("Could not give up the lease %r", self.name)

    def _start(self) -> None:
        log.info("Leading %r as %s", self.name, self.owner)
        self.leading = True
        self._term = threading.Event()
        self._thread = threading.Thread(
            target=self._lead, args=(self._term,), name=f"tweepy-dm {self.name}", daemon=True
        )
        self._thread.start()

    def _lead(self, term: threading.Event) -> None:
        try:
            self.lead(term)
        except Exception:
            log.exception("The source %r failed", self.name)

    def _end(self) -> None:
        self.leading = False
        if self._term is not None:
            self._term.set()
        if self._thread is not None:
            self._thread.join(30)
        self._term = self._thread = None
