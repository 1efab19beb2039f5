"""The inbox's worker: claim a message, run the handler within its timeout, commit its replies."""

from __future__ import annotations

import asyncio
import inspect
import logging
import threading
from typing import Any, Optional

from tweepy_dm._models import DirectMessageEvent
from tweepy_dm.bot._inbox import Context

log = logging.getLogger("tweepy_dm.bot")


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


class Inbox:
    """Handles the messages of a :class:`~tweepy_dm.bot.DMBot`'s inbox, one claim at a time.

    The bot's settings (store, handler, lease, timeout, retries) are read from
    ``bot`` at each claim, so they may change until the bot runs.
    """

    def __init__(self, bot: Any) -> None:
        self.bot = bot

    def __repr__(self) -> str:
        return f"<Inbox of {self.bot!r}>"

    def handle_one(self, owner: str) -> bool:
        if self.bot._handler is None:
            raise RuntimeError("no handler: register one with @bot.on_direct_message")
        row = self.bot.store.claim_inbox(
            owner, self.bot.clock(), self.bot.lease, self.bot.max_attempts
        )
        if row is None:
            return False
        message = DirectMessageEvent(row.payload)
        context = Context(row.bot_id, message, row.attempts, row.source, row.conversation_id)
        try:
            self.bot._message_request(context)
            self.run_handler(message, context)
        except BaseException as error:
            # sys.exit() or any BaseException in a handler is the handler's failure, not
            # the worker's end; only Ctrl-C in the main thread stops the caller.
            if isinstance(error, KeyboardInterrupt) and _in_main_thread():
                raise
            context.closed = True
            if isinstance(error, TimeoutError):
                text = f"the handler ran past {self.bot.handler_timeout:g} s"
            else:
                text = f"{type(error).__name__}: {error}"[:1000]
            log.warning(
                "The handler failed on DM %s (attempt %d): %s",
                row.event_id,
                row.attempts,
                text,
                exc_info=not isinstance(error, TimeoutError),
            )
            dead = self.bot.retry.gives_up(row.attempts) or row.attempts >= self.bot.max_attempts
            retry_at = None if dead else self.bot.clock() + self.bot.retry.delay(row.attempts)
            self.bot.store.fail(row.event_id, owner, text, retry_at)
            return True
        context.closed = True
        if not self.bot.store.complete(row.event_id, owner, context.replies, self.bot.clock()):
            log.warning(
                "DM %s: the lease expired before the handler finished; another worker handles it",
                row.event_id,
            )
        return True

    def run_handler(self, message: DirectMessageEvent, context: Context) -> None:
        """Run the handler on a thread of its own, for at most ``handler_timeout`` seconds.

        A coroutine handler gets an event loop on that thread too, so that one
        that blocks (a ``time.sleep`` in an ``async def``) cannot hold the worker;
        it is cancelled at its next ``await``.
        """
        handler = self.bot._handler
        assert handler is not None
        outcome: list[Optional[BaseException]] = []
        running: dict[str, Any] = {}

        async def bounded(coroutine: Any) -> None:
            running["loop"], running["task"] = asyncio.get_running_loop(), asyncio.current_task()
            await coroutine

        def call() -> None:
            try:
                result = handler(message, context)
                if inspect.iscoroutine(result) and inspect.iscoroutinefunction(handler):
                    asyncio.run(bounded(result))
                elif inspect.isawaitable(result):
                    raise TypeError("the handler returned an awaitable; declare it async def")
                outcome.append(None)
            except BaseException as error:
                outcome.append(error)

        thread = threading.Thread(target=call, name="tweepy-dm handler", daemon=True)
        thread.start()
        thread.join(self.bot.handler_timeout)
        if thread.is_alive():
            context.closed = True
            if running:
                try:
                    running["loop"].call_soon_threadsafe(running["task"].cancel)
                except RuntimeError:  # the loop closed meanwhile
                    pass
            raise TimeoutError
        if outcome and outcome[0] is not None:
            raise outcome[0]
