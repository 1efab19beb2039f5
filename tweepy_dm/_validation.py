"""Argument checks shared by both clients, run before anything is sent (no I/O).

Each check raises ``TypeError`` for a value of the wrong type and
``ValueError`` for a value of the right type that X would reject, with a
message naming the argument, what was wrong and what is allowed. A valid value
is never changed: what goes on the wire is exactly what tweepy would send.

The DM lookups' field and expansion names are deliberately not checked
against a list: X renames them (see ``referenced_posts``), and a stale local
list must not block a valid request. XChat's are, against the lists of X's
spec (:func:`check_known_names`). Where a list is taken, any iterable of the
right items is (a tuple, a set, a generator), the same on both clients.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable, Mapping
from typing import Any, Optional

from tweepy_dm import _facts
from tweepy_dm._exceptions import WrongTypeError
from tweepy_dm._facts import (
    ACTIVITY_EVENT_TYPES,
    ACTIVITY_TAG_MAX_LENGTH,
    CHAT_BASE64_PATTERN,
    DM_ACTIVITY_EVENT_TYPES,
    EVENT_TYPES,
    MAX_CHAT_USER_IDS,
    MAX_GROUP_PARTICIPANTS,
    MAX_ID,
    MAX_RESULTS,
    MAX_TEXT_LENGTH,
    MIN_GROUP_PARTICIPANTS,
    MIN_RESULTS,
    NUMERIC_PATTERN,
)
from tweepy_dm._facts import (
    CONVERSATION_ID_PATTERN as _CONVERSATION_ID,
)
from tweepy_dm._facts import ID_PATTERN as _ID
from tweepy_dm._facts import RESOURCE_ID_PATTERN as _RESOURCE_ID

MAX_RESULTS_RANGE = range(MIN_RESULTS, MAX_RESULTS + 1)

_SURROGATE = re.compile("[\ud800-\udfff]")
# Pagination tokens are opaque but printable: nothing that needs escaping.
_TOKEN = re.compile(r"[\x21-\x7e]+")


def _type_name(value: Any) -> str:
    return type(value).__name__


def check_id(name: str, value: Any) -> None:
    """An X id: an int in 1 to 10**19-1, or a string of 1 to 19 digits, not all zeros."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError(
            f"{name} must be an int or a string of digits, not {_type_name(value)}: {value!r}"
        )
    if isinstance(value, int):
        if not 1 <= value <= MAX_ID:
            raise ValueError(f"{name} must be between 1 and {MAX_ID}, got {value}")
    elif not _ID.fullmatch(value) or not value.strip("0"):
        raise ValueError(
            f"{name} must be 1 to 19 digits, not all zeros (e.g. '750362064426721281'), "
            f"got {value!r}"
        )


def check_no_surrogates(name: str, value: str) -> None:
    """A str that can be encoded as UTF-8: no half of a surrogate pair on its own."""
    found = _SURROGATE.search(value)
    if found is not None:
        raise ValueError(
            f"{name} must be valid Unicode text, but it holds a lone surrogate "
            f"(U+{ord(found.group()):04X} at index {found.start()}), which cannot be sent as "
            "UTF-8; was an emoji cut in half, or bytes decoded with 'surrogateescape'?"
        )


def check_conversation_id(value: Any) -> None:
    """A conversation id: ``LOW-HIGH`` user ids (one-to-one), 15 to 19 digits (group) or an
    XChat group's ``g…`` (for a client made with ``xchat_key``)."""
    if not isinstance(value, str):
        raise WrongTypeError(
            f"dm_conversation_id must be a str, not {_type_name(value)}: {value!r} (a group's "
            "id as a string of digits, or two user ids joined by '-')"
        )
    if _facts.CHAT_GROUP_ID_PATTERN.fullmatch(value):
        return
    if not _CONVERSATION_ID.fullmatch(value) or not all(
        part.strip("0") for part in value.split("-")
    ):
        raise ValueError(
            "dm_conversation_id must be a string: two user ids joined by '-' for a "
            "one-to-one conversation (e.g. '145336962-750362064426721281') or 15 to 19 "
            "digits for a group, none of them all zeros (over XChat, a group's 'g' and 1 to "
            f"19 digits), got {value!r}"
        )


