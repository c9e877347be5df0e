"""Who is in which chat, as the offline server's `getChatMember` answers it.

Telegram answers `getChatMember` for a chat the bot is in and a user it has seen: the member's
status ("creator", "administrator", "member", "restricted", "left", "kicked"), "left" for a
user who is not in the chat. A chat the server has never heard of is 400 "Bad Request: chat
not found"; a user id it has never seen is 400 "Bad Request: user not found".

    server.members.join(STAFF_CHAT, 42)                     # a member of the staff group
    server.members.join(STAFF_CHAT, 7, "administrator")
    server.members.leave(STAFF_CHAT, 42)                    # "left" from now on
    server.members.open(STAFF_CHAT)                         # a group with nobody in it

A private chat (its id is the user's) holds the user and the bot. Users become known by
joining a chat or by sending the bot anything (`meet`).
"""

from __future__ import annotations

from typing import Any, Literal

Status = Literal["creator", "administrator", "member", "restricted", "left", "kicked"]


class NotFound(LookupError):
    """Telegram's 400 for a chat or user it does not know (the description is Telegram's)."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


# The rights Telegram lists for an administrator and for a restricted member (all off here:
# only the status matters to the bot).
_ADMIN_RIGHTS = (
    "can_be_edited",
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)
_MEMBER_RIGHTS = (
    "can_send_messages",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
    "can_change_info",
    "can_invite_users",
    "can_pin_messages",
    "can_manage_topics",
    "can_edit_tag",
    "can_react_to_messages",
)


class Members:
    """The chats the server knows and each one's members."""

    def __init__(self, bot_user: dict[str, Any]) -> None:
        self.bot_user = bot_user
        self._users: dict[int, dict[str, Any]] = {int(bot_user["id"]): bot_user}
        self._chats: dict[int, dict[int, Status]] = {}

    def meet(self, user: dict[str, Any]) -> None:
        """A Telegram user the server has seen (the sender of a message, a button press)."""
        self._users.setdefault(int(user["id"]), dict(user))

    def open(self, chat_id: int) -> None:
        """A group or channel exists (with no members until they join)."""
        self._chats.setdefault(chat_id, {})

    def join(self, chat_id: int, user_id: int, status: Status = "member") -> None:
        """`user_id` is in `chat_id` with `status` (the chat and the user become known)."""
        self._users.setdefault(user_id, {"id": user_id, "is_bot": False, "first_name": "User"})
        self._chats.setdefault(chat_id, {})[user_id] = status

    def leave(self, chat_id: int, user_id: int) -> None:
        """`user_id` left `chat_id`: "left" from now on."""
        self.join(chat_id, user_id, "left")

    def status(self, chat_id: int, user_id: int) -> Status:
        """As Telegram answers it; `NotFound` where Telegram answers 400."""
        if chat_id not in self._chats and chat_id not in self._users:
            raise NotFound("Bad Request: chat not found")
        if user_id not in self._users:
            raise NotFound("Bad Request: user not found")
        if chat_id in self._users:  # a private chat: the user and the bot
            return "member" if user_id in (chat_id, int(self.bot_user["id"])) else "left"
        return self._chats[chat_id].get(user_id, "left")

    def member(self, chat_id: int, user_id: int) -> dict[str, Any]:
        """The ChatMember object `getChatMember` answers."""
        status = self.status(chat_id, user_id)
        answer: dict[str, Any] = {"status": status, "user": self._users[user_id]}
        if status in ("creator", "administrator"):
            answer["is_anonymous"] = False
        if status == "administrator":
            answer.update(dict.fromkeys(_ADMIN_RIGHTS, False))
        if status == "restricted":
            answer.update(dict.fromkeys(_MEMBER_RIGHTS, False))
            answer["is_member"] = True
        if status in ("restricted", "kicked"):
            answer["until_date"] = 0  # forever
        return answer
