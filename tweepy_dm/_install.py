"""Opt-in patching of tweepy's own client classes.

Importing tweepy_dm patches nothing. :func:`install` is for code that builds
plain ``tweepy.Client`` objects it does not control (a framework, an older
code base): it adds only what tweepy lacks, and :func:`uninstall` puts tweepy
back exactly as it was.
"""

from __future__ import annotations

import threading
from typing import Any

import tweepy
import tweepy.client

from tweepy_dm import _logging
from tweepy_dm._async_client import AsyncDirectMessagesMixin
from tweepy_dm._client import DirectMessagesMixin
from tweepy_dm._compat import ASYNC_CLIENT_SUPPORT, NATIVE_DM_SUPPORT
from tweepy_dm._endpoints import ENDPOINTS
from tweepy_dm._params import ParamsMixin

_MISSING = object()
_lock = threading.Lock()
#: (class, attribute) -> what the class itself held before install(), or _MISSING.
_patched: dict[tuple[type, str], Any] = {}
_installed = False


def _method_names() -> list[str]:
    return [name for endpoint in ENDPOINTS for name in (endpoint.name, *endpoint.aliases)]


def _targets() -> list[tuple[type, type]]:
    targets: list[tuple[type, type]] = [(tweepy.Client, DirectMessagesMixin)]
    if ASYNC_CLIENT_SUPPORT:
        try:
            from tweepy.asynchronous import AsyncClient
        except (ImportError, tweepy.TweepyException):
            pass  # no aiohttp: there is no AsyncClient to patch
        else:
            targets.append((AsyncClient, AsyncDirectMessagesMixin))
    return targets


def _patch(cls: type, name: str, value: Any) -> None:
    if (cls, name) not in _patched:
        _patched[cls, name] = cls.__dict__.get(name, _MISSING)
    setattr(cls, name, value)


def install() -> None:
    """Give tweepy's own clients the tweepy-dm methods they lack.

    After it, plain :class:`tweepy.Client` and ``tweepy.asynchronous.AsyncClient``
    objects (including ones already created) have every tweepy-dm DM method
    that tweepy does not provide. Methods tweepy already has are left alone:
    on tweepy 4.12 and newer, tweepy's own DM methods stay. On tweepy before
    4.12 only, tweepy's query-parameter mapping is replaced with the corrected
    one, since there it sends ``dm_event_fields`` under the wrong name.

    It also keeps the credentials of every tweepy client out of the DEBUG log
    lines of tweepy and the HTTP and OAuth libraries, from the first request
    on, as tweepy-dm's own clients do (:func:`uninstall` leaves that on: it
    only ever removes secrets).

    Calling it again changes nothing. Undo it with :func:`uninstall`.

    .. versionadded:: 0.1
    """
    global _installed
    with _lock:
        _installed = True
        _logging.install_filter()
        for cls, mixin in _targets():
            for name in _method_names():
                already_ours = (cls, name) in _patched
                if already_ours or not hasattr(cls, name):
                    _patch(cls, name, mixin.__dict__[name])
        if not NATIVE_DM_SUPPORT:
            _patch(tweepy.client.BaseClient, "_process_params", ParamsMixin._process_params)


def uninstall() -> None:
    """Undo :func:`install`, restoring tweepy's classes exactly.

    Does nothing if :func:`install` was not called.

    .. versionadded:: 0.1
    """
    global _installed
    with _lock:
        _installed = False
        for (cls, name), original in _patched.items():
            if original is _MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, original)
        _patched.clear()


def is_installed() -> bool:
    """Whether :func:`install` is in effect.

    .. versionadded:: 0.1
    """
    return _installed
