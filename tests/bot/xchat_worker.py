"""One bot process over XChat for the kill -9 test: ``python -m tests.bot.xchat_worker``.

Its config is the ``XCHAT_BOT_CONFIG`` environment variable (JSON). The handler
writes a line per run to ``handled-<pid>.log`` and, on a message saying
``slow``, blocks on its first attempt until the test kills the process.
"""

from __future__ import annotations

import json
import logging
import os
import time

import tweepy_dm
from tweepy_dm.bot import DMBot, DMPoller


def main() -> None:
    config = json.loads(os.environ["XCHAT_BOT_CONFIG"])
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
    client = tweepy_dm.Client(
        api_url=config["url"],
        timeout=5,
        xchat_key=bytes.fromhex(config["key"]),
        xchat_user_id=config["bot_id"],
        **config["credentials"],
    )
    bot = DMBot(
        store=config["store"],
        clients={config["bot_id"]: client},
        handler_timeout=30.0,
        lease=2.0,
        leader_ttl=1.0,
        poll_interval=0.02,
        check_delay=0.5,
    )
    handled = open(os.path.join(config["log_dir"], f"handled-{os.getpid()}.log"), "a", buffering=1)

    @bot.on_direct_message
    def answer(message, context):
        handled.write(f"{message.message_id} {message.text}\n")
        if message.text == "slow" and context.attempt == 1:
            time.sleep(60)  # killed here
        context.reply(f"re {message.text}")

    poller = DMPoller(client, user_id=config["bot_id"], min_interval=0.1)
    bot.run(source=poller, workers=2, install_signals=True)


if __name__ == "__main__":
    main()
