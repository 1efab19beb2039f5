"""A DM bot as found in the wild: plain tweepy, X's host, nothing about tweepy-dm.

Usage: python dm_bot.py RECIPIENT_ID TEXT

Credentials come from the environment: X_CONSUMER_KEY, X_CONSUMER_SECRET,
X_ACCESS_TOKEN and X_ACCESS_TOKEN_SECRET (OAuth 1.0a), or X_BEARER_TOKEN (an
OAuth 2.0 user token). Prints one JSON line per step. tweepy-dm's tests run
it unchanged under ``tweepy-dm redirect`` and inside ``DMEmulator.redirect()``.
"""

import json
import os
import sys

import tweepy


def make_client():
    if os.environ.get("X_CONSUMER_KEY"):
        return tweepy.Client(
            consumer_key=os.environ["X_CONSUMER_KEY"],
            consumer_secret=os.environ["X_CONSUMER_SECRET"],
            access_token=os.environ["X_ACCESS_TOKEN"],
            access_token_secret=os.environ["X_ACCESS_TOKEN_SECRET"],
        )
    return tweepy.Client(bearer_token=os.environ["X_BEARER_TOKEN"])


def main(argv):
    recipient, text = argv
    client = make_client()
    user_auth = bool(os.environ.get("X_CONSUMER_KEY"))
    sent = client.create_direct_message(participant_id=recipient, text=text, user_auth=user_auth)
    print(json.dumps({"sent": sent.data}))
    events = client.get_direct_message_events(
        dm_event_fields=["sender_id", "text"], user_auth=user_auth
    )
    print(json.dumps({"events": [[str(e.sender_id), e.text] for e in events.data or []]}))
    me = client.get_me(user_auth=user_auth)
    print(json.dumps({"me": [str(me.data.id), me.data.username]}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
