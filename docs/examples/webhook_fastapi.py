"""X webhooks in a FastAPI app: tweepy_dm's ASGI receiver mounted at /x/webhook."""

import os

from fastapi import FastAPI

from tweepy_dm.webhooks import asgi_app


async def handle(event):
    """Called once per event, before X gets its 200 (plain functions work too)."""
    message = event.direct_message
    if message is not None:
        print(f"{event.event_type} for {event.user_id}: {message.text}")


app = FastAPI()
app.mount("/x/webhook", asgi_app(os.environ["X_CONSUMER_SECRET"], handle))