def check_text(value: Any) -> None:
    if not isinstance(value, str):
        raise TypeError(f"text must be a str, not {_type_name(value)}: {value!r}")
    if not 1 <= len(value) <= MAX_TEXT_LENGTH:
        raise ValueError(
            f"text must be 1 to {MAX_TEXT_LENGTH:,} characters long, got {len(value):,}"
        )
    check_no_surrogates("text", value)


def check_message(text: Any, media_id: Any) -> None:
    """A message needs text, a media attachment, or both."""
    if text is None and media_id is None:
        raise ValueError("a Direct Message needs text, media_id, or both; got neither")
    if text is not None:
        check_text(text)
    if media_id is not None:
        check_id("media_id", media_id)


def check_participant_ids(value: Any) -> None:
    """User ids as any iterable but a str, bytes or mapping (a generator is used up)."""
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise TypeError(
            "participant_ids must be a list of user ids (or a tuple, set or other iterable), "
            f"not {_type_name(value)}: {value!r}"
        )
    ids = list(value)
    for index, participant_id in enumerate(ids):
        check_id(f"participant_ids[{index}]", participant_id)
    distinct = {int(participant_id) for participant_id in ids}
    if len(distinct) != len(ids):
        raise ValueError(f"participant_ids must not repeat a user, got {ids!r}")
    if not MIN_GROUP_PARTICIPANTS <= len(ids) <= MAX_GROUP_PARTICIPANTS:
        raise ValueError(
            f"participant_ids must hold {MIN_GROUP_PARTICIPANTS} to "
            f"{MAX_GROUP_PARTICIPANTS} distinct user ids, got {len(ids)}"
        )


def check_max_results(value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"max_results must be an int, not {_type_name(value)}: {value!r}")
    if value not in MAX_RESULTS_RANGE:
        raise ValueError(
            f"max_results must be between {MAX_RESULTS_RANGE.start} and "
            f"{MAX_RESULTS_RANGE.stop - 1}, got {value}"
        )


def check_event_types(value: Any) -> None:
    """One event type or several, as an iterable of str or a comma-separated string."""
    names = check_names("event_types", value)
    if isinstance(names, str):
        names = names.split(",")
    unknown = [name for name in names if name not in EVENT_TYPES]
    if unknown or not names:
        raise ValueError(f"event_types must each be one of {', '.join(EVENT_TYPES)}; got {value!r}")


def check_resource_id(value: Any) -> None:
    """The last part of a DM media URL, e.g. ``AbC_12-x.jpg``; never a path."""
    if not isinstance(value, str):
        raise TypeError(f"resource_id must be a str, not {_type_name(value)}: {value!r}")
    if not _RESOURCE_ID.fullmatch(value):
        raise ValueError(
            "resource_id must be the last part of the media URL (letters, digits, '_' "
            f"and '-', with an optional extension such as '.jpg'), got {value!r}"
        )


def check_names(name: str, value: Any) -> Any:
    """Field names, expansions or event types: one comma-separated string, or an iterable of str.

    A string is returned as it is; any other iterable (list, tuple, set,
    generator) as a list, which tweepy sends comma-joined.
    """
    if isinstance(value, str):
        check_no_surrogates(name, value)
        return value
    if isinstance(value, (bytes, Mapping)) or not isinstance(value, Iterable):
        raise TypeError(
            f"{name} must be a str or an iterable of str (a list, tuple or set), not "
            f"{_type_name(value)}: {value!r}"
        )
    names = list(value)
    for item in names:
        if not isinstance(item, str):
            raise TypeError(
                f"{name} must hold only str, not {_type_name(item)}: {item!r} in {names!r}"
            )
        check_no_surrogates(name, item)
    return names


