"""Every backend of one emulator, built together on one event bus, with typed references.

:func:`build` is the emulator's composition: the DM rules, the X Activity API
hub, webhooks, XChat, OAuth 2.0 and bot accounts, all made at once (none on first use) and
wired through one :class:`~tweepy_dm.emulator._events.EventBus`: the rules
publish what happened, the hubs listen. :class:`~tweepy_dm.emulator.DMEmulator`
calls it once and hands the result to the routes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from tweepy_dm import _facts
from tweepy_dm.emulator import _oauth2
from tweepy_dm.emulator._activity import ActivityHub
from tweepy_dm.emulator._backend import DMBackend
from tweepy_dm.emulator._bots import BotsBackend
from tweepy_dm.emulator._chat import ChatBackend
from tweepy_dm.emulator._events import EventBus
from tweepy_dm.emulator._state import EmulatorDB
from tweepy_dm.emulator._webhooks import WebhookHub


class Backends(NamedTuple):
    """The services one emulator runs, as the routes and back doors reach them."""

    bus: EventBus
    dms: DMBackend  # the legacy DM rules, media and users
    activity: ActivityHub  # X Activity API subscriptions and streams
    webhooks: WebhookHub  # webhooks and the Account Activity API
    chat: ChatBackend  # XChat
    oauth: _oauth2.OAuth2Backend  # OAuth 2.0 clients, codes and tokens (bots' too)
    bots: BotsBackend  # the project's bot accounts (/2/bots)

    def close(self) -> None:
        self.webhooks.close()


def build(
    store: EmulatorDB,
    *,
    webhook_hosts: Iterable[str] = (),
    heartbeat: float = _facts.STREAM_KEEP_ALIVE_SECONDS,
    legacy_dms: str = "on",
) -> Backends:
    """Every backend over ``store``, subscribed to one bus."""
    bus = EventBus()
    oauth = _oauth2.OAuth2Backend(store, store.clock)
    bots = BotsBackend(store, store.clock, oauth)
    return Backends(
        bus=bus,
        dms=DMBackend(store, legacy_dms, bus),
        activity=ActivityHub(store, bus, heartbeat=heartbeat),
        webhooks=WebhookHub(store, webhook_hosts, bus),
        chat=ChatBackend(store, bus, bots.lets_dm),
        oauth=oauth,
        bots=bots,
    )


__all__ = ["Backends", "build"]
