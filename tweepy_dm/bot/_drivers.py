"""How the bot's flows reach X: a client's requests, blocking or on the bot's event loop.

The bot's threads (workers, pollers) run every flow through :class:`Driver`:
with a blocking client the flow runs in the calling thread; with an
``AsyncClient`` it runs on one event loop that the bot keeps in a thread of
its own, and the calling thread waits for it. Either way a ``Send`` is the
client's own ``request`` (tweepy's transport, or XChat's flows for a client
made with ``xchat_key``) and is answered ``(payload, headers)``, so the bot
reads X's rate-limit headers from the answer itself (over XChat, those of the
chat message POST: a legacy send's budgets follow the chat send's headers).
"""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import Generator
from typing import Any, Callable, Optional

import requests
import tweepy
from urllib3.exceptions import NewConnectionError

from tweepy_dm import _flow, _policy, _xchat_dm
from tweepy_dm._endpoints import ENDPOINTS

_ROWS = {name: row for row in ENDPOINTS for name in (row.name, *row.aliases)}

#: Transport errors that may come after the request was written: its outcome is unknown.
SYNC_CONNECTION_ERRORS: tuple[type[BaseException], ...] = (requests.RequestException, OSError)
#: Transport errors of a request that was never written (no connection made).
SYNC_UNSENT_ERRORS: tuple[type[BaseException], ...] = (
    requests.ConnectTimeout,
    NewConnectionError,
)


def user_auth(client: Any) -> bool:
    """OAuth 1.0a when the client has the user's keys, else its OAuth 2.0 user token."""
    return bool(getattr(client, "access_token", None) and getattr(client, "consumer_key", None))


def is_async(client: Any) -> bool:
    """Whether ``client`` is an ``AsyncClient`` (its requests are coroutines)."""
    return inspect.iscoroutinefunction(getattr(client, "request", None))


def _async_errors() -> tuple[tuple[type[BaseException], ...], tuple[type[BaseException], ...]]:
    import aiohttp

    return (aiohttp.ClientError, asyncio.TimeoutError, OSError), (aiohttp.ClientConnectorError,)


def _query(client: Any, request: Any) -> Any:
    return client._process_params(dict(request.params), request.endpoint_parameters)


def _recorder(sent: list[Any]) -> _xchat_dm.Recorder:
    return lambda request, headers: sent.append((request, headers))


def send_sync(client: Any, request: Any) -> tuple[Any, dict[str, str]]:
    """Send ``request`` with a blocking client; its JSON payload and headers."""
    xchat = _xchat_dm.routed(client, request)
    if xchat is not None:
        # XChat's flows answer in the legacy shape; the headers are the chat message POST's.
        sent: list[Any] = []
        perform = _xchat_dm.perform_sync(client, request.user_auth, _recorder(sent))
        return _flow.run_flow(xchat, perform), _xchat_dm.message_headers(sent)
    response = client.request(
        request.method, request.route, _query(client, request), request.json, request.user_auth
    )
    return _xchat_dm.json_payload(response.content), dict(response.headers)


async def send_async(client: Any, request: Any) -> tuple[Any, dict[str, str]]:
    """Send ``request`` with an ``AsyncClient``; its JSON payload and headers."""
    xchat = _xchat_dm.routed(client, request)
    if xchat is not None:
        sent: list[Any] = []
        perform = _xchat_dm.perform_async(client, request.user_auth, _recorder(sent))
        return await _flow.arun_flow(xchat, perform), _xchat_dm.message_headers(sent)
    response = await client.request(
        request.method, request.route, _query(client, request), request.json, request.user_auth
    )
    # The body was read before the connection was released: json() reads that copy.
    return (await response.json(content_type=None)) or {}, dict(response.headers)


def one(request: Any) -> Generator[Any, Any, Any]:
    """Flow: send ``request`` once; returns ``(payload, headers)``."""
    return (yield _flow.Send(request))


def response(request: Any, payload: Any) -> tweepy.Response:
    """``payload`` as tweepy's ``Response``, its data made into the request's models."""
    data = payload.get("data")
    kind = request.data_type
    if kind is not None and data is not None:
        data = [kind(item) for item in data] if isinstance(data, list) else kind(data)
    return tweepy.Response(data, payload.get("includes", {}), payload.get("errors", []),
                           payload.get("meta", {}))  # fmt: skip


