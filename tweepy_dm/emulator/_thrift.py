"""The little of Thrift's binary protocol (TBinaryProtocol) that XChat's envelopes use.

X's ``MessageEvent`` and the SDK's ``MessageCreateEvent`` / ``MessageEventDetail``
/ ``MessageEventSignature`` are Thrift structs in base64 (field ids from
chat-xdk's ``thrift/event.thrift``). The emulator reads what it must check
(the ciphertext and key version a signature covers) and writes the envelope
around what a client sent; it never decrypts anything.
"""

from __future__ import annotations

import base64
import binascii
import struct
from typing import Any

T_STOP, T_BOOL, T_BYTE, T_DOUBLE, T_I16, T_I32, T_I64, T_STRING, T_STRUCT = (
    0,
    2,
    3,
    4,
    6,
    8,
    10,
    11,
    12,
)
T_MAP, T_SET, T_LIST = 13, 14, 15
STOP = b"\x00"
_FIXED = {T_BOOL: 1, T_BYTE: 1, T_DOUBLE: 8, T_I16: 2, T_I32: 4, T_I64: 8}
#: Deeper nesting than any XChat struct has is refused (a hostile body cannot recurse far).
_MAX_DEPTH = 32


class ThriftError(ValueError):
    """Bytes that are not the Thrift struct they should be."""


def string(field: int, value: str | bytes) -> bytes:
    raw = value.encode() if isinstance(value, str) else value
    return struct.pack(">bhi", T_STRING, field, len(raw)) + raw


def boolean(field: int, value: bool) -> bytes:
    return struct.pack(">bhb", T_BOOL, field, int(value))


def nested(field: int, body_with_stop: bytes) -> bytes:
    """A struct field whose body (ending in STOP) is already encoded."""
    return struct.pack(">bh", T_STRUCT, field) + body_with_stop


def read_struct(buffer: bytes, position: int = 0, depth: int = 0) -> tuple[dict[int, Any], int]:
    """One struct as ``{field id: value}`` and the position after it.

    Strings stay bytes (Thrift's binary and string share a wire type); nested
    structs are dicts, lists are lists.
    """
    if depth > _MAX_DEPTH:
        raise ThriftError("structs nested too deep")
    fields: dict[int, Any] = {}
    try:
        while True:
            kind = buffer[position]
            position += 1
            if kind == T_STOP:
                return fields, position
            (field,) = struct.unpack_from(">h", buffer, position)
            fields[field], position = _value(buffer, position + 2, kind, depth)
    except (IndexError, struct.error):
        raise ThriftError("the struct ends early") from None


def _value(buffer: bytes, position: int, kind: int, depth: int) -> tuple[Any, int]:
    if kind in _FIXED:
        size = _FIXED[kind]
        if position + size > len(buffer):
            raise ThriftError("the struct ends early")
        raw = buffer[position : position + size]
        if kind == T_BOOL:
            return raw != b"\x00", position + size
        if kind in (T_I16, T_I32, T_I64, T_BYTE):
            return int.from_bytes(raw, "big", signed=True), position + size
        return struct.unpack(">d", raw)[0], position + size
    if kind == T_STRING:
        (size,) = struct.unpack_from(">i", buffer, position)
        start = position + 4
        if size < 0 or start + size > len(buffer):
            raise ThriftError("a string runs past the end")
        return buffer[start : start + size], start + size
    if kind == T_STRUCT:
        return read_struct(buffer, position, depth + 1)
    if kind in (T_LIST, T_SET):
        item_kind = buffer[position]
        (count,) = struct.unpack_from(">i", buffer, position + 1)
        position += 5
        if count < 0 or count > len(buffer):
            raise ThriftError("a list's size is impossible")
        items = []
        for _ in range(count):
            item, position = _value(buffer, position, item_kind, depth + 1)
            items.append(item)
        return items, position
    if kind == T_MAP:
        key_kind, value_kind = buffer[position], buffer[position + 1]
        (count,) = struct.unpack_from(">i", buffer, position + 2)
        position += 6
        if count < 0 or count > len(buffer):
            raise ThriftError("a map's size is impossible")
        mapping = {}
        for _ in range(count):
            key, position = _value(buffer, position, key_kind, depth + 1)
            value, position = _value(buffer, position, value_kind, depth + 1)
            mapping[key if not isinstance(key, (dict, list)) else repr(key)] = value
        return mapping, position
    raise ThriftError(f"unknown Thrift type {kind}")


def unbase64(text: Any) -> bytes:
    """Standard or URL-safe base64, padded or not; :class:`ThriftError` if it is not."""
    if not isinstance(text, str) or not text:
        raise ThriftError("not a base64 string")
    padded = text + "=" * (-len(text) % 4)
    try:
        if "-" in text or "_" in text:
            return base64.urlsafe_b64decode(padded)
        return base64.b64decode(padded, validate=True)
    except (binascii.Error, ValueError):
        raise ThriftError("not valid base64") from None


def decode(text: Any) -> tuple[dict[int, Any], bytes]:
    """A base64 struct, read whole: its fields and its raw bytes."""
    raw = unbase64(text)
    fields, end = read_struct(raw)
    if end != len(raw):
        raise ThriftError("bytes after the struct")
    return fields, raw


def text(value: Any) -> str:
    """A Thrift string field as text ("" if absent or not UTF-8)."""
    if isinstance(value, bytes):
        try:
            return value.decode()
        except UnicodeDecodeError:
            return ""
    return "" if value is None else str(value)
