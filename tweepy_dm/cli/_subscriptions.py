"""``tweepy-dm subscriptions``: the app's X Activity API subscriptions: create, list, delete."""

from __future__ import annotations

from typing import Any, Optional

import click

from tweepy_dm import _facts
from tweepy_dm._client_options import DEFAULT_API_URL
from tweepy_dm.cli._coverage import BOT_EVENT_TYPE, all_subscriptions
from tweepy_dm.cli._errors import handle_errors
from tweepy_dm.cli._listen import app_token_options
from tweepy_dm.cli._options import BEARER_VARIABLE, _clean
from tweepy_dm.cli._output import console, plural, stderr
from tweepy_dm.cli._webhooks import _managed


def _line(subscription: Any) -> str:
    parts = [str(subscription.id), subscription.event_type, f"user {subscription.user_id}"]
    if subscription.direction:
        parts.append(subscription.direction)
    if subscription.tag:
        parts.append(f"tag {subscription.tag!r}")
    if subscription.webhook_id:
        parts.append(f"webhook {subscription.webhook_id}")
    return "  ".join(parts)


@click.group()
def subscriptions() -> None:
    """The app's X Activity API subscriptions: what X puts on its stream and webhooks."""


@subscriptions.command()
@click.option(
    "--user-id", metavar="ID", help="The user whose events to deliver (default: the token's user)."
)
@click.option(
    "--event-type",
    "event_types",
    multiple=True,
    default=(BOT_EVENT_TYPE,),
    show_default=True,
    metavar="TYPE",
    help="An event type, e.g. dm.received, dm.sent, dm.read (repeat for more).",
)
@click.option(
    "--direction",
    type=click.Choice(_facts.ACTIVITY_DIRECTIONS),
    help="Only inbound or outbound events (both by default).",
)
@click.option("--tag", help="Your label, carried by every event the subscription delivers.")
@click.option("--webhook-id", metavar="ID", help="Deliver to this webhook too.")
@click.option(
    "--api-url",
    envvar="X_API_URL",
    default=DEFAULT_API_URL,
    show_default=True,
    show_envvar=True,
    callback=_clean,
    help="Base URL of the X API (or of an emulator).",
)
@click.option("--bearer-token", envvar=BEARER_VARIABLE, show_envvar=True, callback=_clean,
              help="The user's OAuth 2.0 access token (with dm.read): X creates DM "
              "subscriptions only for the user's own token.")  # fmt: skip
@handle_errors
def create(
    user_id: Optional[str],
    event_types: tuple[str, ...],
    direction: Optional[str],
    tag: Optional[str],
    webhook_id: Optional[str],
    api_url: str,
    bearer_token: Optional[str],
) -> None:
    """Subscribe the app to a user's events; prints each new subscription.

    DM events are private: X takes the request only with that user's
    OAuth 2.0 token (X_BEARER_TOKEN), and only if the user authorised the app.
    """
    import tweepy_dm

    if not bearer_token:
        raise click.UsageError(
            f"No bearer token. Set {BEARER_VARIABLE} to the user's OAuth 2.0 access token "
            "(X creates DM subscriptions only with it), or pass --bearer-token."
        )
    client = tweepy_dm.Client(bearer_token=bearer_token, api_url=api_url)
    if user_id is None:
        user_id = str(client.get_me(user_auth=False).data.id)
    for event_type in event_types:
        made = client.create_activity_subscription(
            event_type=event_type, user_id=user_id, direction=direction, tag=tag,
            webhook_id=webhook_id,
        )  # fmt: skip
        console().print(_line(made.data), highlight=False, markup=False)


@subscriptions.command(name="list")
@app_token_options
def list_subscriptions(**options: Any) -> None:
    """List the app's subscriptions: id, event type, user, and direction, tag, webhook."""

    def action(client: Any) -> None:
        found = all_subscriptions(client)
        for subscription in found:
            console().print(_line(subscription), highlight=False, markup=False)
        stderr.print(plural(len(found), "subscription"))

    _managed(action)(**options)


@subscriptions.command()
@click.argument("subscription_ids", nargs=-1, required=True, metavar="ID...")
@app_token_options
def delete(subscription_ids: tuple[str, ...], **options: Any) -> None:
    """Delete these subscriptions: X stops delivering their events."""

    def action(client: Any) -> None:
        for subscription_id in subscription_ids:
            client.delete_activity_subscription(subscription_id)
            console().print(f"{subscription_id}  deleted", highlight=False)

    _managed(action)(**options)
