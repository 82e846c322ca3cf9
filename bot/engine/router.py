"""Dispatching an ``Incoming`` to the handler written for it.

Commands are registered once with a Vietnamese description; ``/help`` and the Telegram command
menu are built from the same registry, so a command cannot be added without being documented.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.engine.messages import Outgoing

if TYPE_CHECKING:
    from bot.engine.context import Context

Handler = Callable[["Context", str], list[Outgoing]]
TextHandler = Callable[["Context"], list[Outgoing]]

_COMMAND = re.compile(r"^/(?P<name>[A-Za-z0-9_]{1,32})(?:@(?P<bot>[A-Za-z0-9_]{3,64}))?(?:\s+|$)")


@dataclass(frozen=True)
class ParsedCommand:
    name: str
    args: str
    addressed_to: str | None


def parse_command(text: str) -> ParsedCommand | None:
    """``/latest@bantin_bot 10`` → ("latest", "10", "bantin_bot"); not a command → None."""
    match = _COMMAND.match(text.strip())
    if not match:
        return None
    return ParsedCommand(
        name=match["name"].lower(),
        args=text.strip()[match.end():].strip(),
        addressed_to=match["bot"],
    )


@dataclass(frozen=True)
class Command:
    name: str
    handler: Handler
    description: str
    usage: str = ""
    hidden: bool = False  # kept out of /help and the menu (moderators' commands)


class Router:
    """Commands by name, button actions by prefix, and the fall-backs for everything else."""

    def __init__(self) -> None:
        self.commands: dict[str, Command] = {}
        self.actions: dict[str, Handler] = {}
        self.on_text: TextHandler | None = None  # plain text in a private chat
        self.on_reply: TextHandler | None = None  # plain text replying to a bot message
        self.on_other: TextHandler | None = None  # unknown commands, stickers, photos

    def command(
        self, name: str, description: str, usage: str = "", *, hidden: bool = False
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            if name in self.commands:
                raise ValueError(f"command /{name} registered twice")
            self.commands[name] = Command(name, handler, description, usage, hidden)
            return handler

        return register

    def action(self, prefix: str) -> Callable[[Handler], Handler]:
        """A handler for button data ``prefix:rest`` (data that is not a command)."""

        def register(handler: Handler) -> Handler:
            self.actions[prefix] = handler
            return handler

        return register

    def public_commands(self) -> list[Command]:
        return [command for command in self.commands.values() if not command.hidden]

    def dispatch(self, ctx: Context) -> list[Outgoing]:
        incoming = ctx.incoming
        if incoming.button is not None:
            return self._button(ctx, incoming.button)
        parsed = parse_command(incoming.text) if incoming.text.startswith("/") else None
        if parsed is not None:
            return self._command(ctx, parsed)
        if incoming.text.strip():
            if incoming.reply_to_bot and self.on_reply:
                return self.on_reply(ctx)
            if incoming.is_private and self.on_text:
                return self.on_text(ctx)
            return []  # plain talk in a group is not for the bot
        if incoming.is_private and self.on_other:
            return self.on_other(ctx)
        return []

    def _command(self, ctx: Context, parsed: ParsedCommand) -> list[Outgoing]:
        own = ctx.incoming.bot_username
        if parsed.addressed_to and own and parsed.addressed_to.lower() != own.lower():
            return []  # "/help@otherbot" in a group: another bot's business
        command = self.commands.get(parsed.name)
        if command is not None:
            return command.handler(ctx, parsed.args)
        if (ctx.incoming.is_private or parsed.addressed_to) and self.on_other:
            return self.on_other(ctx)
        return []

    def _button(self, ctx: Context, data: str) -> list[Outgoing]:
        if data.startswith("/"):
            parsed = parse_command(data)
            if parsed is not None and parsed.name in self.commands:
                return self.commands[parsed.name].handler(ctx, parsed.args)
        prefix, _, rest = data.partition(":")
        if prefix in self.actions:
            return self.actions[prefix](ctx, rest)
        return []
