"""A DM bot that polls: answers every message sent to it once, across restarts.

Run it with an OAuth 2.0 user access token (scopes dm.read, dm.write,
tweet.read, users.read) in X_BEARER_TOKEN:

    X_BEARER_TOKEN=... python polling_bot.py

or against the emulator: ``tweepy-dm emulator`` prints the variables to
export, including X_API_URL.
"""

from __future__ import annotations

import json
import os
import pathlib
import time

import tweepy_dm

#: X allows 15 reads of /2/dm_events per 15 minutes per user: one a minute.
POLL_SECONDS = 60
#: How many answered ids to remember: more than one page of events.
REMEMBER = 1000


class Answered:
    """The ids of the events already answered, kept in a JSON file."""

    def __init__(self, path: pathlib.Path) -> None:
        self.path = path
        self.ids: list[str] = json.loads(path.read_text()) if path.exists() else []

    def __contains__(self, event_id: object) -> bool:
        return str(event_id) in self.ids

    def add(self, event_id: object) -> None:
        self.ids = [*self.ids, str(event_id)][-REMEMBER:]
        # Write a new file and rename it: a crash leaves the old list or the new one.
        partial = self.path.with_suffix(".tmp")
        partial.write_text(json.dumps(self.ids))
        os.replace(partial, self.path)


def answer(text: str) -> str:
    return f"You said: {text}"


def poll_once(client: tweepy_dm.Client, me: int, answered: Answered) -> int:
    """Answer the new messages of the last page; return how many were answered."""
    page = client.get_dm_events(
        event_types="MessageCreate",
        dm_event_fields=["dm_conversation_id", "sender_id", "text"],
        max_results=100,
        user_auth=False,
    )
    replies = 0
    for event in reversed(page.data or []):  # X lists newest first; answer oldest first
        if event.sender_id == me or event.id in answered:
            continue
        client.create_dm(
            dm_conversation_id=event.dm_conversation_id, text=answer(event.text), user_auth=False
        )
        answered.add(event.id)
        replies += 1
    return replies


def main() -> None:
    client = tweepy_dm.Client(
        bearer_token=os.environ["X_BEARER_TOKEN"],
        api_url=os.environ.get("X_API_URL", "https://api.twitter.com"),
        wait_on_rate_limit=True,
    )
    me = client.get_me(user_auth=False).data.id  # never answer our own messages
    answered = Answered(pathlib.Path("answered.json"))
    while True:
        poll_once(client, me, answered)
        time.sleep(POLL_SECONDS)


if __name__ == "__main__":
    main()
