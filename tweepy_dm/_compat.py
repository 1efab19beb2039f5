"""What the installed tweepy can and cannot do.

Feature checks live here so the rest of the package never compares version
strings itself.
"""

from __future__ import annotations

import re

import tweepy


def _parse_version(version: str) -> tuple[int, ...]:
    # "4.10.1", "4.12.0", and pre-releases such as "4.15.0rc1" all start with
    # the numeric release segment, which is all the comparisons below need.
    return tuple(int(part) for part in re.findall(r"\d+", version)[:3])


TWEEPY_VERSION = _parse_version(tweepy.__version__)

#: tweepy 4.12 added the DM methods and fixed the ``x_y_fields`` mapping in
#: ``BaseClient._process_params`` (before it, ``dm_event_fields`` went out
#: as ``dm.event.fields``).
NATIVE_DM_SUPPORT = TWEEPY_VERSION >= (4, 12)

#: tweepy 4.10 introduced ``tweepy.asynchronous.AsyncClient``.
ASYNC_CLIENT_SUPPORT = TWEEPY_VERSION >= (4, 10)
