"""X webhooks in a Flask app: tweepy_dm's WSGI receiver mounted at /x/webhook."""

import os

from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from tweepy_dm.webhooks import wsgi_app


def handle(event):
    """Called once per event, before X gets its 200: an exception makes X deliver again."""
    message = event.direct_message
    if message is not None:
        print(f"{event.event_type} for {event.user_id}: {message.text}")


app = Flask(__name__)
# The receiver answers the CRC (GET) and checks every POST's signature.
app.wsgi_app = DispatcherMiddleware(
    app.wsgi_app, {"/x/webhook": wsgi_app(os.environ["X_CONSUMER_SECRET"], handle)}
)
