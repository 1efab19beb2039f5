"""The synchronous client: tweepy's ``Client`` with the DM endpoints."""

from __future__ import annotations

from typing import Any

import tweepy

from tweepy_dm import _endpoints
from tweepy_dm._endpoints import Request, client_method
from tweepy_dm._params import ParamsMixin


def _send(client: Any, request: Request) -> Any:
    # tweepy's _make_request handles return_type, errors and rate limits.
    return client._make_request(**request._asdict())


class DirectMessagesMixin(ParamsMixin):
    """The X API v2 Direct Messages methods, for :class:`tweepy.Client`.

    Mix it in before ``tweepy.Client`` (``class MyClient(DirectMessagesMixin,
    tweepy.Client)``), or use :class:`tweepy_dm.Client`, which does exactly
    that. It also corrects the query parameter names of every endpoint of the
    client (see :ref:`parameter names <parameter-names>`).

    .. versionadded:: 0.1
    """

    get_direct_message_events = client_method(_endpoints.get_direct_message_events, _send)
    get_dm_events = get_direct_message_events

    create_direct_message = client_method(_endpoints.create_direct_message, _send)
    create_dm = create_direct_message

    create_direct_message_conversation = client_method(
        _endpoints.create_direct_message_conversation, _send
    )
    create_dm_conversation = create_direct_message_conversation


class Client(DirectMessagesMixin, tweepy.Client):
    """Client( \
        bearer_token=None, consumer_key=None, consumer_secret=None, \
        access_token=None, access_token_secret=None, *, return_type=Response, \
        wait_on_rate_limit=False \
    )

    :class:`tweepy.Client` with every X API v2 Direct Messages endpoint.

    It takes the same arguments as :class:`tweepy.Client` and keeps all its
    methods; see tweepy's documentation for those.

    .. versionadded:: 0.1
    """
