"""XChat benchmarks: the encrypted path against chatxdk's own minimum, with few and many users.

Every contender runs against one ``tweepy_dm.emulator.DMEmulator`` in another
process (``_servers.py``), so the server's work (signature checks included)
never counts as the client's. Measured is the CPU time of this process per
message (``time.process_time``), contenders interleaved round by round, the
ratio taken within each round and reported as the median over the rounds
with its range and IQR (``_measure.py``); the load is printed at the start
and at the end. Within a round each contender runs side by side with its raw
minimum, in halves ordered raw, contender, contender, raw or the mirror
image (``paired_rounds``), so that both sides of a ratio run under the same
load; a control, the raw minimum against itself measured the same way,
shows how much of a ratio's spread is noise alone.

The raw minimum is written here, on a ``chat_xdk.Chat`` of its own holding
the same keys, doing only what the operation needs:

1. Send: ``encrypt_message`` with the conversation key, and one ``POST
   /2/chat/conversations/{id}/messages`` through the same tweepy_dm client.
   Contenders: ``XChat.send``, ``AsyncXChat.send`` and
   ``Client(xchat_key=...).create_dm``. Target: <= 1.1x raw.
2. Read: one ``GET /2/chat/conversations/{id}/events`` of 100 messages and
   ``decrypt_events`` of its key events and messages with the signing keys
   of the page's senders only. Contenders: ``XChat.get_messages``,
   ``AsyncXChat.get_messages`` (against the same read over an AsyncClient)
   and ``Client(xchat_key=...).get_dm_events``. Per message; target <= 1.05x
   raw.
3. ``chat.received``: ``decrypt_event`` of the event with the conversation's
   keys and the sender's signing keys (its key change already verified).
   Contenders: ``XChat.decrypt_activity``, ``AsyncXChat.decrypt_activity``
   and the stream's and receivers' path with ``xchat_clients``. Target <=
   1.1x raw (the async contenders: x the same decrypt in a coroutine run on
   the loop, as for a send, so that the loop's own cost per call is not
   counted as the library's).

Each contender runs twice: with 3 users known (the two in the conversation
and one more) and with 200 (a bot that has met many people: their keys
fetched and checked). The targets hold for both: the cost must not grow with
the number of users known.

Needs the ``xchat`` extra (chatxdk, CPython 3.10+). Run ``python
benchmarks/xchat.py`` (``--quick`` for a smoke run that checks the script,
not the numbers).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
from functools import partial
from typing import Any, Callable, Optional

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.dirname(os.path.abspath(__file__))
for folder in (ROOT, HERE):
    if folder not in sys.path:
        sys.path.insert(0, folder)

from _measure import MachineLoad, Spread, Target, cpu_per_call  # noqa: E402
from _servers import EmulatorProcess  # noqa: E402

import tweepy_dm  # noqa: E402
from tweepy_dm import _chat_ids, _flow  # noqa: E402

ALICE, BOB, CAROL = 1, 2, 3
FIRST_OTHER = 1000
TEXT = "On my way: see you at the station at 6, and bring the tickets please"
PAGE = 100
CONTROL = "raw (control)"
TARGETS = {
    "send": Target("<=", 1.1),
    "read": Target("<=", 1.05),
    "decrypt": Target("<=", 1.1),
}
FULL = {"others": 197, "calls": 20, "rounds": 15}
QUICK = {"others": 7, "calls": 2, "rounds": 2}


def unavailable() -> Optional[str]:
    """Why XChat cannot be measured here, or None if it can."""
    if sys.version_info < (3, 10):
        return "chatxdk needs Python 3.10+"
    try:
        import chat_xdk  # noqa: F401
    except ImportError:
        return 'chatxdk is not installed (pip install "tweepy-dm[xchat]")'
    return None


class World:
    """The emulator's users with registered keys, and ready-made contenders' objects."""

    def __init__(self, emulator: EmulatorProcess, others: list[int]) -> None:
        from tweepy_dm import xchat

        self.xchat = xchat
        self.emulator = emulator
        self.others = others
        self.open_clients: list[Any] = []
        self.blobs = {user: xchat.XChat.generate_keys() for user in [ALICE, BOB, *others]}
        for user in [ALICE, BOB, *others]:  # every user registers a key once
            xchat.XChat(self.client(user), key_blob=self.blobs[user], user_id=user).register_keys()
        self.bob = xchat.XChat(self.client(BOB), key_blob=self.blobs[BOB], user_id=BOB)
        self.conversation = _chat_ids.one_to_one(ALICE, BOB)
        self.colon = _chat_ids.event_id(self.conversation)
        for number in range(PAGE):  # Bob's messages: the page everybody reads
            self.bob.send(ALICE, f"{TEXT} ({number})")

    def client(self, user: int, **options: Any) -> tweepy_dm.Client:
        return tweepy_dm.Client(**self.emulator.users[user], api_url=self.emulator.url, **options)

    def async_client(self, user: int, loop: asyncio.AbstractEventLoop) -> Any:
        """An AsyncClient inside ``async with`` on ``loop``: one session for all its requests."""
        client = tweepy_dm.AsyncClient(**self.emulator.users[user], api_url=self.emulator.url)
        loop.run_until_complete(client.__aenter__())
        self.open_clients.append(client)
        return client

    def meet(self, session: Any, client: Any, count: int) -> None:
        """Make ``session`` know ``count`` users besides Alice and Bob (keys fetched, checked)."""
        perform = self.xchat._perform_sync(client)
        for user in self.others[:count]:
            _flow.run_flow(session._public_keys(str(user)), perform)
        known = len(session.signing)
        assert known >= count + 2, known

    def alice(self, known: int) -> Any:
        chat = self.xchat.XChat(self.client(ALICE), key_blob=self.blobs[ALICE], user_id=ALICE)
        chat.get_messages(BOB, limit=1)  # her keys, Bob's, the conversation's
        self.meet(chat._session, chat.client, known - 2)
        return chat

    def async_alice(self, known: int, loop: asyncio.AbstractEventLoop) -> Any:
        client = self.async_client(ALICE, loop)
        chat = self.xchat.AsyncXChat(client, key_blob=self.blobs[ALICE], user_id=ALICE)
        loop.run_until_complete(chat.get_messages(BOB, limit=1))
        self.meet(chat._session, self.client(ALICE), known - 2)
        return chat

    def legacy_alice(self, known: int) -> tweepy_dm.Client:
        client = self.client(ALICE, xchat_key=self.blobs[ALICE], xchat_user_id=ALICE)
        client.get_dm_events(participant_id=BOB, max_results=1)
        session = client.__dict__["_xchat_keys"].session
        self.meet(session, self.client(ALICE), known - 2)
        return client


class Raw:
    """chatxdk's own minimum: a Chat with Alice's keys and nothing else kept."""

    def __init__(self, world: World) -> None:
        import chat_xdk

        self.world = world
        self.client = world.client(ALICE)
        self.chat = chat_xdk.Chat()
        # Alice's key version, as X lists it (what a raw script would read once).
        versions = self.client.get_user_public_keys(ALICE).data
        version = str(getattr(versions[-1], "data", versions[-1])["public_key_version"])
        self.chat.import_keys(world.blobs[ALICE], version=version)
        self.chat.set_identity(str(ALICE), version)
        page = self.client.get_chat_conversation_events(world.conversation, max_results=PAGE)
        self.key_events = page.meta["conversation_key_events"]
        self.signing = {user: self._keys(user) for user in (ALICE, BOB)}
        keys = self.chat.decrypt_events(
            self.key_events, signing_keys=self.signing[ALICE] + self.signing[BOB]
        )["conversation_keys"]
        self.keys = {str(version): bytes(key) for version, key in keys["keys"].items()}
        self.version = str(keys["latest_version"])

    def _keys(self, user: int) -> list[dict[str, str]]:
        answer = self.client.get_user_public_keys(
            user,
            public_key_fields=[
                "identity_public_key_signature",
                "public_key",
                "public_key_version",
                "signing_public_key",
            ],
        )
        return [
            {
                "user_id": str(user),
                "public_key_version": str(key["public_key_version"]),
                "public_key": key["signing_public_key"],
                "identity_public_key": key["public_key"],
                "identity_public_key_signature": key["identity_public_key_signature"],
            }
            for key in (getattr(item, "data", item) for item in answer.data)
        ]

    def _message(self) -> dict[str, Any]:
        payload = self.chat.encrypt_message(
            self.world.colon,
            TEXT,
            conversation_key=self.keys[self.version],
            conversation_key_version=self.version,
        )
        return {
            "message_id": payload.message_id,
            "encoded_message_create_event": payload.encrypted_content,
            "encoded_message_event_signature": payload.encoded_event_signature,
        }

    def send(self) -> None:
        self.client.send_chat_message(BOB, **self._message())

    async def send_async(self, client: Any) -> None:
        """The same over an AsyncClient: the floor of AsyncXChat.send."""
        await client.send_chat_message(BOB, **self._message())

    def read(self) -> int:
        page = self.client.get_chat_conversation_events(self.world.conversation, max_results=PAGE)
        return self._decrypt_page(page)

    async def read_async(self, client: Any) -> int:
        """The same over an AsyncClient: the floor of AsyncXChat.get_messages."""
        page = await client.get_chat_conversation_events(self.world.conversation, max_results=PAGE)
        return self._decrypt_page(page)

    def _decrypt_page(self, page: Any) -> int:
        data = [getattr(item, "data", item) for item in page.data]
        senders = {str(event["sender_id"]) for event in data}
        signing = [
            key for user, keys in self.signing.items() if str(user) in senders for key in keys
        ]
        result = self.chat.decrypt_events(
            list(page.meta["conversation_key_events"]) + [e["encoded_event"] for e in data],
            signing_keys=signing or self.signing[ALICE],
        )
        return len(result["messages"]) - len(self.key_events)

    def decrypt(self, encoded: str) -> Any:
        return self.chat.decrypt_event(encoded, self.keys, signing_keys=self.signing[BOB])

    async def decrypt_async(self, encoded: str) -> Any:
        """The same inside a coroutine run on the loop: the floor of AsyncXChat.decrypt_activity."""
        return self.decrypt(encoded)


def awaiting(loop: asyncio.AbstractEventLoop, method: Any, *args: Any) -> Callable[[], Any]:
    """A call of an async method, run to its end on ``loop`` (kept open between calls)."""
    return lambda: loop.run_until_complete(method(*args))


def chat_event(encoded: str, key_change: str, conversation: str) -> dict[str, Any]:
    return {
        "data": {
            "event_type": "chat.received",
            "event_uuid": "1",
            "filter": {"user_id": str(ALICE)},
            "payload": {
                "encoded_event": encoded,
                "conversation_id": conversation,
                "conversation_key_change_event": key_change,
            },
        }
    }


def paired_rounds(
    batches: dict[str, Callable[[], float]], floors: dict[str, str], rounds: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Each contender's ratio to its floor, one per round, from batches run side by side.

    Every round runs each contender (in an order that rotates from round to
    round) in a block of four half batches with its floor: floor, contender,
    contender, floor, or the mirror image (contender, floor, floor,
    contender), alternating from round to round and from one contender to the
    next. The ratio of the round is the contender's two halves over the
    floor's two. A block lasts a tenth of a second or so, so both sides run
    under the same load, and a load that rises or falls steadily through the
    block costs both sides alike (ABBA); whichever side runs first pays the
    same as the other over the rounds. Before, the ratio came from a
    contender's batch and the floor's own batch anywhere in a round of a dozen
    batches, seconds apart: on a shared machine that spread the ratios from
    0.8 to 1.4 while the SDK's cost itself did not change. Garbage is
    collected before every half batch, for both sides alike.

    Returns each contender's ratios, and each floor's CPU per call (one value
    per block it ran in). One warm-up round runs first and is dropped.
    """
    names = list(floors)
    ratios_of: dict[str, list[float]] = {name: [] for name in names}
    floor_values: dict[str, list[float]] = {floor: [] for floor in floors.values()}
    for index in range(-1, rounds):
        shift = index % len(names)
        for position, name in enumerate(names[shift:] + names[:shift]):
            floor = floors[name]
            sides = (
                (floor, name, name, floor) if (index + position) % 2 else (name, floor, floor, name)
            )
            spent = {floor: 0.0, name: 0.0}
            for side in sides:
                gc.collect()
                spent[side] += batches[side]()
            if index >= 0:
                ratios_of[name].append(spent[name] / spent[floor])
                floor_values[floor].append(spent[floor] / 2)
    return ratios_of, floor_values


