"""Type-checked by ``tox -e lint`` (mypy): what users write must check, mistakes must not.

Every deliberate mistake below carries a ``# type: ignore[...]`` comment, and
mypy runs with ``warn_unused_ignores``: if mypy stopped seeing a method's
signature (say, a method made at run time without its stub), the mistake
would no longer be reported, the ignore would be unused, and the check fails.
"""

from __future__ import annotations

import tweepy_dm


def sync_calls(client: tweepy_dm.Client) -> None:
    client.get_direct_message_events(dm_conversation_id="1-2", max_results=10)
    client.get_dm_events(participant_id=2, dm_event_fields=("id", "text"))
    client.get_dm_event(123, expansions="sender_id", post_fields=["text"])
    client.create_dm(participant_id=2, text="hi")
    client.create_dm_conversation(participant_ids=[2, 3], text="hi")
    client.delete_dm_event(1)
    client.block_dms(2)
    client.get_dm_media(1, 2, "a.jpg", file="out.jpg", user_auth=False)
    client.upload_dm_media("cat.jpg", media_category="dm_image")

    # Mistakes a type checker must report.
    client.create_dm(participant_id=2, txt="hi")  # type: ignore[call-arg]
    client.create_dm(2, "hi")  # type: ignore[call-arg, arg-type]
    client.get_dm_events(max_result=10)  # type: ignore[call-arg]
    client.get_dm_events(max_results="10")  # type: ignore[arg-type]
    client.block_dms()  # type: ignore[call-arg]
    client.get_dm_event(1, 2)  # type: ignore[call-arg, arg-type]


async def async_calls(client: tweepy_dm.AsyncDirectMessagesMixin) -> None:
    await client.get_dm_events(participant_id=2)
    await client.create_direct_message(dm_conversation_id="1-2", text="hi")
    await client.upload_dm_media("cat.jpg")

    await client.create_dm(participant_id=2, txt="hi")  # type: ignore[call-arg]
    await client.get_dm_events(1)  # type: ignore[call-arg, arg-type]
