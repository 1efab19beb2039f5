"""DMPoller: the inbox's source for apps without the Activity API, by ``GET /2/dm_events``."""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import threading
import time
from typing import Any, Callable, Optional, Union

import tweepy

from tweepy_dm._facts import (
    CHAT_RATE_LIMITS,
    CHAT_REQUEST_INBOXES,
    CLOCK_SKEW_SECONDS,
    MAX_CHAT_REQUESTS,
    MAX_RESULTS,
    MIN_RESULTS,
)
from tweepy_dm._models import parse_datetime
from tweepy_dm._policy import RateLimit, retry_wait, wait_for_reset

log = logging.getLogger("tweepy_dm.bot")

#: The fields a handler gets, as ``GET /2/dm_events/:id`` returns them.
FIELDS = [
    "id",
    "text",
    "event_type",
    "sender_id",
    "dm_conversation_id",
    "created_at",
    "attachments",
    "entities",
    "referenced_tweets",
]
#: How far back a new store starts, by default.
DEFAULT_SINCE_SECONDS = 300.0


def _epoch(value: Any) -> Optional[float]:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            raise ValueError("since must be timezone-aware (e.g. datetime.timezone.utc)")
        return value.timestamp()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(
            f"since must be a timezone-aware datetime or epoch seconds, not {type(value).__name__}"
        )
    return float(value)


