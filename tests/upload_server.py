"""X's v2 media upload endpoints, as documented, on a loopback server for tests.

It records every request, reassembles appended segments, and can be told to
report processing ``pending`` → ``in_progress`` → ``succeeded`` (or
``failed``) and to answer a 5xx to given segments.
"""

from __future__ import annotations

import base64
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from tests.loopback import LoopbackServer, RecordedRequest, Reply, json_reply


def parse_multipart(content_type: str, body: bytes) -> dict[str, bytes]:
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    return {
        part.get_param("name", header="content-disposition"): part.get_payload(decode=True)
        for part in message.iter_parts()
    }


class UploadServer(LoopbackServer):
    def __init__(
        self,
        *,
        states: tuple[str, ...] = (),
        fail_segments: dict[int, int] | None = None,
        limit_segments: dict[int, int] | None = None,
        check_after_secs: int = 3,
    ) -> None:
        super().__init__(self._reply)
        self.states = list(states)  # processing states reported after FINALIZE, in order
        self.fail_segments = dict(fail_segments or {})  # segment index -> 5xx answers left
        self.limit_segments = dict(limit_segments or {})  # segment index -> 429 answers left
        self.check_after_secs = check_after_secs
        self.uploads: dict[str, dict[str, Any]] = {}
        self.appends: list[tuple[int, int]] = []  # (segment_index, size) as accepted
        self.one_shot: list[dict[str, bytes]] = []
        self._next_id = 1585823813618384897

    def _new_media(self, **info: Any) -> str:
        media_id = str(self._next_id)
        self._next_id += 1
        self.uploads[media_id] = {"segments": {}, **info}
        return media_id

    def _media_json(self, media_id: str, processing: dict | None = None) -> dict:
        data = {"id": media_id, "media_key": f"7_{media_id}", "expires_after_secs": 86400}
        if processing:
            data["processing_info"] = processing
        return {"data": data}

    def _processing(self) -> dict | None:
        if not self.states:
            return None
        state = self.states.pop(0)
        info: dict[str, Any] = {"state": state}
        if state in ("pending", "in_progress"):
            info["check_after_secs"] = self.check_after_secs
            info["progress_percent"] = 50
        if state == "failed":
            info["error"] = {"code": 1, "name": "InvalidMedia", "message": "Unsupported video"}
        return info

    def data(self, media_id: str) -> bytes:
        segments = self.uploads[media_id]["segments"]
        return b"".join(segments[index] for index in sorted(segments))

    def _reply(self, request: RecordedRequest) -> Reply:
        path = request.path
        if request.method == "POST" and path == "/2/media/upload":
            content_type = request.headers["Content-Type"]
            if content_type.startswith("application/json"):
                fields = {
                    k: v.encode() if isinstance(v, str) else v for k, v in request.json().items()
                }
                fields["media"] = base64.b64decode(fields["media"])
            else:
                fields = parse_multipart(content_type, request.body)
            self.one_shot.append(fields)
            media_id = self._new_media(category=fields["media_category"].decode())
            self.uploads[media_id]["segments"][0] = fields["media"]
            return json_reply(200, self._media_json(media_id))
        if request.method == "POST" and path == "/2/media/upload/initialize":
            body = request.json()
            media_id = self._new_media(**body)
            return json_reply(200, self._media_json(media_id))
        if request.method == "POST" and path.endswith("/append"):
            media_id = path.split("/")[-2]
            fields = parse_multipart(request.headers["Content-Type"], request.body)
            index = int(fields["segment_index"])
            if self.limit_segments.get(index):
                self.limit_segments[index] -= 1
                reset = {"x-rate-limit-remaining": "0", "x-rate-limit-reset": "1700000000"}
                return json_reply(429, {"title": "Too Many Requests"}, **reset)
            if self.fail_segments.get(index):
                self.fail_segments[index] -= 1
                return json_reply(503, {"title": "Service Unavailable", "detail": "try again"})
            self.uploads[media_id]["segments"][index] = fields["media"]
            self.appends.append((index, len(fields["media"])))
            return 200, {}, b""
        if request.method == "POST" and path.endswith("/finalize"):
            media_id = path.split("/")[-2]
            received = len(self.data(media_id))
            if received != self.uploads[media_id]["total_bytes"]:
                return json_reply(400, {"title": "Invalid Request", "detail": "size mismatch"})
            return json_reply(200, self._media_json(media_id, self._processing()))
        if request.method == "GET" and path == "/2/media/upload":
            query = dict(request.query)
            assert query["command"] == "STATUS"
            return json_reply(200, self._media_json(query["media_id"], self._processing()))
        if request.method == "POST" and path.startswith("/2/dm_conversations"):
            # Sending the uploaded media in a DM, for the upload-then-send tests.
            return json_reply(201, {"data": {"dm_conversation_id": "1-2", "dm_event_id": "3"}})
        return json_reply(404, {"title": "Not Found"})


def tiny_files() -> dict[str, bytes]:
    """Smallest byte strings each supported format is recognised by."""
    return {
        "image/jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20,
        "image/png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 20,
        "image/gif": b"GIF89a\x01\x00\x01\x00" + b"\x00" * 20,
        "image/webp": b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 20,
        "video/mp4": b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00" + b"\x00" * 20,
        "video/quicktime": b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00" + b"\x00" * 20,
    }
