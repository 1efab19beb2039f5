"""The demo's XChat chapters: the legacy DM calls over /2/chat, past X's cutover."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import tweepy

import tweepy_dm
from tweepy_dm.cli._demo_kit import (
    ALICE,
    BOB,
    CAROL,
    DemoFailure,
    Story,
    answer_on_stream,
    expect,
    png,
)
from tweepy_dm.cli._output import event_rows, events_table, plural

if TYPE_CHECKING:
    from tweepy_dm.emulator import DMEmulator


def xchat_missing() -> bool:
    """Whether XChat cannot run here: chatxdk (Python 3.10+) or cryptography is not importable."""
    try:
        import cryptography.hazmat.primitives.asymmetric.ec  # noqa: F401 (the emulator's checks)

        import tweepy_dm.xchat  # noqa: F401 (raises ImportError without chatxdk)
    except ImportError:
        return True
    return False


def xchat_chapters(story: Story, emulator: DMEmulator) -> None:
    """@alice's legacy DM code gets one new line; @bob and @carol are XChat users (back door)."""
    from tweepy_dm.xchat import XChat

    console = story.console
    users = {
        ALICE: emulator.add_user(ALICE, "alice", "Alice"),
        # Played by the emulator: they send with emulator.send_chat, as X's apps would.
        BOB: emulator.add_user(BOB, "bob", "Bob", xchat=True),
        CAROL: emulator.add_user(CAROL, "carol", "Carol", xchat=True),
    }
    plain = tweepy_dm.Client(api_url=emulator.url, **users[ALICE])
    story.say(
        f"emulator at {emulator.url} with legacy_dms='off', as X after the cutover;"
        f" @alice ({ALICE}) runs tweepy code; @bob ({BOB}) and @carol ({CAROL}) use X's apps"
    )

    def refused() -> None:
        try:
            plain.create_dm(participant_id=BOB, text="Hi Bob! Lunch tomorrow?")
        except tweepy_dm.LegacyDMsEnded as error:
            story.say(f"403 LegacyDMsEnded: {error.api_messages[0] if error.api_messages else ''}")
        else:
            raise DemoFailure("a legacy DM was accepted after the cutover")

    story.step("@alice's unchanged code: a legacy send after the cutover gets 403", refused)

    def keys() -> bytes:
        blob = XChat.generate_keys()
        version = XChat(plain, key_blob=blob, user_id=ALICE).register_keys()
        story.say(
            f"a {len(blob)}-byte key blob, kept secret; public keys registered as version"
            f" {version} (the shell: tweepy-dm xchat keygen alice.key --register)"
        )
        return blob

    blob = story.step("@alice makes her key blob once and registers its public keys", keys)
    # The one new line of the migration: the same DM methods now go over /2/chat.
    alice = tweepy_dm.Client(api_url=emulator.url, **users[ALICE], xchat_key=blob)

    def first_dm() -> str:
        text = "Hi Bob! Lunch tomorrow?"
        sent = alice.create_dm(participant_id=BOB, text=text)
        conversation = str(sent.data["dm_conversation_id"])
        story.say(f"event {sent.data['dm_event_id']} in conversation {conversation}")
        expect(conversation == f"{ALICE}-{BOB}", f"wrong 1:1 conversation id {conversation}")
        stored = plain.get_chat_conversation_events(conversation).data[0].encoded_event
        story.say(f"what X stores: {stored[:48]}... ({len(stored)} base64 characters)")
        expect(text not in stored and text.encode().hex() not in stored, "plaintext on X")
        emulator.send_chat(BOB, conversation, "Sure, 12:30 at the usual place.")
        story.say("@bob answers from X's app (the emulator's send_chat back door)")
        response = alice.get_dm_events(
            dm_conversation_id=conversation, expansions=["sender_id"], user_fields=["username"]
        )
        console.print(events_table(event_rows(response), title="Decrypted, as @alice sees it"))
        texts = [event.text for event in response.data]
        expect(texts == ["Sure, 12:30 at the usual place.", text], f"wrong events: {texts}")
        return conversation

    conversation = story.step(
        "The one-line migration: tweepy_dm.Client(..., xchat_key=blob)", first_dm
    )

    def paging() -> None:
        for index in range(5):
            emulator.send_chat(BOB, conversation, f"Menu idea #{index + 1}")
        pages = list(
            tweepy.Paginator(alice.get_dm_events, dm_conversation_id=conversation, max_results=3)
        )
        sizes = [len(page.data or []) for page in pages]
        story.say(
            f"{plural(sum(sizes), 'event')} in {plural(len(pages), 'page')}"
            f" of max_results=3: {sizes}"
        )
        expect(sum(sizes) == 7, f"expected 7 events, got {plural(sum(sizes), 'event')}")

    story.step("Paging the encrypted conversation with tweepy.Paginator", paging)

    def one_and_delete() -> None:
        newest = alice.get_dm_events(dm_conversation_id=conversation, max_results=1).data[0]
        seen = alice.get_dm_event(newest.id, dm_event_fields=["text", "sender_id"]).data
        story.say(f"get_dm_event({seen.id}): {seen.text!r} from {seen.sender_id}")
        expect(seen.text == "Menu idea #5", f"wrong event: {seen.text!r}")
        deleted = alice.delete_dm_event(seen.id).data
        story.say(f"delete_dm_event({seen.id}) -> {deleted}")
        left = [event.id for event in alice.get_dm_events(dm_conversation_id=conversation).data]
        expect(deleted == {"deleted": True} and seen.id not in left, "the event was not deleted")

    story.step("get_dm_event and delete_dm_event, as before", one_and_delete)

    def encrypted_file() -> None:
        image = png()
        alice.create_dm(participant_id=BOB, text="Here is the menu", file=image)
        bob = XChat(
            tweepy_dm.Client(api_url=emulator.url, **users[BOB]),
            key_blob=emulator.xchat_key_blob(BOB),
            user_id=BOB,
        )
        message = bob.get_messages(conversation)[0]
        expect(bool(message.attachments), "the message has no attachment")
        stored = bob.client.get_chat_media(conversation, message.attachments[0]["media_hash_key"])
        downloaded = bob.get_media(message)
        story.say(
            f"X stores {plural(len(stored), 'byte')} of ciphertext; @bob decrypts"
            f" {plural(len(downloaded), 'byte')}: {message.text!r}"
        )
        expect(image not in bytes(stored), "the file reached X unencrypted")
        expect(downloaded == image, "the decrypted file differs from the one sent")

    story.step("An encrypted file: create_dm(..., file=...) instead of media_id", encrypted_file)

    def group() -> None:
        sent = alice.create_dm_conversation(
            participant_ids=[BOB, CAROL], text="Welcome to the lunch club!"
        )
        group_id = str(sent.data["dm_conversation_id"])
        story.say(f"group conversation {group_id}")
        expect(group_id.startswith("g"), f"an XChat group's id starts with g, not {group_id}")
        emulator.send_chat(CAROL, group_id, "Thanks, Alice!")
        texts = [event.text for event in alice.get_dm_events(dm_conversation_id=group_id).data]
        story.say(f"@alice reads the group: {texts}")
        expect(texts == ["Thanks, Alice!", "Welcome to the lunch club!"], f"wrong: {texts}")

    story.step("A group: create_dm_conversation gives a g... conversation", group)
    story.step(
        "A bot answers an encrypted DM in real time (stream with xchat_clients=)",
        lambda: _realtime(story, emulator, alice, users),
    )


