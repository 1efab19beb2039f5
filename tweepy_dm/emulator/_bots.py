"""Bot accounts in the emulator: the project's bots, their ``xcbot_`` tokens, every rule.

A bot is a real user of the emulator (its profile's description says "Automated by
@owner") whose only credential is an ``xcbot_`` bearer token, held as an OAuth 2.0
grant of :mod:`._oauth2` so that the token acts as the bot's user context with its
scopes. The rules are X's (xchat/bots.mdx and spec 2.170's ``/2/bots``): one active
token per bot (every mint revokes the one before), at most ``max_bots`` per project,
create idempotent on the handle (a fresh token each time, ``display_name`` applied
again, ``dm_permission`` kept), scopes a subset of the default set, ``dm_permission``
deciding who may message the bot. Refusals are domain errors, never HTTP.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Callable, Optional

from tweepy_dm import _facts
from tweepy_dm.emulator import _oauth2
from tweepy_dm.emulator._backend import Invalid, NotFound, NotPermitted
from tweepy_dm.emulator._state import EmulatorDB, User

_HANDLE = re.compile(_facts.BOT_HANDLE_PATTERN)
#: Who owns the app, when a test does not say (the label's ``@owner``): an emulator choice.
DEFAULT_OWNER = "emulator_dev"


class TooManyBots(NotPermitted):
    """The project has ``max_bots`` bots already."""

    status = _facts.BOT_LIMIT_STATUS
    title = "Forbidden"
    problem_type = "about:blank"


@dataclass
class Bot:
    id: int
    handle: str
    name: str
    dm_permission: str
    scopes: frozenset[str]
    token: Optional[str] = None


def _check_handle(value: Any) -> str:
    if not isinstance(value, str) or not _HANDLE.fullmatch(value):
        raise Invalid(
            "handle must be 5 to 15 letters, digits or underscores", "handle", str(value)[:50]
        )
    return value


def _check_display_name(value: Any) -> str:
    low, high = _facts.BOT_DISPLAY_NAME_LENGTH
    if not isinstance(value, str) or not low <= len(value) <= high:
        raise Invalid(
            f"display_name must be a string of {low} to {high} characters",
            "display_name",
            str(value)[:60],
        )
    return value


def _check_scopes(value: Any) -> Optional[frozenset[str]]:
    if value is None:
        return None
    if not isinstance(value, list) or not value or not all(isinstance(s, str) for s in value):
        raise Invalid("scopes must be a non-empty list of strings", "scopes", str(value)[:100])
    chosen = frozenset(value)
    # xchat/bots.mdx: nothing outside the default set (the spec's broadcast scopes included).
    outside = sorted(chosen - frozenset(_facts.BOT_DEFAULT_SCOPES))
    if outside:
        raise Invalid(
            "scopes must be a subset of " + ", ".join(_facts.BOT_DEFAULT_SCOPES),
            "scopes",
            ",".join(outside),
        )
    return chosen


def _check_fields(body: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise Invalid(
            f"unknown field {unknown[0]!r}: the body takes {', '.join(allowed)}",
            unknown[0],
            unknown[0],
        )


class BotsBackend:
    """The project's bot accounts (thread-safe, in memory, per emulator)."""

    def __init__(
        self, store: EmulatorDB, clock: Callable[[], float], oauth: _oauth2.OAuth2Backend
    ) -> None:
        self.store = store
        self.clock = clock
        #: Where bots' tokens are grants, so that they authenticate as the bot.
        self.oauth = oauth
        self.max_bots = _facts.BOT_DEFAULT_MAX_BOTS
        self.owner = DEFAULT_OWNER
        self._lock = threading.RLock()
        self._bots: dict[int, Bot] = {}

    # Looking bots up

    def bot(self, bot_id: int) -> Bot:
        with self._lock:
            found = self._bots.get(bot_id)
        if found is None:
            raise NotFound("bot", "id", bot_id)
        return found

    def bots(self) -> list[User]:
        """The project's bots, as users, oldest first."""
        with self._lock:
            ids = sorted(self._bots)
        return self.store.users(ids)

    def label(self, user_id: int) -> Optional[str]:
        """The profile label of a bot ("Automated by @owner"); None for anyone else."""
        with self._lock:
            if user_id not in self._bots:
                return None
            return _facts.BOT_LABEL.format(owner=self.owner)

    def lets_dm(self, bot_id: int, sender_verified: bool) -> bool:
        """Whether ``bot_id``'s ``dm_permission`` lets a sender in (True for non-bots)."""
        with self._lock:
            found = self._bots.get(bot_id)
        if found is None or found.dm_permission == "everyone":
            return True
        return found.dm_permission == "premium" and sender_verified

    # Tokens

    def _mint(self, bot: Bot, scopes: frozenset[str]) -> dict[str, Any]:
        oauth = self.oauth
        if bot.token is not None:
            oauth.drop_grant(bot.token)  # a bot has one active token
        token = _facts.BOT_TOKEN_PREFIX + secrets.token_urlsafe(32)
        expires_at = self.clock() + _facts.BOT_TOKEN_SECONDS
        bot.token, bot.scopes = token, scopes
        oauth.add_grant(token, _oauth2.Grant(bot.id, scopes, expires_at))
        return {
            "id": str(bot.id),
            "username": bot.handle,
            "name": bot.name,
            "token": token,
            "token_expires_at_ms": int(expires_at * 1000),
            "scopes": sorted(scopes),
        }

    def rotate(self, bot_id: int, body: Mapping[str, Any]) -> dict[str, Any]:
        _check_fields(body, ("scopes",))
        scopes = _check_scopes(body.get("scopes"))
        with self._lock:
            found = self.bot(bot_id)
            return self._mint(found, scopes or found.scopes)

    def revoke(self, bot_id: int) -> None:
        with self._lock:
            found = self.bot(bot_id)
            if found.token is not None:
                self.oauth.drop_grant(found.token)
                found.token = None

    # The accounts

    def add(self, user: User, scopes: frozenset[str]) -> dict[str, Any]:
        """A back door: ``user`` becomes a bot of the project, past ``max_bots``."""
        with self._lock:
            found = self._bots.setdefault(
                user.id,
                Bot(user.id, user.username, user.name, _facts.BOT_DEFAULT_DM_PERMISSION, scopes),
            )
            return self._mint(found, scopes)

    def create(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``POST /2/bots``: the bot of that handle (made if new), with a fresh token."""
        _check_fields(body, ("handle", "display_name", "scopes"))
        handle = _check_handle(body.get("handle"))
        name = body.get("display_name")
        if name is not None:
            _check_display_name(name)
        scopes = _check_scopes(body.get("scopes"))
        with self._lock:
            existing = self.store.user_by_username(handle)
            if existing is not None and existing.id in self._bots:
                found = self._bots[existing.id]
                if name is not None and name != found.name:
                    found.name = name
                    self.store.add_user(found.id, found.handle, name)
                return self._mint(found, scopes or frozenset(_facts.BOT_DEFAULT_SCOPES))
            if existing is not None:
                raise Invalid(f"The handle @{handle} is taken", "handle", handle)
            if len(self._bots) >= self.max_bots:
                raise TooManyBots(
                    f"The project has {len(self._bots)} of its {self.max_bots} bots: delete "
                    "one, or raise the plan's allowance (meta.max_bots of GET /2/bots)."
                )
            user = self.store.add_user(self.store.ids.next(), handle, name or handle)
            found = self._bots[user.id] = Bot(
                user.id,
                handle,
                user.name,
                _facts.BOT_DEFAULT_DM_PERMISSION,
                frozenset(_facts.BOT_DEFAULT_SCOPES),
            )
            return self._mint(found, scopes or frozenset(_facts.BOT_DEFAULT_SCOPES))

    def update(self, bot_id: int, body: Mapping[str, Any]) -> None:
        _check_fields(body, ("display_name", "handle", "dm_permission"))
        if not body:
            raise Invalid("Give one or more of display_name, handle, dm_permission", "body", "{}")
        name = body.get("display_name")
        handle = body.get("handle")
        permission = body.get("dm_permission")
        if "display_name" in body:
            _check_display_name(name)
        if "handle" in body:
            _check_handle(handle)
        if "dm_permission" in body and permission not in _facts.BOT_DM_PERMISSIONS:
            raise Invalid(
                "dm_permission must be one of " + ", ".join(_facts.BOT_DM_PERMISSIONS),
                "dm_permission",
                str(permission)[:50],
            )
        with self._lock:
            found = self.bot(bot_id)
            if handle is not None:
                taken = self.store.user_by_username(handle)
                if taken is not None and taken.id != bot_id:
                    raise Invalid(f"The handle @{handle} is taken", "handle", handle)
                found.handle = handle
            if name is not None:
                found.name = name
            if permission is not None:
                found.dm_permission = permission
            self.store.add_user(found.id, found.handle, found.name)

    def delete(self, bot_id: int) -> None:
        """Revoke the token, destroy the account and take it out of the project."""
        with self._lock:
            self.revoke(bot_id)
            del self._bots[bot_id]
            self.store.remove_user(bot_id)

    def configure(self, *, owner: Optional[str], max_bots: Optional[int]) -> None:
        with self._lock:
            if owner is not None:
                self.owner = owner
            if max_bots is not None:
                self.max_bots = max_bots
