"""The asynchronous client: tweepy's ``AsyncClient`` with the DM endpoints.

Importing this module never imports aiohttp: :class:`AsyncClient` is built on
first access (module ``__getattr__``), because only it needs tweepy's
``AsyncClient`` and hence aiohttp.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator
from typing import Any, Optional

import tweepy

from tweepy_dm import _endpoints, _logging, _media
from tweepy_dm._compat import ASYNC_CLIENT_SUPPORT
from tweepy_dm._endpoints import MediaDownload, Request, client_method
from tweepy_dm._exceptions import http_error, rate_limit_reset, rate_limit_wait
from tweepy_dm._files import DOWNLOAD_CHUNK, Sink, Source
from tweepy_dm._params import ParamsMixin
from tweepy_dm._transport import DEFAULT_API_URL, TransportOptions

log = logging.getLogger("tweepy_dm.client")


async def _send(client: Any, request: Request) -> Any:
    return await client._make_request(**request._asdict())


def _signed(client: Any, method: str, url: str, params: Any, headers: dict[str, str]) -> Any:
    """Sign ``url`` as tweepy's AsyncClient does and return the URL to send.

    oauthlib signs the exact URL it is given, so it must be the final one:
    sorted query, ``:`` percent-encoded, and sent as already encoded.
    """
    from oauthlib.oauth1 import Client as OAuthClient
    from yarl import URL

    oauth_client = OAuthClient(
        client.consumer_key,
        client.consumer_secret,
        client.access_token,
        client.access_token_secret,
    )
    url = str(URL(url).with_query(sorted((params or {}).items())))
    url, signed_headers, _ = oauth_client.sign(url, method, headers=headers)
    headers.update(signed_headers)
    before_query, _, query = url.partition("?")
    return URL(f"{before_query}?{query.replace(':', '%3A')}", encoded=True)


def _request_headers(client: Any, json: Any, user_auth: bool) -> dict[str, str]:
    headers = {"User-Agent": client.user_agent}
    if json is not None:
        headers["Content-Type"] = "application/json"
    if not user_auth:
        headers["Authorization"] = f"Bearer {client.bearer_token}"
    return headers


def _client_timeout(client: Any) -> Any:
    import aiohttp

    seconds = getattr(client, "timeout", None)
    return aiohttp.ClientTimeout(
        total=None, connect=seconds, sock_connect=seconds, sock_read=seconds
    )


def _api_url(client: Any) -> str:
    return getattr(client, "api_url", DEFAULT_API_URL)


class _SessionScope:
    """The client's session if it has one, else a new one closed on exit."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.own = client.session is None

    async def __aenter__(self) -> Any:
        if self.own:
            import aiohttp

            self.session = aiohttp.ClientSession(timeout=_client_timeout(self.client))
        else:
            self.session = self.client.session
        return self.session

    async def __aexit__(self, *exc_info: Any) -> None:
        if self.own:
            await self.session.close()


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
    url: Any = _api_url(client) + route
    headers = _request_headers(client, json, user_auth)
    if user_auth:
        url = _signed(client, method, url, params, headers)
        params = None
    if log.isEnabledFor(logging.DEBUG):  # redacting costs; skip it when nobody listens
        log.debug(
            "Making API request: %s %s\nParameters: %s\nHeaders: %s\nJSON: %s",
            method,
            url,
            params,
            _logging.redact(str(headers)),
            json,
        )
    # Pass data only when there is a form: an explicit data=None beside json
    # hides the JSON body from tools that wrap aiohttp (vcrpy 7 records None).
    body = {"json": json} if data is None else {"data": data}
    async with (
        _SessionScope(client) as session,
        session.request(
            method, url, params=params, headers=headers, timeout=_client_timeout(client), **body
        ) as response,
    ):
        log.debug(
            "Received API response: %s %s\nHeaders: %s",
            response.status,
            response.reason,
            response.headers,
        )
        if not 200 <= response.status < 300:
            await response.read()
            raise http_error(
                response,
                response.status,
                response_json=await _json_or_none(response),
                reset_time=rate_limit_reset(response.headers),
            )
        yield response


async def _download(client: Any, download: MediaDownload) -> Any:
    request = download.request
    async with _raw_request(client, request.method, request.route, request.user_auth) as response:
        if download.file is None:
            return await response.read()
        return await _write_chunks(response.content.iter_chunked(DOWNLOAD_CHUNK), download.file)


async def _write_chunks(chunks: Any, file: Any) -> int:
    # File I/O runs in the default executor so the event loop never blocks on disk.
    loop = asyncio.get_running_loop()
    sink = await loop.run_in_executor(None, Sink, file)
    try:
        async for chunk in chunks:
            await loop.run_in_executor(None, sink.write, chunk)
    except BaseException:
        await loop.run_in_executor(None, functools.partial(sink.close, complete=False))
        raise
    await loop.run_in_executor(None, functools.partial(sink.close, complete=True))
    return sink.written


async def _json_or_none(response: Any) -> Any:
    try:
        return await response.json(content_type=None)
    except ValueError:
        return None


async def _sleep(seconds: float) -> None:
    # Looked up at call time, so tests can replace it with a fake clock.
    await asyncio.sleep(seconds)


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


