"""The asynchronous client: tweepy's ``AsyncClient`` with the DM endpoints.

Its methods come from the endpoint table (:mod:`tweepy_dm._methods`); this
module only performs their effects with aiohttp. Importing it never imports
aiohttp: :class:`AsyncClient` is built on first access (module
``__getattr__``), because only it needs tweepy's ``AsyncClient`` and hence
aiohttp.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator, Coroutine
from typing import TYPE_CHECKING, Any

import tweepy

from tweepy_dm import (
    _client_options,
    _endpoints,
    _flow,
    _logging,
    _media,
    _policy,
    _xchat_dm,
)
from tweepy_dm._activity import loads
from tweepy_dm._client_options import DEFAULT_API_URL, ClientOptions, client_doc
from tweepy_dm._compat import ASYNC_CLIENT_SUPPORT
from tweepy_dm._credentials import bearer_token, check_credentials
from tweepy_dm._endpoints import MediaDownload, Request
from tweepy_dm._exceptions import http_error
from tweepy_dm._files import DOWNLOAD_CHUNK, Source, save_flow
from tweepy_dm._methods import add_methods
from tweepy_dm._models import _PageMixin
from tweepy_dm._oauth1 import for_client
from tweepy_dm._params import ParamsMixin

if TYPE_CHECKING:
    from tweepy_dm._signatures import DirectMessagesMethods

    _Methods = DirectMessagesMethods[Coroutine[Any, Any, Any]]
else:
    _Methods = object

log = logging.getLogger("tweepy_dm.client")


async def _send(client: Any, request: Request) -> Any:
    xchat = _xchat_dm.routed(client, request)  # a legacy DM call of a client with XChat keys
    if xchat is not None:
        perform = _xchat_dm.perform_async(client, request.user_auth)
        return _xchat_dm.respond(client, await _flow.arun_flow(xchat, perform), request)
    # Checked here too for plain tweepy clients given these methods by install().
    check_credentials(client, request.user_auth)
    try:
        return await client._make_request(**request._asdict())
    except tweepy.Forbidden as error:
        raise _xchat_dm.refused(error, request) from None


def _signed(client: Any, method: str, url: str, params: Any, headers: dict[str, str]) -> Any:
    """Sign ``url`` as tweepy's AsyncClient does and return the URL to send.

    The signature covers the exact URL tweepy's AsyncClient sends (sorted
    query, ``:`` percent-encoded), made by the client's one signer: the same
    bytes as oauthlib's, without a new oauthlib client per request.
    """
    from yarl import URL

    url = str(URL(url).with_query(sorted((params or {}).items())))
    headers.update(for_client(client).sign(method, url))
    before_query, _, query = url.partition("?")
    return URL(f"{before_query}?{query.replace(':', '%3A')}", encoded=True)


def _request_headers(client: Any, json: Any, user_auth: bool) -> dict[str, str]:
    headers = {"User-Agent": client.user_agent}
    if json is not None:
        headers["Content-Type"] = "application/json"
    if not user_auth:
        headers["Authorization"] = f"Bearer {bearer_token(client)}"
    return headers


def _client_timeout(client: Any) -> Any:
    import aiohttp

    seconds = getattr(client, "timeout", None)
    return aiohttp.ClientTimeout(
        total=None, connect=seconds, sock_connect=seconds, sock_read=seconds
    )


def _api_url(client: Any) -> str:
    return getattr(client, "api_url", DEFAULT_API_URL)


_OTHER_LOOP = (
    "this AsyncClient is inside `async with` on another event loop, and the aiohttp session "
    "it opened there cannot be used from this one: use one client per event loop, or leave "
    "`async with` first (outside it, each request opens its own session on the running loop)"
)
_CLOSED_IN_FLIGHT = "the AsyncClient's session was closed while this request was in flight"


@functools.cache
def _response_class() -> type:
    """aiohttp's response, whose ``json()`` reads X's UTF-8 body with the JSON reader of
    the stream (msgspec or orjson when installed): the same result as aiohttp's own.

    tweepy's ``_make_request`` reads every body with ``await response.json()``.
    Made on first use: aiohttp is the ``async`` extra's.
    """
    import aiohttp

    class _Response(aiohttp.ClientResponse):
        async def json(self, **kwargs: Any) -> Any:
            if not kwargs:
                # As aiohttp's json(): the body read before the connection was released.
                body = self._body if self._body is not None else await self.read()
                if (
                    self.content_type == "application/json"
                    and (self.charset or "utf-8").lower() in ("utf-8", "utf8")
                    and body.strip()  # aiohttp answers an empty body with None
                ):
                    try:
                        return loads(body)
                    except ValueError:
                        pass  # aiohttp's own error, below
            return await super().json(**kwargs)

    return _Response


class _OpenSession:
    """The session ``async with`` opened: its event loop and its requests in flight.

    :meth:`_AsyncTransport.aclose` detaches it from the client at once (later
    requests open their own sessions) and closes it once the requests already
    using it are done.
    """

    def __init__(self, session: Any, loop: asyncio.AbstractEventLoop) -> None:
        self.session = session
        self.loop = loop
        self.in_flight = 0
        self.closed = False
        self._idle: asyncio.Event | None = None

    def check_loop(self) -> None:
        if self.loop is not asyncio.get_running_loop():
            raise RuntimeError(_OTHER_LOOP)

    def release(self) -> None:
        self.in_flight -= 1
        if self.in_flight == 0 and self._idle is not None:
            self._idle.set()

    async def close(self) -> None:
        """Wait for the requests in flight, then close the session."""
        try:
            if self.in_flight:
                self._idle = asyncio.Event()
                await self._idle.wait()
        finally:
            # Even if the wait is cancelled: the session must not leak. A
            # request still using it then fails with _CLOSED_IN_FLIGHT.
            self.closed = True
            await self.session.close()


def _open_session(client: Any) -> _OpenSession | None:
    """The client's :class:`_OpenSession`, if its session is the one ``async with`` opened."""
    state = getattr(client, "_open_session", None)
    return state if state is not None and state.session is client.session else None


