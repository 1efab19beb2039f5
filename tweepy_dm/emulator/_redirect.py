"""Send the requests that tweepy makes to X's hosts to an emulator instead.

Most DM code builds its own ``tweepy.Client``, whose host is hard-coded. Like
moto for boto, :class:`Redirect` patches the HTTP libraries at their lowest
stable point, ``requests.adapters.HTTPAdapter.send`` and
``aiohttp.ClientSession._request``, so every request to one of
:data:`X_HOSTS` goes to the emulator, whatever client made it.

A redirected request keeps its path, query, body and headers; only the
connection goes elsewhere. Its ``Host`` header stays X's and
``X-Forwarded-Proto`` says the scheme the client used, so the emulator can
check an OAuth 1.0a signature against the URL the client signed.

:func:`run_redirected` runs a command (``python bot.py``) with the redirect
active in every Python process it starts, through a ``sitecustomize`` module
found on ``PYTHONPATH``.
"""

from __future__ import annotations

import functools
import inspect
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any, Callable, NamedTuple, Optional, TypeVar
from urllib.parse import urlsplit

#: The hosts of X's API that tweepy 4.6-4.17 and tweepy-dm talk to:
#: ``api.twitter.com`` (``Client``, ``AsyncClient``, ``API``, OAuth, v2
#: streams), ``upload.twitter.com`` (``API.media_upload``),
#: ``stream.twitter.com`` (v1.1 ``Stream``), and their ``x.com`` names.
X_HOSTS = frozenset(
    {
        "api.twitter.com",
        "api.x.com",
        "upload.twitter.com",
        "upload.x.com",
        "stream.twitter.com",
    }
)

#: Carries the scheme the client used (and signed) on a redirected request.
PROTO_HEADER = "X-Forwarded-Proto"

#: The environment variable that carries the emulator's URL to child processes.
ENV_VARIABLE = "TWEEPY_DM_REDIRECT_URL"

_F = TypeVar("_F", bound=Callable[..., Any])


def normalize_api_url(api_url: object) -> str:
    """``api_url`` without a trailing slash, or a TypeError/ValueError naming what is wrong."""
    if not isinstance(api_url, str):
        raise TypeError(f"api_url must be a str such as 'http://127.0.0.1:8787', not {api_url!r}")
    try:
        parts = urlsplit(api_url)
        parts.port  # noqa: B018  # raises ValueError for a bad port
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
        or "@" in parts.netloc
    ):
        raise ValueError(
            "api_url must be an http:// or https:// base URL with a host and no query, such as"
            f" 'http://127.0.0.1:8787', not {api_url!r}"
        )
    return api_url.rstrip("/")


class Rewritten(NamedTuple):
    """Where a redirected request goes, and the headers to add to it."""

    url: str
    headers: dict[str, str]


