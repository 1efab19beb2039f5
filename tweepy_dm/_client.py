"""The synchronous client: tweepy's ``Client`` with the DM endpoints."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Any, Optional, Union

import requests
import tweepy
from tweepy.auth import OAuth1UserHandler

from tweepy_dm import _endpoints, _media
from tweepy_dm._endpoints import MediaDownload, Request, client_method
from tweepy_dm._exceptions import http_error, rate_limit_reset, rate_limit_wait
from tweepy_dm._files import DOWNLOAD_CHUNK, Sink, Source
from tweepy_dm._multipart import MultipartBody
from tweepy_dm._params import ParamsMixin
from tweepy_dm._transport import DEFAULT_API_URL, TransportOptions


def _send(client: Any, request: Request) -> Any:
    # tweepy's _make_request handles return_type, errors and rate limits.
    return client._make_request(**request._asdict())


def _auth(client: Any, user_auth: bool) -> tuple[dict[str, str], Any]:
    """The headers and requests auth object tweepy would use."""
    headers = {"User-Agent": client.user_agent}
    if user_auth:
        auth = OAuth1UserHandler(
            client.consumer_key,
            client.consumer_secret,
            client.access_token,
            client.access_token_secret,
        ).apply_auth()
        return headers, auth
    headers["Authorization"] = f"Bearer {client.bearer_token}"
    return headers, None


@contextlib.contextmanager
def _raw_request(
    client: Any, method: str, route: str, user_auth: bool, **kwargs: Any
) -> Iterator[requests.Response]:
    """A request outside tweepy's JSON handling (media), with tweepy's auth and errors."""
    headers, auth = _auth(client, user_auth)
    headers.update(kwargs.pop("headers", {}))
    url = getattr(client, "api_url", DEFAULT_API_URL) + route
    with client.session.request(method, url, headers=headers, auth=auth, **kwargs) as response:
        if not 200 <= response.status_code < 300:
            raise http_error(
                response, response.status_code, reset_time=rate_limit_reset(response.headers)
            )
        yield response


def _download(client: Any, download: MediaDownload) -> Union[bytes, int]:
    request = download.request
    with _raw_request(
        client, request.method, request.route, request.user_auth, stream=True
    ) as response:
        chunks = response.iter_content(DOWNLOAD_CHUNK)
        if download.file is None:
            return b"".join(chunks)
        return _write_chunks(chunks, download.file)


def _write_chunks(chunks: Any, file: Any) -> int:
    sink = Sink(file)
    try:
        for chunk in chunks:
            sink.write(chunk)
    except BaseException:
        sink.close(complete=False)
        raise
    sink.close(complete=True)
    return sink.written


def _sleep(seconds: float) -> None:
    # Looked up at call time, so tests can replace it with a fake clock.
    time.sleep(seconds)


def _send_media(client: Any, request: _media.MediaRequest) -> Any:
    body, headers = None, {}
    if request.content is not None:
        body = MultipartBody(request.fields or {}, "media", request.content)
        headers["Content-Type"] = body.content_type
    with _raw_request(
        client,
        request.method,
        request.route,
        request.user_auth,
        params=request.params,
        json=request.json,
        data=body,
        headers=headers,
    ) as response:
        return response.json() if response.content else {}


def _upload(client: Any, upload: _media.Upload) -> _media.DMMedia:
    source = Source(upload.file)
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
                result = source.read(effect.size)
            elif isinstance(effect, _media.Sleep):
                _sleep(effect.seconds)
            else:
                try:
                    result = _send_media(client, effect.request)
                except (tweepy.TwitterServerError, requests.ConnectionError) as exc:
                    error = _media.Retryable(exc)
                except tweepy.TooManyRequests as exc:
                    if not getattr(client, "wait_on_rate_limit", False):
                        raise
                    error = _media.RateLimited(exc, rate_limit_wait(exc))
    finally:
        source.close()


class DirectMessagesMixin(ParamsMixin):
    """The X API v2 Direct Messages methods, for :class:`tweepy.Client`.

    Mix it in before ``tweepy.Client`` (``class MyClient(DirectMessagesMixin,
    tweepy.Client)``), or use :class:`tweepy_dm.Client`, which does exactly
    that. It also corrects the query parameter names of every endpoint of the
    client.

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


class _Session(requests.Session):
    """A requests session that sends tweepy's requests to ``api_url``.

    tweepy builds every URL from its hard-coded host. Rewriting it here, before
    requests prepares the request, means OAuth 1.0a signs the URL that is
    actually sent.
    """

    def __init__(self, api_url: str, timeout: Optional[float]) -> None:
        super().__init__()
        self.api_url = api_url
        self.timeout = timeout

    def request(self, method: str, url: Any, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if isinstance(url, str) and url.startswith(DEFAULT_API_URL + "/"):
            url = self.api_url + url[len(DEFAULT_API_URL) :]
        kwargs.setdefault("timeout", self.timeout)
        return super().request(method, url, *args, **kwargs)


class Client(DirectMessagesMixin, TransportOptions, tweepy.Client):
    """Client( \
        bearer_token=None, consumer_key=None, consumer_secret=None, \
        access_token=None, access_token_secret=None, *, return_type=Response, \
        wait_on_rate_limit=False, api_url="https://api.twitter.com", timeout=60 \
    )

    :class:`tweepy.Client` with every X API v2 Direct Messages endpoint.

    It takes tweepy's arguments and keeps all of tweepy's methods (see
    tweepy's documentation for those), plus the transport options below. Use
    it as a context manager to close its connections when done::

        with tweepy_dm.Client(bearer_token=token) as client:
            client.get_dm_events(user_auth=False)

    At DEBUG level, the ``Authorization`` header, OAuth signatures and this
    client's credentials are redacted from the log lines of tweepy and the
    HTTP and OAuth libraries.

    .. versionadded:: 0.1

    Parameters
    ----------
    api_url : str
        Where every request goes, DM or not: ``https://api.twitter.com`` (as
        in tweepy) by default; ``https://api.x.com``, a proxy, or a
        :class:`tweepy_dm.emulator.DMEmulator`'s ``url``.
    timeout : float | None
        Seconds to wait to connect and for each read before raising
        ``requests.Timeout``; ``None`` waits forever, as tweepy does.

    Attributes
    ----------
    api_url : str
        The base URL requests go to, without a trailing slash.
    timeout : float | None
        The connect and read timeout, in seconds.
    """

    def _open_transport(self) -> None:
        self.session = _Session(self.api_url, self.timeout)

    def close(self) -> None:
        """Close the client's connections.

        .. versionadded:: 0.1
        """
        self.session.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()
