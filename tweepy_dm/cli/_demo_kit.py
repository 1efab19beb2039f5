"""What the demo's chapters share: the numbered story, its checks, a picture, a bot on a stream."""

from __future__ import annotations

import struct
import threading
import time
import zlib
from typing import Any, Callable

from rich.console import Console

ALICE, BOB, CAROL = 1001, 1002, 1003

#: The one line the demo prints instead of the XChat chapters where chatxdk cannot be imported.
XCHAT_NEEDS = 'XChat needs Python 3.10+ and pip install "tweepy-dm[xchat]"'


class DemoFailure(Exception):
    """A step of the demo did not do what it should."""


def expect(condition: bool, message: str) -> None:
    """Fail the demo with ``message`` unless ``condition`` holds: the demo is a real check."""
    if not condition:
        raise DemoFailure(message)


def png(width: int = 8, height: int = 8) -> bytes:
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


class Story:
    """Numbered steps on a console; a step that raises ends the demo with its number and title."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.number = 0

    def chapter(self, title: str) -> None:
        self.console.print()
        self.console.rule(f"[bold]{title}[/]")

    def step(self, title: str, action: Callable[[], Any]) -> Any:
        self.number += 1
        self.console.print(f"\n[bold cyan]{self.number}. {title}[/]")
        try:
            return action()
        except DemoFailure as failure:
            raise DemoFailure(f"step {self.number} ({title}): {failure}") from failure
        except Exception as error:  # every failure ends the demo with its reason
            raise DemoFailure(
                f"step {self.number} ({title}): {type(error).__name__}: {error}"
            ) from error

    def say(self, text: str) -> None:
        self.console.print(f"   {text}")


def answer_on_stream(
    story: Story,
    stream: Any,
    answer: Callable[[Any], Any],
    trigger: Callable[[], Any],
) -> tuple[float, Any]:
    """Run a bot on ``stream`` in a thread, ``trigger`` a DM, and wait for the bot's answer.

    ``answer(event)`` returns None for an event it ignores, else what it sent;
    the first answer closes the stream. Returns how many seconds after the
    trigger the answer was sent, and what ``answer`` returned.
    """
    answered: list[tuple[float, Any]] = []
    failures: list[BaseException] = []

    def bot() -> None:
        try:
            for event in stream:
                sent = answer(event)
                if sent is not None:
                    answered.append((time.monotonic(), sent))
                    stream.close()
        except BaseException as error:  # reported by the step, not lost in the thread
            failures.append(error)

    thread = threading.Thread(target=bot, name="demo bot", daemon=True)
    thread.start()
    try:
        # Real time, not a test's clock: the demo shows a live stream over HTTP.
        deadline = time.monotonic() + 10
        while stream.stats.connects == 0 and not failures and time.monotonic() < deadline:
            time.sleep(0.01)
        expect(stream.stats.connects > 0, "the bot could not connect to the stream")
        story.say("the bot listens on GET /2/activity/stream with the app's bearer token")
        started = time.monotonic()
        trigger()
        thread.join(10)
    finally:
        stream.close()
        thread.join(10)
    if failures:
        raise failures[0]
    expect(bool(answered), "the bot did not answer within 10 seconds")
    at, sent = answered[0]
    return at - started, sent
