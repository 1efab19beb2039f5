"""``tweepy-dm demo``: a short DM story against an embedded emulator.

Everything goes through the real :class:`tweepy_dm.Client` (and
``AsyncClient``) over HTTP on 127.0.0.1: no network, no credentials.
"""

from __future__ import annotations

import asyncio
import io
import struct
import sys
import threading
import time
import zlib
from typing import TYPE_CHECKING, Any, Callable

import click
import tweepy
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

import tweepy_dm
from tweepy_dm.cli._errors import describe_error
from tweepy_dm.cli._output import console as stdout_console
from tweepy_dm.cli._output import event_rows, events_table, plural, stderr
from tweepy_dm.cli._xchat_demo import xchat_part

if TYPE_CHECKING:
    from tweepy_dm.emulator import DMEmulator

ALICE, BOB, CAROL = 1001, 1002, 1003


class DemoFailure(Exception):
    """A step of the demo did not do what it should."""


def _png(width: int = 8, height: int = 8) -> bytes:
    """A small valid PNG (a red square), made here so the demo needs no file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise DemoFailure(message)


class _Story:
    def __init__(self, console: Console) -> None:
        self.console = console
        self.number = 0

    def step(self, title: str, action: Callable[[], Any]) -> Any:
        self.number += 1
        self.console.print(f"\n[bold cyan]{self.number}. {title}[/]")
        try:
            return action()
        except DemoFailure:
            raise
        except Exception as error:  # every failure ends the demo with its reason
            raise DemoFailure(
                f"step {self.number} ({title}): {type(error).__name__}: {error}"
            ) from error

    def say(self, text: str) -> None:
        self.console.print(f"   {text}")


def run_demo(console: Console) -> None:
    """Play the story on ``console``; :class:`DemoFailure` says which step went wrong."""
    # Imported here: the other commands start faster without the server.
    from tweepy_dm.emulator import DMEmulator

    console.print(Panel.fit(
        f"[bold]tweepy-dm {tweepy_dm.__version__} demo[/] on tweepy {tweepy.__version__}\n"
        "An embedded X DM API emulator runs on 127.0.0.1;\n"
        "every call below is real HTTP through tweepy_dm.Client.",
    ))  # fmt: skip
    story = _Story(console)
    with DMEmulator() as emulator:
        users: dict[int, dict[str, Any]] = {
            user_id: emulator.add_user(user_id, username, username.title())
            for user_id, username in ((ALICE, "alice"), (BOB, "bob"), (CAROL, "carol"))
        }
        alice = tweepy_dm.Client(api_url=emulator.url, **users[ALICE])
        bob = tweepy_dm.Client(api_url=emulator.url, **users[BOB])
        story.say(
            f"emulator at {emulator.url}; users @alice ({ALICE}), @bob ({BOB}), @carol ({CAROL})"
        )

        def first_dm() -> str:
            sent = alice.create_dm(participant_id=BOB, text="Hi Bob! Lunch tomorrow?")
            data = sent.data
            story.say(f"event {data['dm_event_id']} in conversation {data['dm_conversation_id']}")
            _expect(
                sent.data["dm_conversation_id"] == f"{ALICE}-{BOB}", "wrong 1:1 conversation id"
            )
            return str(sent.data["dm_conversation_id"])

        conversation = story.step("@alice sends @bob a DM (OAuth 1.0a)", first_dm)

        def reply() -> None:
            sent = bob.create_dm(
                dm_conversation_id=conversation, text="Sure, 12:30 at the usual place."
            )
            story.say(f"event {sent.data['dm_event_id']}")

        story.step("@bob replies in the conversation", reply)

        def group() -> str:
            sent = alice.create_dm_conversation(
                text="Welcome to the lunch club!", participant_ids=[BOB, CAROL]
            )
            story.say(f"group conversation {sent.data['dm_conversation_id']}")
            return str(sent.data["dm_conversation_id"])

        group_id = story.step("@alice starts a group with @bob and @carol", group)

        def read() -> None:
            response = bob.get_dm_events(
                dm_conversation_id=group_id,
                dm_event_fields=["created_at", "sender_id", "participant_ids", "text"],
                expansions=["sender_id"], user_fields=["username"],
            )  # fmt: skip
            rows = event_rows(response)
            console.print(events_table(rows, title=f"Group {group_id}, as @bob sees it"))
            _expect(
                any(e.event_type == "ParticipantsJoin" for e in response.data), "no join events"
            )

        story.step("@bob reads the group, with the sender_id expansion", read)

        def paging() -> None:
            for index in range(5):
                alice.create_dm(dm_conversation_id=conversation, text=f"Menu idea #{index + 1}")
            pages = list(
                tweepy.Paginator(bob.get_dm_events, dm_conversation_id=conversation, max_results=3)
            )
            sizes = [len(page.data or []) for page in pages]
            story.say(
                f"{plural(sum(sizes), 'event')} in {plural(len(pages), 'page')}"
                f" of max_results=3: {sizes}"
            )
            if len(sizes) > 1 and sizes[-1] == 0:
                story.say(
                    "the last page is empty: X sends a next_token even with the last page"
                    " that has events"
                )
            _expect(sum(sizes) == 7, f"expected 7 events, got {plural(sum(sizes), 'event')}")

        story.step("Paging through the 1:1 conversation with tweepy.Paginator", paging)

        def picture() -> str:
            image = _png()
            media = alice.upload_dm_media(io.BytesIO(image))
            story.say(
                f"uploaded {plural(len(image), 'byte')} as media {media.id} ({media.media_key})"
            )
            sent = alice.create_dm(participant_id=BOB, text="Here is the menu", media_id=media.id)
            response = bob.get_dm_event(
                sent.data["dm_event_id"], dm_event_fields=["attachments"],
                expansions=["attachments.media_keys"], media_fields=["url", "type"],
            )  # fmt: skip
            url = response.includes["media"][0].url
            downloaded = bob.get_dm_media(*url.rsplit("/", 3)[1:], user_auth=False)
            story.say(
                f"@bob downloaded it back from {url.split('/2/', 1)[-1]}:"
                f" {plural(len(downloaded), 'byte')}"
            )
            _expect(downloaded == image, "the downloaded media differs from the upload")
            return str(sent.data["dm_event_id"])

        picture_event = story.step(
            "@alice uploads an image (v2 media upload) and sends it", picture
        )

        def delete() -> None:
            response = alice.delete_dm_event(picture_event)
            story.say(f"DELETE /2/dm_events/{picture_event} -> {response.data}")
            _expect(response.data == {"deleted": True}, "the event was not deleted")

        story.step("@alice deletes that message", delete)

        def block() -> None:
            story.say(f"@bob blocks DMs from @alice -> {bob.block_dms(ALICE).data}")
            try:
                alice.create_dm(participant_id=BOB, text="Are you there?")
            except tweepy.Forbidden as error:
                story.say(f"@alice's next DM is refused: {describe_error(error)}")
            else:
                raise DemoFailure("a DM to a user who blocked the sender was accepted")
            story.say(f"@bob unblocks @alice -> {bob.unblock_dms(ALICE).data}")

        story.step("A DM block and the 403 it causes", block)
        story.step(
            "A bot answers in real time (X Activity API stream)",
            lambda: _realtime_part(story, emulator, users),
        )
        story.step(
            "The same with tweepy_dm.AsyncClient", lambda: _async_part(story, emulator, users)
        )
        story.step("End-to-end encrypted DMs (XChat)", lambda: xchat_part(story, emulator, users))
    console.print("\n[bold green]Demo complete.[/] Next: tweepy-dm emulator, and tweepy-dm --help.")


def _realtime_part(story: _Story, emulator: DMEmulator, users: dict[int, dict[str, Any]]) -> None:
    """@bob's bot subscribes, listens on the app's stream and answers @carol at once."""
    bob = tweepy_dm.Client(api_url=emulator.url, **users[BOB])
    carol = tweepy_dm.Client(api_url=emulator.url, **users[CAROL])
    # A DM subscription takes the user's OAuth 2.0 token: the bearer token, user_auth=False.
    subscription = bob.create_activity_subscription(event_type="dm.received", user_id=BOB).data
    story.say(f"@bob subscribed to dm.received (subscription {subscription.id})")
    stream = tweepy_dm.ActivityStream(
        emulator.app_bearer_token, api_url=emulator.url, event_types=["dm.received"]
    )
    answered: list[tuple[float, Any]] = []
    failures: list[BaseException] = []

    def bot() -> None:
        try:
            for event in stream:
                message = event.direct_message
                if event.user_id != BOB or message is None:
                    continue
                reply = bob.create_dm(
                    dm_conversation_id=event.dm_conversation_id,
                    text=f"Auto-reply: got your message ({message.text!r}).",
                )
                answered.append((time.monotonic(), reply.data["dm_event_id"]))
                stream.close()
        except BaseException as error:  # reported by the step, not lost in the thread
            failures.append(error)

    thread = threading.Thread(target=bot, name="demo bot", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while stream.stats.connects == 0 and not failures and time.monotonic() < deadline:
            time.sleep(0.01)
        _expect(stream.stats.connects > 0, "the bot could not connect to the stream")
        story.say("the bot listens on GET /2/activity/stream with the app's bearer token")
        started = time.monotonic()
        carol.create_dm(participant_id=BOB, text="Is Bob around?")
        thread.join(10)
    finally:
        stream.close()
        thread.join(10)
    if failures:
        raise failures[0]
    _expect(bool(answered), "the bot did not answer within 10 seconds")
    at, reply_id = answered[0]
    seen = carol.get_dm_event(reply_id, dm_event_fields=["text", "sender_id"]).data
    _expect(seen.sender_id == BOB, "the answer is not from @bob")
    story.say(f"@carol: 'Is Bob around?'  ->  @bob's bot: {seen.text!r}")
    latency = at - started
    story.say(f"answered {latency * 1000:.0f} ms after @carol sent it")
    _expect(latency < 1.0, f"the answer took {latency:.2f} s, not within the same second")
    # Listing, updating and deleting subscriptions take the app's bearer token.
    app = tweepy_dm.Client(api_url=emulator.url, bearer_token=emulator.app_bearer_token)
    app.delete_activity_subscription(subscription.id)


def _async_part(story: _Story, emulator: DMEmulator, users: dict[int, dict[str, Any]]) -> None:
    try:
        client_class = tweepy_dm.AsyncClient
        client_class(bearer_token="probe")
    except ImportError as missing:
        story.say(f"[yellow]skipped:[/] {escape(str(missing))}")
        return

    async def main() -> None:
        async with tweepy_dm.AsyncClient(api_url=emulator.url, **users[CAROL]) as carol:
            await carol.create_dm(participant_id=ALICE, text="Sent from asyncio")
            everything, with_alice = await asyncio.gather(
                carol.get_dm_events(),
                carol.get_dm_events(participant_id=ALICE, user_auth=False),
            )
        story.say(
            f"@carol sent a DM and read {plural(len(everything.data), 'event')}"
            " over one aiohttp session"
        )
        _expect(with_alice.data[0].text == "Sent from asyncio", "the async DM is missing")

    asyncio.run(main())


@click.command()
def demo() -> None:
    """Play a short DM story against an embedded emulator: no network, no credentials."""
    try:
        run_demo(stdout_console())
    except DemoFailure as failure:
        stderr.print(f"[red]Demo failed:[/] {failure}")
        sys.exit(1)
