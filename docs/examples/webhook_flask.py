"""X webhooks in a Flask app: tweepy_dm's WSGI receiver mounted at /x/webhook/.

Register https://<your host>/x/webhook/ with X (``tweepy-dm webhooks add URL``),
and run the app behind HTTPS with the consumer secret in the environment:
``X_CONSUMER_SECRET=... flask --app webhook_flask run``.
"""

import os

from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from tweepy_dm.webhooks import wsgi_app


def handle(event):
    """Called once per event, before X gets its 200: an exception makes X deliver again."""
    message = event.direct_message
    if message is not None:  # dm.received, dm.sent
        print(f"{event.event_type} for {event.user_id}: {message.text}")
    else:  # typing, read receipts, and the other events of your subscriptions
        print(event.event_type)


app = Flask(__name__)
# The receiver answers X's CRC (GET), refuses a POST without X's signature (403),
# and drops the events it has handled already (X's retries and replays).
app.wsgi_app = DispatcherMiddleware(
    app.wsgi_app, {"/x/webhook": wsgi_app(os.environ["X_CONSUMER_SECRET"], handle)}
)
