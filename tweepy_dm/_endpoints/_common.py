"""What every request builder shares: the request type, query helpers, docstring fragments."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Callable, NamedTuple, Optional, Union

from tweepy_dm import _validation

ID = Union[int, str]
#: A list of field names, or one comma-separated string, as tweepy takes them.
Fields = Union[str, Iterable[str]]

_NO_PARAMS: Mapping[str, Any] = MappingProxyType({})


class Request(NamedTuple):
    """A request as tweepy's ``BaseClient._make_request`` takes it.

    The field names are that method's keyword arguments, so a client sends a
    request with ``client._make_request(**request._asdict())``.
    """

    method: str
    route: str
    params: Mapping[str, Any] = _NO_PARAMS
    endpoint_parameters: tuple[str, ...] = ()
    json: Optional[dict[str, Any]] = None
    data_type: Optional[type] = None
    user_auth: bool = False


def with_params(request: Request, params: Mapping[str, Any]) -> Request:
    """``request`` with ``params`` added to its query, as given.

    These are keyword arguments a ``**params`` method does not declare:
    tweepy sends them unchanged (its ``_process_params`` warns about each
    one), which is how a query parameter X adds is used before a library
    knows it.
    """
    if not params:
        return request
    return request._replace(params={**request.params, **params})


class FileRequest(Request):
    """A send whose ``file`` is to be encrypted and attached over XChat.

    Only a client made with ``xchat_key`` sends it; a legacy DM carries an
    uploaded ``media_id`` instead, so the clients refuse it before sending.
    """

    file: Any


def _check_file(file: Any, text: str | None, media_id: Any) -> None:
    """Check the ``file`` argument of the send builders (``None``: no file)."""
    if file is None:
        return
    if media_id is not None:
        raise ValueError("pass file (sent encrypted over XChat) or media_id (legacy DMs), not both")
    if not isinstance(file, (str, bytes, bytearray, memoryview, os.PathLike)):
        raise TypeError(
            f"file must be the file's path (str or os.PathLike) or its bytes, not "
            f"{type(file).__name__}"
        )
    if text is None:
        raise ValueError("an XChat message with a file needs text too: pass text")


def _with_file(request: Request, file: Any) -> Request:
    """``request`` carrying ``file``, if there is one."""
    if file is None:
        return request
    with_file = FileRequest(*request)
    with_file.file = file
    return with_file


def _query(**params: Any) -> dict[str, Any]:
    """The keyword arguments that were given, lists of fields made lists.

    tweepy joins lists with commas; a tuple, set or generator would reach the
    HTTP library as it is (and crash aiohttp's URL builder), so every iterable
    becomes a list here, identically for both clients.
    """
    query = {}
    for name, value in params.items():
        if value is None:
            continue
        if name.endswith(("_fields", "expansions", "event_types")):
            value = _validation.check_names(name, value)
        query[name] = value
    return query


def _merge_fields(tweet_fields: Any, post_fields: Any) -> Any:
    # X's spec 2.167 renamed tweet.fields to post.fields on the DM lookups, its
    # changelog still says tweet.fields: both are accepted and sent as the
    # name every server is known to take.
    if post_fields is None:
        return tweet_fields
    names = _field_names("tweet_fields", tweet_fields or [])
    for name in _field_names("post_fields", post_fields):
        if name not in names:
            names.append(name)
    return names


def _field_names(name: str, value: Any) -> list[str]:
    names = _validation.check_names(name, value)
    return names.split(",") if isinstance(names, str) else names


def _conversation_route(
    dm_conversation_id: ID | None, participant_id: ID | None, suffix: str, *, required: bool
) -> str | None:
    if dm_conversation_id is not None and participant_id is not None:
        raise TypeError(
            "Expected DM conversation ID or participant ID, not both: pass "
            "dm_conversation_id for a conversation, or participant_id for the "
            "one-to-one conversation with that user"
        )
    if dm_conversation_id is not None:
        _validation.check_conversation_id(dm_conversation_id)
        return f"/2/dm_conversations/{dm_conversation_id}/{suffix}"
    if participant_id is not None:
        _validation.check_id("participant_id", participant_id)
        return f"/2/dm_conversations/with/{participant_id}/{suffix}"
    if required:
        raise TypeError(
            "DM conversation ID or participant ID is required: pass "
            "dm_conversation_id to post into a conversation, or participant_id "
            "to message a user"
        )
    return None


def _message(text: str | None, media_id: ID | None) -> dict[str, Any]:
    _validation.check_message(text, media_id)
    message: dict[str, Any] = {}
    if media_id is not None:
        message["attachments"] = [{"media_id": str(media_id)}]
    if text is not None:
        message["text"] = text
    return message


class MediaDownload(NamedTuple):
    """A media download: the request, and where the bytes go (``None``: memory)."""

    request: Request
    file: Any = None


#: Paragraphs that many builders' docstrings share, written once. A docstring
#: line that holds only ``{name}`` is replaced by the paragraph (indented as
#: the line is) when the package is imported: see :func:`fill_docstring`.
DOC_FRAGMENTS: Mapping[str, str] = MappingProxyType(
    {
        # The user context endpoints, which also take an OAuth 2.0 user token.
        "user_auth": (
            "user_auth : bool\n"
            "    Whether to authenticate with OAuth 1.0a User Context. Pass ``False``\n"
            "    to use an OAuth 2.0 user access token given as the bearer token."
        ),
        # The app's endpoints (subscriptions, webhooks), which want the app's token.
        "user_auth_app": (
            "user_auth : bool\n"
            "    Whether to authenticate with OAuth 1.0a User Context; leave it\n"
            "    ``False`` to use the app's bearer token."
        ),
        # The legacy sends' file argument, sent encrypted by a client with XChat keys.
        "xchat_file": (
            "file : str | os.PathLike | bytes | None\n"
            "    Over XChat only (a client made with ``xchat_key``): the file to\n"
            "    attach, as its path or its bytes; it is encrypted with the\n"
            "    conversation's key and uploaded, and needs ``text`` too. Over XChat a\n"
            "    ``media_id`` cannot be sent (X's upload is not encrypted) and raises\n"
            "    ``ValueError``; a client without ``xchat_key`` refuses ``file``.\n"
            "\n"
            "    .. versionadded:: 0.2"
        ),
        # The XChat actions X may want signed (spec 2.170 declares them optional).
        "action_signatures": (
            "action_signatures : list[dict] | None\n"
            "    Signed actions, as X's SDK makes them (optional)."
        ),
        # The Raises section's first entry, the same for every builder that checks types.
        "raises_type": "Raises\n------\nTypeError\n    If an argument has the wrong type.",
        # What every method returns, whatever its data: the client's return_type decides.
        "returns": (
            "Returns\n-------\ndict | requests.Response | aiohttp.ClientResponse | tweepy.Response"
        ),
        "app_token_note": (
            "X wants the app's bearer token (OAuth 2.0 App Only) for this: create\n"
            "the client with ``bearer_token`` set to the app's token and keep\n"
            "``user_auth=False``."
        ),
    }
)
_PLACEHOLDER = re.compile(r"^( *)\{(\w+)\}$", re.MULTILINE)


def fill_docstring(function: Callable[..., Any]) -> Callable[..., Any]:
    """Put :data:`DOC_FRAGMENTS` into ``function``'s docstring, in place; return it."""

    def paragraph(match: re.Match[str]) -> str:
        indent, name = match.groups()
        return "\n".join(
            indent + line if line else line for line in DOC_FRAGMENTS[name].split("\n")
        )

    function.__doc__ = _PLACEHOLDER.sub(paragraph, function.__doc__ or "")
    return function
