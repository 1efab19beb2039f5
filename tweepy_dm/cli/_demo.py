"""``tweepy-dm demo``: a short DM story against an embedded emulator, XChat first.

Everything goes through the real :class:`tweepy_dm.Client` (and
``AsyncClient``) over HTTP on 127.0.0.1: no network, no credentials. The
XChat chapters come first, on an emulator playing X after its cutover
(``legacy_dms="off"``); the legacy chapters follow on a second emulator that
still takes legacy DMs, labelled as history.
"""

from __future__ import annotations

import asyncio
import io
import sys
from typing import TYPE_CHECKING, Any

import click
import tweepy
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

import tweepy_dm
from tweepy_dm.cli._demo_kit import (
    ALICE,
    BOB,
    CAROL,
    XCHAT_NEEDS,
    DemoFailure,
    Story,
    answer_on_stream,
    expect,
    png,
)
from tweepy_dm.cli._errors import describe_error
from tweepy_dm.cli._output import console as stdout_console
from tweepy_dm.cli._output import event_rows, events_table, plural, stderr
from tweepy_dm.cli._xchat_demo import xchat_chapters, xchat_missing

if TYPE_CHECKING:
    from tweepy_dm.emulator import DMEmulator

__all__ = ["DemoFailure", "demo", "run_demo"]


def run_demo(console: Console) -> None:
    """Play the story on ``console``; :class:`DemoFailure` says which step went wrong."""
    # Imported here: the other commands start faster without the server.
    from tweepy_dm.emulator import DMEmulator

    console.print(Panel.fit(
        f"[bold]tweepy-dm {tweepy_dm.__version__} demo[/] on tweepy {tweepy.__version__}\n"
        "An embedded X DM API emulator runs on 127.0.0.1;\n"
        "every call below is real HTTP through tweepy_dm.Client.",
    ))  # fmt: skip
    story = Story(console)
    story.chapter("XChat: end-to-end encrypted DMs, X's only DM API after 2026-12-09")
    if xchat_missing():
        console.print(f"[yellow]XChat chapters skipped:[/] {escape(XCHAT_NEEDS)}")
    else:
        # As X after its cutover: /2/chat only, a legacy send gets 403.
        with DMEmulator(legacy_dms="off") as emulator:
            xchat_chapters(story, emulator)
    story.chapter("Legacy DMs (history; new sends end 2026-12-09)")
    # A second emulator, as X before its cutover (legacy_dms="on"), with none of XChat's state.
    with DMEmulator() as emulator:
        _legacy_chapters(story, emulator)
    console.print("\n[bold green]Demo complete.[/] Next: tweepy-dm emulator, and tweepy-dm --help.")


def _legacy_chapters(story: Story, emulator: DMEmulator) -> None:
    """The legacy DM endpoints (/2/dm_events, /2/dm_conversations), as before the cutover."""
    console = story.console
    users: dict[int, dict[str, Any]] = {
        user_id: emulator.add_user(user_id, username, username.title())
        for user_id, username in ((ALICE, "alice"), (BOB, "bob"), (CAROL, "carol"))
    }
    alice = tweepy_dm.Client(api_url=emulator.url, **users[ALICE])
    bob = tweepy_dm.Client(api_url=emulator.url, **users[BOB])
    story.say(
        f"emulator at {emulator.url} with legacy_dms='on';"
        f" users @alice ({ALICE}), @bob ({BOB}), @carol ({CAROL})"
    )

    def first_dm() -> str:
        sent = alice.create_dm(participant_id=BOB, text="Hi Bob! Lunch tomorrow?")
        data = sent.data
        story.say(f"event {data['dm_event_id']} in conversation {data['dm_conversation_id']}")
        expect(sent.data["dm_conversation_id"] == f"{ALICE}-{BOB}", "wrong 1:1 conversation id")
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
        expect(any(e.event_type == "ParticipantsJoin" for e in response.data), "no join events")

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
        expect(sum(sizes) == 7, f"expected 7 events, got {plural(sum(sizes), 'event')}")

    story.step("Paging through the 1:1 conversation with tweepy.Paginator", paging)

    def picture() -> str:
        image = png()
        media = alice.upload_dm_media(io.BytesIO(image))
        story.say(f"uploaded {plural(len(image), 'byte')} as media {media.id} ({media.media_key})")
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
        expect(downloaded == image, "the downloaded media differs from the upload")
        return str(sent.data["dm_event_id"])

    picture_event = story.step("@alice uploads an image (v2 media upload) and sends it", picture)

    def delete() -> None:
        response = alice.delete_dm_event(picture_event)
        story.say(f"DELETE /2/dm_events/{picture_event} -> {response.data}")
        expect(response.data == {"deleted": True}, "the event was not deleted")

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
    story.step("The same with tweepy_dm.AsyncClient", lambda: _async_part(story, emulator, users))


def _realtime_part(story: Story, emulator: DMEmulator, users: dict[int, dict[str, Any]]) -> None:
    """@bob's bot subscribes, listens on the app's stream and answers @carol at once."""
    bob = tweepy_dm.Client(api_url=emulator.url, **users[BOB])
    carol = tweepy_dm.Client(api_url=emulator.url, **users[CAROL])
    # A DM subscription takes the user's OAuth 2.0 token: the bearer token, user_auth=False.
    subscription = bob.create_activity_subscription(event_type="dm.received", user_id=BOB).data
    story.say(f"@bob subscribed to dm.received (subscription {subscription.id})")
    stream = tweepy_dm.ActivityStream(
        emulator.app_bearer_token, api_url=emulator.url, event_types=["dm.received"]
    )

    def answer(event: Any) -> Any:
        message = event.direct_message
        if event.user_id != BOB or message is None:
            return None
        reply = bob.create_dm(
            dm_conversation_id=event.dm_conversation_id,
            text=f"Auto-reply: got your message ({message.text!r}).",
        )
        return reply.data["dm_event_id"]

    latency, reply_id = answer_on_stream(
        story, stream, answer, lambda: carol.create_dm(participant_id=BOB, text="Is Bob around?")
    )
    seen = carol.get_dm_event(reply_id, dm_event_fields=["text", "sender_id"]).data
    expect(seen.sender_id == BOB, "the answer is not from @bob")
    story.say(f"@carol: 'Is Bob around?'  ->  @bob's bot: {seen.text!r}")
    story.say(f"answered {latency * 1000:.0f} ms after @carol sent it")
    expect(latency < 1.0, f"the answer took {latency:.2f} s, not within the same second")
    # Listing, updating and deleting subscriptions take the app's bearer token.
    app = tweepy_dm.Client(api_url=emulator.url, bearer_token=emulator.app_bearer_token)
    app.delete_activity_subscription(subscription.id)


def _async_part(story: Story, emulator: DMEmulator, users: dict[int, dict[str, Any]]) -> None:
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
        expect(with_alice.data[0].text == "Sent from asyncio", "the async DM is missing")

    asyncio.run(main())


@click.command()
def demo() -> None:
    """Play a short DM story against an embedded emulator: no network, no credentials."""
    try:
        run_demo(stdout_console())
    except DemoFailure as failure:
        stderr.print(f"[red]Demo failed:[/] {failure}")
        sys.exit(1)
