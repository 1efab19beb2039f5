"""The webhook receivers against signed bodies no parser can take: a 400, never a 500."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import io

import pytest

from tweepy_dm import webhooks

SECRET = "consumer-secret-for-hostile-bodies"
#: Deeper than any recursion limit: json.loads raises RecursionError on it.
NESTED = b'{"data": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"


def signature(body: bytes) -> str:
    digest = hmac.new(SECRET.encode(), body, hashlib.sha256).digest()
    return "sha256=" + base64.b64encode(digest).decode()


def wsgi_post(app, body: bytes) -> int:
    statuses = []
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/",
        "QUERY_STRING": "",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_X_TWITTER_WEBHOOKS_SIGNATURE": signature(body),
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(body),
    }
    b"".join(app(environ, lambda status, headers: statuses.append(status)))
    return int(statuses[0].split()[0])


async def asgi_post(app, body: bytes) -> int:
    sent = []
    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    headers = [(webhooks.SIGNATURE_HEADER.encode(), signature(body).encode())]
    scope = {"type": "http", "method": "POST", "path": "/", "headers": headers}
    await app(scope, receive, send)
    return int(sent[0]["status"])


def test_parse_webhook_says_a_body_nested_too_deeply_is_not_a_payload():
    with pytest.raises(ValueError, match="nested too deeply"):
        webhooks.parse_webhook(NESTED)


@pytest.mark.parametrize("background", [False, True])
def test_wsgi_app_answers_400_to_a_signed_body_nested_too_deeply(background):
    handled = []
    app = webhooks.wsgi_app(SECRET, handled.append, background=background)
    assert wsgi_post(app, NESTED) == 400
    assert handled == []


@pytest.mark.parametrize("background", [False, True])
def test_asgi_app_answers_400_to_a_signed_body_nested_too_deeply(background):
    handled = []
    app = webhooks.asgi_app(SECRET, handled.append, background=background)
    assert asyncio.run(asgi_post(app, NESTED)) == 400
    assert handled == []