def check_lookup_params(params: dict[str, Any]) -> None:
    """Checks for the query parameters of the DM event lookups that X bounds."""
    if params.get("max_results") is not None:
        check_max_results(params["max_results"])
    if params.get("event_types") is not None:
        check_event_types(params["event_types"])
    if params.get("pagination_token") is not None:
        check_pagination_token(params["pagination_token"])


def check_pagination_token(value: Any) -> None:
    """A ``next_token`` or ``previous_token`` as X returned it.

    Only a str is checked: tweepy sends other values as it formats them.
    """
    if isinstance(value, str) and not _TOKEN.fullmatch(value):
        raise ValueError(
            "pagination_token must be a page's meta next_token or previous_token: visible "
            f"ASCII characters with no spaces, got {value!r}"
        )


def check_destination(file: Any) -> None:
    """Where a download goes: None (memory), a path, or a binary file object to write to."""
    if file is None:
        return
    if hasattr(file, "write"):
        if isinstance(file, io.TextIOBase) or "b" not in getattr(file, "mode", "b"):
            raise TypeError("file must be opened in binary mode ('wb'): media is bytes")
        return
    if not isinstance(file, (str, bytes, os.PathLike)):
        raise TypeError(
            "file must be a path, a binary file object opened for writing, or None (to get "
            f"the bytes), not {_type_name(file)}: {file!r}"
        )


# -- XChat and the Activity API: checks of their builders' arguments ------------------


def check_str(name: str, value: Any) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}: {value!r}")


def check_user_id(value: Any, name: str = "user_id") -> str:
    """A user id (1 to 19 digits, or an int) as a string."""
    check_id(name, value)
    return str(value)


def check_known_names(name: str, value: Any, allowed: tuple[str, ...]) -> Any:
    """Field names or expansions checked against X's list (before anything is sent)."""
    if value is None:
        return None
    checked = check_names(name, value)
    names = checked.split(",") if isinstance(checked, str) else checked
    unknown = [item for item in names if item not in allowed]
    if unknown:
        raise ValueError(f"{name} must be among {', '.join(allowed)}; unknown: {unknown!r}")
    return names


def check_page(
    max_results: Any, pagination_token: Any, *, most: int, shortest_token: int = 1
) -> None:
    """``max_results`` and ``pagination_token`` of one of X's paged lists.

    ``max_results`` is :data:`MIN_RESULTS` to ``most``; a token is opaque
    but at least ``shortest_token`` visible ASCII characters.
    """
    if max_results is not None:
        if isinstance(max_results, bool) or not isinstance(max_results, int):
            raise TypeError(
                f"max_results must be an int, not {type(max_results).__name__}: {max_results!r}"
            )
        if not MIN_RESULTS <= max_results <= most:
            raise ValueError(f"max_results must be {MIN_RESULTS} to {most:,}, got {max_results}")
    if pagination_token is not None:
        check_str("pagination_token", pagination_token)
        if (
            len(pagination_token) < shortest_token
            or not pagination_token.isascii()
            or not pagination_token.isprintable()
            or " " in pagination_token
        ):
            at_least = (
                f" (at least {shortest_token} visible ASCII characters)"
                if shortest_token > 1
                else ""
            )
            raise ValueError(
                f"pagination_token must be a page's meta next_token{at_least}, "
                f"got {pagination_token!r}"
            )


def check_string(name: str, value: Any, pattern: Any = None, what: str = "") -> str:
    check_str(name, value)
    if not value or (pattern is not None and not pattern.fullmatch(value)):
        raise ValueError(f"{name} must be {what or 'a non-empty string'}, got {value!r}")
    return value


