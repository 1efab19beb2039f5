"""What the routing and conversation tests share: a user says something, the bot answers.

Messages are real DMs in the emulator, fed to the bot's inbox as the poller
would; workers are stepped with ``work_once`` on the test's clock.
"""

from __future__ import annotations

from tests.bot.conftest import BOT_ID
from tweepy_dm._models import DirectMessageEvent
from tweepy_dm.bot import DMBot


def make_bot(store_url, users, clock, **options):
    return DMBot(store=store_url, clients={BOT_ID: users.client(BOT_ID)}, clock=clock, **options)


def drain(bot, limit=1000):
    steps = 0
    while steps < limit and bot.work_once():
        steps += 1
    return steps


class Chat:
    """Users talking to one bot: ``say`` sends a DM and lets the bot handle it."""

    def __init__(self, bot, users):
        self.bot = bot
        self.users = users
        self.seen = {}

    def send(self, sender, text, **fields):
        """A DM from ``sender`` in the bot's inbox, not handled yet (``fields``: more of
        the DM event's fields, such as ``attachments``)."""
        client = self.users.client(sender)
        event_id = client.create_dm(participant_id=BOT_ID, text=text).data["dm_event_id"]
        low, high = sorted((sender, BOT_ID), key=int)
        dm = DirectMessageEvent(
            {
                "id": str(event_id),
                "event_type": "MessageCreate",
                "text": text,
                "sender_id": sender,
                "dm_conversation_id": f"{low}-{high}",
                **fields,
            }
        )
        assert self.bot.ingest([(BOT_ID, dm)]) == 1

    def say(self, sender, text):
        """Send, let the bot work, and return the replies it sent since the last time."""
        self.send(sender, text)
        return self.replies(sender)

    def replies(self, sender):
        """Let the bot work; the bot's new messages to ``sender``."""
        drain(self.bot)
        texts = self.users.texts_in(sender, BOT_ID, BOT_ID)
        new = texts[self.seen.get(sender, 0) :]
        self.seen[sender] = len(texts)
        return new
