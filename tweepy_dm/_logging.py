"""Keeping credentials out of log output.

At DEBUG level tweepy logs every request's headers, bearer token included, and
OAuth libraries log signed headers and parameters. A filter attached to the
loggers that do so rewrites each record (its message and any traceback) with
the ``Authorization`` values, OAuth signatures and the credentials of every
live client it knows of replaced by ``[REDACTED]``. The filter only ever
removes secrets; it is attached when the first tweepy-dm client is created or
:func:`tweepy_dm.install` runs, never on import.

The credentials are held per client through weak references, so a program
that creates and drops many clients does not make every later log line slower:
the secrets of a client that is gone are forgotten, and all that remain are
matched by one compiled pattern.
"""

from __future__ import annotations

import collections
import logging
import re
import threading
import weakref
from collections.abc import Iterable
from typing import Any, Optional

from tweepy_dm import _facts

REDACTED = "[REDACTED]"

#: Loggers known to write request headers, bodies or OAuth details.
LOGGERS = (
    "tweepy.client",
    "tweepy.asynchronous.client",
    "tweepy_dm.client",
    "requests_oauthlib.oauth1_auth",
    "requests_oauthlib.oauth2_session",
    "oauthlib.oauth1.rfc5849",
    "oauthlib.oauth1.rfc5849.signature",
    "oauthlib.oauth1.rfc5849.endpoints.base",
    "urllib3.connectionpool",
)

#: The attributes of tweepy's clients that hold credentials.
CREDENTIAL_NAMES = (
    "bearer_token",
    "consumer_key",
    "consumer_secret",
    "access_token",
    "access_token_secret",
)

# Shorter values would redact unrelated text, and cannot be real credentials.
_MIN_SECRET_LENGTH = 6
# Secrets given without a client to tie them to: the most recent ones only.
_MAX_LOOSE_SECRETS = 64

# The value of an Authorization header, however it is printed: in a dict
# repr ('Authorization': 'OAuth oauth_nonce="..."', with repr's escapes), as
# JSON, or bare.
_AUTHORIZATION = (
    r"""(?P<key>(?i:['"]?authorization['"]?)\s*[:=]\s*)"""
    r"""(?:'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*"|[^\s'",}][^\r\n]*)"""
)
_OAUTH_SIGNATURE = (
    r"""(?P<signature>oauth_signature=|\bSignature:\s*)(?P<quote>"|%22)?[^"&,\s')]+"""
)
# The consumer key and access token, wherever OAuth libraries print them: in
# a header or query (oauth_token="..."), a list of pairs ('oauth_token', '...'),
# a percent-encoded signature base string (oauth_token%3D...%26), or
# oauthlib's Client repr (client_key=..., resource_owner_key=...).
_OAUTH_CREDENTIAL = (
    r"""(?P<credential>(?<![A-Za-z_])(?:oauth_consumer_key|oauth_token|client_key|resource_owner_key)"""
    r"""(?:=|%3D|%253D|['"]?\s*[:,]\s*)['"]?)"""
    r"""(?:(?!%26|%2526)[^'"&,\s)])+"""
)

# A bot token X just minted is in the body of the answer that tweepy logs, before any
# client knows it as a secret: its prefix is what gives it away.
_BOT_TOKEN = re.escape(_facts.BOT_TOKEN_PREFIX) + r"[A-Za-z0-9_\-.~+/=]+"


def _replacement(match: re.Match[str]) -> str:
    if match["key"] is not None:
        return f"{match['key']}'{REDACTED}'"
    if match["signature"] is not None:
        return f"{match['signature']}{match['quote'] or ''}{REDACTED}"
    if match["credential"] is not None:
        return f"{match['credential']}{REDACTED}"
    return REDACTED


# Up to this many secrets are matched by the one compiled pattern; beyond
# that (thousands of live clients), an alternation of literals costs time per
# secret at every position, so secrets are found through an index of their
# last characters instead, at a cost per character that does not grow. (Not
# their first: X's bearer tokens all start with the same run of "A".)
_MAX_ALTERNATION = 64


def _compile(secrets: Iterable[str]) -> re.Pattern[str]:
    # Longest first, so that a secret that starts another is not matched instead.
    literals = sorted(secrets, key=len, reverse=True)
    alternatives = [_AUTHORIZATION, _OAUTH_SIGNATURE, _OAUTH_CREDENTIAL, _BOT_TOKEN]
    if literals:
        alternatives.append("|".join(map(re.escape, literals)))
    return re.compile("|".join(f"(?:{alternative})" for alternative in alternatives))


_FIXED = _compile(())


class _Ref(weakref.ref):  # type: ignore[type-arg]
    """A weak reference that remembers the registry key of what it referred to."""

    __slots__ = ("key",)