class _SessionScope:
    """The session one request uses: the client's if it has one, else a new one closed on exit."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.session = client.session
        self.own = self.session is None
        self.state = None if self.own else _open_session(client)

    async def __aenter__(self) -> Any:
        if self.own:
            import aiohttp

            self.session = aiohttp.ClientSession(
                timeout=_client_timeout(self.client), response_class=_response_class()
            )
        elif self.state is not None:
            self.state.check_loop()
            self.state.in_flight += 1
        return self.session

    async def __aexit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if self.own:
            await self.session.close()
            return
        if self.state is None:
            return
        self.state.release()
        if self.state.closed and isinstance(exc, Exception) and not _is_tweepy_error(exc):
            raise RuntimeError(_CLOSED_IN_FLIGHT) from exc


def _is_tweepy_error(error: BaseException) -> bool:
    return isinstance(error, tweepy.TweepyException)


@contextlib.asynccontextmanager
async def _raw_request(
    client: Any,
    method: str,
    route: str,
    user_auth: bool,
    *,
    params: Any = None,
    json: Any = None,
    data: Any = None,
) -> AsyncIterator[Any]:
    """Send one request as tweepy's AsyncClient would, to ``api_url``, with a timeout.

    Yields the response, its body not yet read, or raises the exception tweepy
    raises for its status. Log lines name the request with secrets redacted.
    """
    check_credentials(client, user_auth, method, route)
    # Pass data only when there is a form: an explicit data=None beside json
    # hides the JSON body from tools that wrap aiohttp (vcrpy 7 records None).
    body = {"json": json} if data is None else {"data": data}
    # A renewing credential is asked for a fresh token, and renewed once on a 401;
    # the request is then sent once more, unless its form streams a file.
    sent = await _client_options.afresh_token(client, user_auth)
    async with _SessionScope(client) as session:
        for again in (data is None, False):
            url: Any = _api_url(client) + route
            query = params
            headers = _request_headers(client, json, user_auth)
            if user_auth:
                url = _signed(client, method, url, params, headers)
                query = None
            if log.isEnabledFor(logging.DEBUG):  # redacting costs; skip it when nobody listens
                log.debug(
                    "Making API request: %s %s\nParameters: %s\nHeaders: %s\nJSON: %s",
                    method,
                    url,
                    query,
                    _logging.redact(str(headers)),
                    json,
                )
            async with session.request(
                method, url, params=query, headers=headers, timeout=_client_timeout(client), **body
            ) as response:
                log.debug(
                    "Received API response: %s %s\nHeaders: %s",
                    response.status,
                    response.reason,
                    response.headers,
                )
                if response.status == 401 and await _client_options.arenew_after_401(
                    client, user_auth, sent, again
                ):
                    continue
                if not 200 <= response.status < 300:
                    await response.read()
                    raise http_error(
                        response,
                        response.status,
                        response_json=await _json_or_none(response),
                        reset_time=_policy.reset_time(response.headers),
                    )
                yield response
                return


async def _json_or_none(response: Any) -> Any:
    try:
        return await response.json(content_type=None)
    except ValueError:
        return None


async def _sleep(seconds: float) -> None:
    # Looked up at call time, so tests can replace it with a fake clock.
    await asyncio.sleep(seconds)


async def _blocking(function: Any, *args: Any) -> Any:
    # File I/O runs in the default executor so the event loop never blocks on disk.
    return await asyncio.get_running_loop().run_in_executor(None, function, *args)


async def _next_chunk(chunks: Any) -> bytes:
    try:
        return await chunks.__anext__()  # type: ignore[no-any-return]
    except StopAsyncIteration:
        return b""


async def _send_media(client: Any, request: _media.MediaRequest) -> Any:
    import aiohttp

    form = None
    if request.content is not None:
        form = aiohttp.FormData()
        for name, value in (request.fields or {}).items():
            form.add_field(name, value)
        form.add_field(
            "media", request.content, filename="blob", content_type="application/octet-stream"
        )
    async with _raw_request(
        client, request.method, request.route, request.user_auth,
        params=request.params, json=request.json, data=form,
    ) as response:  # fmt: skip
        body = await response.read()
        return await response.json(content_type=None) if body else {}


async def _send_read(client: Any, request: _media.MediaRequest) -> Any:
    async with _raw_request(
        client, request.method, request.route, request.user_auth,
        params=request.params, json=request.json,
    ) as response:  # fmt: skip
        await response.read()  # the body is gone once the context is left
        return response


def _perform(client: Any, send: Any = _send_media, chunks: Any = None) -> Any:
    """How this transport performs each effect of a flow (every performer is awaited)."""
    return _flow.dispatch(
        {
            _flow.Send: functools.partial(send, client),
            _flow.Sleep: lambda seconds: _sleep(seconds),
            _flow.Call: lambda function, args: _blocking(function, *args),
            _flow.ReadChunk: lambda: _next_chunk(chunks),
        }
    )


def _on_error(client: Any) -> Any:
    import aiohttp

    return functools.partial(
        _policy.classify,
        connection_errors=(aiohttp.ClientConnectionError,),
        wait_on_rate_limit=getattr(client, "wait_on_rate_limit", False),
    )


async def _download(client: Any, download: MediaDownload) -> Any:
    request = download.request
    async with _raw_request(client, request.method, request.route, request.user_auth) as response:
        chunks = response.content.iter_chunked(DOWNLOAD_CHUNK)
        return await _flow.arun_flow(save_flow(download.file), _perform(client, chunks=chunks))


async def _upload(client: Any, upload: _media.Upload) -> _media.DMMedia:
    source = await _blocking(Source, upload.file)
    try:
        flow = upload.flow(source)
        return await _flow.arun_flow(flow, _perform(client), _on_error(client))
    finally:
        await _blocking(source.close)


class AsyncDirectMessagesMixin(ParamsMixin, _PageMixin, _Methods):
    """The X API v2 Direct Messages methods, for tweepy's ``AsyncClient``.

    Every method is a coroutine; otherwise they are those of
    :class:`DirectMessagesMixin`. Mix it in before
    ``tweepy.asynchronous.AsyncClient``, or use :class:`tweepy_dm.AsyncClient`.

    .. versionadded:: 0.1
    """


add_methods(
    AsyncDirectMessagesMixin,
    {_endpoints.JSON: _send, _endpoints.DOWNLOAD: _download, _endpoints.UPLOAD: _upload},
)


class _AsyncTransport(ClientOptions):
    """``api_url``, timeouts, a reusable session and log redaction for tweepy's AsyncClient.

    ``request`` follows tweepy 4.17's ``AsyncBaseClient.request`` step by
    step, so that the same call sends the same bytes; it differs only in the
    host, the timeout, a session kept open inside ``async with``, and logging
    with secrets redacted.
    """

    session: Any  # tweepy's attribute: an aiohttp session, or None

    def _open_transport(self) -> None:
        self._open_session: _OpenSession | None = None
        self._depth = 0

    async def __aenter__(self) -> Any:
        # Created here, not in __init__: an aiohttp session belongs to the
        # running event loop.
        state = _open_session(self)
        if state is not None:
            state.check_loop()  # nested: keep the outer block's session
        elif self.session is None:
            import aiohttp

            session = aiohttp.ClientSession(
                timeout=_client_timeout(self), response_class=_response_class()
            )
            self._open_session = _OpenSession(session, asyncio.get_running_loop())
            self.session = session
        self._depth += 1
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        self._depth = max(0, self._depth - 1)
        if self._depth == 0:
            await self.aclose()

    async def aclose(self) -> None:
        """Close the session opened by ``async with``, if any.

        Requests already using it finish first; requests made from then on
        open their own session each, as outside ``async with``. A session you
        gave the client (``client.session = ...``) is left open. Calling it
        again does nothing.

        .. versionadded:: 0.1

        Raises
        ------
        RuntimeError
            If the session was opened on another event loop.
        """
        state = _open_session(self)
        if state is None:
            return
        state.check_loop()
        self._open_session = None
        self.session = None
        self._depth = 0
        await state.close()

    async def request(
        self, method: str, route: str, params: Any = None, json: Any = None, user_auth: bool = False
    ) -> Any:
        request = _media.MediaRequest(method, route, params, json, user_auth=user_auth)
        perform = _perform(self, send=_send_read)
        return await _flow.arun_flow(_policy.retrying(request), perform, _on_error(self))


_ASYNC_CLIENT_HEAD = """AsyncClient( \
    bearer_token=None, consumer_key=None, consumer_secret=None, \
    access_token=None, access_token_secret=None, *, return_type=Response, \
    wait_on_rate_limit=False, api_url="https://api.twitter.com", timeout=60, \
    xchat_key=None, xchat_user_id=None \
)

