"""Reading a request: its query parameters, path ids and JSON body.

Every route declares its query parameters as a mapping of names to
:class:`Param`. A name the route does not declare, a name given twice and a
malformed value each answer ``400 Invalid Request`` in X's shape before the
backend sees the request. Numbers are ASCII digits and ids match X's
patterns in full (``re.fullmatch``): ``"²"``, ``"٣"`` and ``"3\\n"`` are not
numbers. Values are checked for their type before they are used, so no body
can make a route fail with anything but a 400.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, Callable, NamedTuple, Optional

from tweepy_dm import _facts
from tweepy_dm.emulator._backend import TEXT_RULE
from tweepy_dm.emulator._errors import Problem, invalid_parameter, invalid_request
from tweepy_dm.emulator._ids import decode_token
from tweepy_dm.emulator._wire import HTTPRequest

_DIGITS = re.compile(r"[0-9]+")


class Param(NamedTuple):
    """A declared query parameter: how to read its value, and its default."""

    parse: Callable[[str, str], Any]  # (name, raw value) -> value; raises Problem
    default: Any = None
    required: bool = False


Query = Mapping[str, Param]


def parse_query(query: Mapping[str, Sequence[str]], declared: Query) -> dict[str, Any]:
    """The declared parameters' values, by wire name; defaults for those not given."""
    for name, given in query.items():
        if name not in declared:
            raise invalid_request(
                f"The query parameter [{name}] is not one of [{','.join(sorted(declared))}]",
                {name: list(given)},
            )
        if len(given) > 1:
            raise invalid_request("Duplicate parameters are not allowed", {name: list(given)})
    values: dict[str, Any] = {}
    for name, param in declared.items():
        raw = query.get(name)
        if not raw:
            if param.required:
                raise _empty(name)
            values[name] = param.default
        elif raw[0] == "":
            raise _empty(name)
        else:
            values[name] = param.parse(name, raw[0])
    return values


def _empty(name: str) -> Problem:
    return invalid_parameter(name, "", f"The `{name}` query parameter can not be empty")


def one_of(allowed: Sequence[str], default: Sequence[str] = ()) -> Param:
    """A comma-separated list of names from ``allowed``; repeats are dropped."""

    def parse(name: str, raw: str) -> tuple[str, ...]:
        items = raw.split(",")
        for item in items:
            if item not in allowed:
                raise invalid_parameter(
                    name,
                    raw,
                    f"The `{name}` query parameter value [{item}] is not one of "
                    f"[{','.join(allowed)}]",
                )
        return tuple(dict.fromkeys(items))

    return Param(parse, tuple(default))


def choice(allowed: Sequence[str], *, required: bool = False) -> Param:
    """One value of ``allowed``."""

    def parse(name: str, raw: str) -> str:
        if raw not in allowed:
            raise invalid_parameter(
                name,
                raw,
                f"The `{name}` query parameter value [{raw}] is not one of [{','.join(allowed)}]",
            )
        return raw

    return Param(parse, None, required)


def integer(low: int, high: int, default: int) -> Param:
    """A whole number from ``low`` to ``high``, in ASCII digits."""

    def parse(name: str, raw: str) -> int:
        if not _DIGITS.fullmatch(raw) or len(raw) > 12 or not low <= int(raw) <= high:
            raise invalid_parameter(
                name,
                raw,
                f"The `{name}` query parameter value [{raw}] is not between {low} and {high}",
            )
        return int(raw)

    return Param(parse, default)


def token() -> Param:
    """A pagination token: ``(direction, anchor event id)``."""

    def parse(name: str, raw: str) -> tuple[int, int]:
        return decode_token(raw)

    return Param(parse)


def id_value(name: str, value: str) -> int:
    """An id (user, event, media) from a path, query or body: 1 to 19 ASCII digits."""
    if not isinstance(value, str) or not _facts.ID_PATTERN.fullmatch(value):
        raise invalid_parameter(
            name,
            echo(value),
            f"The `{name}` value [{echo(value)}] does not match ^{_facts.ID_PATTERN.pattern}$",
        )
    return int(value)


def conversation_id(value: str) -> str:
    """A DM conversation id as the path gave it, checked against X's pattern."""
    if not _facts.CONVERSATION_ID_PATTERN.fullmatch(value):
        raise invalid_parameter(
            "dm_conversation_id",
            value,
            f"The `dm_conversation_id` path parameter value [{value}] does not match "
            f"^({_facts.CONVERSATION_ID_PATTERN.pattern})$",
        )
    return value


def username(name: str, value: str) -> str:
    if not _facts.USERNAME_PATTERN.fullmatch(value):
        raise invalid_parameter(
            name,
            value,
            f"The `{name}` value [{value}] does not match ^{_facts.USERNAME_PATTERN.pattern}$",
        )
    return value


def listing(item: Callable[[str, str], Any], *, required: bool = True) -> Param:
    """A comma-separated list of 1 to 100 values, each read by ``item``."""
    most = _facts.MAX_USERS_PER_LOOKUP

    def parse(name: str, raw: str) -> list[Any]:
        items = raw.split(",")
        if len(items) > most:
            raise invalid_parameter(
                name,
                raw,
                f"The number of values in the `{name}` query parameter list [{len(items)}] "
                f"is not between 1 and {most}",
            )
        return [item(name, value) for value in items]

    return Param(parse, None, required)


# Bodies


def json_object(request: HTTPRequest) -> dict[str, Any]:
    """The request body as a JSON object."""
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
        body = None
    if not isinstance(body, dict):
        raise invalid_request("The request body is not a valid JSON object", {"body": [""]})
    return body


def message(value: Any, prefix: str) -> tuple[Optional[str], Optional[int]]:
    """A message's wire shape (``text`` and/or one attachment): its text and media id.

    Only the shape: what a text may hold and that a message has one of them are the DM
    rules' (``DMBackend.check_message``).
    """
    if not isinstance(value, dict):
        raise invalid_request(
            f"`{prefix or 'body'}` must be a JSON object", {f"{prefix}text": [""]}
        )
    given_text = value.get("text")
    if given_text is not None and not isinstance(given_text, str):
        name = f"{prefix}text"
        raise invalid_request(TEXT_RULE.format(name=name), {name: [echo(given_text)[:100]]})
    attachments = value.get("attachments")
    media_id = None
    if attachments is not None:
        if (
            not isinstance(attachments, list)
            or len(attachments) != _facts.MAX_ATTACHMENTS
            or not isinstance(attachments[0], dict)
            or not isinstance(attachments[0].get("media_id"), str)
        ):
            raise invalid_request(
                f'`{prefix}attachments` must be one {{"media_id": "..."}} object',
                {f"{prefix}attachments": [echo(attachments)]},
            )
        media_id = id_value("media_id", attachments[0]["media_id"])
    return given_text, media_id


def string(body: Mapping[str, Any], name: str, default: Optional[str] = None) -> Optional[str]:
    """An optional string field of a JSON body."""
    value = body.get(name, default)
    if value is not None and (not isinstance(value, str) or not _is_unicode(value)):
        raise invalid_request(f"The `{name}` value must be a string", {name: [echo(value)]})
    return value


def _is_unicode(value: str) -> bool:
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def echo(value: Any) -> str:
    """A value as an error message may quote it."""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value)[:200]
    except (TypeError, ValueError, RecursionError):
        return type(value).__name__
