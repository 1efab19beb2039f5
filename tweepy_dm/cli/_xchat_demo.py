"""The demo's XChat chapter: two users who hold only key blobs exchange encrypted DMs."""

from __future__ import annotations

from typing import Any

import tweepy
from rich.markup import escape

import tweepy_dm


def xchat_part(story: Any, emulator: Any, users: dict[int, dict[str, Any]]) -> None:
    """@alice and @bob register keys, talk end to end; the server only ever sees ciphertext."""
    try:
        from tweepy_dm.xchat import XChat
    except ImportError as missing:
        story.say(f"[yellow]skipped:[/] {escape(str(missing))}")
        return
    alice_id, bob_id = list(users)[:2]  # @alice and @bob, as the demo made them
    alice_client = tweepy_dm.Client(api_url=emulator.url, **users[alice_id])
    bob_client = tweepy_dm.Client(api_url=emulator.url, **users[bob_id])
    emulator.legacy_dms = "off"  # as X after its cutover: /2/chat is the only DM API
    try:
        alice_client.create_dm(participant_id=bob_id, text="unencrypted")
    except tweepy.Forbidden:
        story.say("legacy DMs are off, as on X after the cutover: a legacy send gets 403")
    else:
        raise AssertionError("a legacy DM was accepted after the cutover")
    alice = XChat(alice_client, key_blob=XChat.generate_keys(), user_id=alice_id)
    bob = XChat(bob_client, key_blob=XChat.generate_keys(), user_id=bob_id)
    story.say(
        f"key versions registered: @alice {alice.register_keys()}, @bob {bob.register_keys()}"
    )
    conversation = alice.start_conversation(bob_id)
    text = "Meet at the usual place at noon"
    alice.send(conversation, text)
    stored = bob_client.get_chat_conversation_events(conversation).data[0].encoded_event
    story.say(f"what X stores: {stored[:56]}... ({len(stored)} base64 characters)")
    if text in stored or text.encode().hex() in stored:
        raise AssertionError("the plaintext reached the server")
    (received,) = bob.get_messages(conversation)
    story.say(f"@bob decrypts (signature verified: {received.verified}): {received.text!r}")
    reply = bob.send(conversation, "See you there", reply_to=received)
    seen = alice.get_messages(conversation)[0]
    story.say(f"@alice decrypts @bob's reply: {seen.text!r} (to {seen.reply_to['text']!r})")
    if seen.id != reply.id or received.text != text:
        raise AssertionError("a message did not round-trip")
