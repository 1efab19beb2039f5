"""Exceptions, and tweepy's HTTP errors built the way the installed tweepy builds them.

tweepy-dm raises tweepy's own exception classes for HTTP errors, so
``except tweepy.Forbidden`` keeps working. Their constructors changed across
releases (``NotFound`` arrived in 4.8, ``response_json`` in 4.10,
``TooManyRequests(reset_time=...)`` in 4.17), hence the checks below.
"""

from __future__ import annotations

import inspect
import json
from typing import Any

import tweepy
from tweepy import errors

from tweepy_dm._facts import LEGACY_DM_LAST_DAY, RECIPIENT_NOT_MESSAGEABLE

_UNSET: Any = object()

_BY_STATUS: dict[int, type[errors.HTTPException]] = {
    400: errors.BadRequest,
    401: errors.Unauthorized,
    403: errors.Forbidden,
    # tweepy 4.6 and 4.7 raise the base class for 404.
    404: getattr(errors, "NotFound", errors.HTTPException),
    429: errors.TooManyRequests,
}
_TAKES_RESET_TIME = "reset_time" in inspect.signature(errors.TooManyRequests.__init__).parameters


def error_class(status: int) -> type[errors.HTTPException]:
    """The tweepy exception class for an HTTP status that is not 2xx."""
    if status >= 500:
        return errors.TwitterServerError
    return _BY_STATUS.get(status, errors.HTTPException)


def http_error(
    response: Any, status: int, *, response_json: Any = _UNSET, reset_time: int | None = None
) -> errors.HTTPException:
    """Build the exception tweepy would raise for this response."""
    cls = error_class(status)
    kwargs: dict[str, Any] = {}
    if response_json is not _UNSET:
        kwargs["response_json"] = response_json
    if cls is errors.TooManyRequests and _TAKES_RESET_TIME:
        kwargs["reset_time"] = reset_time
    return cls(response, **kwargs)


class WrongTypeError(TypeError, ValueError):
    """An argument of the wrong type, where tweepy-dm 0.1 raised ``ValueError``.

    It is a ``TypeError``, as for every wrong type, and still a ``ValueError``
    so that code written against 0.1 (``except ValueError``) keeps working.

    .. versionadded:: 0.2
    """


class MediaProcessingError(tweepy.TweepyException):
    """X could not process uploaded media (``processing_info.state`` is ``failed``).

    .. versionadded:: 0.1

    Attributes
    ----------
    media_id : str
        The media id whose processing failed.
    name : str | None
        X's error name, e.g. ``InvalidMedia``.
    message : str | None
        X's explanation.
    """

    def __init__(self, media_id: str, name: str | None = None, message: str | None = None):
        self.media_id = media_id
        self.name = name
        self.message = message
        super().__init__(
            f"X could not process media {media_id}: {name or 'error'}"
            + (f" - {message}" if message else "")
        )


class LegacyDMsEnded(errors.Forbidden):
    """X refused a legacy DM send (HTTP 403) after the cutover to XChat.

    Raised instead of a plain ``tweepy.Forbidden`` (which it is) when a
    client made without ``xchat_key`` sends with ``create_dm`` or
    ``create_dm_conversation`` and X answers 403: legacy DMs ended on
    2026-12-09. It is recognised by status and route, not by X's wording;
    X's own words stay in ``api_messages``, its response in ``response``.

    .. versionadded:: 0.2
    """

    @classmethod
    def from_error(cls, error: errors.HTTPException) -> LegacyDMsEnded:
        """The same refusal (response, ``api_errors``, ``api_messages``), explained."""
        ended = cls.__new__(cls)
        ended.__dict__.update(vars(error))
        said = " ".join(map(str, error.api_messages)) or _detail(error.response) or str(error)
        ended.args = (
            f"legacy DMs ended on {LEGACY_DM_LAST_DAY}: X accepts new DMs only over XChat "
            "(/2/chat, end-to-end encrypted). Give the client your XChat key, "
            "tweepy_dm.Client(..., xchat_key=KEY) (the key blob as bytes, or the path of "
            'its file; pip install "tweepy-dm[xchat]", Python 3.10+), and the same DM '
            f"methods send over XChat. X answered: {said}",
        )
        return ended


class RecipientNotMessageable(errors.Forbidden):
    """X refused a message (HTTP 403) because the recipient cannot be messaged.

    X's problem type ``recipient-not-messageable``: a closed inbox, a system
    or notification account, or a 1:1 block. Raised instead of a plain
    ``tweepy.Forbidden`` (which it is); X's own words stay in
    ``api_messages``, its response in ``response``.

    .. versionadded:: 0.2
    """

    @classmethod
    def from_error(cls, error: errors.HTTPException) -> RecipientNotMessageable:
        """The same refusal (response, ``api_errors``, ``api_messages``), typed."""
        typed = cls.__new__(cls)
        typed.__dict__.update(vars(error))
        typed.args = error.args
        return typed


def typed_forbidden(error: errors.HTTPException) -> errors.HTTPException:
    """``error`` as :class:`RecipientNotMessageable` when X's problem type says so."""
    if _problem(error.response).get("type") == RECIPIENT_NOT_MESSAGEABLE:
        return RecipientNotMessageable.from_error(error)
    return error


def _problem(response: Any) -> dict[str, Any]:
    """The JSON body of an error response, whichever HTTP library read it."""
    if hasattr(response, "status_code"):  # requests
        try:
            payload = response.json()
        except ValueError:
            payload = None
    else:
        # aiohttp: the clients read the body before raising, and aiohttp keeps it
        # (``_body``) but hands it out only through coroutines.
        body = getattr(response, "_body", None)
        try:
            payload = json.loads(body) if body else None
        except ValueError:
            payload = None
    return payload if isinstance(payload, dict) else {}


def _detail(response: Any) -> str:
    """A problem document's ``detail``, which tweepy before 4.10 leaves out of api_messages."""
    try:
        payload = response.json()
    except Exception:  # not JSON, or an aiohttp response (tweepy 4.10+ read it already)
        return ""
    detail = payload.get("detail") if isinstance(payload, dict) else None
    return detail if isinstance(detail, str) else ""