def section(
    title: str,
    target: Target,
    contenders: dict[str, Callable[[], object]],
    per_call: int,
    calls: int,
    rounds: int,
) -> dict[str, Spread]:
    """Measure ``contenders``; print and return each one's ratio to its raw minimum.

    That is ``raw async`` for the async contenders (their names start with
    ``Async``) when there is one, else ``raw``. A control runs too: the raw
    minimum against itself, measured exactly as the contenders are; its
    spread is what the method and the machine alone add to every ratio.
    """
    half = max(1, calls // 2)
    print(
        f"\n{title} ({rounds} rounds; per round and contender, {half} calls of it and {half}"
        " of its floor, twice, side by side; CPU of this process)"
    )
    for call in contenders.values():
        call()  # warm: connections, caches, the first key lookups
    batches = {name: cpu_per_call(call, half) for name, call in contenders.items()}
    floors = {}
    for name in contenders:
        if not name.startswith("raw"):
            floors[name] = (
                "raw async" if name.startswith("Async") and "raw async" in contenders else "raw"
            )
    batches[CONTROL] = batches["raw"]
    floors[CONTROL] = "raw"
    measured, floor_values = paired_rounds(batches, floors, rounds)
    per_item = Spread.of([value / per_call * 1e6 for value in floor_values["raw"]]).format(0)
    print(f"   raw minimum: {per_item} µs per message")
    control = Spread.of(measured.pop(CONTROL))
    print(f"   control, raw / raw: {control.format()}  (the noise alone)")
    out = {}
    for name, values in measured.items():
        spread = Spread.of(values)
        ok, note = target.verdict(spread)
        verdict = ("met" if ok else "MISSED") + (f" ({note})" if note else "")
        print(f"   {name} / {floors[name]}: {spread.format()}  target {target}: {verdict}")
        out[name] = spread
    return out


def run(counts: dict[str, int]) -> dict[str, dict[str, Spread]]:
    others = list(range(FIRST_OTHER, FIRST_OTHER + counts["others"]))
    many = 2 + counts["others"]
    conversations = [(ALICE, BOB, 1), (ALICE, CAROL, 1)] + [(ALICE, user, 1) for user in others]
    results: dict[str, dict[str, Spread]] = {}
    loop = asyncio.new_event_loop()
    with EmulatorProcess(conversations) as emulator:
        world = World(emulator, others)
        raw = Raw(world)
        alices = {known: world.alice(known) for known in (3, many)}
        async_alices = {known: world.async_alice(known, loop) for known in (3, many)}
        legacy = {known: world.legacy_alice(known) for known in (3, many)}
        calls, rounds = counts["calls"], counts["rounds"]

        raw_async_client = world.async_client(ALICE, loop)
        sends: dict[str, Callable[[], object]] = {
            "raw": raw.send,
            "raw async": awaiting(loop, raw.send_async, raw_async_client),
        }
        reads: dict[str, Callable[[], object]] = {
            "raw": raw.read,
            "raw async": awaiting(loop, raw.read_async, raw_async_client),
        }
        sent = world.bob.send(ALICE, TEXT)
        page = raw.client.get_chat_conversation_events(world.conversation, max_results=1)
        key_change = page.meta["conversation_key_events"][-1]
        event = chat_event(sent.encoded_event, key_change, world.colon)
        decrypts: dict[str, Callable[[], object]] = {
            "raw": lambda: raw.decrypt(sent.encoded_event),
            "raw async": awaiting(loop, raw.decrypt_async, sent.encoded_event),
        }
        for known in (3, many):
            chat, async_chat, client = alices[known], async_alices[known], legacy[known]
            receivers = tweepy_dm._xchat_dm.receivers(client)
            sends.update(
                {
                    f"XChat.send, {known} users": partial(chat.send, BOB, TEXT),
                    f"AsyncXChat.send, {known} users": awaiting(loop, async_chat.send, BOB, TEXT),
                    f"Client(xchat_key).create_dm, {known} users": partial(
                        client.create_dm, participant_id=BOB, text=TEXT
                    ),
                }
            )
            reads.update(
                {
                    f"XChat.get_messages, {known} users": partial(
                        chat.get_messages, BOB, limit=PAGE
                    ),
                    f"AsyncXChat.get_messages, {known} users": awaiting(
                        loop, partial(async_chat.get_messages, limit=PAGE), BOB
                    ),
                    f"Client(xchat_key).get_dm_events, {known} users": partial(
                        client.get_dm_events, participant_id=BOB, max_results=PAGE
                    ),
                }
            )
            decrypts.update(
                {
                    f"XChat.decrypt_activity, {known} users": partial(chat.decrypt_activity, event),
                    f"AsyncXChat.decrypt_activity, {known} users": awaiting(
                        loop, async_chat.decrypt_activity, event
                    ),
                    # What the stream and the webhook receivers run per chat event.
                    f"stream/receivers with xchat_clients, {known} users": lambda r=receivers: (
                        r.decrypt(tweepy_dm.ActivityEvent(event))
                    ),
                }
            )
        results["send"] = section("1. Send one message", TARGETS["send"], sends, 1, calls, rounds)
        results["read"] = section(
            f"2. Read a {PAGE}-message page",
            TARGETS["read"],
            reads,
            PAGE,
            max(1, calls // 10),
            rounds,
        )
        results["decrypt"] = section(
            "3. Decrypt a chat.received event",
            TARGETS["decrypt"],
            decrypts,
            1,
            calls,
            rounds,
        )
        for client in world.open_clients:
            loop.run_until_complete(client.aclose())
    loop.close()
    return results


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a smoke run")
    args = parser.parse_args(argv)
    start = MachineLoad.now()
    print(f"Machine (start): {start.describe()}")
    reason = unavailable()
    if reason:
        print(f"XChat: skipped, {reason}")
        return 0
    counts = QUICK if args.quick else FULL
    print(f"Users known: 3 and {2 + counts['others']}")
    run(counts)
    print(f"\nMachine (end): {MachineLoad.now().describe(since=start)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
