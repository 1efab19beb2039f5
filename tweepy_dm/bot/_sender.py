"""The outbox's worker: claim a message, drive its send-then-check flow, record the outcome."""

from __future__ import annotations

import logging
from typing import Any

from tweepy_dm.bot import _outbox
from tweepy_dm.bot._drivers import user_auth
from tweepy_dm.bot._sending import deliver
from tweepy_dm.bot._store import CHECKING, DEAD, PENDING, SENT, UNKNOWN, OutboxRow

log = logging.getLogger("tweepy_dm.bot")


def settle(client: Any) -> float:
    """Seconds from the start of a send by ``client`` until it can no longer land at X."""
    return _outbox.settle_seconds(getattr(client, "timeout", None))


class Outbox:
    """Sends (or looks up) the messages of a :class:`~tweepy_dm.bot.DMBot`'s outbox.

    Each claim runs :func:`~tweepy_dm.bot._sending.deliver` with the bot's
    driver: blocking for a ``Client``, on the bot's event loop for an
    ``AsyncClient``.
    """

    def __init__(self, bot: Any) -> None:
        self.bot = bot

    def __repr__(self) -> str:
        return f"<Outbox of {self.bot!r}>"

    def send_one(self, owner: str) -> bool:
        row = self.bot.store.claim_outbox(
            owner, self.bot.clock(), self.bot.lease, self.send_lease()
        )
        if row is None:
            return False
        client = self.bot.clients.get(row.bot_id)
        if client is None:
            self._finish(row, owner, state=DEAD, error=f"no client for bot user {row.bot_id}")
            return True
        flow = deliver(
            row,
            user_auth=user_auth(client),
            known=self.bot.store.sent_event_ids(_outbox.fair_key(row))
            if row.state == CHECKING
            else (),
            clock=self.bot.clock,
            settle=settle(client),
            check_delay=self.bot.check_delay,
        )
        outcome = self.bot._driver.run(client, flow)
        if row.state == CHECKING:
            if outcome.state == SENT:
                log.info("A send of unknown outcome had reached X: DM %s", outcome.sent_event_id)
            elif outcome.state == UNKNOWN:
                log.warning("Could not look up a send of unknown outcome: %s", outcome.error)
        elif outcome.state == PENDING and outcome.headers is not None:
            log.warning("X answered 429 to a send on %s; waiting for the window", row.scope)
        self._finish(row, owner, **outcome.fields())
        return True

    def send_lease(self) -> float:
        # A send is held until it can no longer land at X, however short ``lease``
        # is: no one looks for it, or sends it again, while it is still in flight.
        return max(self.bot.lease, *map(settle, self.bot.clients.values()))

    def _finish(self, row: OutboxRow, owner: str, **kwargs: Any) -> None:
        self.bot.store.finish_outbox(row, owner, self.bot.clock(), **kwargs)
