"""Signed webhook deliveries of X's documented ``dm.received`` example, for the receiver tests.

Each delivery is its own event and DM (``event_uuid`` and DM id from ``number``),
so that deduplication lets it through; :func:`asgi_post` calls an ASGI app as
a server does (:func:`tests.realtime.test_webhooks.asgi_call`).
"""

from __future__ import annotations

import json
import pathlib
from typing import Any

from tests.realtime.test_webhooks import asgi_call, x_signature
from tweepy_dm import webhooks

SECRET = "consumer-secret"
EXAMPLES = json.loads(
    (pathlib.Path(__file__).parent.parent / "data" / "x_event_examples.json").read_text("utf-8")
)["examples"]
#: A safety net for a broken implementation, never a timing assertion.
HANG = 30


def event_data(number: int) -> dict[str, Any]:
    """The example's event, made delivery ``number``."""
    document = json.loads(json.dumps(EXAMPLES["xaa:dm.received"]))
    document["data"]["event_uuid"] = str(number)
    for item in document["data"]["payload"]["direct_message_events"]:
        item["id"] = str(10**18 + number)
    return document["data"]


def body_with_uuid(number: int) -> bytes:
    """Delivery ``number`` as X sends it."""
    return json.dumps({"data": event_data(number)}).encode()


async def asgi_post(app: Any, body: bytes, *, pieces: int = 1) -> dict[str, Any]:
    """POST ``body`` signed with :data:`SECRET`, in ``pieces`` messages: status and body."""
    headers = [(webhooks.SIGNATURE_HEADER, x_signature(body, SECRET))]
    status, reply = await asgi_call(app, "POST", body=body, headers=headers, chunks=pieces)
    return {"status": status, "body": reply}
