"""Plain (blocking) handlers called from an event loop, off the loop, at little cost per call.

``loop.run_in_executor`` costs a future, a thread wake-up and a write to the
loop's self-pipe per call, and its pool starts a new thread for each call
that arrives while the others are busy, so that a burst of quick calls on one
core is shared by threads that take the interpreter lock from each other.
:class:`HandlerThreads` keeps quick handlers on one thread, in the order the
requests arrived, takes the calls of one turn of the loop together and hands
results back to the loop in batches: one wake-up for every result that
finished meanwhile. It starts another thread only when every thread has
been inside one call for :data:`GROW_AFTER` seconds with calls waiting, so
that a slow handler (an HTTP call, a database) never holds the others back
for long, and it never blocks the event loop.
"""

from __future__ import annotations

import asyncio
import collections
import os
import queue
import threading
import time
from typing import Any, Callable, Optional

#: Seconds every thread must have spent in one call, with calls waiting, before another starts.
GROW_AFTER = 0.01
#: At most this many threads (as many as asyncio's default executor).
MAX_THREADS = min(32, (os.cpu_count() or 1) + 4)
#: A thread with nothing to do for this long ends (another starts when needed).
IDLE_SECONDS = 60.0


class _Inbox:
    """The results finished for one event loop, not yet handed to it."""

    __slots__ = ("loop", "done", "waking", "outstanding", "timer", "pending")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.done: collections.deque[tuple[asyncio.Future[Any], Any, Optional[BaseException]]] = (
            collections.deque()
        )
        self.waking = False
        self.outstanding = 0
        self.timer: Optional[asyncio.TimerHandle] = None
        #: Calls made during this turn of the loop, handed to the threads at its end.
        self.pending: list[tuple[Any, ...]] = []


class HandlerThreads:
    """Runs blocking calls for coroutines, on threads of its own (see the module)."""

    def __init__(
        self,
        *,
        grow_after: Optional[float] = None,
        max_threads: Optional[int] = None,
        name: str = "tweepy-dm-handler",
    ) -> None:
        self.grow_after = GROW_AFTER if grow_after is None else grow_after
        self.max_threads = MAX_THREADS if max_threads is None else max_threads
        self.name = name
        self._jobs: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._lock = threading.Lock()
        #: Per thread: when its current call started, or None between calls.
        self._since: list[Optional[float]] = []
        self._inboxes: dict[asyncio.AbstractEventLoop, _Inbox] = {}

    @property
    def threads(self) -> int:
        """How many threads there are now."""
        return sum(1 for since in self._since if since != -1.0)

    def run(self, function: Callable[..., Any], args: tuple[Any, ...]) -> asyncio.Future[Any]:
        """A future of ``function(*args)``, called on one of the threads; call from the loop."""
        loop = asyncio.get_running_loop()
        inbox = self._inboxes.get(loop)
        if inbox is None:
            inbox = self._inboxes[loop] = _Inbox(loop)
        inbox.outstanding += 1
        future = loop.create_future()
        pending = inbox.pending
        pending.append((inbox, future, function, args))
        if len(pending) == 1:
            loop.call_soon(self._submit, inbox)
        return future

    def _submit(self, inbox: _Inbox) -> None:
        # The calls of one turn of the loop go to the threads together: a
        # thread woken by the first would otherwise take the interpreter
        # lock from the loop at its next system call, for that call alone.
        jobs, inbox.pending = inbox.pending, []
        put = self._jobs.put
        for job in jobs:
            put(job)
        if not self._someone_free():
            self._grow()
        if inbox.timer is None:
            inbox.timer = inbox.loop.call_later(self.grow_after, self._check, inbox)

    def _someone_free(self) -> bool:
        """Whether a thread is between calls or has been in its call for less than grow_after."""
        horizon = time.monotonic() - self.grow_after
        for since in self._since:
            if since is None or since > horizon:
                return True
        return False

    def _check(self, inbox: _Inbox) -> None:
        """Timer: if calls still wait, start another thread when every one is held up."""
        inbox.timer = None
        if self._jobs.empty():
            return
        if not self._someone_free():
            self._grow()
        inbox.timer = inbox.loop.call_later(self.grow_after, self._check, inbox)

    def _grow(self) -> None:
        with self._lock:
            live = [index for index, since in enumerate(self._since) if since != -1.0]
            if len(live) >= self.max_threads:
                return
            try:  # reuse the slot of a thread that ended
                slot = self._since.index(-1.0)
                self._since[slot] = None
            except ValueError:
                slot = len(self._since)
                self._since.append(None)
        threading.Thread(
            target=self._work, args=(slot,), name=f"{self.name}-{slot}", daemon=True
        ).start()

    def _work(self, slot: int) -> None:
        since = self._since
        jobs = self._jobs
        while True:
            try:
                inbox, future, function, args = jobs.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                with self._lock:
                    if jobs.empty():
                        since[slot] = -1.0  # this thread ends; run() starts one when needed
                        return
                continue
            since[slot] = time.monotonic()
            try:
                result, error = function(*args), None
            except BaseException as raised:  # handed to the coroutine that awaits it
                result, error = None, raised
            since[slot] = None
            inbox.done.append((future, result, error))
            del future, result, error
            if not inbox.waking:
                inbox.waking = True
                try:
                    inbox.loop.call_soon_threadsafe(self._deliver, inbox)
                except RuntimeError:  # the loop was closed: nobody awaits these results
                    inbox.done.clear()

    def _deliver(self, inbox: _Inbox) -> None:
        # Cleared before the results are taken: a result added after this
        # point schedules another delivery (at worst one with nothing to do).
        inbox.waking = False
        done = inbox.done
        while done:
            future, result, error = done.popleft()
            inbox.outstanding -= 1
            if future.cancelled():
                continue
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(result)
        if inbox.outstanding == 0 and self._inboxes.get(inbox.loop) is inbox:
            del self._inboxes[inbox.loop]