async def _upload(client: Any, upload: _media.Upload) -> _media.DMMedia:
    import aiohttp

    loop = asyncio.get_running_loop()
    # Opening and reading the file happen in the default executor, so the
    # event loop never waits on the disk.
    source = await loop.run_in_executor(None, Source, upload.file)
    try:
        flow = _media.start_upload(upload, source.head, source.size)
        result: Any = None
        error: Optional[BaseException] = None
        while True:
            try:
                effect = flow.throw(error) if error is not None else flow.send(result)
            except StopIteration as done:
                return done.value
            result, error = None, None
            if isinstance(effect, _media.Read):
                result = await loop.run_in_executor(None, source.read, effect.size)
            elif isinstance(effect, _media.Sleep):
                await _sleep(effect.seconds)
            else:
                try:
                    result = await _send_media(client, effect.request)
                except (tweepy.TwitterServerError, aiohttp.ClientConnectionError) as exc:
                    error = _media.Retryable(exc)
                except tweepy.TooManyRequests as exc:
                    if not getattr(client, "wait_on_rate_limit", False):
                        raise
                    error = _media.RateLimited(exc, rate_limit_wait(exc))
    finally:
        await loop.run_in_executor(None, source.close)


class AsyncDirectMessagesMixin(ParamsMixin):
    """The X API v2 Direct Messages methods, for tweepy's ``AsyncClient``.

    Every method is a coroutine; otherwise they are those of
    :class:`DirectMessagesMixin`. Mix it in before
    ``tweepy.asynchronous.AsyncClient``, or use :class:`tweepy_dm.AsyncClient`.

    .. versionadded:: 0.1
    """

    get_direct_message_events = client_method(_endpoints.get_direct_message_events, _send)
    get_dm_events = get_direct_message_events

    get_direct_message_event = client_method(_endpoints.get_direct_message_event, _send)
    get_dm_event = get_direct_message_event

    create_direct_message = client_method(_endpoints.create_direct_message, _send)
    create_dm = create_direct_message

    create_direct_message_conversation = client_method(
        _endpoints.create_direct_message_conversation, _send
    )
    create_dm_conversation = create_direct_message_conversation

    delete_direct_message_event = client_method(_endpoints.delete_direct_message_event, _send)
    delete_dm_event = delete_direct_message_event

    block_direct_messages = client_method(_endpoints.block_direct_messages, _send)
    block_dms = block_direct_messages

    unblock_direct_messages = client_method(_endpoints.unblock_direct_messages, _send)
    unblock_dms = unblock_direct_messages

    get_direct_message_media = client_method(_endpoints.get_direct_message_media, _download)
    get_dm_media = get_direct_message_media

    upload_dm_media = client_method(_media.upload_dm_media, _upload)


class _AsyncTransport(TransportOptions):
    """``api_url``, timeouts, a reusable session and log redaction for tweepy's AsyncClient.

    ``request`` follows tweepy 4.17's ``AsyncBaseClient.request`` step by
    step, so that the same call sends the same bytes; it differs only in the
    host, the timeout, a session kept open inside ``async with``, and logging
    with secrets redacted.
    """

    def _open_transport(self) -> None:
        self._owns_session = False

    async def __aenter__(self) -> Any:
        # Created here, not in __init__: an aiohttp session belongs to the
        # running event loop.
        if self.session is None:
            import aiohttp

            self.session = aiohttp.ClientSession(timeout=_client_timeout(self))
            self._owns_session = True
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the session opened by ``async with``, if any.

        .. versionadded:: 0.1
        """
        if self._owns_session and self.session is not None:
            session, self.session = self.session, None
            self._owns_session = False
            await session.close()

    async def request(
        self, method: str, route: str, params: Any = None, json: Any = None, user_auth: bool = False
    ) -> Any:
        while True:
            try:
                async with _raw_request(
                    self, method, route, user_auth, params=params, json=json
                ) as response:
                    await response.read()  # the body is gone once the context is left
                    return response
            except tweepy.TooManyRequests as error:
                if not self.wait_on_rate_limit:  # type: ignore[attr-defined]
                    raise
                sleep_time = rate_limit_wait(error)
                if sleep_time > 0:
                    log.warning("Rate limit exceeded. Sleeping for %d seconds.", sleep_time)
                    await asyncio.sleep(sleep_time)


_ASYNC_CLIENT_DOC = """AsyncClient( \
    bearer_token=None, consumer_key=None, consumer_secret=None, \
    access_token=None, access_token_secret=None, *, return_type=Response, \
    wait_on_rate_limit=False, api_url="https://api.twitter.com", timeout=60 \
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

At DEBUG level, the ``Authorization`` header, OAuth signatures and this
client's credentials never appear in log lines.

.. versionadded:: 0.1

Parameters
----------
api_url : str
    Where every request goes, DM or not: ``https://api.twitter.com`` (as in
    tweepy) by default; ``https://api.x.com``, a proxy, or a
    :class:`tweepy_dm.emulator.DMEmulator`'s ``url``.
timeout : float | None
    Seconds to wait to connect and for each read before raising
    ``asyncio.TimeoutError``; ``None`` waits forever, as tweepy does.

Attributes
----------
api_url : str
    The base URL requests go to, without a trailing slash.
timeout : float | None
    The connect and read timeout, in seconds.
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