def _realtime(
    story: Story, emulator: DMEmulator, alice: Any, users: dict[int, dict[str, Any]]
) -> None:
    """@alice's bot decrypts @carol's DM off the stream and answers it over /2/chat."""
    subscription = alice.create_activity_subscription(
        event_type="chat.received", user_id=ALICE
    ).data
    story.say(f"@alice subscribed to chat.received (subscription {subscription.id})")
    stream = tweepy_dm.ActivityStream(
        emulator.app_bearer_token,
        api_url=emulator.url,
        event_types=["chat.received"],
        xchat_clients=alice,  # decrypts each chat.* event into event.direct_message
    )

    def answer(event: Any) -> Any:
        message = event.direct_message
        if event.user_id != ALICE or message is None:
            return None
        reply = alice.create_dm(
            dm_conversation_id=message.dm_conversation_id,
            text=f"Auto-reply: got your message ({message.text!r}).",
        )
        return reply.data["dm_conversation_id"]

    latency, conversation = answer_on_stream(
        story, stream, answer, lambda: emulator.send_chat(CAROL, ALICE, "Is Alice around?")
    )
    carol = tweepy_dm.Client(
        api_url=emulator.url, **users[CAROL], xchat_key=emulator.xchat_key_blob(CAROL)
    )
    seen = carol.get_dm_events(dm_conversation_id=conversation).data[0]
    expect(seen.sender_id == ALICE, "the answer is not from @alice")
    story.say(f"@carol: 'Is Alice around?'  ->  @alice's bot: {seen.text!r}")
    story.say(f"answered {latency * 1000:.0f} ms after @carol sent it")
    expect(latency < 1.0, f"the answer took {latency:.2f} s, not within the same second")
    app = tweepy_dm.Client(api_url=emulator.url, bearer_token=emulator.app_bearer_token)
    app.delete_activity_subscription(subscription.id)
