"""The client methods of the endpoint table, as type checkers see them."""

# Generated from tweepy_dm._endpoints.ENDPOINTS by scripts/generate_signatures.py:
# do not edit. The client mixins inherit these signatures under TYPE_CHECKING.
from collections.abc import Iterable
from typing import Any, Generic, Optional, TypeVar

from tweepy_dm._endpoints import ID, Fields, When
from tweepy_dm._media import Progress

R = TypeVar("R")

class DirectMessagesMethods(Generic[R]):
    """The endpoint table's methods; ``R`` is what a call returns (a coroutine when async)."""

    def get_direct_message_events(
        self,
        *,
        dm_conversation_id: str | None = ...,
        participant_id: ID | None = ...,
        dm_event_fields: Fields | None = ...,
        event_types: Fields | None = ...,
        expansions: Fields | None = ...,
        max_results: int | None = ...,
        media_fields: Fields | None = ...,
        pagination_token: str | None = ...,
        tweet_fields: Fields | None = ...,
        user_fields: Fields | None = ...,
        post_fields: Fields | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    get_dm_events = get_direct_message_events
    def get_direct_message_event(
        self,
        event_id: ID,
        *,
        dm_event_fields: Fields | None = ...,
        expansions: Fields | None = ...,
        media_fields: Fields | None = ...,
        tweet_fields: Fields | None = ...,
        user_fields: Fields | None = ...,
        post_fields: Fields | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    get_dm_event = get_direct_message_event
    def create_direct_message(
        self,
        *,
        dm_conversation_id: str | None = ...,
        participant_id: ID | None = ...,
        media_id: ID | None = ...,
        text: str | None = ...,
        file: Any = ...,
        user_auth: bool = ...,
    ) -> R: ...
    create_dm = create_direct_message
    def create_direct_message_conversation(
        self,
        *,
        media_id: ID | None = ...,
        text: str | None = ...,
        participant_ids: Iterable[ID],
        file: Any = ...,
        user_auth: bool = ...,
    ) -> R: ...
    create_dm_conversation = create_direct_message_conversation
    def delete_direct_message_event(
        self,
        event_id: ID,
        *,
        user_auth: bool = ...,
    ) -> R: ...
    delete_dm_event = delete_direct_message_event
    def block_direct_messages(
        self,
        user_id: ID,
        *,
        user_auth: bool = ...,
    ) -> R: ...
    block_dms = block_direct_messages
    def unblock_direct_messages(
        self,
        user_id: ID,
        *,
        user_auth: bool = ...,
    ) -> R: ...
    unblock_dms = unblock_direct_messages
    def get_direct_message_media(
        self,
        dm_event_id: ID,
        media_id: ID,
        resource_id: str,
        *,
        file: Any = ...,
        user_auth: bool = ...,
    ) -> R: ...
    get_dm_media = get_direct_message_media
    def upload_dm_media(
        self,
        file: Any,
        *,
        media_category: Optional[str] = ...,
        media_type: Optional[str] = ...,
        chunk_size: int = ...,
        wait: bool = ...,
        progress: Progress = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def create_activity_subscription(
        self,
        *,
        event_type: str,
        user_id: ID,
        direction: str | None = ...,
        tag: str | None = ...,
        webhook_id: ID | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def get_activity_subscriptions(
        self,
        *,
        max_results: int | None = ...,
        pagination_token: str | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def update_activity_subscription(
        self,
        subscription_id: ID,
        *,
        tag: str | None = ...,
        webhook_id: ID | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def delete_activity_subscription(
        self,
        subscription_id: ID,
        *,
        user_auth: bool = ...,
    ) -> R: ...
    def delete_activity_subscriptions(
        self,
        ids: Iterable[ID],
        *,
        user_auth: bool = ...,
    ) -> R: ...
    def create_webhook(
        self,
        url: str,
        *,
        user_auth: bool = ...,
    ) -> R: ...
    def get_webhooks(
        self,
        *,
        user_auth: bool = ...,
    ) -> R: ...
    def validate_webhook(
        self,
        webhook_id: ID,
        *,
        user_auth: bool = ...,
    ) -> R: ...
    def delete_webhook(
        self,
        webhook_id: ID,
        *,
        user_auth: bool = ...,
    ) -> R: ...
    def replay_webhook_events(
        self,
        webhook_id: ID,
        *,
        from_date: When,
        to_date: When,
        user_auth: bool = ...,
    ) -> R: ...
    def create_account_activity_subscription(
        self,
        webhook_id: ID,
        *,
        user_auth: bool = ...,
    ) -> R: ...
    def get_account_activity_subscription(
        self,
        webhook_id: ID,
        *,
        user_auth: bool = ...,
    ) -> R: ...
    def get_account_activity_subscriptions(
        self,
        webhook_id: ID,
        *,
        user_auth: bool = ...,
    ) -> R: ...
    def delete_account_activity_subscription(
        self,
        webhook_id: ID,
        user_id: ID,
        *,
        user_auth: bool = ...,
    ) -> R: ...
    def get_account_activity_subscription_count(
        self,
        *,
        user_auth: bool = ...,
    ) -> R: ...
    def get_chat_conversations(
        self,
        *,
        chat_conversation_fields: Fields | None = ...,
        expansions: Fields | None = ...,
        max_results: int | None = ...,
        pagination_token: str | None = ...,
        user_fields: Fields | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def get_chat_conversation(
        self,
        conversation_id: ID,
        *,
        chat_conversation_fields: Fields | None = ...,
        expansions: Fields | None = ...,
        user_fields: Fields | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def get_chat_conversation_events(
        self,
        conversation_id: ID,
        *,
        chat_message_event_fields: Fields | None = ...,
        max_results: int | None = ...,
        pagination_token: str | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def send_chat_message(
        self,
        conversation_id: ID,
        *,
        message_id: str,
        encoded_message_create_event: str,
        encoded_message_event_signature: str | None = ...,
        conversation_token: str | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def delete_chat_messages(
        self,
        conversation_id: ID,
        *,
        sequence_ids: Iterable[ID],
        action_signatures: list[dict[str, Any]],
        delete_message_action: str = ...,
        media_hash_keys: Iterable[str] | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def mark_chat_conversation_read(
        self,
        conversation_id: ID,
        *,
        seen_until_sequence_id: ID,
        user_auth: bool = ...,
    ) -> R: ...
    def send_chat_typing_indicator(
        self,
        conversation_id: ID,
        *,
        user_auth: bool = ...,
    ) -> R: ...
    def add_chat_conversation_keys(
        self,
        conversation_id: ID,
        *,
        conversation_key_version: ID,
        conversation_participant_keys: list[dict[str, Any]],
        action_signatures: list[dict[str, Any]] | None = ...,
        base64_encoded_key_rotation: str | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def initialize_chat_group(
        self,
        *,
        user_auth: bool = ...,
    ) -> R: ...
    def create_chat_group(
        self,
        *,
        conversation_id: str,
        conversation_key_version: ID,
        conversation_participant_keys: list[dict[str, Any]],
        group_members: Iterable[ID],
        action_signatures: list[dict[str, Any]] | None = ...,
        group_admins: Iterable[ID] | None = ...,
        group_name: str | None = ...,
        group_description: str | None = ...,
        group_avatar_url: str | None = ...,
        ttl_msec: int | None = ...,
        base64_encoded_key_rotation: str | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def add_chat_group_members(
        self,
        conversation_id: str,
        *,
        user_ids: Iterable[ID],
        conversation_key_version: ID | None = ...,
        conversation_participant_keys: list[dict[str, Any]] | None = ...,
        action_signatures: list[dict[str, Any]] | None = ...,
        encrypted_title: str | None = ...,
        encrypted_avatar_url: str | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def get_user_public_keys(
        self,
        user_id: ID,
        *,
        public_key_fields: Fields | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def get_users_public_keys(
        self,
        ids: Iterable[ID],
        *,
        public_key_fields: Fields | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def add_user_public_key(
        self,
        user_id: ID,
        *,
        public_key: dict[str, Any],
        version: ID,
        generate_version: bool | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def upload_chat_media(
        self,
        file: Any,
        *,
        conversation_id: ID,
        chunk_size: int = ...,
        message_id: str | None = ...,
        ttl_msec: int | None = ...,
        progress: Progress = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def get_chat_media(
        self,
        conversation_id: ID,
        media_hash_key: str,
        *,
        file: Any = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def get_chat_message_requests(
        self,
        *,
        inbox_type: str | None = ...,
        max_results: int | None = ...,
        pagination_token: str | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def get_chat_message_request(
        self,
        conversation_id: ID,
        *,
        user_auth: bool = ...,
    ) -> R: ...
    def accept_chat_message_request(
        self,
        conversation_id: ID,
        *,
        user_auth: bool = ...,
    ) -> R: ...
    def get_chat_settings(
        self,
        *,
        user_auth: bool = ...,
    ) -> R: ...
    def update_chat_settings(
        self,
        *,
        allow_dms_from: str | None = ...,
        always_allow_dms_from_subscribers: bool | None = ...,
        dm_receipt_settings: str | None = ...,
        dm_quality_filter: str | None = ...,
        av_settings: dict[str, Any] | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def delete_chat_conversation(
        self,
        conversation_id: ID,
        *,
        action_signatures: list[dict[str, Any]] | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def mute_chat_conversation(
        self,
        conversation_id: ID,
        *,
        action_signatures: list[dict[str, Any]] | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def unmute_chat_conversation(
        self,
        conversation_id: ID,
        *,
        action_signatures: list[dict[str, Any]] | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def update_chat_conversation_message_ttl(
        self,
        conversation_id: ID,
        *,
        message_ttl_ms: int | str,
        action_signatures: list[dict[str, Any]] | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def delete_chat_conversation_message_ttl(
        self,
        conversation_id: ID,
        *,
        action_signatures: list[dict[str, Any]] | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def remove_chat_group_members(
        self,
        conversation_id: ID,
        *,
        user_ids: list[int | str],
        action_signatures: list[dict[str, Any]] | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def add_chat_group_admins(
        self,
        conversation_id: ID,
        *,
        user_ids: list[int | str],
        action_signatures: list[dict[str, Any]] | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def remove_chat_group_admins(
        self,
        conversation_id: ID,
        *,
        user_ids: list[int | str],
        action_signatures: list[dict[str, Any]] | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def get_chat_group_admin_requests(
        self,
        conversation_id: ID,
        *,
        pagination_token: str | None = ...,
        user_fields: Fields | None = ...,
        expansions: Fields | None = ...,
        tweet_fields: Fields | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def create_chat_group_admin_request(
        self,
        conversation_id: ID,
        *,
        action_signatures: list[dict[str, Any]] | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def approve_chat_group_admin_request(
        self,
        conversation_id: ID,
        user_id: ID,
        *,
        action_signatures: list[dict[str, Any]] | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def reject_chat_group_admin_request(
        self,
        conversation_id: ID,
        user_id: ID,
        *,
        action_signatures: list[dict[str, Any]] | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def update_chat_group_admin_settings(
        self,
        conversation_id: ID,
        *,
        add_member: bool | None = ...,
        block_screen_capture: bool | None = ...,
        edit_group_info: bool | None = ...,
        edit_message_ttl: bool | None = ...,
        send_message: bool | None = ...,
        start_call: bool | None = ...,
        action_signatures: list[dict[str, Any]] | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def update_chat_conversation_screen_capture(
        self,
        conversation_id: ID,
        *,
        blocking: bool | None = ...,
        detection: bool | None = ...,
        action_signatures: list[dict[str, Any]] | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def update_chat_group(
        self,
        conversation_id: ID,
        *,
        conversation_key_version: int | str,
        group_name: str | None = ...,
        group_avatar_url: str | None = ...,
        group_description: str | None = ...,
        action_signatures: list[dict[str, Any]] | None = ...,
        conversation_participant_keys: list[dict[str, Any]] | None = ...,
        base64_encoded_key_rotation: str | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def enable_chat_group_invite(
        self,
        conversation_id: ID,
        *,
        invite_url: str | None = ...,
        validity_duration_msec: int | str | None = ...,
        validity_expiry_timestamp_msec: int | str | None = ...,
        decrypted_title: str | None = ...,
        decrypted_avatar_url: str | None = ...,
        welcome_message: str | None = ...,
        affiliate_user_id: ID | None = ...,
        action_signatures: list[dict[str, Any]] | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def disable_chat_group_invite(
        self,
        conversation_id: ID,
        *,
        action_signatures: list[dict[str, Any]] | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def get_chat_group_invite(
        self,
        conversation_id: ID,
        token: str,
        *,
        user_auth: bool = ...,
    ) -> R: ...
    def create_chat_group_join_request(
        self,
        conversation_id: ID,
        *,
        token: str,
        action_signatures: list[dict[str, Any]] | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def reject_chat_group_join_requests(
        self,
        conversation_id: ID,
        *,
        user_ids: list[int | str],
        action_signatures: list[dict[str, Any]] | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def get_chat_conversation_pinned_messages(
        self,
        conversation_id: ID,
        *,
        pagination_token: str | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def create_bot(
        self,
        handle: str,
        *,
        display_name: Optional[str] = ...,
        scopes: Optional[Iterable[str]] = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def get_bots(
        self,
        *,
        expansions: Fields | None = ...,
        tweet_fields: Fields | None = ...,
        post_fields: Fields | None = ...,
        user_fields: Fields | None = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def update_bot(
        self,
        bot_id: ID,
        *,
        display_name: Optional[str] = ...,
        handle: Optional[str] = ...,
        dm_permission: Optional[str] = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def delete_bot(
        self,
        bot_id: ID,
        *,
        user_auth: bool = ...,
    ) -> R: ...
    def rotate_bot_token(
        self,
        bot_id: ID,
        *,
        scopes: Optional[Iterable[str]] = ...,
        user_auth: bool = ...,
    ) -> R: ...
    def revoke_bot_token(
        self,
        bot_id: ID,
        *,
        user_auth: bool = ...,
    ) -> R: ...
