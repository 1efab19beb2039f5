"""Whether the app's X Activity API subscriptions feed the stream, checked at start.

``listen`` and ``bot run --source stream`` ask before they connect: the
stream carries only the events of the app's subscriptions, so a stream with
none for the users served would print nothing, forever, without saying why.
A missing subscription is a usage error (exit status 2) that prints the
``tweepy-dm subscriptions create`` command making it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Optional

import click

import tweepy_dm
from tweepy_dm import _facts
from tweepy_dm.cli._errors import CommandError, handle_errors
from tweepy_dm.cli._options import BEARER_VARIABLE
from tweepy_dm.cli._output import plural

#: What a DM bot needs X to deliver for each of its users.
BOT_EVENT_TYPE = "dm.received"


def all_subscriptions(client: Any) -> list[Any]:
    """Every subscription of the app (the client holds the app's bearer token), all pages."""
    found: list[Any] = []
    token: Optional[str] = None
    while True:
        page = client.get_activity_subscriptions(
            max_results=_facts.MAX_ACTIVITY_SUBSCRIPTIONS_PER_PAGE, pagination_token=token
        )
        found.extend(page.data or [])
        token = (page.meta or {}).get("next_token")
        if not token:
            return found


def create_command(user_id: Optional[str], event_type: str = BOT_EVENT_TYPE) -> str:
    """The shell command that creates the subscription a user (the token's, if None) lacks."""
    whose = "the user's" if user_id is None else f"user {user_id}'s"
    target = "" if user_id is None else f" --user-id {user_id}"
    return (
        f"{BEARER_VARIABLE}=<{whose} OAuth 2.0 token> tweepy-dm subscriptions create"
        f"{target} --event-type {event_type}"
    )


def require_subscriptions(
    client: Any, *, user_ids: Optional[Iterable[str]] = None, event_types: Iterable[str] = ()
) -> None:
    """A :class:`CommandError` (exit 2) unless the app's subscriptions feed the stream.

    With ``user_ids``, each user needs a ``dm.received`` subscription (a DM
    bot's); without, any subscription of one of ``event_types`` (of any
    type if empty) will do.
    """
    subscriptions = all_subscriptions(client)
    if user_ids is not None:
        covered = {str(item.user_id) for item in subscriptions if item.event_type == BOT_EVENT_TYPE}
        missing = [user_id for user_id in user_ids if str(user_id) not in covered]
        if not missing:
            return
        commands = "\n".join(f"  {create_command(user_id)}" for user_id in missing)
        raise CommandError(
            f"the app has no Activity subscription to the {BOT_EVENT_TYPE} events of "
            f"{plural(len(missing), 'user')} it serves ({', '.join(missing)}), so the stream "
            f"would bring them no DM. Create one with each user's OAuth 2.0 token:\n{commands}"
        )
    wanted = set(event_types)
    if any(not wanted or item.event_type in wanted for item in subscriptions):
        return
    kinds = f" of {', '.join(sorted(wanted))}" if wanted else ""
    raise CommandError(
        f"the app has no Activity subscription{kinds}, so the stream would bring nothing. "
        "Create one with the user's OAuth 2.0 token:\n"
        f"  {create_command(None, min(wanted) if wanted else BOT_EVENT_TYPE)}"
    )


def require_bot_stream(bot: Any) -> None:
    """What ``bot run --source stream`` needs, checked before it starts (usage errors).

    The app's bearer token (the stream's), and a ``dm.received`` subscription
    for each user the bot serves.
    """
    if not bot.bearer_token:
        raise click.UsageError(
            "--source stream needs the app's bearer token, which the bot has not: create it "
            "with DMBot(..., bearer_token=<the app's bearer token>), or use --source poll"
        )
    clients = bot.clients
    api_url = bot.api_url or next(iter(clients.values())).api_url
    client = tweepy_dm.Client(bearer_token=bot.bearer_token, api_url=api_url)
    check = handle_errors(lambda **_: require_subscriptions(client, user_ids=sorted(clients)))
    check(bearer_token=bot.bearer_token)
