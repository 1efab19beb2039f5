"""The outbox's send-then-check, written once as a flow of effects: no I/O.

A claimed outbox message is either sent (:func:`attempt`) or, when an earlier
attempt's answer was lost, looked up in its conversation (:func:`look_up`).
Each flow yields :class:`~tweepy_dm._flow.Send` effects holding requests built
by the endpoint table, is sent back ``(payload, headers)``, and returns an
:class:`Outcome` that the runner writes to the store. What a failure means is
the driver's classification (:func:`tweepy_dm._policy.classify`), thrown into
the flow: :class:`~tweepy_dm._policy.NotSent` (the request was never written)
is sent again, :class:`~tweepy_dm._policy.Retryable` (a 5xx, a connection lost
after the request was written) is an unknown outcome, looked up once it can
no longer land, :class:`~tweepy_dm._policy.RateLimited` waits for X's window.

Waiting is not a ``Sleep`` here: an unknown outcome returns to the store with
the time from which it may be looked up, so that any worker on any machine
takes it from there and none holds a claim while waiting.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Callable, NamedTuple, Optional

import tweepy

from tweepy_dm._endpoints.dm import create_direct_message, get_direct_message_events
from tweepy_dm._facts import MAX_RESULTS
from tweepy_dm._flow import Flow, Send
from tweepy_dm._models import DirectMessageEvent
from tweepy_dm._policy import NotSent, RateLimited, Retryable
from tweepy_dm.bot import _outbox
from tweepy_dm.bot._poller import FIELDS
from tweepy_dm.bot._store import CHECKING, DEAD, PENDING, SENT, UNKNOWN, OutboxRow


class Outcome(NamedTuple):
    """What became of a claimed outbox message: ``Store.finish_outbox``'s arguments."""

    state: str
    next_at: Optional[float] = None
    headers: Optional[dict[str, str]] = None
    error: Optional[str] = None
    sent_event_id: Optional[str] = None

    def fields(self) -> dict[str, Any]:
        return self._asdict()


def _headers(error: BaseException) -> Optional[dict[str, str]]:
    response = getattr(error, "response", None)
    headers = getattr(response, "headers", None)
    return dict(headers) if headers is not None else None


def _text(error: BaseException) -> str:
    if isinstance(error, tweepy.HTTPException):
        return str(error)[:500]
    return type(error).__name__  # a transport's error may hold the URL: its name only


def send_request(row: OutboxRow, *, user_auth: bool) -> Any:
    """The request that sends ``row``, as the endpoint table builds it."""
    target: dict[str, Any] = (
        {"dm_conversation_id": row.conversation_id}
        if row.conversation_id is not None
        else {"participant_id": row.participant_id}
    )
    if row.media_id is not None:
        target["media_id"] = row.media_id
    return create_direct_message(text=row.text, user_auth=user_auth, **target)


def attempt(
    row: OutboxRow,
    *,
    user_auth: bool,
    clock: Callable[[], float],
    settle: float,
    check_delay: float,
) -> Flow[Outcome]:
    """Flow: send ``row`` once; returns what became of it.

    ``settle``: seconds from the start of a send until it can no longer land
    at X (``_outbox.settle_seconds``); an attempt whose answer is unknown is
    not looked up before then.
    """
    try:
        request = send_request(row, user_auth=user_auth)
    except (TypeError, ValueError) as error:
        return Outcome(DEAD, error=str(error)[:500])
    # An attempt whose answer is lost may land until then: look for it after.
    settled = (row.attempt_at or clock()) + settle
    try:
        payload, headers = yield Send(request)
    except RateLimited as limited:
        return Outcome(
            PENDING, next_at=clock() + limited.wait_seconds, headers=_headers(limited.error)
        )
    except NotSent as failure:
        return Outcome(PENDING, next_at=clock() + check_delay, error=_text(failure.error))
    except Retryable as failure:
        return Outcome(
            UNKNOWN,
            next_at=max(clock() + check_delay, settled),
            headers=_headers(failure.error),
            error=_text(failure.error),
        )
    except tweepy.HTTPException as error:
        # X refused it (400, 403, …): sending it again would be refused again.
        return Outcome(DEAD, headers=_headers(error), error=_text(error))
    except (TypeError, ValueError) as error:
        return Outcome(DEAD, error=str(error)[:500])
    data = (payload or {}).get("data") or {}
    return Outcome(SENT, headers=headers, sent_event_id=str(data.get("dm_event_id") or "") or None)


def conversation(row: OutboxRow) -> str:
    return row.conversation_id or _outbox.one_to_one(row.bot_id, str(row.participant_id))


def look_up(
    row: OutboxRow,
    *,
    user_auth: bool,
    known: Collection[str],
    clock: Callable[[], float],
    check_delay: float,
) -> Flow[Outcome]:
    """Flow: look for an attempt whose answer was lost, page by page back to its start.

    Found: SENT. Not there: PENDING, to be sent again. The look-up failing:
    UNKNOWN again, looked up later (after X's window for a 429).

    The bot's message is recognised by sender, text and time (``find_attempt``),
    never by an id: over legacy DMs X assigns the id in the answer that was
    lost, and over XChat the signed message id is made inside the SDK's send,
    so the outbox cannot record it before sending either.
    """
    token = None
    while True:
        request = get_direct_message_events(
            dm_conversation_id=conversation(row),
            dm_event_fields=FIELDS,
            event_types="MessageCreate",
            max_results=MAX_RESULTS,
            pagination_token=token,
            user_auth=user_auth,
        )
        try:
            payload, _ = yield Send(request)
        except RateLimited as limited:
            return Outcome(UNKNOWN, next_at=clock() + limited.wait_seconds)
        except Retryable as failure:
            return Outcome(UNKNOWN, next_at=clock() + check_delay, error=_text(failure.error))
        except tweepy.TweepyException as error:
            return Outcome(UNKNOWN, next_at=clock() + check_delay, error=_text(error))
        page = [DirectMessageEvent(data) for data in (payload or {}).get("data") or []]
        found, reached = _outbox.find_attempt(page, row.bot_id, known, row.attempt_at, row.text)
        if found is not None:
            return Outcome(SENT, sent_event_id=found)
        token = ((payload or {}).get("meta") or {}).get("next_token")
        if reached or not token:
            return Outcome(PENDING)  # not there: send it again


def deliver(
    row: OutboxRow,
    *,
    user_auth: bool,
    known: Collection[str],
    clock: Callable[[], float],
    settle: float,
    check_delay: float,
) -> Flow[Outcome]:
    """Flow: what a claim of ``row`` is for: a look-up (CHECKING) or a send."""
    if row.state == CHECKING:
        return (
            yield from look_up(
                row, user_auth=user_auth, known=known, clock=clock, check_delay=check_delay
            )
        )
    return (
        yield from attempt(
            row, user_auth=user_auth, clock=clock, settle=settle, check_delay=check_delay
        )
    )
