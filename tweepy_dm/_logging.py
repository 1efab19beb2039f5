"""Keeping credentials out of log output.

At DEBUG level tweepy logs every request's headers, bearer token included, and
OAuth libraries log signed headers. tweepy-dm's clients attach a filter to the
loggers that do so, which rewrites each record with the ``Authorization``
values, OAuth signatures and every credential a tweepy-dm client holds
replaced by ``[REDACTED]``. The filter only ever removes secrets; it is added
when the first tweepy-dm client is created, never on import.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable

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

# The value of an Authorization header, however it is printed: in a dict
# repr ('Authorization': 'OAuth oauth_nonce="..."'), as JSON, or bare.
_AUTHORIZATION = re.compile(
    r"""(?P<key>['"]?authorization['"]?\s*[:=]\s*)"""
    r"""(?:'[^'\r\n]*'|"[^"\r\n]*"|[^\s'",}][^\r\n]*)""",
    re.IGNORECASE,
)
_OAUTH_SIGNATURE = re.compile(r"""(oauth_signature=|\bSignature:\s*)("|%22)?[^"&,\s')]+""")


class _SecretRegistry:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._secrets: frozenset[str] = frozenset()

    def add(self, values: Iterable[str | None]) -> None:
        # Very short values would redact unrelated text and cannot be secrets.
        new = {value for value in values if isinstance(value, str) and len(value) >= 6}
        with self._lock:
            self._secrets = self._secrets | new

    def __iter__(self):
        return iter(self._secrets)


_secrets = _SecretRegistry()


def redact(text: str) -> str:
    """Remove Authorization values, OAuth signatures and known secrets from text."""
    text = _AUTHORIZATION.sub(lambda m: f"{m['key']}'{REDACTED}'", text)
    text = _OAUTH_SIGNATURE.sub(lambda m: f"{m[1]}{m[2] or ''}{REDACTED}", text)
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


class RedactingFilter(logging.Filter):
    """A logging filter that redacts a record's message in place (never drops it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True


_filter = RedactingFilter()
_installed = False
_install_lock = threading.Lock()


def protect(*secrets: str | None) -> None:
    """Redact these credentials (and Authorization headers) from known loggers."""
    global _installed
    _secrets.add(secrets)
    if _installed:
        return
    with _install_lock:
        if not _installed:
            for name in LOGGERS:
                logging.getLogger(name).addFilter(_filter)
            _installed = True
