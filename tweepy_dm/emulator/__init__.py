"""An offline X API v2 Direct Messages server, for tests and benchmarks.

>>> from tweepy_dm.emulator import DMEmulator
>>> with DMEmulator() as emulator:  # doctest: +SKIP
...     credentials = emulator.add_user(1, "alice", "Alice")

See :class:`DMEmulator`. The pytest plugin (``tweepy_dm.emulator.pytest_plugin``)
gives tests a fresh emulator as the ``dm_emulator`` fixture. Only the standard
library and oauthlib are needed; aiohttp is never imported.
"""

from __future__ import annotations

from tweepy_dm.emulator._emulator import DMEmulator
from tweepy_dm.emulator._redirect import Redirect
from tweepy_dm.emulator._routes import X_RATE_LIMITS
from tweepy_dm.emulator._users import EmulatorUser

__all__ = ["X_RATE_LIMITS", "DMEmulator", "EmulatorUser", "Redirect"]
