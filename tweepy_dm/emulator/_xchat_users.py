"""The emulator's users with XChat keys: a test or the demo plays the human on the other side.

With X's SDK, chatxdk (the ``xchat`` extra, Python 3.10+), a user gets a key
blob; its public keys are registered with the emulator's XChat backend as
``POST /2/users/{id}/public_keys`` would, and :func:`send_as` encrypts and
signs a message as that user, setting up the conversation key on first
contact as a client does, then stores it through the backend like a posted
message (so ``chat.*`` events reach streams and webhooks).

chatxdk is driven here directly: the emulator imports nothing of tweepy-dm's
client side but ``_facts`` and ``_models``. A key blob is never logged, put in
an exception or shown by a repr.
"""

from __future__ import annotations

import base64
from typing import Any

from tweepy_dm import _facts
from tweepy_dm.emulator._chat import ChatBackend, ChatEvent

#: The DER header of a P-256 public key (SubjectPublicKeyInfo), before the raw point.
_P256_HEADER = bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d030107034200")
NO_CHATXDK = (
    "XChat keys in the emulator need X's chatxdk SDK (CPython 3.10+): "
    'pip install "tweepy-dm[xchat]"'
)


def _sdk() -> Any:
    try:
        import chat_xdk
    except ImportError:
        raise ImportError(NO_CHATXDK) from None
    return chat_xdk


def require_chatxdk() -> None:
    """Raise ImportError, saying what to install, if chatxdk cannot be imported."""
    _sdk()


class ChatIdentity:
    """One user's key blob and registered key version (the blob stays out of the repr)."""

    def __init__(self, user_id: int, blob: bytes, version: str) -> None:
        self.user_id = user_id
        self.blob = blob
        self.version = version

    def __repr__(self) -> str:
        return f"<ChatIdentity user_id={self.user_id} version={self.version}>"

    def session(self, chat: ChatBackend) -> Any:
        """A chatxdk session with these keys, knowing every registered signing key."""
        sdk = _sdk().Chat()
        sdk.import_keys(self.blob, version=self.version)
        sdk.set_identity(str(self.user_id), self.version)
        sdk.set_signing_keys(
            [
                {
                    "user_id": str(record.user_id),
                    "public_key_version": record.version,
                    "public_key": record.signing_public_key,
                    "identity_public_key": record.public_key,
                    "identity_public_key_signature": record.identity_public_key_signature,
                }
                for records in chat.all_public_keys().values()
                for record in records
            ]
        )
        return sdk


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def register(chat: ChatBackend, user_id: int, version: str) -> ChatIdentity:
    """New keys for ``user_id``, registered as version ``version``."""
    sdk = _sdk().Chat()
    sdk.generate_keypairs()
    exported = sdk.export_keys()
    blob = bytes(exported)
    exported[:] = b"\x00" * len(exported)
    keys = sdk.get_public_keys()
    identity = _P256_HEADER + base64.b64decode(keys.identity)
    signing = _P256_HEADER + base64.b64decode(keys.signing)
    registration = {
        "public_key": _b64(identity),
        "signing_public_key": _b64(signing),
        "identity_public_key_signature": _b64(bytes(sdk.sign(identity))),
        "public_key_fingerprint": sdk.get_public_key_fingerprint(),
    }
    sdk.lock()
    chat.add_public_key(user_id, user_id, registration, version)
    return ChatIdentity(user_id, blob, version)


def _conversation_key(sdk: Any, chat: ChatBackend, sender: int, conversation: str) -> tuple:
    """(key, version) of the conversation: the latest, or a new one posted as a client would."""
    found = chat.find(conversation)
    key_events = [event.encoded for event in found.key_events()] if found is not None else []
    if key_events:
        keys = (sdk.decrypt_events(key_events).get("conversation_keys") or {}).get("keys") or {}
        if keys:
            version = max(keys, key=int)
            return bytes(keys[version]), str(version)
    if conversation.startswith("g"):
        raise ValueError(f"group {conversation} has no conversation key yet")
    roster = []
    for member in (int(part) for part in conversation.split(":")):
        records = chat.public_keys(member)
        if not records:
            raise ValueError(f"user {member} has registered no XChat keys")
        latest = records[-1]
        roster.append(
            {"user_id": str(member), "public_key": latest.public_key, "key_version": latest.version}
        )
    prepared = sdk.prepare_conversation_key_change(roster)
    chat.add_keys(sender, conversation, _facts.chat_key_change_body(prepared))
    return bytes(prepared["conversation_key"]), str(prepared["conversation_key_version"])


def send_as(chat: ChatBackend, identity: ChatIdentity, conversation: str, text: str) -> ChatEvent:
    """Encrypt, sign and store ``text`` from ``identity``'s user into ``conversation``
    (``LOW:HIGH`` or ``g…``), starting a 1:1's key if it has none."""
    sdk = identity.session(chat)
    try:
        key, version = _conversation_key(sdk, chat, identity.user_id, conversation)
        payload = sdk.encrypt_message(
            conversation, text, conversation_key=key, conversation_key_version=version
        )
    finally:
        sdk.lock()
    body = {
        "message_id": payload.message_id,
        "encoded_message_create_event": payload.encrypted_content,
        "encoded_message_event_signature": payload.encoded_event_signature,
    }
    return chat.send(identity.user_id, conversation, body)


__all__ = ["NO_CHATXDK", "ChatIdentity", "register", "require_chatxdk", "send_as"]
