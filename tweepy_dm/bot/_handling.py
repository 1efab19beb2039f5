"""The inbox's worker: claim a message, run the handler within its timeout, commit its replies."""

from __future__ import annotations

import asyncio
import inspect
import logging
import threading
from typing import Any, Callable, Optional

from tweepy_dm._models import DirectMessageEvent
from tweepy_dm.bot._inbox import Context
from tweepy_dm.bot._routing import takes_message
from tweepy_dm.bot._store import InboxRow

log = logging.getLogger("tweepy_dm.bot")

#: Messages of one conversation a worker handles in a row, each claimed as soon as the
#: previous one is done, before it looks at the whole inbox again (the oldest message of
#: any conversation, the leases of workers that died): a conversation's backlog goes on
#: without a scan of the inbox per message, and cannot keep a worker from the others.
FOLLOW = 16


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


class Inbox:
    """Handles the messages of a :class:`~tweepy_dm.bot.DMBot`'s inbox, one claim at a time.

    The bot's settings (store, handler, lease, timeout, retries) are read from
    ``bot`` at each claim, so they may change until the bot runs.
    """

    def __init__(self, bot: Any) -> None:
        self.bot = bot
        self._next_timeouts = float("-inf")
        # Per worker: the conversation it just finished a message of, and how many in a row.
        self._following: dict[str, tuple[str, str, int]] = {}

    def __repr__(self) -> str:
        return f"<Inbox of {self.bot!r}>"

    def handle_one(self, owner: str) -> bool:
        router = self.bot._router
        if router.empty(self.bot._handler):
            raise RuntimeError("no handler: register one with @bot.on_direct_message")
        router.check_complete()
        row, streak = self._claim(owner)
        if row is None:
            return self.time_out_one(owner)
        message = DirectMessageEvent(row.payload)
        context = Context(row.bot_id, message, row.attempts, row.source, row.conversation_id)
        conversation = self.bot.store.conversation(row.bot_id, row.conversation_id)
        context.data, context.state = conversation.data, router.active(conversation.state)[1]
        try:
            self.bot._message_request(context, row.message_request)
            choice = router.choose(conversation.state, context, self.bot._handler)
            result = None if choice is None else self.run_handler(message, context, choice.handler)
            saved = router.saved(conversation, choice, result, context.data, self.bot.clock())
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
        now = self.bot.clock()
        if self.bot.store.complete(row.event_id, owner, context.replies, now, saved):
            self._following[owner] = (row.bot_id, row.conversation_id, streak)
        else:
            log.warning(
                "DM %s: the lease expired before the handler finished; another worker handles it",
                row.event_id,
            )
        return True

    def _claim(self, owner: str) -> tuple[Optional[InboxRow], int]:
        """The next message for ``owner``, and how many of its conversation it handled in a
        row before: the conversation it just finished goes on first, up to ``FOLLOW``."""
        store, now = self.bot.store, self.bot.clock()
        following = self._following.pop(owner, None)
        if following is not None and following[2] + 1 < FOLLOW:
            bot_id, conversation_id, streak = following
            row = store.claim_next(
                owner, bot_id, conversation_id, now, self.bot.lease, self.bot.max_attempts
            )
            if row is not None:
                return row, streak + 1
        return store.claim_inbox(owner, now, self.bot.lease, self.bot.max_attempts), 0

    def time_out_one(self, owner: str) -> bool:
        """Run the timeout of one conversation whose state timed out; False if none did.

        A bot without conversations looks once a minute: its store may still
        hold deadlines of conversations its code no longer has, and a message
        that comes after one waits for it to pass.
        """
        router = self.bot._router
        now = self.bot.clock()
        if not router.flows and now < self._next_timeouts:
            return False
        row = self.bot.store.claim_timeout(owner, now, self.bot.lease)
        if row is None:
            self._next_timeouts = now + 60.0
            return False
        flow, state = router.active(row.state)
        context = Context(row.bot_id, None, 1, "timeout", row.conversation_id)
        context.data, context.state = row.data, state
        data = None
        if flow is not None and flow.timeout_handler is not None:
            try:
                self.run_handler(None, context, flow.timeout_handler)
                data = router.saved(row, None, None, context.data, self.bot.clock()).data
            except BaseException as error:
                if isinstance(error, KeyboardInterrupt) and _in_main_thread():
                    raise
                # A timeout is not retried: the conversation ends without the replies.
                context.replies = []
                log.warning(
                    "The timeout handler of conversation %s failed: %s",
                    row.conversation_id,
                    f"{type(error).__name__}: {error}"[:1000],
                    exc_info=not isinstance(error, TimeoutError),
                )
        context.closed = True
        if not self.bot.store.finish_timeout(row, owner, context.replies, self.bot.clock(), data):
            log.warning("Conversation %s: the timeout's lease expired", row.conversation_id)
        return True

    def run_handler(
        self,
        message: Optional[DirectMessageEvent],
        context: Context,
        handler: Optional[Callable[..., Any]] = None,
    ) -> Any:
        """Run a handler (the bot's by default) on a thread of its own, for at most
        ``handler_timeout`` seconds; what it returned.

        A coroutine handler gets an event loop on that thread too, so that one
        that blocks (a ``time.sleep`` in an ``async def``) cannot hold the worker;
        it is cancelled at its next ``await``.
        """
        handler = handler or self.bot._handler
        assert handler is not None
        arguments = (message, context) if takes_message(handler) else (context,)
        outcome: list[Optional[BaseException]] = []
        returned: list[Any] = []
        running: dict[str, Any] = {}

        async def bounded(coroutine: Any) -> Any:
            running["loop"], running["task"] = asyncio.get_running_loop(), asyncio.current_task()
            return await coroutine

        def call() -> None:
            try:
                result = handler(*arguments)
                if inspect.iscoroutine(result) and inspect.iscoroutinefunction(handler):
                    result = asyncio.run(bounded(result))
                elif inspect.isawaitable(result):
                    raise TypeError("the handler returned an awaitable; declare it async def")
                returned.append(result)
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
        return returned[0] if returned else None
