"""Uploading DM media through X's v2 media endpoints, without I/O.

The whole upload, one-shot or chunked, retries and status polling included,
is :func:`upload_flow`: a flow (see :mod:`tweepy_dm._flow`) that yields what it
needs done (read a chunk, send a request, sleep) and is sent the results. The
sync and async clients each drive it with their own I/O, so the protocol is
written once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable, NamedTuple, Optional

from tweepy_dm._exceptions import MediaProcessingError, WrongTypeError
from tweepy_dm._facts import (
    DM_MEDIA_CATEGORIES,
    DM_MEDIA_SIZE_LIMITS,
    MAX_SEGMENTS,
    MB,
    MEDIA_CATEGORY_KINDS,
    MEDIA_KIND_TYPES,
    detect_media_type,
)
from tweepy_dm._flow import Call, Flow, Sleep
from tweepy_dm._policy import UPLOAD_RETRY, retrying

DEFAULT_CHUNK_SIZE = 4 * MB

SIZE_LIMITS = DM_MEDIA_SIZE_LIMITS
CATEGORIES = DM_MEDIA_CATEGORIES
_PENDING_STATES = ("pending", "in_progress")


class UploadPlan(NamedTuple):
    """What an upload will do, decided before the first request."""

    media_type: str
    media_category: str
    total_bytes: int
    chunk_size: int

    @property
    def chunked(self) -> bool:
        # GIFs and videos always go through INIT/APPEND/FINALIZE, as X asks.
        return self.media_category != "dm_image" or self.total_bytes > self.chunk_size

    @property
    def segments(self) -> int:
        return max(1, -(-self.total_bytes // self.chunk_size))


def _check_name(name: str, value: Any) -> None:
    if value is not None and not isinstance(value, str):
        raise WrongTypeError(f"{name} must be a str or None, not {type(value).__name__}: {value!r}")


def check_options(
    media_type: Optional[str], media_category: Optional[str], chunk_size: int
) -> None:
    """Reject options X would refuse, whatever the file."""
    _check_name("media_type", media_type)
    _check_name("media_category", media_category)
    if media_type is not None and media_type not in CATEGORIES:
        raise ValueError(
            f"media_type {media_type!r} is not supported for DMs; use one of "
            f"{', '.join(sorted(CATEGORIES))}"
        )
    if media_category is not None and media_category not in SIZE_LIMITS:
        raise ValueError(
            f"media_category {media_category!r} is not a DM category; use one of "
            f"{', '.join(SIZE_LIMITS)}"
        )
    if media_type is not None and media_category is not None:
        _check_fits(
            "media_type is", media_type, media_category, "leave media_category out to have it "
            f"follow the media type ({CATEGORIES[media_type]} for {media_type})",
        )  # fmt: skip
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int):
        raise WrongTypeError(
            f"chunk_size must be an int (a number of bytes), not {type(chunk_size).__name__}: "
            f"{chunk_size!r}"
        )
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive number of bytes, got {chunk_size!r}")


def _check_fits(what: str, media_type: str, media_category: str, fix: str) -> None:
    """``media_type`` (what the caller said, or what the file is) must suit the category."""
    accepted = MEDIA_KIND_TYPES[MEDIA_CATEGORY_KINDS[media_category]]
    if media_type not in accepted:
        raise ValueError(
            f"{what} {media_type}, which media_category {media_category!r} does not take "
            f"(it takes {', '.join(sorted(accepted & set(CATEGORIES)))}); {fix}"
        )


def plan_upload(
    head: bytes,
    total_bytes: int,
    *,
    media_type: Optional[str] = None,
    media_category: Optional[str] = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> UploadPlan:
    """Check an upload against X's rules and decide how to send it.

    Raises ``ValueError`` (before anything is sent) for an unsupported type,
    a type (declared, or the file's own) that ``media_category`` does not
    take, a file over X's size limit, an empty file, or a chunk size that
    would need more than 1,000 segments.
    """
    check_options(media_type, media_category, chunk_size)
    if media_type is None:
        media_type = detect_media_type(head)
        if media_type is None:
            raise ValueError(
                "could not tell the media type from the file's first bytes; DMs accept "
                f"{', '.join(sorted(CATEGORIES))} (pass media_type= if the file is one of these)"
            )
    declared = media_type if media_category is None else None
    if media_category is None:
        media_category = CATEGORIES[media_type]
    detected = detect_media_type(head)
    if detected is not None:
        # The file's own bytes must suit the category too, whatever was
        # declared, so that it is held to the size limit of what it is.
        fix = (
            f"media_type {declared!r} does not describe this file: leave it out to have the "
            "type detected"
            if declared is not None
            else f"leave media_category out to have it follow the file ({CATEGORIES[detected]})"
        )
        _check_fits("the file is", detected, media_category, fix)
    if total_bytes <= 0:
        raise ValueError("the file is empty: there is nothing to upload")
    limit = SIZE_LIMITS[media_category]
    if total_bytes > limit:
        raise ValueError(
            f"the file is {total_bytes:,} bytes; X accepts at most {limit:,} bytes "
            f"({limit // MB} MB) for {media_category}"
        )
    plan = UploadPlan(media_type, media_category, total_bytes, chunk_size)
    if plan.chunked and plan.segments > MAX_SEGMENTS:
        raise ValueError(
            f"chunk_size {chunk_size:,} would split {total_bytes:,} bytes into "
            f"{plan.segments:,} segments; X allows {MAX_SEGMENTS:,}: use a chunk_size of at "
            f"least {-(-total_bytes // MAX_SEGMENTS):,}"
        )
    return plan


class MediaRequest(NamedTuple):
    """One request of an upload: JSON, a query, or a multipart body with one file part."""

    method: str
    route: str
    params: Optional[Mapping[str, str]] = None
    json: Optional[dict[str, Any]] = None
    fields: Optional[Mapping[str, str]] = None
    content: Optional[Any] = None  # bytes of the ``media`` part, when multipart
    user_auth: bool = True


Progress = Optional[Callable[[int, int], Any]]


class DMMedia:
    """Media uploaded for a Direct Message, ready to attach.

    Pass :attr:`id` as ``media_id`` to :meth:`~tweepy_dm.Client.create_direct_message`
    or :meth:`~tweepy_dm.Client.create_direct_message_conversation`, within
    :attr:`expires_after_secs` and as the user who uploaded it.

    .. versionadded:: 0.1

    Attributes
    ----------
    id : str
        The media id to pass as ``media_id``.
    media_key : str | None
        The media key, as in ``attachments.media_keys`` of DM events.
    expires_after_secs : int | None
        How long X keeps the upload available for attaching.
    processing_info : dict | None
        X's last processing report (``state``, ``progress_percent`` ...), for
        GIFs and videos.
    data : dict
        The JSON data X returned for the media.
    """

    __slots__ = ("data", "expires_after_secs", "id", "media_key", "processing_info")

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = dict(data)
        self.id = str(data.get("id") or data.get("media_id_string") or data["media_id"])
        self.media_key = data.get("media_key")
        self.expires_after_secs = data.get("expires_after_secs")
        self.processing_info = data.get("processing_info")

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DMMedia):
            return self.id == other.id
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.id)

    def __repr__(self) -> str:
        state = (self.processing_info or {}).get("state")
        return f"<DMMedia id={self.id} media_key={self.media_key}" + (
            f" state={state}>" if state else ">"
        )


def _sent(request: MediaRequest) -> Flow[Any]:
    # Every request of an upload is retried on 5xx and connection errors.
    return retrying(request, UPLOAD_RETRY)


def _data(response: Mapping[str, Any]) -> Mapping[str, Any]:
    return response.get("data") or {}


def upload_flow(upload: Upload, source: Any) -> Flow[DMMedia]:
    """The whole upload of ``source`` as effects; returns the :class:`DMMedia`.

    ``source`` is a :class:`tweepy_dm._files.Source` the transport opened: its
    ``head`` and ``size`` are known, and reading it is an effect.
    """
    plan = plan_upload(
        source.head,
        source.size,
        media_type=upload.media_type,
        media_category=upload.media_category,
        chunk_size=upload.chunk_size,
    )
    wait, progress, user_auth = upload.wait, upload.progress, upload.user_auth
    if not plan.chunked:
        content = yield Call(source.read, (plan.total_bytes,))
        response = yield from _sent(
            MediaRequest(
                "POST",
                "/2/media/upload",
                fields={"media_category": plan.media_category, "media_type": plan.media_type},
                content=content,
                user_auth=user_auth,
            )
        )
        if progress is not None:
            progress(plan.total_bytes, plan.total_bytes)
        return DMMedia(_data(response))

    initialized = yield from _sent(
        MediaRequest(
            "POST",
            "/2/media/upload/initialize",
            json={
                "media_type": plan.media_type,
                "total_bytes": plan.total_bytes,
                "media_category": plan.media_category,
            },
            user_auth=user_auth,
        )
    )
    media_id = DMMedia(_data(initialized)).id
    sent = 0
    for segment_index in range(plan.segments):
        chunk = yield Call(source.read, (min(plan.chunk_size, plan.total_bytes - sent),))
        if not chunk:
            raise ValueError(
                f"the file ended after {sent:,} of the {plan.total_bytes:,} bytes it had when "
                "the upload started"
            )
        yield from _sent(
            MediaRequest(
                "POST",
                f"/2/media/upload/{media_id}/append",
                fields={"segment_index": str(segment_index)},
                content=chunk,
                user_auth=user_auth,
            )
        )
        sent += len(chunk)
        del chunk  # let the segment go before reading the next one
        if progress is not None:
            progress(sent, plan.total_bytes)

    finalized = yield from _sent(
        MediaRequest("POST", f"/2/media/upload/{media_id}/finalize", user_auth=user_auth)
    )
    media = DMMedia({**_data(finalized), "id": media_id})
    while wait and media.processing_info:
        state = media.processing_info.get("state")
        if state == "failed":
            error = media.processing_info.get("error") or {}
            raise MediaProcessingError(media_id, error.get("name"), error.get("message"))
        if state not in _PENDING_STATES:
            break
        yield Sleep(float(media.processing_info.get("check_after_secs") or 1))
        status = yield from _sent(
            MediaRequest(
                "GET",
                "/2/media/upload",
                params={"command": "STATUS", "media_id": media_id},
                user_auth=user_auth,
            )
        )
        media = DMMedia({**_data(status), "id": media_id})
    return media


class Upload(NamedTuple):
    """An upload as asked for: the file and the options of ``upload_dm_media``."""

    file: Any
    media_category: Optional[str]
    media_type: Optional[str]
    chunk_size: int
    wait: bool
    progress: Progress
    user_auth: bool

    def flow(self, source: Any) -> Flow[DMMedia]:
        """The upload of ``source`` as effects (each upload kind brings its own flow)."""
        return upload_flow(self, source)


def upload_dm_media(
    file: Any,
    *,
    media_category: Optional[str] = None,
    media_type: Optional[str] = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    wait: bool = True,
    progress: Progress = None,
    user_auth: bool = True,
) -> Upload:
    """Upload an image, GIF or video for a Direct Message.

    X only lets a DM carry media uploaded by the same user with a ``dm_*``
    category through the v2 media endpoints (tweepy's ``media_upload`` uses the
    retired v1.1 endpoint). Images that fit in one chunk go in one request; GIFs,
    videos and larger files go in chunks through ``initialize``, ``append`` and
    ``finalize``, and the call then waits, if ``wait`` is true, until X has
    processed them. A segment that fails with a 5xx or a connection error is
    retried a few times, with backoff.

    Pass the returned media's ``id`` as ``media_id``::

        media = client.upload_dm_media("cat.jpg")
        client.create_dm(participant_id=user_id, text="Look", media_id=media.id)

    .. versionadded:: 0.1

    Parameters
    ----------
    file : str | os.PathLike | binary file object
        The file to upload, read chunk by chunk (never whole into memory for a
        chunked upload). A file object must be seekable; it is read from its
        current position and left open.
    media_category : str | None
        ``dm_image``, ``dm_gif`` or ``dm_video``; by default it follows from the
        media type.
    media_type : str | None
        ``image/jpeg``, ``image/png``, ``image/webp``, ``image/gif``,
        ``video/mp4`` or ``video/quicktime``; by default it is detected from the
        file's first bytes.
    chunk_size : int
        Bytes per ``append`` segment (4 MiB by default; at most 1,000 segments).
    wait : bool
        Whether to wait until X has processed a GIF or video.
    progress : Callable[[int, int], Any] | None
        Called with ``(bytes_sent, total_bytes)`` after each segment.
    user_auth : bool
        Whether to authenticate with OAuth 1.0a User Context. Pass ``False`` to
        use an OAuth 2.0 user access token (scope ``media.write``).

    Raises
    ------
    TypeError
        Before any request, if an argument has the wrong type.
    ValueError
        Before any request, if the type is not supported or does not match
        ``media_category`` (a PNG as ``dm_video``), or the file is larger than
        X allows for it (images 5 MB, GIFs 15 MB, videos 512 MB) or empty.
    tweepy_dm.MediaProcessingError
        If X reports that processing failed.
    tweepy.TwitterServerError
        If a request still fails with a 5xx after the retries.

    Returns
    -------
    DMMedia
        The uploaded media; its ``id`` is the ``media_id`` to attach.

    References
    ----------
    https://docs.x.com/x-api/media/media-upload
    https://docs.x.com/x-api/media/quickstart/media-upload-chunked
    """
    check_options(media_type, media_category, chunk_size)
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be callable or None, not {type(progress).__name__}")
    if not isinstance(wait, bool):
        raise TypeError(f"wait must be True or False, not {type(wait).__name__}: {wait!r}")
    return Upload(file, media_category, media_type, chunk_size, wait, progress, user_auth)