tweepy's ``AsyncClient`` with every X API v2 Direct Messages endpoint.

It takes the arguments of ``tweepy.asynchronous.AsyncClient`` and keeps all
its methods (see tweepy's documentation for those), plus the transport options
below. It needs tweepy 4.10 or newer and the ``async`` extra
(``pip install "tweepy-dm[async]"``).

Like tweepy, it opens a new connection for every request, unless used as an
async context manager, which keeps one session (and its connections) for
every request inside the block::

    async with tweepy_dm.AsyncClient(bearer_token=token) as client:
        await client.get_dm_events(user_auth=False)

The session's lifetime:

- A nested ``async with`` on the same client (in the same or another task)
  keeps the outer block's session; the outermost block closes it.
- :meth:`aclose`, or leaving the outermost block, lets the requests already
  using the session finish, then closes it.
- After that the client is as new: each request opens its own session, and
  a new ``async with`` opens a new one.
- Inside ``async with``, the client belongs to the event loop that opened its
  session: using it from another loop raises ``RuntimeError``. Outside it,
  nothing ties it to a loop.
"""
_ASYNC_CLIENT_DOC = client_doc(_ASYNC_CLIENT_HEAD, "asyncio.TimeoutError")


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

        class AsyncClient(AsyncDirectMessagesMixin, _AsyncTransport, base):  # type: ignore[no-redef]
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