class DMPoller:
    """Polls one account's DMs into a :class:`~tweepy_dm.DMBot`'s inbox.

    For apps without Activity API access. Each poll asks ``GET /2/dm_events``
    for the newest messages and pages back until the last event it saw (its
    checkpoint, kept in the bot's store), so that a burst longer than a page
    is not missed; the checkpoint moves in the same transaction that adds the
    events to the inbox. On a store that has no checkpoint yet it starts from
    ``since``: by default five minutes before the store was created, so that
    neither the account's old history nor the first messages sent while the
    bot was starting are mishandled.

    A client made with ``xchat_key`` polls XChat instead: ``GET
    /2/chat/conversations`` (most recently active first) down to the first
    conversation not updated since the last poll, then each changed
    conversation's events back to the newest one it saw there, decrypted and
    verified but for the bot's own and those seen (X's envelope names their
    sender and sequence id: they are left encrypted);
    when X flags pending message requests, one page of them too (their
    conversations are not in that list).

    Polls are spread over X's budget as the rate-limit headers of each answer
    state it (``x-rate-limit-remaining`` requests until
    ``x-rate-limit-reset``), never faster than ``min_interval``. With several
    processes, only the one holding the poller's lease in the store polls.

    .. versionadded:: 0.2

    Parameters
    ----------
    client : tweepy_dm.Client | tweepy_dm.AsyncClient
        The account's client; with ``xchat_key``, the poller reads XChat.
    since : datetime.datetime | float | None
        Where a new store starts: a timezone-aware datetime or epoch seconds.
    user_id : int | str | None
        The account's id; by default the bot learns it with ``get_me``.
    min_interval : float
        The shortest wait between polls, in seconds.
    max_results : int
        Events per page (1 to 100).

    Raises
    ------
    TypeError, ValueError
        A parameter has the wrong type or value.
    """

    def __init__(
        self,
        client: Any,
        *,
        since: Union[datetime.datetime, float, None] = None,
        user_id: Any = None,
        min_interval: float = 1.0,
        max_results: int = MAX_RESULTS,
    ) -> None:
        if not callable(getattr(client, "get_dm_events", None)):
            raise TypeError(
                f"client must be a tweepy_dm.Client (or an installed tweepy.Client), "
                f"not {type(client).__name__}"
            )
        if isinstance(max_results, bool) or not isinstance(max_results, int):
            raise TypeError(f"max_results must be an int, not {type(max_results).__name__}")
        if not MIN_RESULTS <= max_results <= MAX_RESULTS:
            raise ValueError(
                f"max_results must be {MIN_RESULTS} to {MAX_RESULTS}, not {max_results}"
            )
        if isinstance(min_interval, bool) or not isinstance(min_interval, (int, float)):
            raise TypeError(f"min_interval must be seconds, not {type(min_interval).__name__}")
        if min_interval < 0:
            raise ValueError(f"min_interval must not be negative, not {min_interval}")
        self.client = client
        self.since = _epoch(since)
        self.user_id = None if user_id is None else str(user_id)
        self.min_interval = float(min_interval)
        self.max_results = max_results
        self._resume: Optional[tuple[Optional[str], int]] = None  # (token, newest id) mid-paging
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<DMPoller user_id={self.user_id} since={self.since}>"

    @property
    def lease_name(self) -> str:
        return f"poller:{self.user_id}"

    def poll(self, bot: Any, *, clock: Callable[[], float] = time.time) -> float:
        """Poll once into ``bot``'s inbox; returns the seconds to wait before the next poll."""
        with self._lock:
            if getattr(self.client, "__dict__", {}).get("_xchat_keys") is not None:
                return self._poll_xchat(bot, clock)
            return self._poll(bot, clock)

    def _poll_xchat(self, bot: Any, clock: Callable[[], float]) -> float:
        """Poll XChat: the conversations by recent activity, then each changed one's new events.

        The checkpoint (``xchat-poller:<user id>``) holds the newest event time
        seen and, per conversation, the newest sequence id: X's ``GET
        /2/chat/conversations`` lists conversations by ``updated_at``, newest
        first, so paging stops at the first one not updated since then (less
        the clock skew allowed).
        """
        store = bot.store
        if self.user_id is None:
            self.user_id = bot.id_of(self.client)
        key = f"xchat-poller:{self.user_id}"
        saved = store.get_meta(key)
        state = json.loads(saved) if saved else {"at": None, "seen": {}}
        since = self.since if self.since is not None else store.created_at() - DEFAULT_SINCE_SECONDS
        watermark = max(since, state["at"] or since) - CLOCK_SKEW_SECONDS
        changed: list[str] = []
        from_requests: list[str] = []
        token = None
        requests = dict(state.get("requests") or {})
        try:
            while True:
                answer, headers = bot.call(
                    self.client,
                    "get_chat_conversations",
                    raw=True,
                    chat_conversation_fields=["id", "updated_at"],
                    max_results=MAX_RESULTS,
                    pagination_token=token,
                )
                if token is None and (answer.get("meta") or {}).get("has_message_requests"):
                    from_requests = self._requests_changed(bot, requests)
                conversations = answer.get("data") or []
                for conversation in conversations:
                    updated = conversation.get("updated_at")
                    if updated is not None and parse_datetime(updated).timestamp() < watermark:
                        conversations = []  # older ones were not updated either
                        break
                    changed.append(str(conversation["id"]))
                token = (answer.get("meta") or {}).get("next_token")
                if not token or not conversations:
                    break
            # Pending message requests are not in the inbox's list: what is read from them
            # is marked so, and the rest is not, so handling asks X nothing more.
            listed = set(changed)
            requested = dict.fromkeys(c for c in from_requests if c not in listed)
            changed.extend(requested)
            rows: list[dict[str, Any]] = []
            seen, newest_at, pages = dict(state["seen"]), state["at"], 0
            for conversation in dict.fromkeys(changed):
                last = seen.get(conversation)
                token = None
                while True:
                    # The bot's own messages and those seen come undecrypted: only their
                    # place is needed.
                    page, token = bot.xchat_page(
                        self.client,
                        conversation,
                        max_results=self.max_results,
                        pagination_token=token,
                        seen=last,
                    )
                    pages += 1
                    done = False
                    for event in page:
                        at = event.at
                        if (last is not None and event.sequence <= last) or (
                            at is not None and at < since
                        ):
                            done = True
                            break
                        seen[conversation] = max(seen.get(conversation) or 0, event.sequence)
                        if at is not None:
                            newest_at = max(newest_at or at, at)
                        if event.dm is None:
                            continue  # the bot's own (older ones ended the loop above)
                        row = bot.dm_row(
                            event.dm,
                            self.user_id,
                            "poll",
                            message_request=conversation in requested,
                        )
                        if row is not None:
                            rows.append(row)
                    if done or not token:
                        break
        except tweepy.TooManyRequests as error:
            return max(self.min_interval, retry_wait(error, clock(), otherwise=self.min_interval))
        progress = {"at": newest_at, "seen": seen, **({"requests": requests} if requests else {})}
        checkpoint = json.dumps(progress, sort_keys=True)
        bot.ingest_rows(rows, checkpoint=(key, checkpoint) if checkpoint != saved else None)
        # X's headers pace the conversation list; the events pages (read through X's SDK)
        # are paced by X's documented window, spread evenly (an assumption, in _facts).
        limit, seconds = CHAT_RATE_LIMITS["GET /2/chat/conversations/{id}/events"][0]
        return max(self._pace(RateLimit.from_headers(headers), clock()), pages * seconds / limit)

    def _requests_changed(self, bot: Any, requests: dict[str, str]) -> list[str]:
        """The message requests with a message since the last poll; ``requests`` updated.

        A first message that the bot user's ``allow_dms_from`` keeps out of the
        inbox waits as a message request, which ``GET /2/chat/conversations``
        does not list (it flags them with ``meta.has_message_requests``), and
        which stays pending when the bot replies. Both of X's request inboxes
        are read to their end (X may answer an empty page with a
        ``next_token``); a request is read again only when its newest
        (encrypted) event changed.
        """
        changed = []
        for inbox in CHAT_REQUEST_INBOXES:
            token = None
            while True:
                answer, _ = bot.call(
                    self.client,
                    "get_chat_message_requests",
                    raw=True,
                    inbox_type=inbox,
                    max_results=MAX_CHAT_REQUESTS,
                    pagination_token=token,
                )
                for item in answer.get("data") or []:
                    events = item.get("message_events") or [
                        item.get("encoded_message_create_event")
                    ]
                    mark = hashlib.sha256(str(events[0]).encode()).hexdigest()[:16]
                    conversation = str(item["conversation_id"])
                    if requests.get(conversation) != mark:
                        requests[conversation] = mark
                        changed.append(conversation)
                token = (answer.get("meta") or {}).get("next_token")
                if not token:
                    break
        return changed

    def _pace(self, limit: RateLimit, now: float) -> float:
        if limit.remaining is None or limit.reset is None:
            return self.min_interval
        if limit.remaining <= 0:
            return max(self.min_interval, wait_for_reset(limit.reset, now))
        # Spread the window's remaining requests over the time left in it.
        return max(self.min_interval, (limit.reset - now) / limit.remaining)

    def _poll(self, bot: Any, clock: Callable[[], float]) -> float:
        store = bot.store
        if self.user_id is None:
            self.user_id = bot.id_of(self.client)
        key = f"poller:{self.user_id}"
        saved = store.get_meta(key)
        last_seen = int(saved) if saved else None
        since = self.since if self.since is not None else store.created_at() - DEFAULT_SINCE_SECONDS
        token, newest = self._resume if self._resume else (None, 0)
        rows: list[dict[str, Any]] = []
        limit = RateLimit(None, None, None)
        limited: Optional[tweepy.TooManyRequests] = None
        done = False
        while True:
            try:
                response, headers = bot.call(
                    self.client,
                    "get_dm_events",
                    dm_event_fields=FIELDS,
                    event_types="MessageCreate",
                    max_results=self.max_results,
                    pagination_token=token,
                )
            except tweepy.TooManyRequests as error:
                limited = error
                break
            limit = RateLimit.from_headers(headers)
            page = list(response.data or [])
            for dm in page:
                newest = max(newest, int(dm.id))
                older = dm.created_at is not None and dm.created_at.timestamp() < since
                if (last_seen is not None and int(dm.id) <= last_seen) or older:
                    done = True
                    break
                row = bot.dm_row(dm, self.user_id, "poll")
                if row is not None:
                    rows.append(row)
            token = (response.meta or {}).get("next_token")
            if done or not token:
                done = True
                break
            if limit.remaining is not None and limit.remaining <= 1:
                break  # page on after the window resets, before looking at the newest again
        if done:
            self._resume = None
            checkpoint: Optional[tuple[str, str]] = None
            if newest and (last_seen is None or newest > last_seen):
                checkpoint = (key, str(newest))
            bot.ingest_rows(rows, checkpoint=checkpoint)
        else:
            self._resume = (token, newest)
            bot.ingest_rows(rows)
        now = clock()
        if limited is not None:
            return max(self.min_interval, retry_wait(limited, now, otherwise=self.min_interval))
        return self._pace(limit, now)