def rewrite(url: str, api_url: str) -> Optional[Rewritten]:
    """The request to send instead of one to ``url``, or None if ``url`` is not X's.

    Pure: ``api_url`` (normalized) replaces the scheme and host; the path and
    the query are kept byte for byte, as the client signed them.
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname  # lower-cased
    except ValueError:
        return None
    # ``api.twitter.com.`` (fully qualified) reaches X as well: it must not escape.
    if (host or "").removesuffix(".") not in X_HOSTS or parts.scheme not in ("http", "https"):
        return None
    netloc = parts.netloc.rpartition("@")[2]
    target = api_url + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Rewritten(target, {"Host": netloc, PROTO_HEADER: parts.scheme})


def signed_url(headers: Any, host: str, target: str) -> str:
    """The URL a client signed, as the emulator's server sees the request.

    ``headers`` has a case-insensitive ``get`` (``http.server``'s message);
    ``target`` is the request line's path and query. Plain requests to the
    emulator were signed with ``http://`` and its address; redirected ones
    keep X's ``Host`` and say their scheme in :data:`PROTO_HEADER`.
    """
    scheme = (headers.get(PROTO_HEADER) or "").strip().lower()
    return f"{scheme if scheme in ('http', 'https') else 'http'}://{host}{target}"


# The process-wide state: the active redirects, the last one winning.


class _Entry:
    """One activation of a redirect; compared by identity."""

    __slots__ = ("api_url",)

    def __init__(self, api_url: str) -> None:
        self.api_url = api_url


_lock = threading.Lock()
_active: list[_Entry] = []
#: (class, attribute) -> (what the class held before, the function we put there)
_patches: dict[tuple[type, str], tuple[Any, Any]] = {}


def current_target() -> Optional[str]:
    """The URL requests to X's hosts go to now, or None when no redirect is active."""
    try:
        return _active[-1].api_url
    except IndexError:
        return None


def _patch_requests() -> None:
    from requests.adapters import HTTPAdapter

    original = HTTPAdapter.__dict__["send"]

    @functools.wraps(original)
    def send(
        self: Any,
        request: Any,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> Any:
        target = current_target()
        moved = rewrite(request.url, target) if target is not None else None
        if moved is not None:
            # A copy, so the caller's PreparedRequest still names X; proxies
            # were chosen for X's URL, not for the emulator's.
            request = request.copy()
            request.url = moved.url
            request.headers.update(moved.headers)
            proxies = {}
        return original(self, request, stream, timeout, verify, cert, proxies)

    _install(HTTPAdapter, "send", original, send)


def _patch_aiohttp() -> None:
    try:
        import aiohttp
        from multidict import CIMultiDict
        from yarl import URL
    except ImportError:
        return  # no aiohttp: nothing can send through it
    session_class = aiohttp.ClientSession
    original = session_class.__dict__["_request"]

    @functools.wraps(original)
    async def _request(self: Any, method: str, str_or_url: Any, **kwargs: Any) -> Any:
        target = current_target()
        if target is not None:
            build = getattr(self, "_build_url", URL)  # joins a session's base_url (aiohttp 3.8+)
            moved = rewrite(str(build(str_or_url)), target)
            if moved is not None:
                headers = CIMultiDict(kwargs.get("headers") or {})
                headers.update(moved.headers)
                kwargs["headers"] = headers
                kwargs["proxy"] = None
                kwargs.pop("server_hostname", None)
                str_or_url = URL(moved.url, encoded=True)
        return await original(self, method, str_or_url, **kwargs)

    _install(session_class, "_request", original, _request)


def _install(cls: type, name: str, original: Any, replacement: Any) -> None:
    _patches[cls, name] = (original, replacement)
    setattr(cls, name, replacement)


def _unpatch() -> None:
    for (cls, name), (original, replacement) in list(_patches.items()):
        # Someone patched over us (responses, vcrpy...): leave theirs; ours,
        # under it, passes requests through untouched now that none is active.
        if cls.__dict__.get(name) is replacement:
            setattr(cls, name, original)
        del _patches[cls, name]


def _push(entry: _Entry) -> None:
    with _lock:
        if not _active:
            try:
                _patch_requests()
                _patch_aiohttp()
            except BaseException:
                _unpatch()
                raise
        _active.append(entry)


def _pop(entry: _Entry) -> None:
    with _lock:
        for index in range(len(_active) - 1, -1, -1):
            if _active[index] is entry:
                del _active[index]
                break
        if not _active:
            _unpatch()


class Redirect:
    """Send every request to X's hosts to ``api_url`` while active.

    A context manager (``with`` or ``async with``) and a decorator, for plain
    and ``async def`` functions; see :meth:`DMEmulator.redirect
    <tweepy_dm.emulator.DMEmulator.redirect>`.

    Parameters
    ----------
    api_url : str
        The base URL to send the requests to.
    value : object
        What ``with ... as`` gives; the redirect itself when None.
    """

    def __init__(self, api_url: str, *, value: Any = None) -> None:
        self.api_url = normalize_api_url(api_url)
        self._value = value
        self._entries: list[_Entry] = []

    def __enter__(self) -> Any:
        entry = _Entry(self.api_url)
        _push(entry)
        self._entries.append(entry)
        return self if self._value is None else self._value

    def __exit__(self, *exc_info: object) -> None:
        _pop(self._entries.pop())

    async def __aenter__(self) -> Any:
        return self.__enter__()

    async def __aexit__(self, *exc_info: object) -> None:
        self.__exit__(*exc_info)

    def __call__(self, function: _F) -> _F:
        # A fresh redirect per call: concurrent calls of an async function
        # must not share one activation.
        def fresh() -> Redirect:
            return Redirect(self.api_url, value=self._value)

        if inspect.iscoroutinefunction(function):

            @functools.wraps(function)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                with fresh():
                    return await function(*args, **kwargs)

            return run_async  # type: ignore[return-value]

        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            with fresh():
                return function(*args, **kwargs)

        return run  # type: ignore[return-value]

    def __repr__(self) -> str:
        state = "active" if self._entries else "inactive"
        return f"<Redirect to {self.api_url} {state}>"


# Child processes: tweepy-dm redirect -- python bot.py


def bootstrap_source() -> bytes:
    """The ``sitecustomize`` of the command: :mod:`tweepy_dm._sitecustomize`'s source.

    Read as data, not imported: it runs in the child, not here.
    """
    return resources.files("tweepy_dm").joinpath("_sitecustomize.py").read_bytes()


def child_environment(
    api_url: str, bootstrap_dir: str, environ: Optional[Mapping[str, str]] = None
) -> dict[str, str]:
    """The environment for a command whose Python processes redirect to ``api_url``."""
    env = dict(os.environ if environ is None else environ)
    existing = env.get("PYTHONPATH")
    env["PYTHONPATH"] = bootstrap_dir + (os.pathsep + existing if existing else "")
    env[ENV_VARIABLE] = normalize_api_url(api_url)
    return env


def write_bootstrap(directory: str) -> str:
    """Write the ``sitecustomize.py`` of :func:`bootstrap_source` into ``directory``; return it."""
    path = os.path.join(directory, "sitecustomize.py")
    with open(path, "wb") as file:
        file.write(bootstrap_source())
    return path


def run_redirected(api_url: str, argv: Sequence[str]) -> int:
    """Run ``argv`` with every Python process it starts redirected to ``api_url``.

    The command's Python processes (and theirs) import a ``sitecustomize``
    from a temporary directory put first on ``PYTHONPATH``; it activates
    :class:`Redirect` for the process's life, calls ``tweepy_dm.install()``
    on tweepy before 4.12, then runs any ``sitecustomize`` it hides. Python
    run with ``-I``, ``-E`` or ``-S`` skips it, and is not redirected.

    Parameters
    ----------
    api_url : str
        The emulator's URL, e.g. ``http://127.0.0.1:8787``.
    argv : Sequence of str
        The command and its arguments, e.g. ``["python", "bot.py"]``.

    Returns
    -------
    int
        The command's exit code; 128 + N when signal N ended it; 127 when
        the command does not exist and 126 when it cannot be run, as in a
        shell.

    Raises
    ------
    TypeError
        If ``argv`` is not a sequence of str.
    ValueError
        If ``api_url`` is not an http(s) base URL or ``argv`` is empty.
    """
    api_url = normalize_api_url(api_url)
    if isinstance(argv, (str, bytes)) or not all(isinstance(arg, str) for arg in argv):
        raise TypeError(f"argv must be a list of str, such as ['python', 'bot.py'], not {argv!r}")
    if not argv:
        raise ValueError("argv is empty: give the command to run, such as ['python', 'bot.py']")
    with tempfile.TemporaryDirectory(prefix="tweepy-dm-redirect-") as directory:
        write_bootstrap(directory)
        env = child_environment(api_url, directory)
        try:
            process = subprocess.Popen(list(argv), env=env)
        except FileNotFoundError:
            sys.stderr.write(f"tweepy-dm redirect: command not found: {argv[0]}\n")
            return 127
        except PermissionError:
            sys.stderr.write(f"tweepy-dm redirect: permission denied: {argv[0]}\n")
            return 126
        return _wait(process)


def _wait(process: subprocess.Popen[bytes]) -> int:
    # Ctrl+C reaches the child from the terminal by itself; the parent just
    # waits for it to finish. SIGTERM is passed on.
    handlers: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        handlers[signal.SIGINT] = signal.signal(signal.SIGINT, signal.SIG_IGN)
        handlers[signal.SIGTERM] = signal.signal(
            signal.SIGTERM, lambda signum, frame: process.send_signal(signum)
        )
    try:
        code = process.wait()
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
    return 128 - code if code < 0 else code
