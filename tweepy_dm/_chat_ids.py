"""XChat conversation ids: every form X uses, checked and converted here only (no I/O).

X names one conversation in several ways:

- a bare user id (``"2244994945"``) in a path: the one-to-one conversation of
  the caller with that user (the server fills in the caller);
- ``LOW-HIGH`` user ids (``"1111-2222"``) in paths and JSON answers;
- ``LOW:HIGH`` (``"1111:2222"``) inside encrypted events, in the SDK and in
  media request bodies;
- ``g`` and digits (``"g1900000000000000001"``) for a group, the same everywhere.

"Lower" is by numeric value, not as text.
"""

from __future__ import annotations

import functools
from typing import Union

from tweepy_dm import _facts, _validation

ConversationID = Union[int, str]

_FORMS = (
    "a user id (the 1:1 conversation with that user), 'LOW-HIGH' or 'LOW:HIGH' user ids, "
    "or a group's 'g…' id"
)


def _error(name: str, value: object) -> ValueError:
    return ValueError(f"{name} must be {_FORMS}, got {value!r}")


def _pair(first: str, second: str) -> tuple[str, str]:
    low, high = sorted((first, second), key=int)
    return low, high


def check_conversation_id(value: object, name: str = "conversation_id") -> str:
    """``value`` as a string in one of X's forms; ``TypeError``/``ValueError`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError(f"{name} must be a str or an int, not {type(value).__name__}: {value!r}")
    text = str(value)
    if isinstance(value, int) and value <= 0:
        raise _error(name, value)
    if not (
        _facts.CHAT_CONVERSATION_ID_PATTERN.fullmatch(text)
        or _facts.CHAT_COLON_ID_PATTERN.fullmatch(text)
    ):
        raise _error(name, value)
    if not text.startswith("g") and ("-" in text or ":" in text):
        first, second = text.replace(":", "-").split("-")
        if first == second or int(first) == 0 or int(second) == 0:
            raise ValueError(f"{name} must name two different users, got {value!r}")
    return text


def path_id(value: ConversationID, name: str = "conversation_id") -> str:
    """The form for a URL path: a bare user id, ``LOW-HIGH`` or ``g…``."""
    if type(value) is str:  # on every send and decrypt: remembered
        return _path_id_of_str(value, name)
    return _path_id(value, name)


def _path_id(value: ConversationID, name: str) -> str:
    text = check_conversation_id(value, name)
    if ":" in text or "-" in text:
        return "-".join(_pair(*text.replace(":", "-").split("-")))
    return text


def event_id(value: ConversationID, name: str = "conversation_id") -> str:
    """The form inside events and media bodies: ``LOW:HIGH`` or ``g…`` (a bare id as it is)."""
    if type(value) is str:
        return _event_id_of_str(value, name)
    return _event_id(value, name)


def _event_id(value: ConversationID, name: str) -> str:
    text = check_conversation_id(value, name)
    if ":" in text or "-" in text:
        return ":".join(_pair(*text.replace(":", "-").split("-")))
    return text


# Strings only: always hashable, and never True taken for 1. An invalid id raises
# each time (exceptions are not remembered).
_path_id_of_str = functools.lru_cache(maxsize=4096)(_path_id)
_event_id_of_str = functools.lru_cache(maxsize=4096)(_event_id)


def one_to_one(user_a: ConversationID, user_b: ConversationID) -> str:
    """The ``LOW-HIGH`` id of two users' 1:1 conversation."""
    return path_id(f"{check_user_id(user_a, 'user_a')}-{check_user_id(user_b, 'user_b')}")


check_user_id = _validation.check_user_id


def is_group(value: ConversationID) -> bool:
    """Whether ``value`` names a group conversation."""
    return check_conversation_id(value).startswith("g")
