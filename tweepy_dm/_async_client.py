"""The asynchronous client: tweepy's ``AsyncClient`` with the DM endpoints.

Importing this module never imports aiohttp: :class:`AsyncClient` is built on
first access (module ``__getattr__``), because only it needs tweepy's
``AsyncClient`` and hence aiohttp.
"""

from __future__ import annotations

from typing import Any

import tweepy

from tweepy_dm import _endpoints
from tweepy_dm._compat import ASYNC_CLIENT_SUPPORT
from tweepy_dm._endpoints import Request, client_method
from tweepy_dm._params import ParamsMixin


async def _send(client: Any, request: Request) -> Any:
    return await client._make_request(**request._asdict())


class AsyncDirectMessagesMixin(ParamsMixin):
    """The X API v2 Direct Messages methods, for tweepy's ``AsyncClient``.

    Every method is a coroutine; otherwise they are those of
    :class:`DirectMessagesMixin`. Mix it in before
    ``tweepy.asynchronous.AsyncClient``, or use :class:`tweepy_dm.AsyncClient`.

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


_ASYNC_CLIENT_DOC = """AsyncClient( \\
    bearer_token=None, consumer_key=None, consumer_secret=None, \\
    access_token=None, access_token_secret=None, *, return_type=Response, \\
    wait_on_rate_limit=False \\
)

tweepy's ``AsyncClient`` with every X API v2 Direct Messages endpoint.

It takes the same arguments as ``tweepy.asynchronous.AsyncClient`` and keeps
all its methods; see tweepy's documentation for those. It needs tweepy 4.10 or
newer and the ``async`` extra (``pip install "tweepy-dm[async]"``).

.. versionadded:: 0.1
"""


def _load_tweepy_async_client() -> tuple[type | None, str]:
    """Return tweepy's AsyncClient, or None and why it cannot be had."""
    if not ASYNC_CLIENT_SUPPORT:
        return None, (
            f"tweepy_dm.AsyncClient needs tweepy 4.10 or newer (tweepy "
            f"{tweepy.__version__} is installed): "
            "pip install 'tweepy>=4.10' 'tweepy-dm[async]'"
        )
    try:
        from tweepy.asynchronous import AsyncClient as TweepyAsyncClient
    except (ImportError, tweepy.TweepyException) as exc:
        # Without aiohttp, tweepy raises its own TweepyException, not ImportError.
        return None, (
            f"tweepy_dm.AsyncClient needs the async extra ({exc}): pip install 'tweepy-dm[async]'"
        )
    return TweepyAsyncClient, ""


def _build_async_client() -> type:
    base, reason = _load_tweepy_async_client()
    if base is None:

        class AsyncClient(AsyncDirectMessagesMixin):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                raise ImportError(reason)

    else:

        class AsyncClient(AsyncDirectMessagesMixin, base):  # type: ignore[no-redef]
            pass

    AsyncClient.__doc__ = _ASYNC_CLIENT_DOC
    AsyncClient.__module__ = "tweepy_dm"
    AsyncClient.__qualname__ = "AsyncClient"
    return AsyncClient


def __getattr__(name: str) -> Any:
    # Built on first use so that ``import tweepy_dm`` does not import aiohttp.
    if name == "AsyncClient":
        client = globals()["AsyncClient"] = _build_async_client()
        return client
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
