"""The outbox's arithmetic: send budgets from X's headers, scopes, fairness keys. No I/O.

A budget is a set of windows named by X's header prefixes (``x-rate-limit``
for the 15-minute window of the endpoint, ``x-user-limit-24hour`` for the
user's day, ``x-app-limit-24hour`` for the app's day), each
``[limit, remaining, reset_at, seconds]``. X's documented numbers fill them
until X's first answer; from then on, what X's headers say.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping
from typing import Any, Optional

from tweepy_dm import _facts
from tweepy_dm._client_options import DEFAULT_TIMEOUT
from tweepy_dm._policy import RateLimit

#: The endpoints the outbox sends with.
TO_CONVERSATION = "POST /2/dm_conversations/{dm_conversation_id}/messages"
TO_PARTICIPANT = "POST /2/dm_conversations/with/{participant_id}/messages"

_USER_WINDOW = re.compile(r"^(x-user-limit-[a-z0-9]+)-limit$")
_APP_WINDOW = re.compile(r"^(x-app-limit-[a-z0-9]+)-limit$")

Windows = dict[str, list[Any]]


def _name(seconds: float) -> str:
    return f"{int(seconds // 3600)}hour" if seconds % 3600 == 0 else f"{int(seconds)}s"


def documented_windows(scope: str) -> Windows:
    """X's published budget of a scope, for use until X's first answer."""
    if scope == "app":
        windows = _facts.APP_RATE_LIMITS[TO_CONVERSATION]
        return {f"x-app-limit-{_name(s)}": [limit, limit, None, s] for limit, s in windows}
    route = scope.split(" ", 2)[2]
    result: Windows = {}
    for index, (limit, seconds) in enumerate(_facts.RATE_LIMITS[route]):
        name = "x-rate-limit" if index == 0 else f"x-user-limit-{_name(seconds)}"
        result[name] = [limit, limit, None, seconds]
    return result


one_to_one = _facts.one_to_one_conversation_id


def conversation_of(reply: Any) -> str:
    if reply.conversation_id is not None:
        return str(reply.conversation_id)
    return one_to_one(reply.bot_id, reply.participant_id)


def scope_of(reply: Any) -> str:
    """Whose budget a message spends: the bot user's, on the endpoint it is sent with."""
    route = TO_CONVERSATION if reply.conversation_id is not None else TO_PARTICIPANT
    return f"user {reply.bot_id} {route}"


def fair_key(reply: Any) -> str:
    """What fairness is counted by: the bot user and the conversation."""
    return f"{reply.bot_id} {conversation_of(reply)}"


def reserve(windows: Windows, now: float) -> Optional[Windows]:
    """The windows after spending one send, or None if any is spent."""
    result = {name: list(window) for name, window in windows.items()}
    for window in result.values():
        if window[2] is not None and now >= window[2]:
            window[1], window[2] = window[0], None
        if window[1] <= 0:
            return None
    for window in result.values():
        window[1] -= 1
        if window[2] is None:
            # A window starts at X with the first request after the last one
            # ended; a second more covers that request's way there.
            window[2] = now + float(window[3] or 900) + 1
    return result


def blocked_until(windows: Windows) -> float:
    """When a scope may send again: 0 if it may now, else the latest reset of a spent window."""
    spent = [window[2] or 0.0 for window in windows.values() if window[1] <= 0]
    return max(spent) if spent else 0.0


def learn(
    windows: Windows,
    headers: Mapping[str, str],
    scope: str,
    *,
    exact: bool,
    started: Optional[float] = None,
) -> Optional[Windows]:
    """The windows as X's headers state them, or None if the headers say nothing of the scope.

    ``exact``: one send at a time on the scope, so X's numbers are the truth;
    otherwise (the app's budget, spent by all users at once) the smaller of
    X's remaining and ours, within one window.
    """
    lowered = {key.lower(): value for key, value in headers.items()}
    if "x-rate-limit-limit" not in lowered and not any(k.endswith("-limit") for k in lowered):
        return None
    names = []
    for key in lowered:
        match = (_APP_WINDOW if scope == "app" else _USER_WINDOW).match(key)
        if match:
            names.append(match.group(1))
    if scope != "app" and "x-rate-limit-limit" in lowered:
        names.insert(0, "x-rate-limit")
    result: Windows = {}
    for name in names:
        limit, remaining, reset = RateLimit.from_headers(lowered, name)
        if limit is None or remaining is None or reset is None:
            continue
        old = windows.get(name)
        seconds = old[3] if old else None
        if remaining == limit - 1 and started is not None:
            # The first request of a window: the window's length shows.
            seconds = max(1.0, reset - started)
        if not exact and old and old[2] == reset:
            remaining = min(remaining, old[1])
        result[name] = [limit, remaining, float(reset), seconds]
    if scope != "app" and not result:
        return None
    return result


def describe(windows: Windows, now: float) -> dict[str, Any]:
    """Budget left per window, for ``tweepy-dm bot status``."""
    described = {}
    for name, (limit, remaining, reset, _) in windows.items():
        fresh = reset is not None and now >= reset
        described[name] = {
            "limit": limit,
            "remaining": limit if fresh else remaining,
            "resets_in": None if reset is None or fresh else math.ceil(reset - now),
        }
    return described


_URL = re.compile(r"https?://\S+")


def same_text(sent: Optional[str], queued: str) -> bool:
    """Whether X's copy of a message is the text queued (X may rewrite links)."""
    if sent is None:
        return False
    return _URL.sub("<url>", sent).strip() == _URL.sub("<url>", queued).strip()


def settle_seconds(timeout: Optional[float]) -> float:
    """Seconds from the start of a send until X can no longer store it.

    The client's ``timeout`` (``None``: the transport's default, for want of a
    bound) plus the margin assumed in ``_facts.SEND_SETTLE_SECONDS``. Until then
    an attempt whose answer is unknown may still land, so it is neither looked
    up nor sent again.
    """
    return float(timeout or DEFAULT_TIMEOUT) + _facts.SEND_SETTLE_SECONDS


def find_attempt(
    page: Any, bot_id: str, known: Collection[str], attempt_at: Optional[float], text: str
) -> tuple[Optional[str], bool]:
    """Look for an attempt in a page of a conversation's events, newest first.

    Returns the DM event id of the bot's message with the queued text, sent
    no earlier than the attempt and not known to be another reply, or None;
    and whether the page reaches back past the attempt's start (no older
    page can hold it).
    """
    started = (attempt_at or 0.0) - _facts.CLOCK_SKEW_SECONDS
    for dm in page:
        if dm.created_at is not None and dm.created_at.timestamp() < started:
            return None, True
        if str(dm.sender_id) == bot_id and str(dm.id) not in known and same_text(dm.text, text):
            return str(dm.id), True
    return None, False
