"""The envelope reader: a struct's string fields read inline refuse and accept what it did."""

from __future__ import annotations

import base64
import random

import pytest

from tests.xchat import require_chatxdk

require_chatxdk()

from tweepy_dm import xchat  # noqa: E402 (after the check above)

FIXED = {2: 1, 3: 1, 4: 8, 6: 2, 8: 4, 10: 8}


def reference_skip(raw: bytes, position: int, kind: int, depth: int = 0) -> int:
    """The reader as it was: every value, strings too, through one recursive call."""
    if depth > 32:
        raise ValueError("Thrift structs nested too deep")
    if kind in FIXED:
        end = position + FIXED[kind]
    elif kind == 11:
        end = position + 4 + int.from_bytes(raw[position : position + 4], "big", signed=True)
        if end < position + 4:
            raise ValueError("negative Thrift string size")
    elif kind == 12:
        while True:
            if position >= len(raw):
                raise ValueError("the Thrift struct ends early")
            if raw[position] == 0:
                return position + 1
            position = reference_skip(raw, position + 3, raw[position], depth + 1)
    elif kind in (14, 15):
        element, count = raw[position], int.from_bytes(raw[position + 1 : position + 5], "big")
        end = position + 5
        for _ in range(count):
            end = reference_skip(raw, end, element, depth + 1)
    elif kind == 13:
        key, value = raw[position], raw[position + 1]
        count = int.from_bytes(raw[position + 2 : position + 6], "big")
        end = position + 6
        for _ in range(count):
            end = reference_skip(raw, reference_skip(raw, end, key, depth + 1), value, depth + 1)
    else:
        raise ValueError(f"unknown Thrift type {kind}")
    if end > len(raw):
        raise ValueError("the Thrift struct ends early")
    return end


def outcome(skip, raw: bytes):
    try:
        return skip(raw, 0, 12)
    except (ValueError, IndexError) as error:
        return type(error)


def reference_envelope(raw: bytes):
    """The envelope's string fields as read before, or the error's type."""
    fields, position = {}, 0
    try:
        while True:
            if position >= len(raw):
                raise ValueError("the Thrift struct ends early")
            kind = raw[position]
            if kind == 0:
                return fields
            field = int.from_bytes(raw[position + 1 : position + 3], "big", signed=True)
            end = reference_skip(raw, position + 3, kind)
            if kind == 11:
                fields[field] = raw[position + 7 : end].decode("utf-8", "replace")
            position = end
    except (ValueError, IndexError) as error:
        return type(error)


def envelope(raw: bytes):
    try:
        return xchat._envelope(base64.b64encode(raw).decode())
    except (ValueError, IndexError) as error:
        return type(error)


def string(field: int, value: bytes) -> bytes:
    return b"\x0b" + field.to_bytes(2, "big") + len(value).to_bytes(4, "big") + value


def nested(depth: int) -> bytes:
    """A string inside ``depth`` structs nested in the envelope."""
    inner = string(1, b"deep") + b"\x00"
    for _ in range(depth):
        inner = b"\x0c\x00\x07" + inner + b"\x00"
    return string(1, b"5") + inner[:-1] + b"\x00"


ENVELOPE = (
    string(1, b"1900000000000000102")
    + string(2, b"75055d53-b24c-42a9-a630-f883bbc95a26")
    + string(3, b"2")
    + string(4, b"1:2")
    + string(6, b"1796703327253")
    + b"\x0c\x00\x07\x0c\x00\x01"
    + string(100, bytes(range(60)))
    + b"\x0f\x00\x02\x0b\x00\x00\x00\x02"
    + b"\x00\x00\x00\x01a\x00\x00\x00\x02bc"
    + b"\x0d\x00\x03\x0b\x08\x00\x00\x00\x01\x00\x00\x00\x01k\x00\x00\x00\x07"
    + b"\x02\x00\x65\x01\x00\x00"
    + b"\x00"
)


@pytest.mark.parametrize("depth", [30, 31, 32, 33])
def test_nesting_is_refused_at_the_same_depth(depth):
    raw = nested(depth)
    assert outcome(xchat._thrift_skip, raw) == outcome(reference_skip, raw)


def test_the_envelope_and_every_cut_and_altered_copy_of_it_read_as_before():
    assert outcome(xchat._thrift_skip, ENVELOPE) == len(ENVELOPE)
    assert xchat._envelope(base64.b64encode(ENVELOPE).decode())[4] == "1:2"
    cases = [ENVELOPE[:cut] for cut in range(len(ENVELOPE))]
    randomness = random.Random(24)
    for _ in range(3000):
        altered = bytearray(ENVELOPE)
        for _ in range(randomness.randint(1, 3)):
            altered[randomness.randrange(len(altered))] = randomness.choice(
                [0, 1, 2, 11, 12, 13, 15, 0x7F, 0xFF, randomness.randrange(256)]
            )
        cases.append(bytes(altered))
    for raw in cases:
        assert outcome(xchat._thrift_skip, raw) == outcome(reference_skip, raw), raw
        assert envelope(raw) == reference_envelope(raw), raw
