"""Snowflake ids, one-to-one conversation ids and pagination tokens."""

from __future__ import annotations

import base64
import struct
from typing import Callable

from tweepy_dm.emulator._errors import invalid_parameter

#: Twitter's snowflake epoch (2010-11-04T01:42:54.657Z) in epoch milliseconds.
TWITTER_EPOCH_MS = 1288834974657
#: The largest id the emulator stores (SQLite integers are signed 64-bit), below
#: X's largest (``_facts.MAX_ID``): ids above it are well-formed but name nothing.
MAX_STORED_ID = 2**63 - 1


class Snowflakes:
    """Strictly increasing snowflake ids taken from an injectable clock.

    An id is ``(milliseconds since the Twitter epoch) << 22 | sequence``; when
    the clock stands still (or goes back) the next id is the last one plus
    one, so ids keep increasing and still sort by time.
    """

    def __init__(self, clock: Callable[[], float], last: int = 0) -> None:
        self._clock = clock
        self.last = last

    def next(self) -> int:
        self.last = max(snowflake_at(self._clock()), self.last + 1)
        return self.last

    def observe(self, used: int) -> None:
        """Never hand out ``used`` or anything below it again."""
        self.last = max(self.last, used)


def snowflake_at(epoch_seconds: float) -> int:
    return max(int(epoch_seconds * 1000) - TWITTER_EPOCH_MS, 0) << 22


def snowflake_time(snowflake: int) -> float:
    return ((snowflake >> 22) + TWITTER_EPOCH_MS) / 1000


# Pagination tokens: a direction byte, the anchor event id and a check byte,
# in base32hex like X's own tokens. They name an event, not an offset, so
# they stay valid while new events arrive.
OLDER = 1  # next_token: events older than the anchor
NEWER = 2  # previous_token: events newer than the anchor


# base64.b32hexencode is 3.10+; translate from the plain base32 alphabet.
_B32 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_B32HEX = b"0123456789ABCDEFGHIJKLMNOPQRSTUV"
_TO_HEX = bytes.maketrans(_B32, _B32HEX)
_FROM_HEX = bytes.maketrans(_B32HEX, _B32)


def encode_token(direction: int, anchor: int) -> str:
    payload = struct.pack(">BQ", direction, anchor)
    check = sum(payload) % 251
    return base64.b32encode(payload + bytes([check])).translate(_TO_HEX).decode().rstrip("=")


def decode_token(token: str) -> tuple[int, int]:
    try:
        text = token.upper().encode("ascii")
        if text.translate(None, _B32HEX):
            raise ValueError("not base32hex")
        raw = base64.b32decode(text.translate(_FROM_HEX) + b"=" * (-len(text) % 8))
        direction, anchor = struct.unpack(">BQ", raw[:9])
        valid = (
            len(raw) == 10
            and raw[9] == sum(raw[:9]) % 251
            and direction in (OLDER, NEWER)
            and anchor <= MAX_STORED_ID
        )
    except (ValueError, struct.error):
        valid = False
    if not valid:
        raise invalid_parameter(
            "pagination_token",
            token,
            f"The `pagination_token` query parameter value [{token}] is not valid",
        )
    return direction, anchor
