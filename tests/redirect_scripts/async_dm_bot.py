"""The asynchronous twin of dm_bot.py: tweepy's AsyncClient (tweepy 4.10+, aiohttp).

Usage: python async_dm_bot.py RECIPIENT_ID TEXT
"""

import asyncio
import json
import os
import sys

from tweepy.asynchronous import AsyncClient


async def main(argv):
    recipient, text = argv
    client = AsyncClient(
        consumer_key=os.environ["X_CONSUMER_KEY"],
        consumer_secret=os.environ["X_CONSUMER_SECRET"],
        access_token=os.environ["X_ACCESS_TOKEN"],
        access_token_secret=os.environ["X_ACCESS_TOKEN_SECRET"],
    )
    sent = await client.create_direct_message(participant_id=recipient, text=text)
    print(json.dumps({"sent": sent.data}))
    events = await client.get_direct_message_events(dm_event_fields=["sender_id", "text"])
    print(json.dumps({"events": [[str(e.sender_id), e.text] for e in events.data or []]}))
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