def request_of(method: str, user_auth: bool, kwargs: dict[str, Any]) -> Any:
    """The request a client method makes, from the endpoint table."""
    row = _ROWS.get(method)
    if row is None:
        raise ValueError(f"{method} is not a DM method of the endpoint table")
    return row.build(user_auth=user_auth, **kwargs)


class Driver:
    """Runs flows against clients, blocking or on an event loop of the bot's.

    ``classified``: errors reach the flow as :func:`tweepy_dm._policy.classify`
    says (a 429 waits for X's window: the bot waits in its store, not in the
    client); otherwise as the client raised them.
    """

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread: Optional[threading.Thread] = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<Driver loop={'running' if self._loop else 'none'}>"

    def _on_error(self, classified: bool, connection: Any, unsent: Any) -> _flow.OnError:
        if not classified:
            return lambda error: error
        return lambda error: _policy.classify(
            error,
            now=self.clock(),
            connection_errors=connection,
            unsent_errors=unsent,
            wait_on_rate_limit=True,
            rate_limit_fallback=_policy.DEFAULT_RATE_LIMIT_WAIT,
        )

    def run(self, client: Any, flow: _flow.Flow[Any], *, classified: bool = True) -> Any:
        """Run ``flow`` with ``client``'s requests to its end; returns what it returned."""
        if is_async(client):
            return self.wait(self._arun(client, flow, classified))
        on_error = self._on_error(classified, SYNC_CONNECTION_ERRORS, SYNC_UNSENT_ERRORS)
        perform = _flow.dispatch({_flow.Send: lambda request: send_sync(client, request)})
        return _flow.run_flow(flow, perform, on_error)

    async def _arun(self, client: Any, flow: _flow.Flow[Any], classified: bool) -> Any:
        on_error = self._on_error(classified, *_async_errors())

        async def send(request: Any) -> Any:
            return await send_async(client, request)

        return await _flow.arun_flow(flow, _flow.dispatch({_flow.Send: send}), on_error)

    def run_xchat(self, client: Any, flow: _flow.Flow[Any]) -> Any:
        """Run one of :mod:`tweepy_dm._xchat_dm`'s flows with ``client`` (made with
        ``xchat_key``), as its legacy DM calls are run; errors as the client raised them."""
        auth = user_auth(client)
        if is_async(client):
            return self.wait(_flow.arun_flow(flow, _xchat_dm.perform_async(client, auth)))
        return _flow.run_flow(flow, _xchat_dm.perform_sync(client, auth))

    def call(
        self, client: Any, method: str, *, raw: bool = False, **kwargs: Any
    ) -> tuple[Any, dict[str, str]]:
        """A DM method of ``client`` through the endpoint table: tweepy's Response, headers.

        ``raw``: the answer's JSON instead of a Response.
        """
        user_auth = kwargs.pop("user_auth", True)
        request = request_of(method, user_auth, kwargs)
        payload, headers = self.run(client, one(request), classified=False)
        return (payload or {}) if raw else response(request, payload or {}), headers

    def wait(self, value: Any) -> Any:
        """``value``, or what it resolves to if awaitable (run on the bot's event loop)."""
        if not inspect.isawaitable(value):
            return value
        future = asyncio.run_coroutine_threadsafe(_awaited(value), self.loop())
        return future.result()

    def loop(self) -> asyncio.AbstractEventLoop:
        """The bot's event loop, started on first use; AsyncClients' requests all run on it."""
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                self._thread = threading.Thread(
                    target=loop.run_forever, name="tweepy-dm bot loop", daemon=True
                )
                self._thread.start()
                self._loop = loop
            return self._loop

    def close(self) -> None:
        """Stop the event loop, if one was started."""
        with self._lock:
            loop, thread, self._loop, self._thread = self._loop, self._thread, None, None
        if loop is not None and thread is not None:
            loop.call_soon_threadsafe(loop.stop)
            thread.join()
            loop.close()


async def _awaited(value: Any) -> Any:
    return await value
