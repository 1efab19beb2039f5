"""X webhooks in a FastAPI app: tweepy_dm's ASGI receiver mounted at /x/webhook/.

Register https://<your host>/x/webhook/ with X, with the trailing slash: a
mounted app answers /x/webhook (no slash) with a redirect. Run it behind HTTPS
with the consumer secret in the environment:
``X_CONSUMER_SECRET=... uvicorn webhook_fastapi:app``.
"""

import os

from fastapi import FastAPI

from tweepy_dm.webhooks import asgi_app


async def handle(event):
    """Called once per event, before X gets its 200 (plain functions work too)."""
    message = event.direct_message
    if message is not None:  # dm.received, dm.sent
        print(f"{event.event_type} for {event.user_id}: {message.text}")
    else:  # typing, read receipts, and the other events of your subscriptions
        print(event.event_type)


app = FastAPI()
# The receiver answers X's CRC (GET), refuses a POST without X's signature (403),
# and drops the events it has handled already (X's retries and replays).
app.mount("/x/webhook", asgi_app(os.environ["X_CONSUMER_SECRET"], handle))
