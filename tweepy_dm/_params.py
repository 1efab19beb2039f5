"""Query-parameter processing shared by every endpoint (no I/O).

This is the one place where tweepy's ``BaseClient._process_params`` is
corrected: before tweepy 4.12 a keyword was mapped to its documented name by
replacing *every* underscore with a dot, so ``dm_event_fields`` went out as
``dm.event.fields`` and X ignored it.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

log = logging.getLogger("tweepy_dm.client")

_DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def format_param_value(value: Any) -> Any:
    """Turn one Python value into what goes in the query string.

    Lists are comma-joined, datetimes are rendered in UTC, and anything else
    is left for the HTTP library to encode, exactly as tweepy does. Tuples,
    sets and generators are joined like lists: tweepy leaves them to the HTTP
    library, where requests repeats the parameter and aiohttp fails.
    """
    if isinstance(value, (list, tuple, set, frozenset, Iterator)):
        return ",".join(map(str, value))
    if isinstance(value, datetime.datetime):
        # A naive datetime is taken to be UTC already, as in tweepy.
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc)
        return value.strftime(_DATETIME_FORMAT)
    return value


def process_params(
    params: Mapping[str, Any], endpoint_parameters: Iterable[str] | None
) -> dict[str, Any]:
    """Map keyword arguments to the query parameters an endpoint documents.

    Parameters
    ----------
    params
        Keyword arguments as the user passed them, e.g. ``dm_event_fields``.
    endpoint_parameters
        The endpoint's documented parameter names, e.g. ``dm_event.fields``.
        ``None`` (what tweepy before 4.12 passes for endpoints without
        parameters) means the endpoint documents none.

    Returns
    -------
    dict
        The query parameters to send. ``None`` values are dropped; a name the
        endpoint does not document is sent unchanged and logged once as a
        warning.
    """
    documented = tuple(endpoint_parameters or ())
    by_keyword = {name.replace(".", "_"): name for name in documented}

    request_params: dict[str, Any] = {}
    for name, value in params.items():
        if value is None:
            continue
        if name in by_keyword:
            name = by_keyword[name]
        elif name not in documented:
            log.warning("Unexpected parameter: %s", name)
        request_params[name] = format_param_value(value)
    return request_params


class ParamsMixin:
    """Gives a tweepy client the corrected parameter mapping for every call."""

    def _process_params(
        self, params: Mapping[str, Any], endpoint_parameters: Iterable[str] | None
    ) -> dict[str, Any]:
        return process_params(params, endpoint_parameters)
