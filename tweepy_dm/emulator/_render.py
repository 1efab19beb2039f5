"""DM events, users, media and tweets as X puts them on the wire."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence
from typing import Any, Callable, Optional

from tweepy_dm.emulator._errors import not_found_item
from tweepy_dm.emulator._ids import MAX_STORED_ID
from tweepy_dm.emulator._state import EmulatorDB, Event, Media, User

#: The default profile image X shows for a user who has not set one.
DEFAULT_PROFILE_IMAGE = (
    "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"
)
#: The expansions that include the Tweets a message links to (2.167 renamed the first).
TWEET_EXPANSIONS = ("referenced_tweets.id", "referenced_posts.id", "referenced_posts")

#: How many rendered events :class:`Renderer` keeps (a few MB of text).
RENDERED_EVENTS = 50_000

_URL = re.compile(r"https?://[^\s]+")
_TWEET_URL = re.compile(
    r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/\w+/status(?:es)?/(\d{1,19})"
)
_HASHTAG = re.compile(r"(?<![\w&])#(\w*[^\W\d]\w*)")
_CASHTAG = re.compile(r"(?<![\w$])\$([A-Za-z]{1,6}(?:[._][A-Za-z]{1,2})?)(?!\w)")
_MENTION = re.compile(r"(?<![\w@])@(\w{1,15})(?!\w)")


def timestamp(epoch_seconds: float) -> str:
    """ISO 8601 with milliseconds, as X writes ``created_at``."""
    milliseconds = round(epoch_seconds * 1000)
    seconds, millis = divmod(milliseconds, 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{millis:03d}Z"


def download_url(base_url: str, event_id: int, media: Media) -> str:
    return f"{base_url}/2/dm_conversations/media/{event_id}/{media.id}/{media.resource_id}"


def entities(text: str, store: EmulatorDB) -> dict[str, list[dict[str, Any]]]:
    """X's entities of a message text; offsets count code points."""
    found: dict[str, list[dict[str, Any]]] = {}
    for match in _URL.finditer(text):
        url = match.group().rstrip(".,;:!?)")
        found.setdefault("urls", []).append(
            {
                "start": match.start(),
                "end": match.start() + len(url),
                "url": url,
                "expanded_url": url,
                "display_url": re.sub(r"^https?://(www\.)?", "", url)[:26],
            }
        )
    for match in _HASHTAG.finditer(text):
        found.setdefault("hashtags", []).append(
            {"start": match.start(), "end": match.end(), "tag": match.group(1)}
        )
    for match in _CASHTAG.finditer(text):
        found.setdefault("cashtags", []).append(
            {"start": match.start(), "end": match.end(), "tag": match.group(1)}
        )
    for match in _MENTION.finditer(text):
        mention: dict[str, Any] = {
            "start": match.start(),
            "end": match.end(),
            "username": match.group(1),
        }
        user = store.user_by_username(match.group(1))
        if user is not None:
            mention["id"] = str(user.id)
        found.setdefault("mentions", []).append(mention)
    return found


def referenced_tweet_ids(text: Optional[str]) -> list[str]:
    """Tweets a message links to, which X lists in ``referenced_tweets``."""
    ids: list[str] = []
    for match in _URL.finditer(text or ""):
        tweet = _TWEET_URL.match(match.group())
        if tweet and tweet.group(1) not in ids:
            ids.append(tweet.group(1))
    return ids


