"""One bot process of the conversation-order kill -9 test: ``python -m tests.bot.order_worker``.

Its config is the ``ORDER_BOT_CONFIG`` environment variable (JSON). The handler
appends ``start``/``end`` lines to ``order.log``, shared by all the processes (an
``O_APPEND`` line is written whole, so the file holds the order they ran in); on a message saying
``slow`` it blocks on its first attempt until the test kills the process.
"""

from __future__ import annotations

import json
import logging
import os
import time

import tweepy_dm
from tweepy_dm.bot import DMBot, DMPoller


def main() -> None:
    config = json.loads(os.environ["ORDER_BOT_CONFIG"])
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
    client = tweepy_dm.Client(api_url=config["url"], timeout=5, **config["credentials"])
    bot = DMBot(
        store=config["store"],
        clients={config["bot_id"]: client},
        handler_timeout=60.0,
        lease=4.0,  # Bob's messages are handled meanwhile
        leader_ttl=1.0,
        poll_interval=0.02,
        check_delay=0.5,
    )
    log = open(os.path.join(config["log_dir"], "order.log"), "a", buffering=1)

    @bot.on_direct_message
    def answer(message, context):
        who = str(message.sender_id)
        log.write(f"start {who} {message.text} {context.attempt} {os.getpid()}\n")
        if message.text == "slow" and context.attempt == 1:
            time.sleep(120)  # killed here
        else:
            time.sleep(0.05)  # long enough for another worker to try the next message
        log.write(f"end {who} {message.text} {context.attempt} {os.getpid()}\n")
        context.reply(f"re {message.text}")

    poller = DMPoller(client, user_id=config["bot_id"], min_interval=0.1)
    bot.run(source=poller, workers=3, install_signals=True)


if __name__ == "__main__":
    main()
