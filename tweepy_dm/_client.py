"""The synchronous client: tweepy's ``Client`` with the DM endpoints.

Its methods come from the endpoint table (:mod:`tweepy_dm._methods`); this
module performs their effects with ``requests``. Its ``request`` (which tweepy's
own methods call too) checks the credentials, signs, prepares and sends each
request itself rather than through ``Session.request`` (reading the environment's
proxy settings again only when they change), and waits on rate limits.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Optional, Union
from urllib.parse import urlencode

import requests
import requests.auth
import tweepy
from requests.cookies import RequestsCookieJar
from requests.sessions import merge_setting
from requests.structures import CaseInsensitiveDict

from tweepy_dm import _endpoints, _flow, _media, _policy, _xchat_dm
from tweepy_dm._activity import loads
from tweepy_dm._client_options import DEFAULT_API_URL, ClientOptions, client_doc, renewing
from tweepy_dm._credentials import bearer_token, check_credentials
from tweepy_dm._endpoints import MediaDownload, Request
from tweepy_dm._exceptions import http_error
from tweepy_dm._files import DOWNLOAD_CHUNK, Source, save_flow
from tweepy_dm._methods import add_methods
from tweepy_dm._models import _PageMixin
from tweepy_dm._multipart import MultipartBody
from tweepy_dm._oauth1 import for_client
from tweepy_dm._params import ParamsMixin

if TYPE_CHECKING:
    from tweepy_dm._signatures import DirectMessagesMethods

    _Methods = DirectMessagesMethods[Any]
else:
    _Methods = object


def _send(client: Any, request: Request) -> Any:
    xchat = _xchat_dm.routed(client, request)  # a legacy DM call of a client with XChat keys
    if xchat is not None:
        perform = _xchat_dm.perform_sync(client, request.user_auth)
        return _xchat_dm.respond(client, _flow.run_flow(xchat, perform), request)
    # Checked here too for plain tweepy clients given these methods by install().
    check_credentials(client, request.user_auth)
    # tweepy's _make_request handles return_type, errors and rate limits.
    try:
        return client._make_request(**request._asdict())
    except tweepy.Forbidden as error:
        raise _xchat_dm.refused(error, request) from None


# The encodings requests may give X's JSON body (None: no charset, and JSON is UTF-8).
_UTF8 = frozenset({None, "utf-8", "UTF-8", "utf8"})


class _Response(requests.Response):
    """requests' response, whose ``json()`` reads X's body with the JSON reader of
    the stream (msgspec or orjson when installed): the same result as requests' own.

    tweepy's ``_make_request`` reads every body with ``response.json()``; with the
    stdlib json that was half of turning a 100-event page into models.
    """

    def json(self, **kwargs: Any) -> Any:
        if not kwargs and self.encoding in _UTF8:
            try:
                return loads(self.content)
            except ValueError:
                pass  # requests' own error, below
        return super().json(**kwargs)


# tweepy's logger: the request and response lines tweepy would write.
_tweepy_log = logging.getLogger("tweepy.client")


class _BearerAuth(requests.auth.AuthBase):
    """Sets the bearer token's header; as an auth object, it also spares
    requests a look into ~/.netrc on every call (which would replace the
    header with a netrc password, were there one for the host)."""

    __slots__ = ("token", "header")

    def __init__(self, token: str) -> None:
        self.token = token
        self.header = f"Bearer {token}"

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = self.header
        return request


def _bearer_auth(client: Any) -> _BearerAuth:
    # One per client, renewed when someone assigns a new bearer_token.
    token = bearer_token(client)  # a renewing credential's current token
    auth = client.__dict__.get("_dm_bearer_auth")
    if auth is None or auth.token != token:
        auth = client.__dict__["_dm_bearer_auth"] = _BearerAuth(token)
    return auth


def _auth(client: Any, user_auth: bool) -> tuple[dict[str, str], Any]:
    """The headers (as tweepy logs them) and requests auth object for a call."""
    headers = {"User-Agent": client.user_agent}
    if user_auth:
        return headers, for_client(client)
    auth = _bearer_auth(client)
    headers["Authorization"] = auth.header
    return headers, auth


# What requests reads from the environment for each request (proxies, CA
# bundles); a change to any of them is seen on the next call.
_ENVIRONMENT = (
    *(
        name
        for base in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
        for name in (base, base.upper())
    ),
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
)


def _send_settings(session: requests.Session, url: str) -> dict[str, Any]:
    """``session.merge_environment_settings`` for ``url``, computed once per
    scheme and host, session settings and environment, instead of on every
    call (it reads the proxy settings and no_proxy rules each time)."""
    origin = "/".join(url.split("/", 3)[:3])
    key = (
        origin,
        session.trust_env,
        tuple(sorted(session.proxies.items())),
        session.verify,
        session.cert,
        tuple(map(os.environ.get, _ENVIRONMENT)),
    )
    cache = session.__dict__.setdefault("_dm_send_settings", {})
    settings = cache.get(key)
    if settings is None:
        if len(cache) > 64:
            cache.clear()
        settings = cache[key] = session.merge_environment_settings(url, {}, None, None, None)
    return settings


# A route whose every character requests would leave as it is (no quoting).
_PLAIN_ROUTE = re.compile(r"[A-Za-z0-9/_.~:,-]*\Z")
_NO_HOOKS: dict[str, list[Any]] = {"response": []}


def _query(params: Any) -> Optional[str]:
    """``params`` as requests would encode them, or None when that needs requests.

    requests' own encoding (``_encode_params``, then ``requote_uri``) gives the
    same text for a mapping of ASCII ``str`` keys to ASCII ``str`` or ``int``
    values (``None`` is left out): ``urlencode`` quotes every character that
    requote_uri would, and leaves alone every one it leaves alone.
    """
    if not params:
        return ""
    if type(params) is not dict:
        return None
    pairs = []
    for key, value in params.items():
        if value is None:
            continue
        kind = type(value)
        if type(key) is not str or not key.isascii():
            return None
        if kind is int:
            value = str(value)
        elif kind is not str or not value.isascii():
            return None
        pairs.append((key, value))
    return urlencode(pairs)


def _headers(session: requests.Session, headers: dict[str, str]) -> CaseInsensitiveDict:
    """The session's headers with ``headers`` over them, checked as requests checks them.

    Checked once per set of headers; the result is a new dict on every call,
    since auth and requests write into it.
    """
    key = (tuple(session.headers.items()), tuple(headers.items()))
    cache = session.__dict__.setdefault("_dm_headers", {})
    items = cache.get(key)
    if items is None:
        merged = merge_setting(headers, session.headers, dict_class=CaseInsensitiveDict)
        checked = requests.PreparedRequest()
        checked.prepare_headers(merged)
        if len(cache) > 64:
            cache.clear()
        items = cache[key] = tuple(checked.headers.items())
    return CaseInsensitiveDict(items)


def _prepare(
    session: requests.Session,
    method: str,
    url: str,
    params: Any,
    json: Any,
    headers: Any,
    auth: Any,
) -> requests.PreparedRequest:
    """``session.prepare_request(requests.Request(...))``, without its per-call costs.

    For the requests the client makes (an ASCII route and query, a session
    with no cookies, auth or hooks of its own), the same request is built
    from parts that do not change between calls: the merged and checked
    headers are kept per session, the query is encoded directly. Any other
    request goes through requests' own preparation.
    """
    query = _query(params)
    path = url.find("/", url.find("//") + 2)
    origin = url[:path]
    if (
        query is None
        or path < 0
        # requests lowercases the scheme and host, and IDNA-encodes the host.
        or not (origin.isascii() and origin == origin.lower())
        or not _PLAIN_ROUTE.match(url, path)
        or "/." in url[path:]  # dot segments, which requests resolves
        or session.cookies
        or session.auth is not None
        or any(session.hooks.values())
    ):
        return session.prepare_request(
            requests.Request(method, url, params=params, json=json, headers=headers, auth=auth)
        )
    prepared = requests.PreparedRequest()
    prepared.method = method.upper()
    prepared.url = f"{url}?{query}" if query else url
    prepared.headers = _headers(session, headers)
    prepared._cookies = RequestsCookieJar()  # type: ignore[attr-defined]
    prepared.hooks = {"response": []}
    prepared.prepare_body(None, None, json)
    prepared.prepare_auth(auth, prepared.url)
    return prepared


@contextlib.contextmanager
def _raw_request(
    client: Any, method: str, route: str, user_auth: bool, **kwargs: Any
) -> Iterator[requests.Response]:
    """A request outside tweepy's JSON handling (media), with tweepy's auth and errors."""
    check_credentials(client, user_auth, method, route)
    extra = kwargs.pop("headers", {})
    url = getattr(client, "api_url", DEFAULT_API_URL) + route

    def attempt() -> requests.Response:
        headers, auth = _auth(client, user_auth)
        headers.update(extra)
        response = client.session.request(method, url, headers=headers, auth=auth, **kwargs)
        if not 200 <= response.status_code < 300:
            with response:  # the error reads the body first
                raise http_error(
                    response,
                    response.status_code,
                    reset_time=_policy.reset_time(response.headers),
                )
        return response

    # A multipart body streams its file: it is not sent a second time.
    with renewing(client, user_auth, attempt, again=kwargs.get("data") is None) as response:
        yield response


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


def _perform(client: Any, chunks: Optional[Iterator[bytes]] = None) -> Any:
    """How this transport performs each effect of a flow."""
    return _flow.dispatch(
        {
            _flow.Send: functools.partial(_send_media, client),
            _flow.Sleep: lambda seconds: _sleep(seconds),
            _flow.Call: lambda function, args: function(*args),
            _flow.ReadChunk: lambda: next(chunks, b"") if chunks is not None else b"",
        }
    )


def _on_error(client: Any) -> Any:
    return functools.partial(
        _policy.classify,
        connection_errors=(requests.ConnectionError,),
        wait_on_rate_limit=getattr(client, "wait_on_rate_limit", False),
    )


def _download(client: Any, download: MediaDownload) -> Union[bytes, int]:
    request = download.request
    with _raw_request(
        client, request.method, request.route, request.user_auth, stream=True
    ) as response:
        chunks = response.iter_content(DOWNLOAD_CHUNK)
        return _flow.run_flow(save_flow(download.file), _perform(client, chunks))


def _upload(client: Any, upload: _media.Upload) -> _media.DMMedia:
    with contextlib.closing(Source(upload.file)) as source:
        flow = upload.flow(source)
        return _flow.run_flow(flow, _perform(client), _on_error(client))


class DirectMessagesMixin(ParamsMixin, _PageMixin, _Methods):
    """The X API v2 Direct Messages methods, for :class:`tweepy.Client`.

    Mix it in before ``tweepy.Client`` (``class MyClient(DirectMessagesMixin,
    tweepy.Client)``), or use :class:`tweepy_dm.Client`, which does exactly
    that. It also corrects the query parameter names of every endpoint of the
    client.

    .. versionadded:: 0.1
    """


add_methods(
    DirectMessagesMixin,
    {_endpoints.JSON: _send, _endpoints.DOWNLOAD: _download, _endpoints.UPLOAD: _upload},
)


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


class Client(DirectMessagesMixin, ClientOptions, tweepy.Client):
    """Client( \
        bearer_token=None, consumer_key=None, consumer_secret=None, \
        access_token=None, access_token_secret=None, *, return_type=Response, \
        wait_on_rate_limit=False, api_url="https://api.twitter.com", timeout=60, \
        xchat_key=None, xchat_user_id=None \
    )

    :class:`tweepy.Client` with every X API v2 Direct Messages endpoint.

    It takes tweepy's arguments and keeps all of tweepy's methods (see
    tweepy's documentation for those), plus the transport options below. Use
    it as a context manager to close its connections when done::

        with tweepy_dm.Client(bearer_token=token) as client:
            client.get_dm_events(user_auth=False)
    """

    def _open_transport(self) -> None:
        self.session = _Session(self.api_url, self.timeout)

    def request(
        self,
        method: str,
        route: str,
        params: Any = None,
        json: Any = None,
        user_auth: bool = False,
    ) -> Any:
        # Every request, tweepy's own methods' too: a missing or unusable
        # credential fails here with a clear error, before anything is sent.
        check_credentials(self, user_auth, method, route)
        # tweepy's clock, looked up now: tests replace tweepy.client.time.
        clock = tweepy.client.time

        def perform(effect: Any) -> Any:
            if isinstance(effect, _flow.Sleep):
                return clock.sleep(effect.seconds)
            # A renewing credential is asked for a fresh token, and renewed once on a 401.
            return renewing(
                self, user_auth, lambda: self._request_once(method, route, params, json, user_auth)
            )

        def on_error(error: Exception) -> BaseException:
            return _policy.classify(
                error, now=clock.time(), wait_on_rate_limit=self.wait_on_rate_limit
            )

        # The 429s waited out as the async client waits them: one policy, _policy.retrying.
        request = (method, route)
        return _flow.run_flow(_policy.retrying(request), perform, on_error)

    def _request_once(
        self, method: str, route: str, params: Any, json: Any, user_auth: bool
    ) -> Any:
        # tweepy's request, but its DEBUG lines (the second holds the whole
        # body) are built only when someone listens, and OAuth 1.0a reuses
        # one signer instead of a new session and oauthlib client per call.
        # OAuth 1.0a signs each attempt afresh (a new nonce).
        headers, auth = _auth(self, user_auth)
        url = self.api_url + route
        debug = _tweepy_log.isEnabledFor(logging.DEBUG)
        if debug:
            _tweepy_log.debug(
                f"Making API request: {method} {url}\nParameters: {params}\n"
                f"Headers: {headers}\nBody: {json}"
            )
        # What requests.Session.request does, minus the per-call reading of
        # the environment: prepare_request still merges the session's
        # headers, cookies, auth and hooks, and send goes through its adapters.
        session = self.session
        prepared = _prepare(session, method, url, params, json, headers, auth)
        settings = _send_settings(session, prepared.url or url)
        with session.send(
            prepared, timeout=getattr(session, "timeout", None), allow_redirects=True, **settings
        ) as response:
            if debug:
                _tweepy_log.debug(
                    f"Received API response: {response.status_code} {response.reason}\n"
                    f"Headers: {response.headers}\nContent: {response.content}"
                )
            status = response.status_code
            if 200 <= status < 300:
                # requests made the response; ours differs only in its json().
                response.__class__ = _Response
                return response
            reset = _policy.reset_time(response.headers) if status == 429 else None
            raise http_error(response, status, reset_time=reset)

    def close(self) -> None:
        """Close the client's connections.

        .. versionadded:: 0.1
        """
        self.session.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()


Client.__doc__ = client_doc(Client.__doc__ or "", "requests.Timeout")
