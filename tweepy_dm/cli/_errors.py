"""Errors as one line in X's words, the exit codes, and no credential in any of it.

Exit codes: 0 when all went well, 1 when X (or the network) refused the
request, with X's message, and 2 for a usage error, such as missing
credentials or bad arguments.

Every message a command prints about an error passes through :func:`redact`
with the credentials the command was given: requests, for one, puts a whole
header value in its error text, token included, when the value has a line
break.
"""

from __future__ import annotations

import functools
import json
import sys
import traceback
from collections.abc import Iterable
from typing import Any, Callable, NoReturn, Optional
from urllib.parse import quote, quote_plus

import click
import requests
import tweepy
from rich.markup import escape

from tweepy_dm._logging import REDACTED
from tweepy_dm._logging import redact as redact_authorization
from tweepy_dm.cli._output import stderr

#: The parameters of :func:`tweepy_dm.cli._options.credential_options` that hold secrets.
SECRET_PARAMETERS = (
    "consumer_key",
    "consumer_secret",
    "access_token",
    "access_token_secret",
    "bearer_token",
    "user_bearer_token",  # listen's user token, beside the app's bearer_token
    "client_secret",  # the app's OAuth 2.0 client secret (auth, --token-store)
    "token_store",  # a postgresql:// URL may hold a password
)


class CommandError(Exception):
    """A problem the user can fix, said as it is: ``Error: <message>``, exit status 2."""

    exit_code = 2


def _spellings(secret: str) -> set[str]:
    # How a library may have printed the value: as is, percent-encoded (OAuth
    # headers, URLs), JSON- or repr-escaped (a newline shown as "\n").
    spellings = {secret, secret.strip()}
    for value in list(spellings):
        spellings |= {
            quote(value, safe=""),
            quote_plus(value, safe=""),
            json.dumps(value)[1:-1],
            repr(value)[1:-1],
            ascii(value)[1:-1],
        }
    spellings.discard("")
    return spellings


def redact(text: str, secrets: Iterable[Optional[str]]) -> str:
    """``text`` with every spelling of each secret, and any Authorization value, removed."""
    spellings: set[str] = set()
    for secret in secrets:
        if secret:
            spellings |= _spellings(secret)
    # Longest first: a secret may contain another, or a spelling of one.
    for spelling in sorted(spellings, key=len, reverse=True):
        text = text.replace(spelling, REDACTED)
    return redact_authorization(text)


def describe_error(error: tweepy.HTTPException) -> str:
    """X's own words for an error response."""
    status = getattr(error.response, "status_code", None) or getattr(error.response, "status", "")
    details = [
        problem.get("detail") or problem.get("message") or problem.get("title")
        for problem in error.api_errors
        if isinstance(problem, dict)
    ]
    if not any(details):
        # A problem document ({"title", "detail", "type"}) has no "errors" list,
        # which is all tweepy reads.
        try:
            body = error.response.json()
        except Exception:
            body = None
        details = [body.get("detail") or body.get("title")] if isinstance(body, dict) else []
    if not any(details):
        details = list(error.api_messages) or [str(error)]
    return f"X answered {status}: " + "; ".join(str(detail) for detail in details if detail)


def _fail(message: str, secrets: list[Optional[str]], status: int) -> NoReturn:
    stderr.print(f"[red]Error:[/] {escape(redact(message, secrets))}")
    sys.exit(status)


def handle_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn API and input errors into redacted messages and the documented exit codes.

    The credentials are taken from the command's keyword arguments (see
    :data:`SECRET_PARAMETERS`), so put this decorator below
    ``credential_options``.
    """

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        secrets = [kwargs.get(name) for name in SECRET_PARAMETERS]
        try:
            return command(*args, **kwargs)
        except click.ClickException as error:
            message = redact(error.message, secrets)
            if message == error.message:
                raise
            if isinstance(error, click.UsageError):
                raise click.UsageError(message, ctx=error.ctx) from None
            raise click.ClickException(message) from None  # status 1, as click's own
        except (click.exceptions.Exit, click.Abort):
            raise
        except CommandError as error:
            _fail(str(error), secrets, error.exit_code)
        except tweepy.HTTPException as error:
            _fail(describe_error(error), secrets, 1)
        except requests.RequestException as error:
            _fail(f"could not reach the API: {error}", secrets, 1)
        except tweepy.TweepyException as error:  # e.g. MediaProcessingError
            _fail(str(error), secrets, 1)
        except (TypeError, ValueError) as error:
            raise click.UsageError(redact(str(error), secrets)) from None
        except OSError as error:  # a file that cannot be read or written
            _fail(str(error), secrets, 1)
        except Exception as error:  # a bug: keep the traceback, not the secrets in it
            lines = traceback.format_exception(type(error), error, error.__traceback__)
            sys.stderr.write(redact("".join(lines), secrets))
            sys.exit(1)

    return wrapper
