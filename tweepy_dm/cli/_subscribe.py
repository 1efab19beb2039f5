"""``tweepy-dm subscribe``: subscribe the user to a webhook (Account Activity API)."""

from __future__ import annotations

from typing import Any

import click

from tweepy_dm.cli._errors import handle_errors
from tweepy_dm.cli._options import credential_options, make_client
from tweepy_dm.cli._output import console


@click.command()
@click.argument("webhook_id", metavar="WEBHOOK_ID")
@click.option("--check", is_flag=True, help="Only say whether the user is subscribed.")
@credential_options
@handle_errors
def subscribe(webhook_id: str, check: bool, **credentials: Any) -> None:
    """Subscribe the user to WEBHOOK_ID through the Account Activity API.

    X then POSTs that user's DMs (sent and received), reads and typing to
    the webhook. Acts as the user: OAuth 1.0a (X_CONSUMER_KEY, …) or the
    user's OAuth 2.0 token (X_BEARER_TOKEN). Exit status 1 with --check when
    the user is not subscribed.
    """
    client, user_auth = make_client(**credentials)
    if check:
        subscribed = client.get_account_activity_subscription(webhook_id, user_auth=user_auth)
        if not subscribed.data.get("subscribed"):
            console().print(f"not subscribed to webhook {webhook_id}")
            raise SystemExit(1)
    else:
        client.create_account_activity_subscription(webhook_id, user_auth=user_auth)
    console().print(f"subscribed to webhook {webhook_id}")