class _SecretRegistry:
    """The credentials of live clients, and how to find them all in a text.

    A client is held by a weak reference: once it is garbage, its secrets are
    dropped the next time the registry is used. The weak reference callback
    only appends to a deque (atomic, lock-free), because it may run during
    garbage collection while this thread holds the lock. Each distinct secret
    is counted (clients may share one) and its length indexed by its last
    characters as it comes and goes, so neither adding a client nor redacting
    a line costs time in proportion to how many clients there are.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # id(holder) -> (its weak reference, the values it gave, their secrets)
        self._holders: dict[int, tuple[_Ref, tuple[Any, ...], frozenset[str]]] = {}
        self._loose: collections.OrderedDict[str, None] = collections.OrderedDict()
        self._dead: collections.deque[_Ref] = collections.deque()
        self._counts: dict[str, int] = {}
        # The last characters of secrets -> the lengths of those secrets -> how many.
        self._index: dict[str, dict[int, int]] = {}
        self._pattern: re.Pattern[str] = _FIXED
        self._dirty = False

    def __len__(self) -> int:
        """How many distinct secrets are redacted now."""
        with self._lock:
            self._prune()
            return len(self._counts)

    def _count(self, secrets: Iterable[str], step: int) -> None:
        for secret in secrets:
            count = self._counts.get(secret, 0) + step
            if count:
                self._counts[secret] = count
            else:
                del self._counts[secret]
            if (count == 1 and step > 0) or count == 0:  # a secret came or went
                lengths = self._index.setdefault(secret[-_MIN_SECRET_LENGTH:], {})
                lengths[len(secret)] = lengths.get(len(secret), 0) + step
                if not lengths[len(secret)]:
                    del lengths[len(secret)]
                if not lengths:
                    del self._index[secret[-_MIN_SECRET_LENGTH:]]
            self._dirty = True

    def _prune(self) -> None:
        while self._dead:
            ref = self._dead.popleft()
            entry = self._holders.get(ref.key)
            if entry is not None and entry[0] is ref:
                del self._holders[ref.key]
                self._count(entry[2], -1)

    def hold(self, holder: Any, values: tuple[Any, ...]) -> None:
        """Redact ``values`` for as long as ``holder`` is alive (replacing what it held)."""
        key = id(holder)
        entry = self._holders.get(key)
        if entry is not None and entry[1] == values and entry[0]() is holder:
            return  # the common case: a client's every request after its first
        secrets = frozenset(_usable(values))
        with self._lock:
            self._prune()
            entry = self._holders.get(key)
            if entry is not None and entry[0]() is holder:
                ref = entry[0]
                self._count(entry[2], -1)
            else:
                try:
                    ref = _Ref(holder, self._dead.append)
                except TypeError:  # cannot be weakly referenced: keep its secrets loosely
                    self._add_loose(secrets)
                    return
                ref.key = key
            self._holders[key] = (ref, values, secrets)
            self._count(secrets, +1)

    def add(self, values: Iterable[Any]) -> None:
        """Redact ``values`` too, among the most recent secrets given without a client."""
        with self._lock:
            self._add_loose(frozenset(_usable(values)))

    def _add_loose(self, secrets: frozenset[str]) -> None:
        for secret in secrets:
            if secret in self._loose:
                self._loose.move_to_end(secret)
            else:
                self._loose[secret] = None
                self._count((secret,), +1)
        while len(self._loose) > _MAX_LOOSE_SECRETS:
            self._count((self._loose.popitem(last=False)[0],), -1)

    def matcher(self) -> tuple[re.Pattern[str], Optional[_SecretRegistry]]:
        """The pattern to substitute, and the registry to scan with after it (or None)."""
        if self._dirty or self._dead:
            with self._lock:
                self._prune()
                if self._dirty:
                    few = len(self._counts) <= _MAX_ALTERNATION
                    self._pattern = _compile(self._counts) if few else _FIXED
                    self._dirty = False
        if len(self._counts) <= _MAX_ALTERNATION:
            return self._pattern, None
        return self._pattern, self

    def replace(self, text: str) -> str:
        """``text`` with every secret replaced, scanning it once."""
        spans = []
        counts, index, tail = self._counts, self._index, _MIN_SECRET_LENGTH
        for end in range(tail, len(text) + 1):
            lengths = index.get(text[end - tail : end])
            if lengths:
                for length in sorted(lengths, reverse=True):
                    if length <= end and text[end - length : end] in counts:
                        spans.append((end - length, end))
                        break
        if not spans:
            return text
        merged: list[list[int]] = []
        for start, end in sorted(spans):  # secrets that overlap or touch make one span
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        parts, done = [], 0
        for start, end in merged:
            parts += (text[done:start], REDACTED)
            done = end
        parts.append(text[done:])
        return "".join(parts)


def _usable(values: Iterable[Any]) -> Iterable[str]:
    for value in values:
        if isinstance(value, str):
            # Redact what the client holds and what it sends, which may differ
            # by surrounding whitespace.
            for candidate in {value, value.strip()}:
                if len(candidate) >= _MIN_SECRET_LENGTH:
                    yield candidate


_secrets = _SecretRegistry()


def redact(text: str) -> str:
    """Remove Authorization values, OAuth signatures and known secrets from text."""
    pattern, scanner = _secrets.matcher()
    text = pattern.sub(_replacement, text)
    return text if scanner is None else scanner.replace(text)


class RedactingFilter(logging.Filter):
    """A logging filter that redacts a record's message and traceback in place (never drops it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        if record.exc_info and not record.exc_text:
            # Formatters print exc_text when it is set instead of formatting
            # again, so a traceback that holds a secret is stored redacted.
            text = logging.Formatter().formatException(record.exc_info)
            if redact(text) != text:
                record.exc_text = redact(text)
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


_filter = RedactingFilter()
_installed = False
_install_lock = threading.Lock()


def install_filter() -> None:
    """Attach the redacting filter to the known loggers, once."""
    global _installed
    if _installed:
        return
    with _install_lock:
        if not _installed:
            for name in LOGGERS:
                logging.getLogger(name).addFilter(_filter)
            _installed = True


def protect(*secrets: Optional[str]) -> None:
    """Redact these values (and Authorization headers) from known loggers.

    For values that belong to a client, use :func:`protect_client`, which
    forgets them with the client.
    """
    _secrets.add(secrets)
    install_filter()


def protect_client(client: Any) -> None:
    """Redact a tweepy client's credentials, as they are now, while it lives."""
    _secrets.hold(client, tuple([getattr(client, name, None) for name in CREDENTIAL_NAMES]))
    install_filter()
