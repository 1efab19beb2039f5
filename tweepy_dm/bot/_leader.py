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

from tweepy_dm.bot._store import Store

log = logging.getLogger("tweepy_dm.bot")


class Leadership:
    """Runs ``lead(stop)`` while this process holds the lease ``name``.

    ``lead`` must return soon after ``stop`` is set; it is called again each
    time the lease is won anew.
    """

    def __init__(
        self,
        store: Store,
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
        try:
            while not stop.is_set():
                try:
                    held = self.store.acquire(self.name, self.owner, self.clock(), self.ttl)
                except Exception:
                    log.exception("Could not renew the lease %r; stepping down", self.name)
                    held = False
                if held and not self.leading:
                    self._start()
                elif not held and self.leading:
                    log.warning("Lost the lease %r to another process", self.name)
                    self._end()
                if self.leading and self._thread is not None and not self._thread.is_alive():
                    # The source ended by itself (an error): let another try.
                    self._end()
                    self.store.give_up(self.name, self.owner)
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
