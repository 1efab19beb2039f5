"""One worker process of the scale test: ``python -m tests.bot.scale_worker`` (config in env)."""

from __future__ import annotations

import json
import logging
import os

import tweepy_dm
from tweepy_dm.bot import DMBot


def main() -> None:
    config = json.loads(os.environ["SCALE_CONFIG"])
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
    clients = {
        user_id: tweepy_dm.Client(api_url=config["url"], timeout=10, **credentials)
        for user_id, credentials in config["bots"].items()
    }
    bot = DMBot(
        store=config["store"],
        clients=clients,
        bearer_token=config["app_token"],
        handler_timeout=2.0,
        lease=3.0,
        leader_ttl=1.0,
        poll_interval=0.02,
        check_delay=0.5,
        stream_options={"timeout": 5, "http_backoff": (0.2, 1.0), "rate_limit_backoff": (0.2, 1.0)},
    )
    # The handler's side effect, counted by the test: one line per run of the handler.
    handled = open(os.path.join(config["log_dir"], f"handled-{os.getpid()}.log"), "a", buffering=1)

    @bot.on_direct_message
    def answer(message, context):
        handled.write(f"{message.id}\n")
        context.reply(f"re {message.text}")

    bot.run(source="stream", workers=config["threads"], install_signals=True)


if __name__ == "__main__":
    main()
