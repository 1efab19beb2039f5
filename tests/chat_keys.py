"""XChat keys and signed bodies made with ``cryptography`` alone, for Layer-1 tests.

What chatxdk does for real users, reduced to what the emulator checks: an
identity and a signing key pair (P-256), the signature binding them, signed
conversation-key changes and messages in X's Thrift shapes. The ciphertext
here is random bytes: a server never decrypts.
"""

from __future__ import annotations

import base64
import os
import uuid
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from tweepy_dm.emulator import _thrift


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _spki(key: Any) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


class ChatKeys:
    """One user's keys, version ``version``."""

    def __init__(self, user_id: Any, version: str = "1700000000000") -> None:
        self.user_id = str(user_id)
        self.version = version
        self.identity = ec.generate_private_key(ec.SECP256R1())
        self.signing = ec.generate_private_key(ec.SECP256R1())
        identity, signing = _spki(self.identity), _spki(self.signing)
        # ECDSA signatures are randomised: made once, so every read compares equal.
        self._registration = {
            "public_key": _b64(identity),
            "signing_public_key": _b64(signing),
            "identity_public_key_signature": _b64(self.sign(identity)),
            "signing_public_key_signature": _b64(self.sign(signing, self.identity)),
        }

    def sign(self, data: bytes, key: Any = None) -> bytes:
        der = (key or self.signing).sign(data, ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")

    def registration(self) -> dict[str, str]:
        """The ``public_key`` of ``add_user_public_key``."""
        return dict(self._registration)

    def signature(self, data: bytes) -> dict[str, str]:
        return {
            "signature": _b64(self.sign(data)),
            "public_key_version": self.version,
            "signature_version": "7",
        }

    def key_change(self, key_version: str, *members: ChatKeys) -> dict[str, Any]:
        """The body of ``add_chat_conversation_keys`` for ``members`` (self included)."""
        detail = _thrift.nested(3, _thrift.string(1, key_version) + _thrift.STOP) + _thrift.STOP
        return {
            "conversation_key_version": key_version,
            "conversation_participant_keys": [
                {
                    "user_id": member.user_id,
                    "encrypted_conversation_key": _b64(os.urandom(48)),
                    "public_key_version": member.version,
                }
                for member in members
            ],
            "action_signatures": [self.action(detail)],
        }

    def action(self, detail: bytes) -> dict[str, Any]:
        return {
            "message_id": str(uuid.uuid4()),
            "encoded_message_event_detail": _b64(detail),
            "message_event_signature": self.signature(detail),
        }

    def message(
        self, conversation_id: str, key_version: str, *, message_id: str = ""
    ) -> dict[str, str]:
        """The body of ``send_chat_message``, signed as chatxdk signs (CRYPTO.md section 7)."""
        message_id = message_id or str(uuid.uuid4())
        ciphertext = os.urandom(40)
        create = _thrift.string(100, ciphertext) + _thrift.string(101, key_version) + _thrift.STOP
        payload = ",".join(
            (
                "MessageCreateEvent",
                message_id,
                self.user_id,
                conversation_id,
                key_version,
                _b64(ciphertext).rstrip("="),
            )
        )
        signature = self.signature(payload.encode())
        encoded_signature = (
            _thrift.string(1, signature["signature"].rstrip("="))
            + _thrift.string(2, self.version)
            + _thrift.string(3, "7")
            + _thrift.STOP
        )
        return {
            "message_id": message_id,
            "encoded_message_create_event": _b64(create),
            "encoded_message_event_signature": _b64(encoded_signature),
        }
