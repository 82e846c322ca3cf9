"""Paging by typing: where there are no buttons to press, "thêm" asks for the next page.

Zalo and the console show a "Xem thêm" button as a line to type; a reader who answers with
the button's own label ("Xem thêm"), or just "thêm", means the next page, not a search for
those words. Both transports remember the last next-page command per chat and use these rules.
"""

from __future__ import annotations

import re

from bot.messages import Incoming, Reply

MORE_WORDS = {"thêm", "them", "xem thêm", "xem them", "tiếp", "tiep", "trang sau"}
_NEXT_PAGE = re.compile(r"^/\w+.*\btrang \d+$")


def next_page_command(reply: Reply) -> str | None:
    """The command behind a reply's "next page" button, which "thêm" repeats."""
    for row in reply.buttons:
        for button in row:
            if button.data and _NEXT_PAGE.match(button.data):
                return button.data
    return None


def asks_for_more(text: str) -> bool:
    """"thêm", "Xem thêm", "tiếp." and the like: the reader wants the next page."""
    return " ".join(text.lower().split()).rstrip(".!") in MORE_WORDS


def as_command(incoming: Incoming, command: str) -> Incoming:
    """The reader's message, now carrying ``command`` as its text."""
    return Incoming(
        platform=incoming.platform, chat_id=incoming.chat_id, user_id=incoming.user_id,
        display_name=incoming.display_name, chat_type=incoming.chat_type, text=command,
        message_id=incoming.message_id,
    )
