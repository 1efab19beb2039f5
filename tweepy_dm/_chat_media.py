"""Uploading XChat media (already encrypted bytes) as a flow, without I/O.

XChat media is encrypted on the client with the conversation key (X only
stores ciphertext), then uploaded in segments: ``initialize`` (the
conversation and the size; X answers with the ``media_hash_key`` that
addresses the blob and an upload session), ``append`` each segment, and
``finalize``. :func:`chat_upload_flow` is that protocol as effects, driven by
the same two drivers as the DM media upload (:mod:`tweepy_dm._media`).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any, Callable, NamedTuple, Optional

from tweepy_dm import _chat_ids, _facts
from tweepy_dm._flow import Call, Flow
from tweepy_dm._media import MediaRequest
from tweepy_dm._policy import UPLOAD_RETRY, retrying

#: Bytes per ``append`` segment unless told otherwise.
DEFAULT_CHAT_CHUNK_SIZE = _facts.CHAT_MEDIA_SEGMENT_BYTES


class ChatMedia(NamedTuple):
    """An uploaded XChat media blob: put its ``media_hash_key`` in the message's attachment.

    .. versionadded:: 0.2
    """

    #: The blob's address, as in ``get_chat_media(conversation_id, media_hash_key)``.
    media_hash_key: str
    #: The conversation it belongs to, as X returned it.
    conversation_id: str
    #: X's upload session.
    session_id: str
    #: The bytes uploaded (ciphertext).
    size: int


class ChatUpload(NamedTuple):
    """A chat media upload as asked for: the file and the options of ``upload_chat_media``."""

    file: Any
    conversation_id: str
    chunk_size: int
    message_id: Optional[str]
    ttl_msec: Optional[int]
    progress: Optional[Callable[[int, int], Any]]
    user_auth: bool

    def flow(self, source: Any) -> Flow[ChatMedia]:
        """The upload of ``source`` (a :class:`tweepy_dm._files.Source`) as effects."""
        return chat_upload_flow(self, source)


def _data(response: Mapping[str, Any]) -> Mapping[str, Any]:
    return response.get("data") or {}


def chat_upload_flow(upload: ChatUpload, source: Any) -> Flow[ChatMedia]:
    """The whole chat media upload as effects; returns the :class:`ChatMedia`."""
    total = source.size
    if total <= 0:
        raise ValueError("the media file is empty: there is nothing to upload")
    segments = max(1, -(-total // upload.chunk_size))
    if segments > _facts.MAX_CHAT_SEGMENTS:
        raise ValueError(
            f"{total:,} bytes in segments of {upload.chunk_size:,} make {segments:,} segments; "
            f"X takes at most {_facts.MAX_CHAT_SEGMENTS:,}: pass a larger chunk_size"
        )
    user_auth = upload.user_auth
    initialized = yield from retrying(
        MediaRequest(
            "POST",
            "/2/chat/media/upload/initialize",
            json={"conversation_id": upload.conversation_id, "total_bytes": total},
            user_auth=user_auth,
        ),
        UPLOAD_RETRY,
    )
    data = _data(initialized)
    session_id, media_hash_key = str(data["session_id"]), str(data["media_hash_key"])
    conversation_id = str(data.get("conversation_id") or upload.conversation_id)
    sent = 0
    for segment_index in range(segments):
        chunk = yield Call(source.read, (min(upload.chunk_size, total - sent),))
        if not chunk:
            raise ValueError(
                f"the file ended after {sent:,} of the {total:,} bytes it had when the upload "
                "started"
            )
        yield from retrying(
            MediaRequest(
                "POST",
                f"/2/chat/media/upload/{session_id}/append",
                fields={
                    "conversation_id": conversation_id,
                    "media_hash_key": media_hash_key,
                    "segment_index": str(segment_index),
                },
                content=chunk,
                user_auth=user_auth,
            ),
            UPLOAD_RETRY,
        )
        sent += len(chunk)
        del chunk
        if upload.progress is not None:
            upload.progress(sent, total)
    body: dict[str, Any] = {
        "conversation_id": conversation_id,
        "media_hash_key": media_hash_key,
        "num_parts": str(segments),
    }
    if upload.message_id is not None:
        body["message_id"] = upload.message_id
    if upload.ttl_msec is not None:
        body["ttl_msec"] = str(upload.ttl_msec)
    yield from retrying(
        MediaRequest(
            "POST",
            f"/2/chat/media/upload/{session_id}/finalize",
            json=body,
            user_auth=user_auth,
        ),
        UPLOAD_RETRY,
    )
    return ChatMedia(media_hash_key, conversation_id, session_id, total)


def chat_upload(
    file: Any,
    conversation_id: Any,
    chunk_size: int,
    message_id: Optional[str],
    ttl_msec: Optional[int],
    progress: Optional[Callable[[int, int], Any]],
    user_auth: bool,
) -> ChatUpload:
    """Check the options of ``upload_chat_media`` and return the :class:`ChatUpload`."""
    colon_id = _chat_ids.event_id(conversation_id)
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int):
        raise TypeError(f"chunk_size must be an int, not {type(chunk_size).__name__}")
    if chunk_size <= 0:
        raise ValueError(f"chunk_size must be a positive number of bytes, got {chunk_size}")
    if message_id is not None and (not isinstance(message_id, str) or not message_id):
        raise TypeError(f"message_id must be a non-empty str or None, not {message_id!r}")
    if ttl_msec is not None and (
        isinstance(ttl_msec, bool) or not isinstance(ttl_msec, int) or ttl_msec <= 0
    ):
        raise ValueError(f"ttl_msec must be a positive int of milliseconds, got {ttl_msec!r}")
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be callable or None, not {type(progress).__name__}")
    if isinstance(file, (bytes, bytearray, memoryview)):
        file = io.BytesIO(bytes(file))
    return ChatUpload(file, colon_id, chunk_size, message_id, ttl_msec, progress, user_auth)