def check_version(name: str, value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    return check_string(name, value, NUMERIC_PATTERN, "a numeric string (a version)")


def check_list(name: str, value: Any) -> list[Any]:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise TypeError(f"{name} must be a list, not {type(value).__name__}: {value!r}")
    return list(value)


_SIGNATURE_FIELDS = ("public_key_version", "signature", "signature_version")


def check_action_signatures(value: Any, *, required: bool) -> Optional[list[dict[str, Any]]]:
    """X's ``action_signatures``: each ``message_id``, the signed detail and its signature.

    They are made by the SDK (``prepare_*`` of ``chat_xdk.Chat``); checked here
    for their shape only, so that a wrong one fails before it is sent.
    """
    if value is None:
        if required:
            raise TypeError("action_signatures is required: the SDK's prepare_* call makes them")
        return None
    signatures = []
    for item in check_list("action_signatures", value):
        if not isinstance(item, Mapping):
            raise TypeError(f"action_signatures must hold dicts, not {type(item).__name__}")
        missing = [
            key
            for key in ("message_id", "encoded_message_event_detail", "message_event_signature")
            if key not in item
        ]
        if missing:
            raise ValueError(f"an action signature lacks {', '.join(missing)}")
        check_string("action_signatures[].message_id", item["message_id"])
        check_string(
            "action_signatures[].encoded_message_event_detail",
            item["encoded_message_event_detail"],
            CHAT_BASE64_PATTERN,
            "base64",
        )
        signature = item["message_event_signature"]
        if not isinstance(signature, Mapping):
            raise TypeError("action_signatures[].message_event_signature must be a dict")
        for key in _SIGNATURE_FIELDS:
            if key not in signature:
                raise ValueError(f"action_signatures[].message_event_signature lacks {key}")
        check_string(
            "message_event_signature.signature",
            signature["signature"],
            CHAT_BASE64_PATTERN,
            "base64",
        )
        check_version("message_event_signature.public_key_version", signature["public_key_version"])
        check_version("message_event_signature.signature_version", signature["signature_version"])
        signatures.append(dict(item))
    if required and not signatures:
        raise ValueError("action_signatures must hold at least one signature")
    return signatures


def check_participant_keys(value: Any) -> list[dict[str, str]]:
    keys = []
    for item in check_list("conversation_participant_keys", value):
        if not isinstance(item, Mapping):
            raise TypeError(
                f"conversation_participant_keys must hold dicts, not {type(item).__name__}"
            )
        for key in ("user_id", "encrypted_conversation_key", "public_key_version"):
            if key not in item:
                raise ValueError(f"a participant key lacks {key}")
        keys.append(
            {
                "user_id": check_user_id(item["user_id"]),
                "encrypted_conversation_key": check_string(
                    "encrypted_conversation_key", item["encrypted_conversation_key"]
                ),
                "public_key_version": check_version(
                    "public_key_version", item["public_key_version"]
                ),
            }
        )
    if not keys:
        raise ValueError("conversation_participant_keys must hold a key for each participant")
    return keys


def check_user_ids(
    name: str, value: Any, *, low: int = 1, high: int = MAX_CHAT_USER_IDS
) -> list[str]:
    ids = [check_user_id(item, name) for item in check_list(name, value)]
    if not low <= len(ids) <= high:
        raise ValueError(f"{name} must hold {low} to {high} user ids, got {len(ids)}")
    return ids


def check_activity_event_type(value: Any) -> None:
    check_str("event_type", value)
    if value not in ACTIVITY_EVENT_TYPES:
        private = ", ".join(DM_ACTIVITY_EVENT_TYPES)
        raise ValueError(
            f"event_type must be one of X's Activity API event types (for DMs: {private}; "
            f"see ACTIVITY_EVENT_TYPES), got {value!r}"
        )


def check_activity_tag(value: Any) -> None:
    check_str("tag", value)
    most = ACTIVITY_TAG_MAX_LENGTH
    if not 1 <= len(value) <= most:
        raise ValueError(f"tag must be 1 to {most} characters long, got {len(value):,}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(
            f"tag must be valid Unicode text (no lone surrogate), got {value!r}"
        ) from None
