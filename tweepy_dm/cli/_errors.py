"""Errors as one line in X's words, and the exit codes.

Exit codes: 0 when all went well, 1 when X (or the network) refused the
request, with X's message, and 2 for a usage error, such as missing
credentials or bad arguments.
"""

from __future__ import annotations

import functools
import sys
from typing import Any, Callable

import click
import requests
import tweepy
from rich.markup import escape

from tweepy_dm.cli._output import stderr


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


def handle_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn API and input errors into messages and the documented exit codes."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except tweepy.HTTPException as error:
            stderr.print(f"[red]Error:[/] {escape(describe_error(error))}")
            sys.exit(1)
        except requests.RequestException as error:
            stderr.print(f"[red]Error:[/] could not reach the API: {escape(str(error))}")
            sys.exit(1)
        except tweepy.TweepyException as error:  # e.g. MediaProcessingError
            stderr.print(f"[red]Error:[/] {escape(str(error))}")
            sys.exit(1)
        except (TypeError, ValueError) as error:
            raise click.UsageError(str(error)) from None

    return wrapper