class TextCache:
    """The compact JSON text of items that never change, per set of fields, bounded.

    For the ``/2/chat`` pages, whose events (encrypted, signed) are stored once
    and only hidden or expired later, which a page filters before rendering.
    """

    def __init__(self, limit: int = RENDERED_EVENTS) -> None:
        self.limit = limit
        self._texts: dict[tuple[str, ...], dict[Any, str]] = {}
        self._count = 0

    def texts(
        self,
        items: Sequence[Any],
        fields: tuple[str, ...],
        key: Callable[[Any], Any],
        render: Callable[[Any, tuple[str, ...]], dict[str, Any]],
    ) -> list[str]:
        """Each item's JSON text: ``render(item, fields)``, rendered once and kept."""
        kept = self._texts.setdefault(fields, {})
        texts = []
        for item in items:
            name = key(item)
            text = kept.get(name)
            if text is None:
                if self._count >= self.limit:  # rare: a simple bound on memory
                    self._texts.clear()
                    self._count = 0
                    kept = self._texts.setdefault(fields, {})
                text = json.dumps(render(item, fields), separators=(",", ":"), ensure_ascii=False)
                kept[name] = text
                self._count += 1
            texts.append(text)
        return texts


class Renderer:
    """Turns events into a response body for the requested fields and expansions."""

    def __init__(
        self,
        store: EmulatorDB,
        base_url: str,
        may_message: Callable[[int, int], bool],
        label: Callable[[int], Optional[str]] = lambda user_id: None,
    ) -> None:
        self.store = store
        self.base_url = base_url
        self.may_message = may_message
        #: A user's profile label (a bot's "Automated by @owner"), None for a person.
        self.label = label
        # Each event's JSON for a set of fields. An event never changes once
        # stored (a deletion hides it from later pages); only its mentions'
        # user ids could, so events rendered with entities are not kept.
        # Kept per set of fields, then by event id: a page looks each event up
        # in one dict, without building a key per event.
        self._rendered: dict[tuple[str, ...], dict[int, str]] = {}
        self._rendered_count = 0

    def events_json(self, events: Sequence[Event], fields: tuple[str, ...]) -> list[str]:
        """:meth:`event_json` of each event."""
        kept = self._rendered.get(fields)
        if kept is None:
            return [self.event_json(event, fields) for event in events]
        event_json = self.event_json
        return [kept.get(event.id) or event_json(event, fields) for event in events]

    def event_json(self, event: Event, fields: tuple[str, ...]) -> str:
        """:meth:`event` as compact JSON text, as :func:`json_response` writes it."""
        kept = self._rendered.get(fields)
        text = kept.get(event.id) if kept is not None else None
        if text is None:
            data = self.event(event, fields)
            text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
            if "entities" not in fields:
                if self._rendered_count >= RENDERED_EVENTS:
                    self._rendered.clear()  # rare: a simple bound on memory
                    self._rendered_count = 0
                    kept = None
                if kept is None:
                    kept = self._rendered.setdefault(fields, {})
                kept[event.id] = text
                self._rendered_count += 1
        return text

    def event(self, event: Event, fields: Sequence[str]) -> dict[str, Any]:
        data: dict[str, Any] = {"id": str(event.id), "event_type": event.event_type}
        if event.event_type == "MessageCreate":
            data["text"] = event.text or ""
        else:
            data["participant_ids"] = [str(user_id) for user_id in event.participant_ids or ()]
        if "created_at" in fields:
            data["created_at"] = timestamp(event.created_at)
        if "sender_id" in fields:
            data["sender_id"] = str(event.sender_id)
        if "dm_conversation_id" in fields:
            data["dm_conversation_id"] = event.conversation_id
        media = self.store.media(event.media_id) if event.media_id is not None else None
        if "attachments" in fields and media is not None:
            data["attachments"] = {"media_keys": [media.media_key]}
        if event.event_type == "MessageCreate" and event.text:
            if "entities" in fields:
                found = entities(event.text, self.store)
                if found:
                    data["entities"] = found
            # Scanning the text for Tweet links costs; do it only when asked.
            wanted = [name for name in ("referenced_tweets", "referenced_posts") if name in fields]
            references = referenced_tweet_ids(event.text) if wanted else []
            for name in wanted:
                if references:
                    data[name] = [{"id": tweet_id} for tweet_id in references]
        return data

    def body(
        self,
        events: Sequence[Event],
        fields: Sequence[str],
        expansions: Sequence[str],
        item_fields: dict[str, Sequence[str]],
        viewer: int,
    ) -> dict[str, Any]:
        """``data``, ``includes`` and ``errors`` (no ``meta``) of a lookup."""
        data = [self.event(event, fields) for event in events]
        return {"data": data, **self.expanded(events, expansions, item_fields, viewer)}

    def expanded(
        self,
        events: Sequence[Event],
        expansions: Sequence[str],
        item_fields: dict[str, Sequence[str]],
        viewer: int,
    ) -> dict[str, Any]:
        """``includes`` and ``errors`` of a lookup, when there are any."""
        body: dict[str, Any] = {}
        includes: dict[str, list[dict[str, Any]]] = {}
        errors: list[dict[str, Any]] = []
        user_ids: list[int] = []
        for event in events:
            if "sender_id" in expansions:
                user_ids.append(event.sender_id)
            if "participant_ids" in expansions and event.participant_ids:
                user_ids.extend(event.participant_ids)
        users = [
            self.user(user, item_fields["user"], viewer)
            for user in self.store.users(dict.fromkeys(user_ids))
        ]
        if users:
            includes["users"] = users
        if "attachments.media_keys" in expansions:
            media = {}
            for event in events:
                item = self.store.media(event.media_id) if event.media_id is not None else None
                if item is not None and item.media_key not in media:
                    media[item.media_key] = self.media(item, event.id, item_fields["media"])
            if media:
                includes["media"] = list(media.values())
        expansion = next((name for name in TWEET_EXPANSIONS if name in expansions), None)
        if expansion is not None:
            tweets = []
            for tweet_id in dict.fromkeys(
                tweet_id for event in events for tweet_id in referenced_tweet_ids(event.text)
            ):
                tweet = self.store.tweet(int(tweet_id)) if int(tweet_id) <= MAX_STORED_ID else None
                if tweet is None:
                    errors.append(not_found_item("tweet", expansion, tweet_id))
                else:
                    tweets.append(self.tweet(tweet, item_fields["tweet"]))
            if tweets:
                includes["tweets"] = tweets
        if includes:
            body["includes"] = includes
        if errors:
            body["errors"] = errors
        return body

    def user(self, user: User, fields: Sequence[str], viewer: Optional[int]) -> dict[str, Any]:
        """A user object; ``viewer`` is the caller (None for the app) for ``receives_your_dm``."""
        data: dict[str, Any] = {"id": str(user.id), "name": user.name, "username": user.username}
        if not fields:
            return data
        extra = {
            "created_at": timestamp(user.created_at),
            "description": self.label(user.id) or "",
            "protected": False,
            "verified": False,
            "profile_image_url": DEFAULT_PROFILE_IMAGE,
        }
        data.update((name, value) for name, value in extra.items() if name in fields)
        if "receives_your_dm" in fields and viewer is not None:
            data["receives_your_dm"] = self.may_message(viewer, user.id)
        return data

    def media(self, media: Media, event_id: int, fields: Sequence[str]) -> dict[str, Any]:
        data: dict[str, Any] = {"media_key": media.media_key, "type": media.kind}
        url = download_url(self.base_url, event_id, media)
        if "url" in fields:
            data["url"] = url
        if "variants" in fields and media.kind != "photo":
            data["variants"] = [{"content_type": media.media_type, "url": url}]
        return data

    def tweet(
        self, tweet: tuple[int, str, Optional[int], float], fields: Sequence[str]
    ) -> dict[str, Any]:
        tweet_id, text, author_id, created_at = tweet
        data: dict[str, Any] = {
            "id": str(tweet_id),
            "text": text,
            "edit_history_tweet_ids": [str(tweet_id)],
        }
        if "author_id" in fields and author_id is not None:
            data["author_id"] = str(author_id)
        if "created_at" in fields:
            data["created_at"] = timestamp(created_at)
        return data
