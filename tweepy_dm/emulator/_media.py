"""Media rules: categories, types, sizes and the processing timeline."""

from __future__ import annotations

from typing import Any, Optional

from tweepy_dm._media import detect_media_type
from tweepy_dm.emulator._errors import invalid_request
from tweepy_dm.emulator._state import Media

#: How long an upload can be attached, as X says in ``expires_after_secs``.
MEDIA_LIFETIME = 24 * 60 * 60
#: Seconds a finalized video or GIF spends in each processing state.
PROCESSING_STEP = 1

MB = 1024 * 1024
#: media_category -> the kind of media it takes (X's media ``type``).
CATEGORIES = {
    "dm_image": "photo",
    "dm_gif": "animated_gif",
    "dm_video": "video",
    "tweet_image": "photo",
    "tweet_gif": "animated_gif",
    "tweet_video": "video",
    "amplify_video": "video",
    "subtitles": "subtitles",
}
MAX_BYTES = {"photo": 5 * MB, "animated_gif": 15 * MB, "video": 512 * MB, "subtitles": MB}
MEDIA_TYPES = {
    "photo": {"image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp"},
    "animated_gif": {"image/gif"},
    "video": {"video/mp4", "video/quicktime"},
    "subtitles": {"text/srt", "application/x-subrip", "text/vtt"},
}


# The client's own detection from the first bytes: the same magic numbers X sniffs.
sniff = detect_media_type


def check_upload(category: Any, media_type: Any, total_bytes: Any) -> str:
    """Validate an upload's category, type and size; return its kind."""
    if category not in CATEGORIES:
        raise invalid_request(
            f"The `media_category` value [{category}] is not one of [{','.join(CATEGORIES)}]",
            {"media_category": [str(category)]},
        )
    kind = CATEGORIES[category]
    if media_type not in MEDIA_TYPES[kind]:
        raise invalid_request(
            f"The media type [{media_type}] cannot be uploaded as {category}",
            {"media_type": [str(media_type)]},
        )
    if not isinstance(total_bytes, int) or isinstance(total_bytes, bool) or total_bytes < 1:
        raise invalid_request(
            "The `total_bytes` value must be a positive integer",
            {"total_bytes": [str(total_bytes)]},
        )
    if total_bytes > MAX_BYTES[kind]:
        raise invalid_request(
            f"The media is {total_bytes} bytes; {category} takes at most {MAX_BYTES[kind]}",
            {"total_bytes": [str(total_bytes)]},
        )
    return kind


def processing_info(media: Media, now: float) -> Optional[dict[str, Any]]:
    """Where a finalized video or GIF is in X's processing: pending, in_progress, succeeded."""
    if media.finalized_at is None or media.kind not in ("video", "animated_gif"):
        return None
    elapsed = now - media.finalized_at
    if elapsed < PROCESSING_STEP:
        return {"state": "pending", "check_after_secs": PROCESSING_STEP, "progress_percent": 0}
    if elapsed < 2 * PROCESSING_STEP:
        return {"state": "in_progress", "check_after_secs": PROCESSING_STEP, "progress_percent": 50}
    return {"state": "succeeded", "progress_percent": 100}


def media_data(media: Media, now: float) -> dict[str, Any]:
    """The ``data`` of an upload endpoint's answer."""
    data: dict[str, Any] = {
        "id": str(media.id),
        "media_key": media.media_key,
        "size": media.total_bytes,
        "expires_after_secs": max(int(media.created_at + MEDIA_LIFETIME - now), 0),
    }
    info = processing_info(media, now)
    if info is not None:
        data["processing_info"] = info
    return data


def is_ready(media: Media, now: float) -> bool:
    info = processing_info(media, now)
    return media.finalized_at is not None and (info is None or info["state"] == "succeeded")
