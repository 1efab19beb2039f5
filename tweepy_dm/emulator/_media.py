"""Uploaded media over time: X's processing states, expiry, and the upload answers."""

from __future__ import annotations

from typing import Any, Optional

from tweepy_dm._facts import MEDIA_LIFETIME_SECONDS
from tweepy_dm.emulator._state import Media

#: Seconds a finalized video or GIF spends in each processing state.
PROCESSING_STEP = 1


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
        "expires_after_secs": max(int(media.created_at + MEDIA_LIFETIME_SECONDS - now), 0),
    }
    info = processing_info(media, now)
    if info is not None:
        data["processing_info"] = info
    return data


def expires_at(media: Media) -> int:
    """When the upload can no longer be attached, in epoch seconds."""
    return int(media.created_at + MEDIA_LIFETIME_SECONDS)


def is_ready(media: Media, now: float) -> bool:
    info = processing_info(media, now)
    return media.finalized_at is not None and (info is None or info["state"] == "succeeded")
